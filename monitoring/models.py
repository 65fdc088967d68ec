"""Indicators of the monitoring, their values per organization and period, and monitoring forms.

Built-in indicators are defined in code (`monitoring.registry`) and migrated into the catalog; the
ministry edits names, targets and whether an indicator is used. Values are precomputed by
`services.indicators_refresh` and frozen at quarter end: a frozen value is never recomputed.
"""
from django.conf import settings
from django.db import models
from django.db.models import Q

from assessments.stats.models import RussiaFigure
from rsoko.orgs.access import scope_for
from rsoko.orgs.choices import Role
from rsoko.orgs.models import Municipality, Organization

from .choices import Direction, FormAudience, IndicatorLevel, Mechanism, Periodicity, ValueKind


class IndicatorQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self if scope_for(user).can("indicators.view") else self.none()


class Indicator(models.Model):
    """One indicator of the catalog: what is measured, how, at which levels and how often."""

    code = models.CharField("код", max_length=48, unique=True)
    name = models.CharField("наименование", max_length=300)
    unit = models.CharField("единица измерения", max_length=32, default="%")
    source = models.TextField("источник данных и способ расчёта")
    direction = models.CharField("направленность", max_length=8, choices=Direction.choices)
    levels = models.JSONField("уровни", default=list, help_text="region, municipality, school")
    periodicity = models.CharField("периодичность", max_length=8, choices=Periodicity.choices)
    mechanism = models.CharField("механизм управления (590/219)", max_length=4, choices=Mechanism.choices)
    target = models.FloatField("целевое значение", null=True, blank=True)
    value_kind = models.CharField("тип значения", max_length=8, choices=ValueKind.choices, default=ValueKind.PERCENT)
    min_value = models.FloatField("минимум", null=True, blank=True)
    max_value = models.FloatField("максимум", null=True, blank=True)
    is_builtin = models.BooleanField("встроенный", default=False, editable=False)
    is_manual = models.BooleanField("собирается через формы мониторинга", default=False)
    formula = models.TextField("формула по показателям каталога", blank=True,
                               help_text="например: 100 - vpr_pct_2 или (vpr_quality + oge_quality) / 2")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+", verbose_name="добавил")
    is_active = models.BooleanField("используется", default=True)
    is_key = models.BooleanField("ключевой (на панели министерства)", default=False)
    order = models.PositiveSmallIntegerField("порядок", default=100)

    objects = IndicatorQuerySet.as_manager()

    class Meta:
        verbose_name = "показатель"
        verbose_name_plural = "показатели"
        ordering = ["mechanism", "order", "code"]

    def __str__(self):
        return self.name

    @property
    def kind_display(self) -> str:
        if self.is_builtin and not self.is_manual:
            return "рассчитывается порталом"
        if self.formula:
            return "формула по показателям каталога"
        return "форма мониторинга"

    @property
    def levels_display(self) -> str:
        """«регион, муниципалитет, ОО»: the stored codes as the interface names them."""
        labels = dict(IndicatorLevel.choices)
        names = [labels.get(level, level) for level in self.levels]
        # One phrase: words after the first in lower case, an abbreviation («ОО») as it is.
        return ", ".join([*names[:1], *(name if name.isupper() else name.lower() for name in names[1:])])


def value_scope_q(scope) -> Q | None:
    """Municipality and school rows follow the user's scope. Region rows are the benchmark of the portal's
    users; an external client with a municipal token gets its municipality's values and no others."""
    if scope.region_wide:
        return None
    municipalities = scope.municipality_ids | scope.school_municipality_ids
    region = Q(pk__in=[]) if scope.roles == {Role.API_CLIENT} else Q(level=IndicatorLevel.REGION)
    return (
        region
        | Q(level=IndicatorLevel.MUNICIPALITY, municipality_id__in=municipalities)
        | Q(level=IndicatorLevel.SCHOOL, organization_id__in=scope.school_ids)
        | Q(level=IndicatorLevel.SCHOOL, municipality_id__in=scope.municipality_ids)
    )


class IndicatorValueQuerySet(models.QuerySet):
    def visible_to(self, user):
        scope = scope_for(user)
        if not scope.can("indicators.view"):
            return self.none()
        condition = value_scope_q(scope)
        return self if condition is None else self.filter(condition)


class IndicatorValue(models.Model):
    """The value of an indicator for the region, a municipality or a school in one period.

    `period` reads «2026» for a year and «2026Q3» for a quarter. `key` («region», «m12», «s345»)
    makes one row per indicator, period and group unique without relying on NULLs in a constraint.
    """

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="values")
    period = models.CharField("период", max_length=8, db_index=True)
    level = models.CharField("уровень", max_length=16, choices=IndicatorLevel.choices)
    municipality = models.ForeignKey(Municipality, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, null=True, blank=True, related_name="+",
                                     help_text="ОО для значений уровня ОО")
    key = models.CharField(max_length=24)
    value = models.FloatField(null=True)
    numerator = models.FloatField(null=True)
    denominator = models.FloatField(null=True)
    frozen = models.BooleanField("зафиксировано", default=False)
    is_manual = models.BooleanField(default=False)
    computed_at = models.DateTimeField(auto_now=True)

    objects = IndicatorValueQuerySet.as_manager()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["indicator", "period", "key"], name="unique_indicator_value")]
        indexes = [models.Index(fields=["period", "level"]), models.Index(fields=["organization", "period"])]


class MonitoringFormQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The ministry sees every form; a МОУО and a school the ministry's forms addressed to them, and a
        municipality's own forms: its МОУО (which reads the answers) and its schools (which fill them)."""
        if scope_for(user, "indicators.manage").region_wide:
            return self
        scope = scope_for(user, "monitoring.fill")
        if not scope.can("monitoring.fill"):
            return self.none()
        audiences = []
        if scope.municipality_ids:
            audiences += [FormAudience.MUNICIPAL_OFFICES, FormAudience.BOTH]
        if scope.school_ids:
            audiences += [FormAudience.SCHOOLS, FormAudience.BOTH]
        return self.filter(Q(municipality__isnull=True, audience__in=audiences)
                           | Q(municipality_id__in=scope.municipality_ids)
                           | Q(municipality_id__in=scope.school_municipality_ids, audience=FormAudience.SCHOOLS))


class MonitoringForm(models.Model):
    """A collection of manual indicators the ministry asks МОУО and/or schools to fill by a deadline.

    A form with a municipality is that municipality's own: its МОУО made it for its schools, only they fill it, and
    their answers stay in the form (they do not become the region's indicator values, which the ministry's forms
    collect)."""

    title = models.CharField("название", max_length=300)
    municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, null=True, blank=True, related_name="monitoring_forms",
        verbose_name="муниципалитет", help_text="пусто — форма министерства; иначе форма МОУО для школ муниципалитета")
    period = models.CharField("период", max_length=8, help_text="2026 или 2026Q3")
    deadline = models.DateField("срок заполнения")
    audience = models.CharField("кто заполняет", max_length=8, choices=FormAudience.choices)
    indicators = models.ManyToManyField(Indicator, related_name="forms", verbose_name="показатели")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = MonitoringFormQuerySet.as_manager()

    class Meta:
        verbose_name = "форма мониторинга"
        verbose_name_plural = "формы мониторинга"
        ordering = ["-deadline", "-id"]

    def __str__(self):
        return self.title

    @property
    def audience_label(self) -> str:
        if self.municipality_id is not None:
            return f"ОО муниципалитета «{self.municipality.name}» (форма МОУО)"
        return self.get_audience_display()


class FormAnswer(models.Model):
    """The current value an organization gave for one indicator of a form; changes go to the history."""

    form = models.ForeignKey(MonitoringForm, on_delete=models.CASCADE, related_name="answers")
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="monitoring_answers")
    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="+")
    value = models.FloatField()
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["form", "organization", "indicator"], name="unique_form_answer")]


class FormAnswerChange(models.Model):
    """Every value ever given, kept for ever."""

    answer = models.ForeignKey(FormAnswer, on_delete=models.CASCADE, related_name="history")
    value_before = models.FloatField(null=True)
    value_after = models.FloatField()
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    actor_name = models.CharField(max_length=150)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-at", "-id"]


class RussiaValue(RussiaFigure):
    """An indicator's value for Russia as a whole in a period, entered by the ministry from federal publications:
    the benchmark drawn beside the region's dynamics where it is known."""

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="russia_values",
                                  verbose_name="показатель")
    period = models.CharField("период", max_length=8, help_text="2026 или 2026Q3")
    value = models.FloatField("значение по России")

    class Meta:
        verbose_name = "значение по России"
        verbose_name_plural = "значения по России"
        ordering = ["indicator__code", "-period"]
        constraints = [models.UniqueConstraint(fields=["indicator", "period"], name="unique_russia_value")]


class MunicipalityMap(models.Model):
    """The boundaries of the region's municipalities, uploaded by the ministry as GeoJSON (one map is in use).

    `features` keeps the features whose names or codes matched a municipality, each with `properties.rsoko_id`
    set to that municipality's id; `unmatched` lists the names that matched none (shown after the upload)."""

    geojson = models.JSONField("границы (GeoJSON)")
    filename = models.CharField("файл", max_length=255)
    unmatched = models.JSONField("не сопоставлены", default=list, blank=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "карта муниципалитетов"
        verbose_name_plural = "карты муниципалитетов"
        ordering = ["-uploaded_at", "-id"]
