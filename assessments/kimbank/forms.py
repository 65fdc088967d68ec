from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError

from assessments.choices import TaskLevel
from assessments.models import Procedure, ProcedureKind
from rsoko.orgs.access import roles_with

from .choices import BANK_KIND_CODES, FileRole
from .models import Variant


def possible_authors():
    return (get_user_model().objects.filter(is_active=True, memberships__role__in=roles_with("kim.author"))
            .distinct().order_by("last_name", "first_name", "username"))


class AuthorChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, user):
        return user.get_full_name() or user.username


class VariantForm(forms.ModelForm):
    authors = AuthorChoiceField(queryset=None, required=False, label="соавторы",
                                help_text="вы становитесь автором варианта автоматически")

    class Meta:
        model = Variant
        fields = ["kind", "subject", "grade", "year", "number", "title", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].queryset = ProcedureKind.objects.filter(code__in=BANK_KIND_CODES)
        self.fields["authors"].queryset = possible_authors()
        if self.instance.pk:
            self.fields["authors"].initial = list(self.instance.authors.all())
            self.fields["authors"].help_text = "все авторы варианта"


class VariantFileForm(forms.Form):
    role = forms.ChoiceField(label="назначение", choices=FileRole.choices)
    file = forms.FileField(label="файл (PDF или DOCX)")
    for_schools = forms.BooleanField(label="выдавать школам в окне процедуры", required=False, initial=True)


class CodifierImportForm(forms.Form):
    file = forms.FileField(label="кодификатор (xlsx, xls, csv)")


class TaskForm(forms.Form):
    position = forms.IntegerField(label="№", min_value=1, max_value=999)
    label = forms.CharField(label="№ в КИМ", max_length=16)
    max_score = forms.IntegerField(label="макс. балл", min_value=1, max_value=100)
    level = forms.ChoiceField(label="уровень", choices=[("", "—"), *TaskLevel.choices], required=False)
    skill = forms.CharField(label="умение", required=False, widget=forms.Textarea(attrs={"rows": 1}))
    block = forms.CharField(label="блок ПООП", required=False, widget=forms.Textarea(attrs={"rows": 1}))
    kes_codes = forms.CharField(label="КЭС", max_length=200, required=False)
    kt_codes = forms.CharField(label="КТ", max_length=200, required=False)
    answer = forms.CharField(label="ответ", required=False, widget=forms.Textarea(attrs={"rows": 1}))
    criteria = forms.CharField(label="критерии", required=False, widget=forms.Textarea(attrs={"rows": 1}))


class BaseTaskFormSet(forms.BaseFormSet):
    def clean(self):
        if any(self.errors):
            return
        positions = [form.cleaned_data["position"] for form in self.kept_forms()]
        duplicates = sorted({p for p in positions if positions.count(p) > 1})
        if duplicates:
            raise ValidationError(f"Номера по порядку повторяются: {', '.join(map(str, duplicates))}.")

    def kept_forms(self):
        return [f for f in self.forms if f.has_changed() and f.cleaned_data and not f.cleaned_data.get("DELETE")]

    def task_fields(self) -> list[dict]:
        return sorted(({k: v for k, v in f.cleaned_data.items() if k != "DELETE"} for f in self.kept_forms()),
                      key=lambda t: t["position"])


TaskFormSet = forms.formset_factory(TaskForm, formset=BaseTaskFormSet, extra=3, can_delete=True)


class TransitionForm(forms.Form):
    comment = forms.CharField(label="замечания", required=False, widget=forms.Textarea(attrs={"rows": 3}))


class VariantUseForm(forms.Form):
    procedure = forms.ModelChoiceField(label="процедура", queryset=Procedure.objects.none())
    window_start = forms.DateTimeField(label="выдача открывается",
                                       widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
                                       help_text="пусто — за час до начала в день процедуры", required=False)
    window_end = forms.DateTimeField(label="выдача закрывается",
                                     widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
                                     help_text="пусто — в конце последнего дня процедуры", required=False)

    def __init__(self, *args, variant, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["procedure"].queryset = Procedure.objects.filter(
            kind=variant.kind, subject=variant.subject
        ).exclude(kim_uses__variant=variant).select_related("kind", "subject")
