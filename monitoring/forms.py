from django import forms

from . import periods
from .models import Indicator, MonitoringForm


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
