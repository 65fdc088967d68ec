from django import forms

from assessments.models import Procedure
from assessments.stats.models import RussiaMarks

from . import periods
from .models import Indicator, MonitoringForm, RussiaValue


class PeriodField(forms.CharField):
    """«2026» or «2026Q3» (the quarter may be typed in lower case)."""

    def clean(self, value):
        period = super().clean(value).strip().upper()
        try:
            periods.parse(period)
        except ValueError as error:
            raise forms.ValidationError(str(error))
        return period


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

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["indicators"].queryset = Indicator.objects.filter(is_manual=True, is_active=True)


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
