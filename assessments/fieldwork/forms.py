from django import forms
from django.contrib.auth import get_user_model

from assessments.choices import ControlKind
from assessments.models import Procedure
from rsoko.orgs.models import Organization

from .choices import VIOLATIONS
from rsoko.orgs.access import roles_with

from .models import Campaign, ObserverAssignment

OBSERVER_ROLES = sorted(roles_with("observers.report"))


class ExpertImportForm(forms.Form):
    file = forms.FileField(label="Файл банка экспертов (xlsx)")


class CampaignForm(forms.ModelForm):
    class Meta:
        model = Campaign
        fields = ["procedure", "kind", "title", "share_percent", "min_works", "check_date", "task_threshold",
                  "total_threshold", "experts_threshold", "final_rule", "sign_threshold"]
        widgets = {"check_date": forms.DateInput(attrs={"type": "date"})}

    def clean_share_percent(self):
        value = self.cleaned_data["share_percent"]
        if not 1 <= value <= 100:
            raise forms.ValidationError("Доля работ — от 1 до 100 %.")
        return value


class ManualSchoolsForm(forms.Form):
    schools = forms.ModelMultipleChoiceField(label="Школы", queryset=Organization.objects.none(), required=True)

    def __init__(self, *args, campaign=None, **kwargs):
        super().__init__(*args, **kwargs)
        from .services import participating_school_ids

        if campaign is not None:
            self.fields["schools"].queryset = Organization.objects.filter(
                id__in=participating_school_ids(campaign.procedure)).exclude(
                id__in=campaign.schools.values("school_id")).order_by("short_name")


class RandomSchoolsForm(forms.Form):
    size = forms.IntegerField(label="Сколько школ отобрать", min_value=1, max_value=500)
    seed = forms.IntegerField(label="Зерно (необязательно)", required=False, min_value=0, max_value=2**31 - 1)


class DrawForm(forms.Form):
    seed = forms.IntegerField(label="Зерно отбора (пусто — случайное, будет записано)", required=False,
                              min_value=0, max_value=2**31 - 1)


class PairForm(forms.Form):
    mode = forms.ChoiceField(label="Пары", choices=[("within", "внутри муниципалитета"),
                                                    ("across", "между муниципалитетами")])
    seed = forms.IntegerField(label="Зерно (необязательно)", required=False, min_value=0, max_value=2**31 - 1)


class ObserverAssignmentForm(forms.ModelForm):
    class Meta:
        model = ObserverAssignment
        fields = ["procedure", "school", "full_name", "kind", "stage", "date", "sent_by", "user"]
        widgets = {"date": forms.DateInput(attrs={"type": "date"})}
        help_texts = {"user": "если наблюдатель работает на портале: он сам внесёт отчёт"}

    def __init__(self, *args, schools=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["procedure"].queryset = Procedure.objects.all()
        self.fields["school"].queryset = schools
        self.fields["sent_by"].queryset = Organization.objects.exclude(kind="school")
        self.fields["user"].queryset = get_user_model().objects.filter(
            is_active=True, memberships__role__in=OBSERVER_ROLES).distinct().order_by("last_name", "username")


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": "image/jpeg,image/png"}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, (list, tuple)):
            return [single(item, initial) for item in data]
        return [single(data, initial)] if data else []


class ObserverReportForm(forms.Form):
    violations = forms.MultipleChoiceField(label="Отмеченные нарушения", choices=VIOLATIONS, required=False,
                                           widget=forms.CheckboxSelectMultiple)
    text = forms.CharField(label="Описание", required=False, widget=forms.Textarea(attrs={"rows": 5}))
    photos = MultipleFileField(label="Фотографии (JPEG или PNG, до 8 МБ каждая)", required=False)


class ControlForm(forms.Form):
    school = forms.IntegerField(widget=forms.HiddenInput)
    control = forms.ChoiceField(label="Контроль", required=False, choices=ControlKind.choices)
