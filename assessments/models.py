"""Assessment procedures, their task specifications and scales, and the results loaded for them.

Results are stored one row per participant (task scores as a JSON list) in versions: a re-upload for
the same procedure and school supersedes the previous version, the history stays, and exactly one
version per procedure and school is active (a database constraint). Statistics read active rows only.
"""
from django.conf import settings
from django.db import models
from django.db.models import Q

from rsoko.fields import TextJSONField
from rsoko.orgs.access import scope_for
from rsoko.orgs.choices import OrgKind
from rsoko.orgs.models import Organization

from .choices import (ControlKind, Grading, ParticipantStatus, ProcedureLevel, ProcedureStatus, TaskLevel,
                      UploadFormat, UploadMode)


def school_scope_filter(user, school_field: str = "school", capability: str = "results.view") -> Q | None:
    """Row filter for anything that belongs to a school, within the memberships granting `capability`;
    None means the whole region is visible."""
    scope = scope_for(user, capability)
    return None if scope.region_wide else scope.organizations_q(f"{school_field}__")


class ProcedureKind(models.Model):
    """A kind of procedure in the catalog: ВПР, ОГЭ, ЕГЭ, НИКО, РПР… Built-in kinds come from a migration."""

    code = models.CharField("обозначение", max_length=32, unique=True, help_text="ВПР, ОГЭ, ЕГЭ, ГВЭ-9…")
    slug = models.SlugField("латинский код", max_length=16, unique=True, help_text="для кодов процедур: VPR, OGE…")
    name = models.CharField("наименование", max_length=300)
    level = models.CharField("уровень", max_length=16, choices=ProcedureLevel.choices)
    grading = models.CharField("оценивание", max_length=16, choices=Grading.choices)
    is_builtin = models.BooleanField("встроенный", default=False, editable=False)
    order = models.PositiveSmallIntegerField("порядок", default=100)

    class Meta:
        verbose_name = "вид процедуры"
        verbose_name_plural = "виды процедур"
        ordering = ["order", "code"]

    def __str__(self):
        return self.code


class Subject(models.Model):
    code = models.CharField("код", max_length=16, unique=True, help_text="MA, RU, BI, GEO… (латиницей)")
    name = models.CharField("предмет", max_length=100, unique=True)

    class Meta:
        verbose_name = "предмет"
        verbose_name_plural = "предметы"
        ordering = ["name"]

    def __str__(self):
        return self.name


def municipal_q(prefix: str = "") -> Q:
    """Municipal procedures (МПР), through `prefix` (e.g. "procedure__" from a result): the one test of «municipal»."""
    return Q(**{f"{prefix}kind__level": ProcedureLevel.MUNICIPAL})


def procedure_reach_q(scope, prefix: str = "") -> Q:
    """Procedures a scope reaches: every regional and federal one; a municipal one (МПР) only within the municipality
    of the МОУО that organizes it. A МПР compares the schools of one municipality by its own КИМ: it is that
    municipality's business, and the region-wide roles (ministry, ИРО, РЦОКО) see it marked as municipal."""
    if scope.region_wide:
        return Q()
    own = Q(**{f"{prefix}organizer__kind": OrgKind.MUNICIPAL_OFFICE,
               f"{prefix}organizer__municipality_id__in": scope.municipality_ids | scope.school_municipality_ids})
    return ~municipal_q(prefix) | own


class ProcedureQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The catalog is open to every role that works with results; municipal procedures to their municipality."""
        scope = scope_for(user, "procedures.view")
        if not scope.can("procedures.view"):
            return self.none()
        return self.filter(procedure_reach_q(scope))

    def regional(self):
        """Federal and regional procedures: the ones region-wide figures (ШНОР, indicators, indices) are made of."""
        return self.exclude(municipal_q())


class Procedure(models.Model):
    """One instance: kind + academic year + subject + grade, e.g. VPR-2021-MA-4."""

    code = models.CharField("код", max_length=64, unique=True)
    kind = models.ForeignKey(ProcedureKind, on_delete=models.PROTECT, related_name="procedures", verbose_name="вид")
    year = models.PositiveSmallIntegerField("год проведения", help_text="календарный год: ВПР-2021 — весна 2021")
    subject = models.ForeignKey(Subject, on_delete=models.PROTECT, related_name="procedures", verbose_name="предмет")
    grade = models.PositiveSmallIntegerField("класс", null=True, blank=True)
    title = models.CharField("название", max_length=300, blank=True)
    date_start = models.DateField("дата начала", null=True, blank=True)
    date_end = models.DateField("дата окончания", null=True, blank=True)
    organizer = models.ForeignKey(
        Organization, on_delete=models.PROTECT, null=True, blank=True, related_name="organized_procedures",
        verbose_name="организатор",
    )
    status = models.CharField("состояние", max_length=16, choices=ProcedureStatus.choices, default=ProcedureStatus.PLANNED)
    max_score = models.PositiveSmallIntegerField("максимальный первичный балл", null=True, blank=True)
    variants = models.JSONField(
        "варианты", default=list, blank=True, help_text="номера вариантов КИМ, например [\"1\", \"2\"]"
    )
    schools = models.ManyToManyField(Organization, through="ProcedureSchool", related_name="procedures", blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ProcedureQuerySet.as_manager()

    class Meta:
        verbose_name = "оценочная процедура"
        verbose_name_plural = "оценочные процедуры"
        ordering = ["-year", "kind__order", "subject__name", "grade"]
        indexes = [models.Index(fields=["kind", "subject", "grade", "year"])]

    def __str__(self):
        return self.name

    @property
    def name(self) -> str:
        """What people call it: its title, else «ВПР, биология, 6 класс, 2027» (the code VPR-2027-BI-6 is for files
        and addresses)."""
        if self.title:
            return self.title
        grade = f", {self.grade} класс" if self.grade else ""
        return f"{self.kind.code}, {self.subject.name.lower()}{grade}, {self.year}"

    @property
    def is_municipal(self) -> bool:
        return self.kind.level == ProcedureLevel.MUNICIPAL

    @property
    def owner_municipality_id(self) -> int | None:
        """The municipality a municipal procedure belongs to: its organizing МОУО's (None: not municipal)."""
        organizer = self.organizer
        if not self.is_municipal or organizer is None or organizer.kind != OrgKind.MUNICIPAL_OFFICE:
            return None
        return organizer.municipality_id

    @property
    def academic_year(self) -> str:
        """The school year a spring procedure closes: 2021 → «2020/2021»."""
        return f"{self.year - 1}/{self.year}"


class ProcedureSchool(models.Model):
    """A school taking part; some write under control (observers, independent checking)."""

    procedure = models.ForeignKey(Procedure, on_delete=models.CASCADE, related_name="participations")
    school = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="participations")
    control = models.CharField("контроль", max_length=16, choices=ControlKind.choices, blank=True, default="")

    class Meta:
        verbose_name = "участник процедуры"
        verbose_name_plural = "участники процедуры"
        constraints = [models.UniqueConstraint(fields=["procedure", "school"], name="unique_procedure_school")]

    @property
    def in_controlled_sample(self) -> bool:
        return bool(self.control)


class TaskSpecFields(models.Model):
    """The columns of a codifier row: a procedure's task and a КИМ variant's task share them."""

    position = models.PositiveSmallIntegerField("№ по порядку")
    label = models.CharField("№ в КИМ", max_length=16)
    max_score = models.PositiveSmallIntegerField("максимальный балл")
    level = models.CharField("уровень сложности", max_length=1, choices=TaskLevel.choices, blank=True)
    skill = models.TextField("проверяемое умение", blank=True)
    block = models.TextField("блок ПООП", blank=True)
    # Real codifiers list many codes per task (ВПР обществознание 7, 2021: over 200 characters): no length limit.
    kes_codes = models.TextField("коды КЭС", blank=True)
    kt_codes = models.TextField("коды КТ", blank=True)

    class Meta:
        abstract = True


class Task(TaskSpecFields):
    """One task of the specification. `position` is ФИС ОКО's «№» («балл за N»); `label` is as printed."""

    procedure = models.ForeignKey(Procedure, on_delete=models.CASCADE, related_name="tasks")

    class Meta:
        verbose_name = "задание"
        verbose_name_plural = "задания"
        ordering = ["procedure", "position"]
        constraints = [models.UniqueConstraint(fields=["procedure", "position"], name="unique_task_position")]

    def __str__(self):
        return f"{self.procedure.code} № {self.label}"


class Scale(models.Model):
    """Primary score → mark for one procedure instance (scales change by year, so never in code).

    boundaries: first primary score of each mark, e.g. {"3": 6, "4": 10, "5": 15}.
    conditions: extra requirements, e.g. [{"marks": ["3", "4", "5"], "tasks": ["16", "17"], "min_points": 2}]
    test_scores: ЕГЭ primary → test score, a list indexed by primary score; minimum_test_score: the threshold.
    pass_score: the first primary score counted as «зачёт».
    """

    procedure = models.OneToOneField(Procedure, on_delete=models.CASCADE, related_name="scale")
    boundaries = models.JSONField("границы отметок", default=dict, blank=True)
    conditions = models.JSONField("дополнительные условия", default=list, blank=True)
    test_scores = models.JSONField("перевод в тестовые баллы", default=list, blank=True)
    minimum_test_score = models.PositiveSmallIntegerField("минимальный тестовый балл", null=True, blank=True)
    pass_score = models.PositiveSmallIntegerField("порог зачёта", null=True, blank=True)
    source = models.CharField("источник", max_length=300, blank=True)

    class Meta:
        verbose_name = "шкала перевода"
        verbose_name_plural = "шкалы перевода"

    def __str__(self):
        return f"Шкала {self.procedure.code}"


class ReferenceScale(models.Model):
    """Official scales by year, offered when an instance is created (e.g. ВПР 2021 Математика 4: 6/10/15)."""

    kind = models.ForeignKey(ProcedureKind, on_delete=models.CASCADE, related_name="reference_scales")
    subject = models.ForeignKey(Subject, on_delete=models.CASCADE, related_name="reference_scales")
    grade = models.PositiveSmallIntegerField("класс", null=True, blank=True)
    year = models.PositiveSmallIntegerField("год")
    max_score = models.PositiveSmallIntegerField("максимальный балл")
    boundaries = models.JSONField("границы отметок")
    conditions = models.JSONField("дополнительные условия", default=list, blank=True)
    source = models.CharField("источник", max_length=300)

    class Meta:
        verbose_name = "эталонная шкала"
        verbose_name_plural = "эталонные шкалы"
        constraints = [
            models.UniqueConstraint(fields=["kind", "subject", "grade", "year"], name="unique_reference_scale")
        ]


class ResultBatchQuerySet(models.QuerySet):
    def visible_to(self, user):
        scope = scope_for(user, "results.view")
        if not scope.can("results.view"):
            return self.none()
        if scope.region_wide:
            return self
        return self.filter(Q(uploaded_by=user) | Q(versions__in=ResultVersion.objects.visible_to(user))).distinct()


class ResultBatch(models.Model):
    """One uploaded file (it may hold many schools); it produces one version per school."""

    procedure = models.ForeignKey(Procedure, on_delete=models.CASCADE, related_name="batches")
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True)
    job = models.OneToOneField("jobs.Job", on_delete=models.SET_NULL, null=True, blank=True, related_name="result_batch")
    filename = models.CharField("файл", max_length=255)
    format = models.CharField("формат", max_length=16, choices=UploadFormat.choices)
    mode = models.CharField("режим", max_length=16, choices=UploadMode.choices)
    rows = models.PositiveIntegerField("строк в файле", default=0)
    stored = models.PositiveIntegerField("сохранено", default=0)
    absent = models.PositiveIntegerField("отсутствовали", default=0)
    quarantined = models.PositiveIntegerField("в карантине", default=0)
    warnings = models.JSONField("предупреждения", default=list, blank=True)
    errors = models.JSONField("ошибки (строки в карантине)", default=list, blank=True)
    error_count = models.PositiveIntegerField("ошибок", default=0)
    columns = models.JSONField(
        "столбцы файла", default=list, blank=True,
        help_text="заголовки в порядке файла: карантин выгружается с ними (JSONB не хранит порядок ключей)",
    )
    fixes = models.BooleanField(
        "исправленные строки", default=False,
        help_text="файл дополняет действующие результаты школ (исправленные строки из карантина), а не заменяет их",
    )
    sha256 = models.CharField(
        "контрольная сумма файла", max_length=64, blank=True, default="", db_index=True,
        help_text="SHA-256 загруженного файла: повторная загрузка того же файла ничего не меняет и не пересчитывает",
    )
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    objects = ResultBatchQuerySet.as_manager()

    class Meta:
        verbose_name = "загрузка результатов"
        verbose_name_plural = "загрузки результатов"
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.procedure.code}: {self.filename}"


class SchoolRowsQuerySet(models.QuerySet):
    """Rows that belong to a school: visible to those who read results, within their scope."""

    def visible_to(self, user):
        if not scope_for(user).can("results.view"):
            return self.none()
        condition = school_scope_filter(user)
        return self if condition is None else self.filter(condition)


class ResultVersionQuerySet(SchoolRowsQuerySet):
    def active(self):
        return self.filter(is_active=True)


class ResultVersion(models.Model):
    """The results of one school for one procedure as loaded by one batch; one version is active."""

    batch = models.ForeignKey(ResultBatch, on_delete=models.CASCADE, related_name="versions")
    procedure = models.ForeignKey(Procedure, on_delete=models.CASCADE, related_name="versions")
    school = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="result_versions")
    number = models.PositiveSmallIntegerField("версия")
    is_active = models.BooleanField("действующая", default=True)
    participants = models.PositiveIntegerField("участников", default=0)
    absent = models.PositiveIntegerField("отсутствовали", default=0)
    changes = models.JSONField("изменения относительно прежней версии", default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ResultVersionQuerySet.as_manager()

    class Meta:
        verbose_name = "версия результатов"
        verbose_name_plural = "версии результатов"
        ordering = ["procedure", "school", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["procedure", "school"], condition=Q(is_active=True), name="one_active_version_per_school"
            ),
            models.UniqueConstraint(fields=["procedure", "school", "number"], name="unique_version_number"),
        ]


class ParticipantResultQuerySet(SchoolRowsQuerySet):
    def active(self):
        return self.filter(version__is_active=True)


class ParticipantResult(models.Model):
    """One participant of one procedure, known by code only (no names are ever stored)."""

    version = models.ForeignKey(ResultVersion, on_delete=models.CASCADE, related_name="results")
    # procedure and school repeat the version's (for fast filtering); the database checks integrity through
    # the version's key only: one constraint check per row instead of three keeps COPY of large files fast.
    procedure = models.ForeignKey(Procedure, on_delete=models.CASCADE, related_name="results", db_constraint=False,
                                  db_index=False)
    school = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="results", db_constraint=False,
                               db_index=False)  # served by the (procedure, school) index
    participant_code = models.CharField("код участника", max_length=32)
    class_name = models.CharField("класс", max_length=16, blank=True)
    sex = models.CharField("пол", max_length=1, blank=True)
    journal_mark = models.PositiveSmallIntegerField("отметка в журнале", null=True, blank=True)
    variant = models.CharField("вариант", max_length=16, blank=True)
    status = models.CharField("участие", max_length=8, choices=ParticipantStatus.choices, default=ParticipantStatus.PRESENT)
    primary_score = models.PositiveSmallIntegerField("первичный балл", null=True, blank=True)
    mark = models.PositiveSmallIntegerField("отметка", null=True, blank=True)
    test_score = models.PositiveSmallIntegerField("тестовый балл", null=True, blank=True)
    passed = models.BooleanField("зачёт", null=True, blank=True)
    task_scores = TextJSONField("баллы за задания", default=list, blank=True)
    not_attempted = models.JSONField("не приступал к заданиям (позиции)", default=list, blank=True)

    objects = ParticipantResultQuerySet.as_manager()

    class Meta:
        verbose_name = "результат участника"
        verbose_name_plural = "результаты участников"
        indexes = [models.Index(fields=["procedure", "school"])]  # the version key has its own index


class QuarantinedRowQuerySet(models.QuerySet):
    def visible_to(self, user):
        scope = scope_for(user, "results.upload")
        if not scope.can("results.upload"):
            return self.none()
        if scope.region_wide:
            return self
        return self.filter(Q(batch__uploaded_by=user)
                           | Q(school__municipality_id__in=scope.municipality_ids) & uploader_covers_school())


def uploader_covers_school() -> Q:
    """The row's school was within its uploader's reach: a row another municipality's file planted (before
    such rows were refused) is not offered to this municipality to «fix» into its results."""
    from rsoko.orgs.access import REGION_WIDE_ROLES, roles_with
    from rsoko.orgs.models import Membership

    uploaders = roles_with("results.upload")
    own_municipality = Membership.objects.filter(
        user_id=models.OuterRef("batch__uploaded_by_id"), organization__is_active=True,
        role__in=uploaders - REGION_WIDE_ROLES, organization__municipality_id=models.OuterRef("school__municipality_id"))
    region_wide = Membership.objects.filter(user_id=models.OuterRef("batch__uploaded_by_id"),
                                            organization__is_active=True, role__in=uploaders & REGION_WIDE_ROLES)
    return Q(batch__uploaded_by__isnull=True) | models.Exists(region_wide) | models.Exists(own_municipality)


class QuarantinedRow(models.Model):
    """A row that failed validation in quarantine mode: kept with its reasons, out of statistics."""

    batch = models.ForeignKey(ResultBatch, on_delete=models.CASCADE, related_name="quarantined_rows")
    procedure = models.ForeignKey(Procedure, on_delete=models.CASCADE, related_name="quarantined_rows")
    school = models.ForeignKey(Organization, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    row_number = models.PositiveIntegerField("строка в файле")
    participant_code = models.CharField("код участника", max_length=64, blank=True, db_index=True)
    cells = models.JSONField("значения ячеек (столбец → значение)")
    reasons = models.JSONField("причины")
    resolved = models.BooleanField("исправлена", default=False)

    objects = QuarantinedRowQuerySet.as_manager()

    class Meta:
        verbose_name = "строка в карантине"
        verbose_name_plural = "строки в карантине"
        ordering = ["batch", "row_number"]
