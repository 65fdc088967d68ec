from django import forms
from django.contrib.auth import get_user_model, password_validation

from .choices import Role
from .models import Organization


class OrganizationForm(forms.ModelForm):
    website = forms.URLField(label="Сайт", required=False, assume_scheme="https")

    class Meta:
        model = Organization
        fields = [
            "kind", "code", "short_name", "full_name", "municipality", "settlement_type",
            "level_noo", "level_ooo", "level_soo", "address", "head_name", "email", "phone", "website", "is_active",
        ]
        widgets = {"full_name": forms.Textarea(attrs={"rows": 2})}


class UserCreateForm(forms.Form):
    username = forms.CharField(label="Логин", max_length=150)
    full_name = forms.CharField(label="Фамилия и имя", max_length=300, required=False)
    email = forms.EmailField(label="Эл. почта", required=False)
    password1 = forms.CharField(label="Пароль", widget=forms.PasswordInput)
    password2 = forms.CharField(label="Пароль ещё раз", widget=forms.PasswordInput)
    organization = forms.ModelChoiceField(Organization.objects.filter(is_active=True), label="Организация")
    role = forms.ChoiceField(choices=Role.choices, label="Роль")

    def clean_username(self):
        username = self.cleaned_data["username"].strip()
        if get_user_model().objects.filter(username__iexact=username).exists():
            raise forms.ValidationError("Пользователь с таким логином уже есть.")
        return username

    def clean(self):
        data = super().clean()
        if data.get("password1") != data.get("password2"):
            self.add_error("password2", "Пароли не совпадают.")
        elif data.get("password1"):
            candidate = get_user_model()(username=data.get("username", ""), email=data.get("email", ""))
            try:
                password_validation.validate_password(data["password1"], candidate)
            except forms.ValidationError as exc:
                self.add_error("password1", exc)
        return data


class MembershipForm(forms.Form):
    organization = forms.ModelChoiceField(Organization.objects.filter(is_active=True), label="Организация")
    role = forms.ChoiceField(choices=Role.choices, label="Роль")


class RegistryUploadForm(forms.Form):
    file = forms.FileField(
        label="Файл реестра",
        help_text="Шаблон реестра (.xlsx, .csv), протокол ФИС ОКО со столбцами «Муниципалитет» и «Школа», форма "
                  "ФИС ОКО «Сбор контекстных данных об ОО» или список логинов («логин», «наименование», район).",
    )
    other_region = forms.BooleanField(
        label="Файл другого региона", required=False,
        help_text="Отметьте, только если файл с кодом другого региона нужно загрузить сюда намеренно.",
    )


class ApiTokenForm(forms.Form):
    days = forms.TypedChoiceField(label="Срок действия", coerce=int, initial=365, required=False, empty_value=None,
                                  choices=[(30, "30 дней"), (90, "90 дней"), (180, "180 дней"), (365, "1 год")])
