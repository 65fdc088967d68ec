from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from .periods import Quarter


class QuarterlyRenderForm(forms.Form):
    organization = forms.ModelChoiceField(label="Организация", queryset=None,
                                          help_text="Министерство — отчёт по региону, МОУО — по муниципалитету, ОО — по школе.")
    quarter = forms.CharField(label="Квартал", max_length=8, help_text="Например, 2026Q3.")

    def __init__(self, *args, organizations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = organizations.select_related("municipality").order_by("kind", "short_name")
        self.fields["quarter"].initial = Quarter.containing(timezone.localdate()).previous().code

    def clean_quarter(self):
        try:
            return Quarter.parse(self.cleaned_data["quarter"])
        except ValidationError as exc:
            raise forms.ValidationError(exc.messages) from exc


class RecommendationForm(forms.Form):
    text = forms.CharField(label="Выводы и рекомендации", required=False, max_length=20000,
                           widget=forms.Textarea(attrs={"rows": 16}),
                           help_text="Печатается в разделе «Выводы и рекомендации» аналитического отчёта по процедуре.")
