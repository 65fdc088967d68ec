from django import forms

from assessments.choices import ProcedureLevel
from assessments.models import ProcedureKind

MONTHS = ["январь", "февраль", "март", "апрель", "май", "июнь", "июль", "август", "сентябрь", "октябрь",
          "ноябрь", "декабрь"]


class CalendarFilterForm(forms.Form):
    """Filters of the public calendar; they live in the query string so a filtered page is linkable."""

    year = forms.TypedChoiceField(label="Год", coerce=int, required=False)
    month = forms.TypedChoiceField(label="Месяц", coerce=int, required=False, empty_value=None,
                                   choices=[("", "все месяцы"), *((i, m) for i, m in enumerate(MONTHS, 1))])
    kind = forms.ChoiceField(label="Вид процедуры", required=False)
    level = forms.ChoiceField(label="Уровень", required=False, choices=[("", "все уровни"), *ProcedureLevel.choices])

    def __init__(self, *args, years: list[int], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [(y, str(y)) for y in years]
        self.fields["kind"].choices = [("", "все виды"), *ProcedureKind.objects.values_list("slug", "code")]

    def filters(self, default_year: int) -> dict:
        """Valid filters only: a bad value in a shared link falls back to 'all' instead of an error page."""
        data = self.cleaned_data if self.is_bound and self.is_valid() else self.valid_part()
        return {
            "year": data.get("year") or default_year,
            "month": data.get("month") or None,
            "kind": data.get("kind") or "",
            "level": data.get("level") or "",
        }

    def valid_part(self) -> dict:
        if not self.is_bound:
            return {}
        self.is_valid()
        return getattr(self, "cleaned_data", {})
