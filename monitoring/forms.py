from django import forms

from . import periods
from .choices import IndicatorLevel
from .models import Indicator, MonitoringForm
from .services import IndicatorCreateError, formula_codes

class CommaFloatField(forms.FloatField):
    """A number as people type it in Russian: «60,5», «1 000»."""

    def to_python(self, value):
        if isinstance(value, str):
            value = value.replace("\u00a0", "").replace(" ", "").replace(",", ".")
        return super().to_python(value)


CODE_HELP = "латиница, цифры и «_», с буквы: например, ege_math_profile"


class IndicatorCreateForm(forms.ModelForm):
    """The ministry's own indicator: with a formula it is computed, without one it is collected by forms."""

    code = forms.RegexField(label="Код", regex=r"^[a-z][a-z0-9_]{1,47}$", max_length=48, help_text=CODE_HELP,
                            error_messages={"invalid": f"Код: {CODE_HELP}."})
    levels = forms.MultipleChoiceField(label="Уровни", choices=IndicatorLevel.choices,
                                       widget=forms.CheckboxSelectMultiple)

    class Meta:
        model = Indicator
        fields = ["code", "name", "mechanism", "unit", "direction", "levels", "periodicity", "target", "value_kind",
                  "min_value", "max_value", "formula", "source"]
        widgets = {"formula": forms.TextInput(attrs={"class": "mono", "size": 60}),
                   "source": forms.Textarea(attrs={"rows": 2})}
        labels = {"source": "Источник и способ сбора (для формы мониторинга)"}
        field_classes = {"target": CommaFloatField, "min_value": CommaFloatField, "max_value": CommaFloatField}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["source"].required = False
        self.fields["formula"].help_text = ("пусто — показатель собирается формой мониторинга; иначе арифметика "
                                            "над кодами каталога: 100 - vpr_pct_2, (vpr_quality + oge_quality) / 2")

    def clean_code(self):
        code = self.cleaned_data["code"]
        if Indicator.objects.filter(code=code).exists():
            raise forms.ValidationError(f"Показатель с кодом «{code}» уже есть в каталоге.")
        return code

    def clean(self):
        data = super().clean()
        formula = (data.get("formula") or "").strip()
        data["formula"] = formula
        if formula and data.get("periodicity"):
            try:
                formula_codes(formula, data["periodicity"])
            except IndicatorCreateError as error:
                self.add_error("formula", str(error).removeprefix("Формула: "))
        low, high = data.get("min_value"), data.get("max_value")
        if low is not None and high is not None and low > high:
            self.add_error("max_value", "Максимум меньше минимума.")
        return data


class IndicatorEditForm(forms.ModelForm):
    class Meta:
        model = Indicator
        fields = ["name", "target", "is_active", "is_key"]


class MonitoringFormForm(forms.ModelForm):
    class Meta:
        model = MonitoringForm
        fields = ["title", "period", "deadline", "audience", "indicators"]
        widgets = {"deadline": forms.DateInput(attrs={"type": "date"}), "indicators": forms.CheckboxSelectMultiple}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["indicators"].queryset = Indicator.objects.filter(is_manual=True, is_active=True)

    def clean_period(self):
        period = self.cleaned_data["period"].strip().upper()
        try:
            periods.parse(period)
        except ValueError as error:
            raise forms.ValidationError(str(error))
        return period
