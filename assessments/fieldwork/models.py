"""Objectivity control in the field: the regional expert bank, re-check and cross-check campaigns, observers.

Works are known by participant codes only. An expert sees the works assigned to it and nothing else; the
experts' personal contacts are read by the assessment centre and the ministry only (see `selectors`).
"""
from django.conf import settings
from django.db import models
from django.db.models import Q

from assessments.models import ParticipantResult, Procedure, Subject, school_scope_filter
from rsoko.orgs.access import scope_for
from rsoko.orgs.models import Organization

from .choices import (CampaignKind, CampaignStatus, FinalRule, ObserverKind, ObserverStage, PairingMode,
                      Qualification, SelectionReason)


class ExpertQuerySet(models.QuerySet):
    def visible_to(self, user):
        scope = scope_for(user, "fieldwork.bank_view")
        if not scope.can("fieldwork.bank_view"):
            return self.none()
        if scope.region_wide:
            return self
        return self.filter(organization__municipality_id__in=scope.municipality_ids)


class Expert(models.Model):
    """A person in the regional expert bank (банк региональных экспертов)."""

    code = models.CharField("код эксперта", max_length=32, unique=True)
    full_name = models.CharField("ФИО", max_length=200)
    subjects = models.ManyToManyField(Subject, related_name="experts", verbose_name="предметы")
    qualification = models.CharField("квалификация", max_length=16, choices=Qualification.choices,
                                     default=Qualification.NONE)
    position = models.CharField("должность", max_length=200, blank=True)
    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, null=True, blank=True,
                                     related_name="experts", verbose_name="место работы")
    phone = models.CharField("телефон", max_length=64, blank=True)
    email = models.EmailField("эл. почта", blank=True)
    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                related_name="expert_profile", verbose_name="учётная запись")
    is_active = models.BooleanField("в банке", default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ExpertQuerySet.as_manager()

    class Meta:
        verbose_name = "эксперт"
        verbose_name_plural = "эксперты"
        ordering = ["full_name"]

    def __str__(self):
        return self.full_name


class ExpertConflict(models.Model):
    """A declared conflict of interest beyond the automatic ones (own school, own municipality)."""

    expert = models.ForeignKey(Expert, on_delete=models.CASCADE, related_name="conflicts")
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+", verbose_name="ОО")
    reason = models.CharField("основание", max_length=200, blank=True)

    class Meta:
        verbose_name = "конфликт интересов"
        verbose_name_plural = "конфликты интересов"
        constraints = [models.UniqueConstraint(fields=["expert", "organization"], name="unique_expert_conflict")]


class ExpertTraining(models.Model):
    expert = models.ForeignKey(Expert, on_delete=models.CASCADE, related_name="trainings")
    course = models.CharField("курс", max_length=300)
    completed_on = models.DateField("дата окончания", null=True, blank=True)
    certificate = models.CharField("№ удостоверения", max_length=64, blank=True)

    class Meta:
        verbose_name = "курс повышения квалификации"
        verbose_name_plural = "курсы повышения квалификации"
        ordering = ["-completed_on"]


class ExpertAvailability(models.Model):
    """A period when the expert can check works. An expert with no periods is taken as always available."""

    expert = models.ForeignKey(Expert, on_delete=models.CASCADE, related_name="availability")
    date_from = models.DateField("с")
    date_to = models.DateField("по")

    class Meta:
        verbose_name = "период доступности"
        verbose_name_plural = "периоды доступности"
        ordering = ["date_from"]
        constraints = [models.CheckConstraint(condition=Q(date_to__gte=models.F("date_from")),
                                              name="availability_period_ordered")]


class CampaignQuerySet(models.QuerySet):
    def visible_to(self, user):
        scope = scope_for(user)
        if not scope.can("fieldwork.view_results"):
            return self.none()
        condition = school_scope_filter(user, "schools__school", "fieldwork.view_results")
        return self if condition is None else self.filter(condition).distinct()


class Campaign(models.Model):
    """A re-check (перепроверка) or cross-check (перекрёстная проверка) of sampled works of one procedure."""

    procedure = models.ForeignKey(Procedure, on_delete=models.PROTECT, related_name="check_campaigns",
                                  verbose_name="процедура")
    kind = models.CharField("вид", max_length=16, choices=CampaignKind.choices, default=CampaignKind.RECHECK)
    title = models.CharField("название", max_length=300)
    status = models.CharField("состояние", max_length=16, choices=CampaignStatus.choices,
                              default=CampaignStatus.PLANNED)
    share_percent = models.PositiveSmallIntegerField("доля работ школы, %", default=20)
    min_works = models.PositiveSmallIntegerField(
        "минимум работ на школу", default=5,
        help_text="отбирается не меньше (если в школе столько есть); меньше — признак не оценивается")
    seed = models.BigIntegerField("зерно случайного отбора", null=True, blank=True)
    check_date = models.DateField("дата проверки", null=True, blank=True)
    task_threshold = models.PositiveSmallIntegerField("порог расхождения по заданию, баллов", default=1)
    total_threshold = models.PositiveSmallIntegerField("порог расхождения по сумме, баллов", default=2)
    experts_threshold = models.PositiveSmallIntegerField(
        "расхождение экспертов по сумме для третьей проверки, баллов", default=2)
    final_rule = models.CharField("итоговый балл", max_length=16, choices=FinalRule.choices, default=FinalRule.MEAN)
    sign_threshold = models.PositiveSmallIntegerField(
        "порог признака: доля работ с изменённой отметкой, %", default=20)
    pairing_mode = models.CharField("пары школ", max_length=16, choices=PairingMode.choices, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = CampaignQuerySet.as_manager()

    class Meta:
        verbose_name = "кампания проверки работ"
        verbose_name_plural = "кампании проверки работ"
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return self.title


class CampaignSchoolQuerySet(models.QuerySet):
    def visible_to(self, user):
        if not scope_for(user).can("fieldwork.view_results"):
            return self.none()
        condition = school_scope_filter(user, capability="fieldwork.view_results")
        return self if condition is None else self.filter(condition)


class CampaignSchool(models.Model):
    """A school whose works are checked; in a cross-check, `checker_school` is the school whose teachers check."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="schools")
    school = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+", verbose_name="ОО")
    reason = models.CharField("основание", max_length=16, choices=SelectionReason.choices,
                              default=SelectionReason.MANUAL)
    checker_school = models.ForeignKey(Organization, on_delete=models.PROTECT, null=True, blank=True,
                                       related_name="+", verbose_name="проверяющая ОО")
    population = models.PositiveIntegerField("работ в школе", default=0)

    objects = CampaignSchoolQuerySet.as_manager()

    class Meta:
        verbose_name = "школа кампании"
        verbose_name_plural = "школы кампании"
        ordering = ["school__short_name"]
        constraints = [models.UniqueConstraint(fields=["campaign", "school"], name="unique_campaign_school")]


class Work(models.Model):
    """One drawn work: the school's scores frozen at the draw, the experts' final scores once checked."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="works")
    campaign_school = models.ForeignKey(CampaignSchool, on_delete=models.CASCADE, related_name="works")
    result = models.ForeignKey(ParticipantResult, on_delete=models.SET_NULL, null=True, related_name="+")
    participant_code = models.CharField("код участника", max_length=32)
    school_scores = models.JSONField("баллы школы по заданиям", default=list)
    school_primary = models.FloatField("первичный балл школы")
    school_mark = models.PositiveSmallIntegerField("отметка школы", null=True)
    final_scores = models.JSONField("итоговые баллы по заданиям", null=True, blank=True)
    final_primary = models.FloatField("итоговый первичный балл", null=True, blank=True)
    final_mark = models.PositiveSmallIntegerField("итоговая отметка", null=True, blank=True)
    third_called = models.BooleanField("назначена третья проверка", default=False)
    discrepant = models.BooleanField("расхождение с оценкой школы выше порога", default=False)

    class Meta:
        verbose_name = "работа"
        verbose_name_plural = "работы"
        ordering = ["campaign_school", "participant_code"]
        constraints = [models.UniqueConstraint(fields=["campaign", "participant_code", "campaign_school"],
                                               name="unique_campaign_work")]

    @property
    def is_final(self) -> bool:
        return self.final_primary is not None


class AssignmentQuerySet(models.QuerySet):
    def visible_to(self, user):
        """An expert sees its own assignments only; nobody else reads them through this path."""
        if not scope_for(user).can("fieldwork.expert_work"):
            return self.none()
        return self.filter(expert__user=user, expert__is_active=True)


class Assignment(models.Model):
    """One expert's check of one work: first, second, or the third called on disagreement."""

    work = models.ForeignKey(Work, on_delete=models.CASCADE, related_name="assignments")
    expert = models.ForeignKey(Expert, on_delete=models.PROTECT, related_name="assignments")
    order = models.PositiveSmallIntegerField("проверка №")
    scores = models.JSONField("баллы эксперта по заданиям", null=True, blank=True)
    submitted_at = models.DateTimeField("отправлено", null=True, blank=True)

    objects = AssignmentQuerySet.as_manager()

    class Meta:
        verbose_name = "назначение эксперту"
        verbose_name_plural = "назначения экспертам"
        ordering = ["work", "order"]
        constraints = [
            models.UniqueConstraint(fields=["work", "order"], name="unique_assignment_order"),
            models.UniqueConstraint(fields=["work", "expert"], name="unique_assignment_expert"),
        ]

    @property
    def total(self):
        return sum(self.scores) if self.scores is not None else None


class ObserverAssignmentQuerySet(models.QuerySet):
    def visible_to(self, user):
        scope = scope_for(user)
        own = Q(user=user) if user.is_authenticated else Q(pk__in=[])
        if not scope.can("observers.view"):
            return self.filter(own) if scope.can("observers.report") else self.none()
        condition = school_scope_filter(user, capability="observers.view")
        return self if condition is None else self.filter(condition | own)


class ObserverAssignment(models.Model):
    """An official or a public observer sent to a procedure in a school on a date."""

    procedure = models.ForeignKey(Procedure, on_delete=models.CASCADE, related_name="observer_assignments",
                                  verbose_name="процедура")
    school = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="observer_assignments",
                               verbose_name="ОО")
    full_name = models.CharField("ФИО наблюдателя", max_length=200)
    kind = models.CharField("вид наблюдателя", max_length=16, choices=ObserverKind.choices)
    stage = models.CharField("этап", max_length=16, choices=ObserverStage.choices, default=ObserverStage.CONDUCT)
    date = models.DateField("дата")
    sent_by = models.ForeignKey(Organization, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
                                verbose_name="направившая организация")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                             related_name="observer_assignments", verbose_name="учётная запись наблюдателя")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ObserverAssignmentQuerySet.as_manager()

    class Meta:
        verbose_name = "направление наблюдателя"
        verbose_name_plural = "направления наблюдателей"
        ordering = ["-date", "school__short_name"]

    def __str__(self):
        return f"{self.full_name}: {self.school} ({self.date:%d.%m.%Y})"


class ObserverReport(models.Model):
    """The observer's report: the checklist of violations noted, free text and photos."""

    assignment = models.OneToOneField(ObserverAssignment, on_delete=models.CASCADE, related_name="report")
    violations = models.JSONField("отмеченные нарушения", default=list, blank=True)
    text = models.TextField("описание", blank=True)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                                     related_name="+")
    submitted_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "отчёт наблюдателя"
        verbose_name_plural = "отчёты наблюдателей"


class ObserverPhoto(models.Model):
    report = models.ForeignKey(ObserverReport, on_delete=models.CASCADE, related_name="photos")
    file = models.FileField("файл", upload_to="observers/%Y/%m/")
    original_name = models.CharField("имя файла", max_length=255)
    content_type = models.CharField("тип", max_length=32)
    size = models.PositiveIntegerField("размер, байт")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "фотография"
        verbose_name_plural = "фотографии"
        ordering = ["uploaded_at", "id"]
