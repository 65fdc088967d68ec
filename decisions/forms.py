from django import forms

from monitoring.models import Indicator
from roadmaps.models import Item
from rsoko.orgs.access import scope_for
from rsoko.orgs.choices import OrgKind
from rsoko.orgs.models import Municipality, Organization

from .models import CaseKind, CaseResult, CaseStatus, Decision
from .services import owners_for


class DecisionForm(forms.ModelForm):
    """The choices offered are what the user may decide about: a coordinator sees their municipality only."""

    class Meta:
        model = Decision
        fields = ["owner", "order_number", "order_date", "title", "text", "mechanism", "indicators", "schools",
                  "municipalities", "measures"]
        widgets = {"order_date": forms.DateInput(attrs={"type": "date"}), "text": forms.Textarea(attrs={"rows": 4}),
                   "indicators": forms.SelectMultiple(attrs={"size": 8}),
                   "schools": forms.SelectMultiple(attrs={"size": 10}),
                   "municipalities": forms.SelectMultiple(attrs={"size": 6}),
                   "measures": forms.SelectMultiple(attrs={"size": 6})}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        scope = scope_for(user)
        self.fields["owner"].queryset = owners_for(user)
        self.fields["indicators"].queryset = Indicator.objects.filter(is_active=True).order_by("mechanism", "order")
        schools = Organization.objects.filter(kind=OrgKind.SCHOOL, is_active=True).select_related("municipality")
        municipalities = Municipality.objects.all()
        if not scope.region_wide:
            schools = schools.filter(municipality_id__in=scope.municipality_ids)
            municipalities = municipalities.filter(id__in=scope.municipality_ids)
        self.fields["schools"].queryset = schools.order_by("municipality__name", "short_name")
        self.fields["municipalities"].queryset = municipalities.order_by("name")
        self.fields["measures"].queryset = Item.objects.visible_to(user).filter(is_section=False) \
            .select_related("roadmap").order_by("roadmap_id", "position")
        self.fields["measures"].label_from_instance = lambda item: f"{item.roadmap.title[:40]}… п. {item}"[:160]

    def clean(self):
        data = super().clean()
        if not data.get("schools") and not data.get("municipalities"):
            self.add_error("schools", "Укажите ОО или муниципалитеты, которых касается решение.")
        return data


class PeriodsForm(forms.Form):
    before = forms.CharField(label="До (год)", max_length=4, required=False)
    after = forms.CharField(label="После (год)", max_length=4, required=False)


class CaseAssignForm(forms.Form):
    kind = forms.ChoiceField(label="Последствие", choices=CaseKind.choices)
    due = forms.DateField(label="Срок", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    schools = forms.ModelMultipleChoiceField(label="ОО", queryset=Organization.objects.none(),
                                             widget=forms.CheckboxSelectMultiple,
                                             error_messages={"required": "Отметьте хотя бы одну ОО в списке."})

    def __init__(self, *args, school_ids, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["schools"].queryset = Organization.objects.filter(pk__in=school_ids)


class CaseUpdateForm(forms.Form):
    status = forms.ChoiceField(label="Состояние", choices=CaseStatus.choices)
    result = forms.ChoiceField(label="Итог", choices=CaseResult.choices, required=False)
    comment = forms.CharField(label="Комментарий", required=False, max_length=2000,
                              widget=forms.Textarea(attrs={"rows": 2}))
