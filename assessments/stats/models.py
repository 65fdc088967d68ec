"""Precomputed analytics: what the pages, the API, the PDF reports and the exports read directly.

Rows are replaced as a whole for a procedure (or a year) by the recompute services; nothing here is
edited by hand except the criteria's thresholds, whose change triggers a recomputation.
"""
from django.conf import settings
from django.db import models
from django.db.models import Q

from assessments.models import Procedure, SchoolRowsQuerySet, procedure_reach_q
from rsoko.fields import TextJSONField
from rsoko.orgs.access import scope_for
from rsoko.orgs.models import Municipality, Organization


class Form(models.TextChoices):
    MARKS = "marks", "Статистика отметок"
    JOURNAL = "journal", "Сравнение с отметками в журнале"
    DISTRIBUTION = "distribution", "Распределение первичных баллов"
    TASKS = "tasks", "Выполнение заданий"
    PLANNED = "planned", "Достижение планируемых результатов"
    TASKS_BY_MARK = "tasks_by_mark", "Выполнение заданий группами участников"


class Level(models.TextChoices):
    REGION = "region", "Регион"
    MUNICIPALITY = "municipality", "Муниципалитет"
    SCHOOL = "school", "ОО"
    CLASS = "class", "Класс"


def group_scope_filter(user) -> Q | None:
    """Region rows are every analyst's benchmark; municipality, school and class rows follow the scope. The «region»
    row of a municipal procedure (МПР) is that one municipality's total: only its municipality sees it."""
    scope = scope_for(user, "results.view")
    if scope.region_wide:
        return None
    municipalities = scope.municipality_ids | scope.school_municipality_ids
    return (
        Q(level=Level.REGION) & procedure_reach_q(scope, "procedure__")
        | Q(level=Level.MUNICIPALITY, municipality_id__in=municipalities)
        | Q(school_id__in=scope.school_ids)
        | Q(school__municipality_id__in=scope.municipality_ids)
    )


class ScopedByGroupQuerySet(models.QuerySet):
    def visible_to(self, user):
        if not scope_for(user).can("results.view"):
            return self.none()
        condition = group_scope_filter(user)
        return self if condition is None else self.filter(condition)


class StatisticRow(models.Model):
    """One form of one procedure for one group (region, a municipality, a school or a class).

    `data` holds the figures: a dict for one-line forms (marks, journal), a list of dicts for forms with
    a line per score or per task (distribution, tasks, planned results, tasks by mark group).
    """

    # No index of its own on each key: the composite indexes below start with each of them (one index fewer to
    # update per stored row: a region's recomputation writes hundreds of thousands). No key is checked by the
    # database either (a deferred check per row cost more at commit than the row's COPY): the rows are derived from
    # stored results whose keys it has checked already, only `procedure_store` writes them, holding its procedure
    # locked, and Django cascades deletes of a procedure, municipality or school.
    procedure = models.ForeignKey(Procedure, on_delete=models.CASCADE, related_name="statistics", db_index=False,
                                  db_constraint=False)
    form = models.CharField(max_length=16, choices=Form.choices)
    level = models.CharField(max_length=16, choices=Level.choices)
    municipality = models.ForeignKey(Municipality, on_delete=models.CASCADE, null=True, blank=True, related_name="+",
                                     db_index=False, db_constraint=False)
    school = models.ForeignKey(Organization, on_delete=models.CASCADE, null=True, blank=True, related_name="+",
                               db_index=False, db_constraint=False)
    class_name = models.CharField(max_length=16, blank=True)
    participants = models.PositiveIntegerField(default=0)
    histogram_informative = models.BooleanField(default=True)
    group_informative = models.BooleanField(default=True)
    data = TextJSONField(default=dict)

    objects = ScopedByGroupQuerySet.as_manager()

    class Meta:
        indexes = [
            models.Index(fields=["procedure", "form", "level"]),
            models.Index(fields=["school", "form"]),
            models.Index(fields=["municipality", "form"]),
        ]



def has_statistics() -> models.Exists:
    """A filter for procedures with statistic rows: a semi-join. A join with the rows and DISTINCT read every row of
    the procedures (seconds a year for a region, tens of thousands of sorted rows per page view)."""
    return models.Exists(StatisticRow.objects.filter(procedure=models.OuterRef("pk")))

class ObjectivityCriterion(models.Model):
    """A named, versioned criterion and its thresholds; the ministry edits them, which triggers recomputation."""

    code = models.CharField("код", max_length=40, unique=True)
    title = models.CharField("название", max_length=300)
    version = models.PositiveSmallIntegerField("версия", default=1)
    is_official = models.BooleanField("официальный (федеральная методика)", default=False)
    is_active = models.BooleanField("применяется", default=True)
    params = models.JSONField("пороги и параметры", default=dict, blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True)

    class Meta:
        verbose_name = "критерий объективности"
        verbose_name_plural = "критерии объективности"
        ordering = ["-is_official", "code"]

    def __str__(self):
        return self.title


SchoolScopedQuerySet = SchoolRowsQuerySet


class ObjectivitySign(models.Model):
    """One criterion evaluated for one school: in one procedure, or (cohort, calibrated) over a year."""

    year = models.PositiveSmallIntegerField(db_index=True)
    procedure = models.ForeignKey(Procedure, on_delete=models.CASCADE, null=True, blank=True, related_name="signs")
    school = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="objectivity_signs")
    criterion = models.CharField(max_length=40, db_index=True)
    version = models.PositiveSmallIntegerField()
    value = models.FloatField(null=True)
    threshold = models.FloatField(null=True)
    sample_size = models.PositiveIntegerField(default=0)
    evaluated = models.BooleanField()
    flagged = models.BooleanField(db_index=True)
    p_value = models.FloatField(null=True)
    q_value = models.FloatField(null=True)
    explanation = models.TextField()

    objects = SchoolScopedQuerySet.as_manager()

    class Meta:
        indexes = [models.Index(fields=["year", "criterion", "flagged"])]


class ObjectivityIndex(models.Model):
    """Region objectivity index = 100 − % of evaluated schools with at least one official sign."""

    year = models.PositiveSmallIntegerField()
    procedure = models.ForeignKey(Procedure, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    evaluated_schools = models.PositiveIntegerField()
    schools_with_signs = models.PositiveIntegerField()
    index = models.FloatField(null=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["procedure"], name="unique_procedure_objectivity_index"),
            models.UniqueConstraint(fields=["year"], condition=Q(procedure__isnull=True), name="unique_year_objectivity_index"),
        ]


class FederalMark(models.Model):
    """A school on the federal list of schools with signs, by year, with its markers («4 РУ», «5 МА»…)."""

    year = models.PositiveSmallIntegerField()
    school = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="federal_marks")
    markers = models.CharField(max_length=200)

    objects = SchoolScopedQuerySet.as_manager()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["year", "school"], name="unique_federal_mark")]


class SchoolListEntry(models.Model):
    """A school on the year's list of schools with low results (ШНОР) or with high results."""

    class Kind(models.TextChoices):
        LOW = "low", "ШНОР"
        HIGH = "high", "Школа с высокими результатами"

    year = models.PositiveSmallIntegerField()
    kind = models.CharField("перечень", max_length=8, choices=Kind.choices)
    school = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="list_entries")
    data = models.JSONField(default=dict)

    objects = SchoolScopedQuerySet.as_manager()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["year", "kind", "school"], name="unique_school_list_entry")]


class RiskPupil(models.Model):
    """A participant below the basic level (codes only): the school's risk group."""

    # the (procedure, school) index serves the procedure; derived rows like StatisticRow's: no key checked by the
    # database
    procedure = models.ForeignKey(Procedure, on_delete=models.CASCADE, related_name="risk_pupils",
                                  db_index=False, db_constraint=False)
    school = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+", db_constraint=False)
    class_name = models.CharField(max_length=16, blank=True)
    participant_code = models.CharField(max_length=32)
    reason = models.CharField(max_length=200)

    objects = SchoolScopedQuerySet.as_manager()

    class Meta:
        indexes = [models.Index(fields=["procedure", "school"])]


class Deficit(models.Model):
    """A task or skill below its threshold for a school or a municipality."""

    procedure = models.ForeignKey(Procedure, on_delete=models.CASCADE, related_name="deficits")
    level = models.CharField(max_length=16, choices=Level.choices)
    municipality = models.ForeignKey(Municipality, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    school = models.ForeignKey(Organization, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    data = models.JSONField(default=dict)

    objects = ScopedByGroupQuerySet.as_manager()

    class Meta:
        indexes = [models.Index(fields=["procedure", "level"])]


class RussiaFigure(models.Model):
    """A figure for Russia as a whole that the ministry enters from federal publications: where from, who, when."""

    source = models.CharField("источник", max_length=300, blank=True)
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+")
    entered_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


class RussiaMarks(RussiaFigure):
    """The federal mark distribution of a procedure (e.g. ВПР across Russia), entered by the ministry from the
    federal analytics: shown beside the region's marks and in the dynamics where it is known."""

    procedure = models.OneToOneField(Procedure, on_delete=models.CASCADE, related_name="russia_marks",
                                     verbose_name="процедура")
    pct_2 = models.FloatField("«2», %")
    pct_3 = models.FloatField("«3», %")
    pct_4 = models.FloatField("«4», %")
    pct_5 = models.FloatField("«5», %")

    class Meta:
        verbose_name = "распределение отметок по России"
        verbose_name_plural = "распределения отметок по России"
        ordering = ["-procedure__year", "procedure__code"]

    @property
    def data(self) -> dict:
        """The same keys as a StatisticRow of the marks form, so that charts and tables read it alike."""
        return {"pct_2": self.pct_2, "pct_3": self.pct_3, "pct_4": self.pct_4, "pct_5": self.pct_5,
                "success_pct": self.pct_3 + self.pct_4 + self.pct_5, "quality_pct": self.pct_4 + self.pct_5}
