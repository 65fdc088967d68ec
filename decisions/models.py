"""Management decisions of the ministry and of municipal offices, and what they aim to move.

A decision (an order: number, date, text) names the mechanism of the order it serves, the indicators
it aims to move, the schools and/or municipalities it concerns and the roadmap items that carry it
out. Its effect page compares the indicators before and after against comparable units not concerned.
"""
from django.conf import settings
from django.db import models
from django.db.models import Q

from assessments.models import school_scope_filter
from monitoring.choices import Mechanism
from rsoko.orgs.access import scope_for
from rsoko.orgs.models import Municipality, Organization


def concerned_q(scope, prefix: str = "") -> Q:
    """Decisions a municipal or school user may see: their own, or concerning their municipality or school."""
    p = prefix
    municipalities = scope.municipality_ids | scope.school_municipality_ids
    return (
        Q(**{f"{p}owner_id__in": scope.organization_ids})
        | Q(**{f"{p}owner__municipality_id__in": scope.municipality_ids})
        | Q(**{f"{p}municipalities__id__in": municipalities})
        | Q(**{f"{p}schools__municipality_id__in": scope.municipality_ids})
        | Q(**{f"{p}schools__id__in": scope.school_ids})
    )


class DecisionQuerySet(models.QuerySet):
    def visible_to(self, user):
        scope = scope_for(user, "decisions.view")  # only the memberships that grant it, with their own reach
        if not scope.can("decisions.view"):
            return self.none()
        if scope.region_wide:
            return self
        return self.filter(id__in=self.filter(concerned_q(scope)).values("id"))


class Decision(models.Model):
    owner = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="decisions",
                              verbose_name="принявший орган")
    order_number = models.CharField("номер приказа", max_length=64)
    order_date = models.DateField("дата приказа")
    title = models.CharField("наименование", max_length=500)
    text = models.TextField("содержание решения", blank=True)
    mechanism = models.CharField("механизм управления", max_length=4, choices=Mechanism.choices)
    indicators = models.ManyToManyField("monitoring.Indicator", related_name="decisions",
                                        verbose_name="показатели, на которые направлено")
    schools = models.ManyToManyField(Organization, blank=True, related_name="concerning_decisions",
                                     verbose_name="ОО, которых касается")
    municipalities = models.ManyToManyField(Municipality, blank=True, related_name="concerning_decisions",
                                            verbose_name="муниципалитеты, которых касается")
    measures = models.ManyToManyField("roadmaps.Item", blank=True, related_name="decisions",
                                      verbose_name="меры (пункты дорожных карт)")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = DecisionQuerySet.as_manager()

    class Meta:
        verbose_name = "управленческое решение"
        verbose_name_plural = "управленческие решения"
        ordering = ["-order_date", "-id"]

    def __str__(self):
        return f"Приказ № {self.order_number} от {self.order_date:%d.%m.%Y}: {self.title[:100]}"

    @property
    def is_municipal(self) -> bool:
        return self.owner.kind == "mouo"


class CaseKind(models.TextChoices):
    CONTROLLED_VPR = "controlled_vpr", "ВПР под контролем в следующем году"
    RECHECK = "recheck", "Перепроверка работ"
    INSPECTION = "inspection", "Проверка (контрольно-надзорное мероприятие)"
    PROGRAMME = "programme", "Программа повышения объективности"


class CaseStatus(models.TextChoices):
    ASSIGNED = "assigned", "Назначено"
    IN_PROGRESS = "in_progress", "Выполняется"
    DONE = "done", "Выполнено"
    CANCELLED = "cancelled", "Отменено"


class CaseResult(models.TextChoices):
    NONE = "", "—"
    CONFIRMED = "confirmed", "Результаты подтвердились"
    NOT_CONFIRMED = "not_confirmed", "Результаты не подтвердились"
    IMPROVED = "improved", "Объективность восстановлена"
    MEASURES = "measures", "Приняты меры к руководителю / ОО"


class CaseQuerySet(models.QuerySet):
    def visible_to(self, user):
        if not scope_for(user).can("cases.view"):
            return self.none()
        condition = school_scope_filter(user, capability="cases.view")
        return self if condition is None else self.filter(condition)


class Case(models.Model):
    """A consequence for a school with signs of unobjective results or on the federal list, tracked to its result."""

    school = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="objectivity_cases",
                               verbose_name="ОО")
    year = models.PositiveSmallIntegerField("год признаков")
    reason = models.CharField("основание", max_length=200)
    kind = models.CharField("последствие", max_length=16, choices=CaseKind.choices)
    status = models.CharField("состояние", max_length=16, choices=CaseStatus.choices, default=CaseStatus.ASSIGNED)
    result = models.CharField("итог", max_length=16, choices=CaseResult.choices, blank=True)
    due = models.DateField("срок", null=True, blank=True)
    decision = models.ForeignKey(Decision, on_delete=models.SET_NULL, null=True, blank=True, related_name="cases",
                                 verbose_name="решение")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = CaseQuerySet.as_manager()

    class Meta:
        verbose_name = "последствие для ОО"
        verbose_name_plural = "последствия для ОО"
        ordering = ["-year", "school__short_name", "kind"]
        constraints = [models.UniqueConstraint(fields=["school", "year", "kind"], name="case_unique_per_year")]

    def __str__(self):
        return f"{self.school}: {self.get_kind_display()} ({self.year})"


class CaseEvent(models.Model):
    """Every change of a case: status, result, comment — kept for ever."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="events")
    status = models.CharField(max_length=16, choices=CaseStatus.choices)
    result = models.CharField(max_length=16, choices=CaseResult.choices, blank=True)
    comment = models.TextField(blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    actor_name = models.CharField(max_length=150)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-at", "-id"]
