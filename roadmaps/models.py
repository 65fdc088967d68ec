"""Roadmaps (дорожные карты): documents, numbered items, executors, execution statuses and reporting rounds.

A section header of the source table is an Item with is_section=True, so a document keeps every
numbered row in its order. Items of municipal and school roadmaps may implement an item of a
higher-level roadmap (`implements`), which lets the regional item's status roll up from below.
"""
from django.conf import settings
from django.db import models
from django.db.models import Q

from rsoko.orgs.access import scope_for
from rsoko.orgs.choices import OrgKind
from rsoko.orgs.models import Organization

from .choices import AliasTarget, Approval, DeadlineKind, ExecutionStatus, ExecutorMatch, Recurrence, RoadmapLevel


def own_documents_q(scope, prefix: str = "") -> Q:
    """Documents a municipal or school user owns (not counting regional items assigned to them)."""
    p = prefix
    return (
        Q(**{f"{p}owner_id__in": scope.organization_ids})
        | Q(**{f"{p}level": RoadmapLevel.SCHOOL, f"{p}owner_id__in": scope.school_ids})
        | Q(**{f"{p}level__in": [RoadmapLevel.MUNICIPALITY, RoadmapLevel.SCHOOL],
               f"{p}owner__municipality_id__in": scope.municipality_ids})
    )


def assigned_regional_q(scope, prefix: str = "") -> Q:
    """Regional items assigned to the user's municipal office (a municipality sees them)."""
    return Q(**{
        f"{prefix}level": RoadmapLevel.REGION,
        f"{prefix}items__assignments__organization__kind": OrgKind.MUNICIPAL_OFFICE,
        f"{prefix}items__assignments__organization__municipality_id__in": scope.municipality_ids,
    })


class RoadmapQuerySet(models.QuerySet):
    def visible_to(self, user):
        scope = scope_for(user, "roadmaps.view")
        if not scope.can("roadmaps.view"):
            return self.none()
        if scope.region_wide:
            return self
        reach = own_documents_q(scope) | assigned_regional_q(scope)
        if scope.can("roadmaps.import"):  # a МОУО copies the region's support templates for its ШНОР schools
            reach |= models.Q(is_template=True)
        ids = self.filter(reach).values("id")
        return self.filter(id__in=ids)


class Roadmap(models.Model):
    """A roadmap document of the region, a municipality or a school, as approved by an order."""

    level = models.CharField("уровень", max_length=16, choices=RoadmapLevel.choices)
    owner = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="roadmaps", verbose_name="владелец")
    title = models.TextField("наименование")
    order_number = models.CharField("номер приказа", max_length=64, blank=True)
    order_date = models.DateField("дата приказа", null=True, blank=True)
    period_first_year = models.PositiveSmallIntegerField("период: первый год", null=True, blank=True)
    period_academic = models.BooleanField("период — учебный год", default=False)
    approval = models.CharField("статус утверждения", max_length=16, choices=Approval.choices, default=Approval.DRAFT)
    is_public = models.BooleanField("публикуется", default=False)
    is_template = models.BooleanField("шаблон", default=False,
                                      help_text="Шаблон дорожной карты поддержки ШНОР, копируется для школы")
    created_from = models.ForeignKey("self", on_delete=models.SET_NULL, null=True, blank=True,
                                     related_name="copies", verbose_name="создана по шаблону")
    source_name = models.CharField("исходный файл", max_length=255, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = RoadmapQuerySet.as_manager()

    class Meta:
        verbose_name = "дорожная карта"
        verbose_name_plural = "дорожные карты"
        ordering = ["-period_first_year", "level", "title"]

    def __str__(self):
        return self.title[:120]

    @property
    def period(self):
        from .deadlines import Period

        return Period(self.period_first_year, self.period_academic) if self.period_first_year else None

    @property
    def period_display(self) -> str:
        return self.period.as_text() if self.period else "—"

    @property
    def legal_basis(self) -> str:
        parts = []
        if self.order_date:
            parts.append(f"от {self.order_date:%d.%m.%Y}")
        if self.order_number:
            parts.append(f"№ {self.order_number}")
        return ("Приказ " + " ".join(parts)) if parts else "—"


class ItemQuerySet(models.QuerySet):
    def visible_to(self, user):
        scope = scope_for(user, "roadmaps.view")
        if not scope.can("roadmaps.view"):
            return self.none()
        if scope.region_wide:
            return self
        assigned = Q(
            roadmap__level=RoadmapLevel.REGION,
            assignments__organization__kind=OrgKind.MUNICIPAL_OFFICE,
            assignments__organization__municipality_id__in=scope.municipality_ids,
        )
        ids = self.filter(own_documents_q(scope, "roadmap__") | assigned).values("id")
        return self.filter(id__in=ids)


class Item(models.Model):
    """One numbered row of the roadmap table (a section header included), kept as written."""

    roadmap = models.ForeignKey(Roadmap, on_delete=models.CASCADE, related_name="items")
    position = models.PositiveIntegerField("№ строки")
    number = models.CharField("номер", max_length=32, help_text="как в документе: «1.», «1.1.», «2.3»")
    number_key = models.CharField("ключ сортировки", max_length=64, db_index=True)
    depth = models.PositiveSmallIntegerField("уровень вложенности", default=1)
    is_section = models.BooleanField("раздел", default=False)
    parent = models.ForeignKey("self", on_delete=models.CASCADE, null=True, blank=True, related_name="children",
                               verbose_name="вышестоящий пункт")
    implements = models.ForeignKey("self", on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="sub_items", verbose_name="исполняет пункт карты верхнего уровня")
    measure = models.TextField("мероприятие")
    expected_result = models.TextField("ожидаемый результат", blank=True)
    executors_text = models.TextField("ответственные исполнители (как в документе)", blank=True)
    deadline_text = models.CharField("срок (как в документе)", max_length=300, blank=True)
    deadline_kind = models.CharField("вид срока", max_length=16, choices=DeadlineKind.choices)
    deadline_start = models.DateField("начало", null=True, blank=True)
    deadline_end = models.DateField("срок исполнения", null=True, blank=True)
    deadline_recurrence = models.CharField("периодичность", max_length=16, choices=Recurrence.choices, blank=True)
    deadline_parts = models.JSONField("части срока", default=list, blank=True)
    deadline_note = models.CharField("что проверить в сроке", max_length=300, blank=True,
                                     help_text="например: год не указан, месяц отнесён к следующему году")
    procedures = models.ManyToManyField("assessments.Procedure", blank=True, related_name="roadmap_items",
                                        verbose_name="оценочные процедуры")
    schools = models.ManyToManyField(Organization, blank=True, related_name="roadmap_items",
                                     verbose_name="ШНОР, которых касается пункт")

    objects = ItemQuerySet.as_manager()

    class Meta:
        verbose_name = "пункт дорожной карты"
        verbose_name_plural = "пункты дорожных карт"
        ordering = ["roadmap", "position"]
        constraints = [models.UniqueConstraint(fields=["roadmap", "position"], name="item_position_unique")]

    def __str__(self):
        return f"{self.number} {self.measure[:80]}"

    @property
    def deadline_is_parsed(self) -> bool:
        return self.deadline_kind != "unparsed"


class ExecutorAlias(models.Model):
    """How an abbreviation in the executors' column maps to the registry; edited by the ministry."""

    phrase = models.CharField("как пишут", max_length=200, unique=True,
                              help_text="например: БелРЦОКО, МОУО, руководители ОО")
    as_suffix = models.BooleanField("окончание слова", default=False,
                                    help_text="совпадает с концом слова: «ЦОКО» — БелЦОКО, РИАЦОКО, РЦОКО")
    target = models.CharField("означает", max_length=16, choices=AliasTarget.choices)
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, null=True, blank=True,
                                     related_name="executor_aliases", verbose_name="организация")
    kind = models.CharField("вид организации", max_length=16, choices=OrgKind.choices, blank=True)
    note = models.CharField("примечание", max_length=300, blank=True)

    class Meta:
        verbose_name = "сокращение исполнителя"
        verbose_name_plural = "сокращения исполнителей"
        ordering = ["phrase"]

    def __str__(self):
        return self.phrase

    @property
    def meaning(self) -> str:
        short = {"ministry": "министерство", "institute": "ИРО", "centre": "РЦОКО", "mouo": "все МОУО",
                 "school": "все ОО", "public": "общественная организация"}
        if self.target == AliasTarget.ORGANIZATION:
            return str(self.organization)
        if self.target == AliasTarget.OWNER:
            return "владелец документа"
        return short.get(self.kind, self.kind)


class ItemExecutor(models.Model):
    """One executor as read from the item's executors cell: an organization, a group, a person or unknown."""

    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="executors")
    position = models.PositiveSmallIntegerField()
    text = models.CharField("как в документе", max_length=500)
    match = models.CharField("распознан как", max_length=16, choices=ExecutorMatch.choices)
    organization = models.ForeignKey(Organization, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    group_kind = models.CharField("группа", max_length=16, choices=OrgKind.choices, blank=True)
    alias = models.ForeignKey(ExecutorAlias, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")

    class Meta:
        verbose_name = "исполнитель пункта"
        verbose_name_plural = "исполнители пунктов"
        ordering = ["item", "position"]

    def __str__(self):
        return self.text


class AssignmentQuerySet(models.QuerySet):
    def visible_to(self, user):
        scope = scope_for(user, "roadmaps.view")
        if not scope.can("roadmaps.view"):
            return self.none()
        if scope.region_wide:
            return self
        return self.filter(
            Q(organization_id__in=scope.organization_ids | scope.school_ids)
            | Q(organization__municipality_id__in=scope.municipality_ids)
        )


class Assignment(models.Model):
    """An item given to one organization, with that organization's current execution status."""

    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="assignments")
    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="roadmap_assignments",
                                     verbose_name="исполнитель")
    status = models.CharField("статус", max_length=16, choices=ExecutionStatus.choices,
                              default=ExecutionStatus.NOT_STARTED)
    comment = models.TextField("комментарий", blank=True)
    link = models.URLField("ссылка на подтверждение", max_length=500, blank=True)
    evidence = models.FileField("файл-подтверждение", upload_to="roadmaps/evidence/%Y/%m/", blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+")

    objects = AssignmentQuerySet.as_manager()

    class Meta:
        verbose_name = "исполнение пункта"
        verbose_name_plural = "исполнение пунктов"
        ordering = ["item__roadmap", "item__position", "organization__short_name"]
        constraints = [models.UniqueConstraint(fields=["item", "organization"], name="assignment_unique")]
        indexes = [models.Index(fields=["status"])]

    def __str__(self):
        return f"{self.item.number} — {self.organization}"


class StatusChange(models.Model):
    """Every change of an assignment's status or evidence, kept for ever."""

    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="history")
    status_before = models.CharField(max_length=16, choices=ExecutionStatus.choices, blank=True)
    status_after = models.CharField(max_length=16, choices=ExecutionStatus.choices)
    comment = models.TextField(blank=True)
    link = models.URLField(max_length=500, blank=True)
    evidence = models.FileField(upload_to="roadmaps/evidence/%Y/%m/", blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                              related_name="+")
    actor_name = models.CharField(max_length=150)
    source = models.CharField(max_length=32, help_text="форма, API, автоматически")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-at", "-id"]


class ReportingRoundQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.filter(roadmap__in=Roadmap.objects.visible_to(user))


class ReportingRound(models.Model):
    """A reporting date: municipal offices report on their items as of `as_of` by `due`."""

    roadmap = models.ForeignKey(Roadmap, on_delete=models.CASCADE, related_name="rounds")
    title = models.CharField("наименование", max_length=200)
    as_of = models.DateField("по состоянию на")
    due = models.DateField("срок представления")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ReportingRoundQuerySet.as_manager()

    class Meta:
        verbose_name = "отчётный период"
        verbose_name_plural = "отчётные периоды"
        ordering = ["-due"]
        constraints = [models.UniqueConstraint(fields=["roadmap", "as_of"], name="round_unique_as_of")]

    def __str__(self):
        return self.title


class Submission(models.Model):
    """A municipal office's report in a round: when, by whom, and the statuses it reported."""

    round = models.ForeignKey(ReportingRound, on_delete=models.CASCADE, related_name="submissions")
    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="roadmap_submissions")
    submitted_at = models.DateTimeField(auto_now_add=True)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    comment = models.TextField("пояснительная записка", blank=True)
    snapshot = models.JSONField(default=list)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["round", "organization"], name="submission_unique")]


class ReminderLog(models.Model):
    """One sent reminder; the key makes the daily job send each reminder once."""

    key = models.CharField(max_length=200, unique=True)
    sent_on = models.DateField()
    recipients = models.TextField(blank=True)
