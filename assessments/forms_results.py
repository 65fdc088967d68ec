from django import forms

from .choices import UploadMode
from .models import Procedure


class ResultUploadForm(forms.Form):
    procedure = forms.ModelChoiceField(Procedure.objects.none(), label="Процедура")
    file = forms.FileField(label="Файл результатов", help_text="xlsx, xls или csv (UTF-8 или Windows-1251, разделитель «;» или «,»).")
    mode = forms.ChoiceField(
        label="Режим", required=False,
        choices=[("", "Автоматически: карантин для региональной выгрузки, иначе строгий"), *UploadMode.choices],
    )
    fixes = forms.BooleanField(
        label="Файл содержит только исправленные строки (дополнить действующие результаты, а не заменить)",
        required=False,
        help_text="Файл, скачанный из карантина (со столбцом «Причина ошибки»), распознаётся как исправления сам.",
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["procedure"].queryset = Procedure.objects.visible_to(user).select_related("kind", "subject")
