from django import forms

from assessments.models import Procedure
from assessments.stats.models import RussiaMarks

from . import periods
from .choices import IndicatorLevel
from .models import Indicator, MonitoringForm, RussiaValue
from .services import IndicatorCreateError, formula_codes


class PeriodField(forms.CharField):
    """«2026» or «2026Q3» (the quarter may be typed in lower case)."""

    def clean(self, value):
        period = super().clean(value).strip().upper()
        try:
            periods.parse(period)
        except ValueError as error:
            raise forms.ValidationError(str(error))
        return period


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
    period = PeriodField(label="Период", max_length=8, help_text="2026 или 2026Q3")

    class Meta:
        model = MonitoringForm
        fields = ["title", "period", "deadline", "audience", "indicators"]
        widgets = {"deadline": forms.DateInput(attrs={"type": "date"}), "indicators": forms.CheckboxSelectMultiple}

    def __init__(self, *args, municipality=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.municipality = municipality
        self.fields["indicators"].queryset = Indicator.objects.filter(is_manual=True, is_active=True)
        if municipality is not None:
            # A МОУО's own form is filled by the schools of its municipality: nobody else to address it to.
            del self.fields["audience"]
            self.fields["title"].help_text = f"Форму заполнят школы муниципалитета «{municipality.name}»."


class RussiaValueForm(forms.ModelForm):
    period = PeriodField(label="Период", max_length=8, help_text="год (2026) или квартал (2026Q3)")
    value = forms.FloatField(label="Значение по России", localize=True, help_text="десятичная запятая или точка")

    class Meta:
        model = RussiaValue
        fields = ["indicator", "period", "value", "source"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["indicator"].queryset = Indicator.objects.filter(is_active=True).order_by("mechanism", "order")

    def clean(self):
        """The value read as the monitoring forms read it: a number within the indicator's limits."""
        from .services import FormAnswerError, check_value

        cleaned = super().clean()
        indicator, value = cleaned.get("indicator"), cleaned.get("value")
        if indicator is not None and value is not None:
            try:
                cleaned["value"] = check_value(indicator, value)
            except FormAnswerError as error:
                self.add_error("value", str(error))
        return cleaned

    def validate_unique(self):
        """Entering a period again replaces the figure (the service updates it): no «already exists» error."""


MARK_FIELDS = ["pct_2", "pct_3", "pct_4", "pct_5"]
# Federal shares are published rounded to one decimal: four of them may miss 100 by a few tenths.
MARKS_SUM_TOLERANCE = 0.5


def share_field(mark: str) -> forms.FloatField:
    return forms.FloatField(label=f"«{mark}», %", localize=True, min_value=0, max_value=100)


class RussiaMarksForm(forms.ModelForm):
    pct_2, pct_3, pct_4, pct_5 = (share_field(mark) for mark in "2345")

    class Meta:
        model = RussiaMarks
        fields = ["procedure", *MARK_FIELDS, "source"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["procedure"].queryset = Procedure.objects.select_related("kind", "subject") \
            .order_by("-year", "kind__order", "subject__name", "grade")

    def clean(self):
        cleaned = super().clean()
        shares = [cleaned.get(name) for name in MARK_FIELDS]
        if all(s is not None for s in shares) and abs(sum(shares) - 100) > MARKS_SUM_TOLERANCE:
            total = f"{sum(shares):.1f}".replace(".", ",")
            raise forms.ValidationError(f"Сумма долей «2»–«5» равна {total} %, а должна быть 100 % "
                                        f"(допускается расхождение округления до 0,5 п. п.).")
        return cleaned

    def validate_unique(self):
        """Entering a procedure again replaces its distribution (the service updates it)."""
