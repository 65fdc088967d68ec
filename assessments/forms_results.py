from django import forms

from .choices import UploadMode
from .models import Procedure


class ResultUploadForm(forms.Form):
    procedure = forms.ModelChoiceField(Procedure.objects.none(), label="Процедура")
    file = forms.FileField(label="Файл результатов", help_text="xlsx, xls или csv (UTF-8 или Windows-1251, разделитель «;» или «,»).")
    mode = forms.ChoiceField(
        label="Режим", required=False,
        choices=[("", "Автоматически (карантин для выгрузки ФИС ОКО, иначе строгий)"), *UploadMode.choices],
    )
    fixes = forms.BooleanField(
        label="Только исправленные строки",
        required=False,
        help_text="Дополнить действующие результаты школ, а не заменить их. Файл, скачанный из карантина "
                  "(со столбцом «Причина ошибки»), распознаётся так сам.",
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["procedure"].queryset = Procedure.objects.visible_to(user).select_related("kind", "subject")
