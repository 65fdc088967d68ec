"""Forms of the procedure catalog. They check input shape only; rules live in services and scales."""
import re

from django import forms

from rsoko.orgs.choices import OrgKind
from rsoko.orgs.models import Municipality, Organization

from ..choices import ControlKind, TaskLevel
from ..codifier import TaskSpec
from ..models import Procedure, ProcedureKind, Subject
from ..scales import MARKS, ScaleData, conditions_text, parse_conditions, parse_test_scores
from .selectors import municipal_kinds

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ProcedureForm(forms.ModelForm):
    code = forms.CharField(
        label="Код", required=False, max_length=64,
        help_text="Оставьте пустым — код сформируется сам: VPR-2021-MA-4 (вид-год-предмет-класс).",
    )
    variants = forms.CharField(
        label="Варианты", required=False, help_text="Номера вариантов через запятую, например: 1, 2"
    )

    class Meta:
        model = Procedure
        fields = ["kind", "year", "subject", "grade", "title", "code", "date_start", "date_end", "organizer",
                  "max_score", "variants"]
        widgets = {"date_start": DATE_WIDGET, "date_end": DATE_WIDGET}
        help_texts = {"max_score": "Заполняется сам по спецификации заданий; укажите, если спецификации ещё нет."}

    def __init__(self, *args, municipal_organizer=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.municipal_organizer = municipal_organizer
        self.fields["organizer"].queryset = Organization.objects.filter(is_active=True).exclude(kind=OrgKind.SCHOOL)
        self.fields["kind"].queryset = ProcedureKind.objects.all()
        if municipal_organizer is not None:
            # A МОУО creates municipal procedures only, organized by itself: no choice to make or to forge.
            del self.fields["organizer"]
            self.fields["kind"].queryset = municipal_kinds()
            self.fields["kind"].help_text = (f"Муниципальная процедура {municipal_organizer.municipality}: "
                                             "участвуют только школы вашего муниципалитета.")
        self.fields["subject"].queryset = Subject.objects.all()
        self.fields["grade"].widget.attrs.update(min=1, max=11)
        if self.instance.pk:
            self.initial["variants"] = ", ".join(self.instance.variants or [])

    def clean_variants(self):
        return [v for v in re.split(r"[,;\s]+", self.cleaned_data.get("variants") or "") if v]

    def clean_grade(self):
        grade = self.cleaned_data.get("grade")
        if grade is not None and not 1 <= grade <= 11:
            raise forms.ValidationError("Допустимы классы с 1 по 11.")
        return grade

    def clean_year(self):
        year = self.cleaned_data.get("year")
        if year is not None and not 2000 <= year <= 2100:
            raise forms.ValidationError("Год вне допустимого диапазона 2000–2100.")
        return year

    def _post_clean(self):
        # Uniqueness and the code are checked by the service, which also generates the code.
        pass

    def service_fields(self) -> dict:
        data = dict(self.cleaned_data)
        data["code"] = data.get("code") or ""
        if self.municipal_organizer is not None:
            data["organizer"] = self.municipal_organizer
        return data


class BulkSchoolsForm(forms.Form):
    MODES = [
        ("all", "Все школы региона (в вашей области доступа)"),
        ("municipality", "Все школы муниципалитета"),
        ("level", "Все школы уровня образования"),
        ("codes", "По списку кодов"),
    ]
    mode = forms.ChoiceField(label="Добавить", choices=MODES, widget=forms.RadioSelect, initial="codes")
    municipality = forms.ModelChoiceField(Municipality.objects.all(), label="Муниципалитет", required=False)
    level = forms.ChoiceField(
        label="Уровень", required=False,
        choices=[("", "—"), ("noo", "НОО (1–4 классы)"), ("ooo", "ООО (5–9 классы)"), ("soo", "СОО (10–11 классы)")],
    )
    codes = forms.CharField(
        label="Коды школ", required=False, widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Логины ФИС ОКО (sch…/edu…) через пробел, запятую или с новой строки.",
    )
    control = forms.ChoiceField(label="Контроль для добавляемых", choices=ControlKind.choices, required=False)

    def __init__(self, *args, municipalities=None, **kwargs):
        super().__init__(*args, **kwargs)
        if municipalities is not None:
            self.fields["municipality"].queryset = municipalities

    def clean(self):
        data = super().clean()
        mode = data.get("mode")
        if mode == "municipality" and not data.get("municipality"):
            self.add_error("municipality", "Выберите муниципалитет.")
        if mode == "level" and not data.get("level"):
            self.add_error("level", "Выберите уровень образования.")
        if mode == "codes" and not (data.get("codes") or "").strip():
            self.add_error("codes", "Вставьте коды школ.")
        return data


class ParticipantsActionForm(forms.Form):
    ACTIONS = [("control", "Отметить контроль"), ("remove", "Исключить из процедуры")]
    action = forms.ChoiceField(choices=ACTIONS)
    control = forms.ChoiceField(choices=ControlKind.choices, required=False)
    schools = forms.TypedMultipleChoiceField(coerce=int, error_messages={"required": "Отметьте школы в таблице."})

    def __init__(self, *args, school_ids=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["schools"].choices = [(i, i) for i in school_ids]


class StatusForm(forms.Form):
    status = forms.CharField()


class TaskForm(forms.Form):
    label = forms.CharField(label="№ в КИМ", max_length=16, widget=forms.TextInput(attrs={"size": 5}))
    max_score = forms.IntegerField(label="Макс. балл", min_value=1, max_value=100,
                                   widget=forms.NumberInput(attrs={"style": "width:5rem"}))
    level = forms.ChoiceField(label="Уровень", choices=[("", "—")] + TaskLevel.choices, required=False)
    skill = forms.CharField(label="Проверяемое умение", required=False, widget=forms.Textarea(attrs={"rows": 2}))
    block = forms.CharField(label="Блок ПООП", required=False, widget=forms.Textarea(attrs={"rows": 2}))
    kes_codes = forms.CharField(label="КЭС", max_length=200, required=False, widget=forms.TextInput(attrs={"size": 8}))
    kt_codes = forms.CharField(label="КТ", max_length=200, required=False, widget=forms.TextInput(attrs={"size": 8}))


class BaseTaskFormSet(forms.BaseFormSet):
    def clean(self):
        if any(self.errors):
            return
        labels = [form.cleaned_data["label"] for form in self.kept_forms()]
        repeated = sorted({label for label in labels if labels.count(label) > 1})
        if repeated:
            raise forms.ValidationError(f"Номера в КИМ повторяются: {', '.join(repeated)}.")
        if not labels:
            raise forms.ValidationError("Спецификация должна содержать хотя бы одно задание.")

    def kept_forms(self):
        return [
            form for form in self.forms
            if form.cleaned_data.get("label") and not (self.can_delete and self._should_delete_form(form))
        ]

    def specs(self) -> list[TaskSpec]:
        """Tasks in the order shown: their positions are renumbered 1..N."""
        return [
            TaskSpec(position=i, **{k: v for k, v in form.cleaned_data.items() if k != "DELETE"})
            for i, form in enumerate(self.kept_forms(), start=1)
        ]


TaskFormSet = forms.formset_factory(TaskForm, formset=BaseTaskFormSet, extra=3, can_delete=True)


class CodifierUploadForm(forms.Form):
    file = forms.FileField(label="Файл кодификатора", help_text="Кодификатор ФИС ОКО (.xlsx, .xls, .csv) того же года, "
                                                                 "что и процедура.")
    any_year = forms.BooleanField(label="Кодификатор другого года подходит", required=False,
                                  help_text="Отметьте, только если комплект этого года не изменился.")


class ScaleForm(forms.Form):
    first_3 = forms.IntegerField(label="«3» с балла", min_value=0, required=False)
    first_4 = forms.IntegerField(label="«4» с балла", min_value=0, required=False)
    first_5 = forms.IntegerField(label="«5» с балла", min_value=0, required=False)
    conditions = forms.CharField(
        label="Дополнительные условия", required=False, widget=forms.Textarea(attrs={"rows": 3}),
        help_text="По строке на условие: отметки | задания | минимум баллов. Например, для ОГЭ по математике: "
                  "3,4,5 | 15,16,17,18,19,23,24,25 | 2",
    )
    test_scores = forms.CharField(
        label="Перевод в тестовые баллы", required=False, widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Тестовые баллы для первичных 0, 1, 2… через запятую (для ЕГЭ).",
    )
    minimum_test_score = forms.IntegerField(label="Минимальный тестовый балл", min_value=0, max_value=100, required=False)
    pass_score = forms.IntegerField(label="Порог зачёта (первичный балл)", min_value=1, required=False)
    source_text = forms.CharField(label="Источник шкалы", max_length=300, required=False)

    MARK_FIELDS = ["first_3", "first_4", "first_5", "conditions"]
    UNUSED_BY_GRADING = {
        "marks": ["test_scores", "minimum_test_score", "pass_score"],
        "pass_fail": ["test_scores", "minimum_test_score"] + MARK_FIELDS,
        "test_score": ["pass_score"] + MARK_FIELDS,
    }

    def __init__(self, *args, grading: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        for name in self.UNUSED_BY_GRADING.get(grading, []):
            del self.fields[name]

    @classmethod
    def initial_for(cls, scale) -> dict:
        if scale is None:
            return {}
        initial = {f"first_{mark}": scale.boundaries.get(mark) for mark in MARKS}
        return {**initial, "conditions": conditions_text(scale.conditions),
                "test_scores": ", ".join(map(str, scale.test_scores)), "minimum_test_score": scale.minimum_test_score,
                "pass_score": scale.pass_score, "source_text": scale.source}

    def clean_conditions(self):
        try:
            return parse_conditions(self.cleaned_data.get("conditions") or "")
        except ValueError as exc:
            raise forms.ValidationError(str(exc)) from None

    def clean_test_scores(self):
        try:
            return parse_test_scores(self.cleaned_data.get("test_scores") or "")
        except ValueError as exc:
            raise forms.ValidationError(str(exc)) from None

    def scale_data(self) -> ScaleData:
        data = self.cleaned_data
        boundaries = {mark: data[f"first_{mark}"] for mark in MARKS if data.get(f"first_{mark}") is not None}
        return ScaleData(boundaries=boundaries, conditions=data.get("conditions", []), test_scores=data.get("test_scores", []),
                         minimum_test_score=data.get("minimum_test_score"), pass_score=data.get("pass_score"))
