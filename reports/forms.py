from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from .periods import Quarter


class QuarterField(forms.ChoiceField):
    """A select of recent quarters by their names; an older quarter's code (a link, the API) is still accepted."""

    def valid_value(self, value) -> bool:
        return True  # clean_quarter parses it and names the expected form when it cannot

    def to_python(self, value):
        return (value or "").strip()


class QuarterlyRenderForm(forms.Form):
    organization = forms.ModelChoiceField(label="Организация", queryset=None,
                                          help_text="Министерство — отчёт по региону, МОУО — по муниципалитету, ОО — по школе.")
    quarter = QuarterField(label="Квартал", help_text="Отчёт за квартал, который уже закончился, или за текущий — "
                                                          "на сегодняшний день.")

    def __init__(self, *args, organizations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = organizations.select_related("municipality").order_by("kind", "short_name")
        self.fields["quarter"].choices = quarter_choices(timezone.localdate())
        self.fields["quarter"].initial = Quarter.containing(timezone.localdate()).previous().code

    def clean_quarter(self):
        try:
            quarter = Quarter.parse(self.cleaned_data["quarter"])
        except ValidationError as exc:
            raise forms.ValidationError(exc.messages) from exc
        if quarter.start > timezone.localdate():
            raise forms.ValidationError(f"{quarter.title} ещё не начался: выберите прошедший или текущий квартал.")
        return quarter


QUARTERS_OFFERED = 12  # three years back: the archive keeps older reports


def quarter_choices(today) -> list[tuple[str, str]]:
    """The current quarter and the eleven before it, newest first: «III квартал 2026 года» (code 2026Q3)."""
    quarter, choices = Quarter.containing(today), []
    for _ in range(QUARTERS_OFFERED):
        choices.append((quarter.code, quarter.title))
        quarter = quarter.previous()
    return choices


class RecommendationForm(forms.Form):
    text = forms.CharField(label="Выводы и рекомендации", required=False, max_length=20000,
                           widget=forms.Textarea(attrs={"rows": 16}),
                           help_text="Печатается в разделе «Выводы и рекомендации» аналитического отчёта по процедуре.")
