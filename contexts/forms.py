from django import forms

from monitoring.forms import CommaFloatField

from .models import ContextRule, SchoolContext


class ContextForm(forms.ModelForm):
    class Meta:
        model = SchoolContext
        fields = ["pupils", "russian_second_share", "low_income_share", "listed"]
        field_classes = {"russian_second_share": CommaFloatField, "low_income_share": CommaFloatField}

    def clean(self):
        data = super().clean()
        for name in ("russian_second_share", "low_income_share"):
            value = data.get(name)
            if value is not None and not 0 <= value <= 100:
                self.add_error(name, "Доля — от 0 до 100 %.")
        return data


class RuleForm(forms.ModelForm):
    class Meta:
        model = ContextRule
        fields = ["max_pupils", "russian_second_share", "low_income_share", "rural_counts", "min_criteria", "groups"]
        field_classes = {"russian_second_share": CommaFloatField, "low_income_share": CommaFloatField}

    def clean_min_criteria(self):
        value = self.cleaned_data["min_criteria"]
        if not 1 <= value <= 4:
            raise forms.ValidationError("От 1 до 4 критериев.")
        return value

    def clean_groups(self):
        value = self.cleaned_data["groups"]
        if not 1 <= value <= 20:
            raise forms.ValidationError("От 1 до 20 групп.")
        return value
