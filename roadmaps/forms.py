from django import forms

from rsoko.orgs.choices import OrgKind
from rsoko.orgs.models import Organization

from .choices import AliasTarget, ExecutionStatus, RoadmapLevel
from .models import ExecutorAlias, Item

EVIDENCE_SUFFIXES = {"pdf", "doc", "docx", "xls", "xlsx", "odt", "ods", "jpg", "jpeg", "png", "txt", "zip"}
EVIDENCE_MAX_MB = 10


class ImportForm(forms.Form):
    file = forms.FileField(label="Файл дорожной карты",
                           help_text="Текст с табуляцией (.txt), Excel (.xlsx) или Word (.docx) с таблицей мероприятий")
    level = forms.ChoiceField(label="Уровень", choices=RoadmapLevel.choices, initial=RoadmapLevel.REGION)
    owner = forms.ModelChoiceField(
        Organization.objects.filter(is_active=True).exclude(kind=OrgKind.PUBLIC_BODY).order_by("kind", "short_name"),
        label="Владелец", required=False, help_text="По умолчанию — министерство образования региона",
    )
    title = forms.CharField(label="Наименование", required=False, max_length=1000,
                            help_text="Если пусто — берётся из документа")

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        from rsoko.orgs.access import scope_for

        scope = scope_for(user) if user is not None else None
        if scope is not None and not scope.region_wide:
            # a municipal office: its own municipal roadmaps, or school roadmaps of its municipality's schools
            self.fields["level"].choices = [c for c in RoadmapLevel.choices if c[0] != RoadmapLevel.REGION]
            self.fields["level"].initial = RoadmapLevel.MUNICIPALITY
            self.fields["owner"].queryset = self.fields["owner"].queryset.filter(
                kind__in=[OrgKind.MUNICIPAL_OFFICE, OrgKind.SCHOOL], municipality_id__in=scope.municipality_ids)
            self.fields["owner"].required = True
            self.fields["owner"].help_text = "Ваш МОУО или школа вашего муниципалитета"


class StatusForm(forms.Form):
    status = forms.ChoiceField(label="Статус", choices=ExecutionStatus.choices)
    comment = forms.CharField(label="Комментарий о ходе исполнения", required=False,
                              widget=forms.Textarea(attrs={"rows": 3}), max_length=5000)
    link = forms.URLField(label="Ссылка на подтверждение", required=False, assume_scheme="https", max_length=500)
    evidence = forms.FileField(label="Файл-подтверждение", required=False,
                               help_text=f"PDF, документ Office, изображение или архив, до {EVIDENCE_MAX_MB} МБ")

    def clean_evidence(self):
        upload = self.cleaned_data.get("evidence")
        if upload is None:
            return None
        suffix = upload.name.lower().rsplit(".", 1)[-1] if "." in upload.name else ""
        if suffix not in EVIDENCE_SUFFIXES:
            raise forms.ValidationError("Недопустимый тип файла. Допустимы: " + ", ".join(sorted(EVIDENCE_SUFFIXES)) + ".")
        if upload.size > EVIDENCE_MAX_MB * 1024 * 1024:
            raise forms.ValidationError(f"Файл больше {EVIDENCE_MAX_MB} МБ.")
        return upload


class RoundForm(forms.Form):
    title = forms.CharField(label="Наименование", required=False, max_length=200,
                            help_text="Например: «Отчёт за первое полугодие»; если пусто — по датам")
    as_of = forms.DateField(label="По состоянию на", widget=forms.DateInput(attrs={"type": "date"}))
    due = forms.DateField(label="Срок представления", widget=forms.DateInput(attrs={"type": "date"}))

    def clean(self):
        data = super().clean()
        if data.get("as_of") and data.get("due") and data["due"] < data["as_of"]:
            self.add_error("due", "Срок представления не может быть раньше даты, на которую составляется отчёт.")
        return data


class SubmitForm(forms.Form):
    comment = forms.CharField(label="Пояснительная записка", required=False, widget=forms.Textarea(attrs={"rows": 3}),
                              max_length=5000)


class AliasForm(forms.ModelForm):
    class Meta:
        model = ExecutorAlias
        fields = ["phrase", "as_suffix", "target", "organization", "kind", "note"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = Organization.objects.filter(is_active=True).exclude(
            kind=OrgKind.SCHOOL).order_by("kind", "short_name")

    def clean(self):
        data = super().clean()
        target = data.get("target")
        if target == AliasTarget.ORGANIZATION and not data.get("organization"):
            self.add_error("organization", "Укажите организацию.")
        if target in {AliasTarget.KIND, AliasTarget.GROUP} and not data.get("kind"):
            self.add_error("kind", "Укажите вид организации.")
        return data


class CopyForm(forms.Form):
    school = forms.ModelChoiceField(Organization.objects.none(), label="Школа (ШНОР)")

    def __init__(self, *args, schools=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["school"].queryset = schools


class ItemLinksForm(forms.ModelForm):
    class Meta:
        model = Item
        fields = ["implements", "procedures", "schools"]
        widgets = {"procedures": forms.SelectMultiple(attrs={"size": 6}), "schools": forms.SelectMultiple(attrs={"size": 8})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        item = self.instance
        higher = {RoadmapLevel.SCHOOL: [RoadmapLevel.MUNICIPALITY, RoadmapLevel.REGION],
                  RoadmapLevel.MUNICIPALITY: [RoadmapLevel.REGION]}.get(item.roadmap.level, [])
        self.fields["implements"].queryset = Item.objects.filter(roadmap__level__in=higher, is_section=False) \
            .select_related("roadmap").order_by("roadmap_id", "position")
        self.fields["implements"].label_from_instance = lambda i: f"{i.roadmap.title[:50]}… — {i.number} {i.measure[:60]}"
        self.fields["schools"].queryset = Organization.objects.filter(kind=OrgKind.SCHOOL, is_active=True)
