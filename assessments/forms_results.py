from django import forms

from .choices import UploadMode
from .models import Procedure


# Short option labels, so that a select of ordinary width shows them whole; the help text says what each does.
MODE_CHOICES = [("", "Автоматически"), (UploadMode.STRICT, "Строгий"), (UploadMode.QUARANTINE, "Карантин")]
MODE_HELP = ("Автоматически — карантин для региональной выгрузки ФИС ОКО, строгий для остальных файлов. "
             "Строгий — при любой ошибке ничего не сохраняется. "
             "Карантин — верные строки сохраняются, ошибочные — в карантин.")


class ResultUploadForm(forms.Form):
    procedure = forms.ModelChoiceField(Procedure.objects.none(), label="Процедура")
    file = forms.FileField(label="Файл результатов", help_text="xlsx, xls или csv (UTF-8 или Windows-1251, разделитель «;» или «,»).")
    mode = forms.ChoiceField(label="Режим", required=False, choices=MODE_CHOICES, help_text=MODE_HELP)
    fixes = forms.BooleanField(
        label="Только исправленные строки",
        required=False,
        help_text="Дополнить действующие результаты школ, а не заменить их. Файл, скачанный из карантина "
                  "(со столбцом «Причина ошибки»), распознаётся так сам.",
    )
    use_header_spec = forms.BooleanField(
        label="Взять спецификацию из заголовка файла",
        required=False,
        help_text="Если максимальные баллы в заголовке протокола не совпадают с кодификатором процедуры (комплект "
                  "другого года), задания процедуры заменяются заданиями из заголовка. Пока результатов нет.",
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["procedure"].queryset = Procedure.objects.visible_to(user).select_related("kind", "subject")


class ArchiveUploadForm(forms.Form):
    archive = forms.FileField(
        label="Архив ФИС ОКО (zip)",
        help_text="Формы реестра, кодификаторы и файлы результатов любых лет и форматов, можно в папках.",
    )

    def clean_archive(self):
        upload = self.cleaned_data["archive"]
        if not upload.name.lower().endswith(".zip"):
            raise forms.ValidationError("Загрузите zip-архив (файлы можно сложить в папки по годам).")
        return upload
