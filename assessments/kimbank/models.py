"""The regional bank of test materials (банк КИМ): variants, their files, codifiers, reviews and uses.

A variant is written by its authors, reviewed by the institute and, once approved, frozen: the
assessment centre assigns it to procedures, and schools taking part may download its files only
inside the window of that use. Every school download is logged.
"""
import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q

from assessments.models import Procedure, ProcedureKind, Subject, TaskSpecFields
from rsoko.orgs.access import scope_for
from rsoko.orgs.models import Organization

from .choices import FileRole, FileType, VariantStatus


class VariantQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The ministry and the institute see the whole bank; the centre sees approved variants;
        an author sees the variants they write."""
        scope = scope_for(user)
        if scope.can("kim.view_all"):
            return self
        condition = Q(pk__in=[])
        if scope.can("kim.author"):
            condition |= Q(authors=user)
        if scope.can("kim.view_approved"):
            condition |= Q(status=VariantStatus.APPROVED)
        return self.filter(condition).distinct()


class Variant(models.Model):
    """One variant of a test (e.g. РПР-2026, математика, 6 класс, вариант 2) with its review state."""

    kind = models.ForeignKey(ProcedureKind, on_delete=models.PROTECT, related_name="kim_variants", verbose_name="вид процедуры")
    subject = models.ForeignKey(Subject, on_delete=models.PROTECT, related_name="kim_variants", verbose_name="предмет")
    grade = models.PositiveSmallIntegerField("класс", null=True, blank=True)
    year = models.PositiveSmallIntegerField("год")
    number = models.CharField("номер варианта", max_length=16, help_text="как напечатано: 1, 2, 101…")
    title = models.CharField("название", max_length=300, blank=True)
    description = models.TextField("описание", blank=True)
    status = models.CharField("состояние экспертизы", max_length=16, choices=VariantStatus.choices, default=VariantStatus.DRAFT)
    review_comment = models.TextField("замечания эксперта", blank=True)
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name="эксперт"
    )
    authors = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="kim_variants", verbose_name="авторы")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = VariantQuerySet.as_manager()

    class Meta:
        verbose_name = "вариант КИМ"
        verbose_name_plural = "варианты КИМ"
        ordering = ["-year", "kind__order", "subject__name", "grade", "number"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "subject", "grade", "year", "number"], name="unique_kim_variant")
        ]

    def __str__(self):
        grade = f", {self.grade} класс" if self.grade else ""
        return self.title or f"{self.kind.code}-{self.year}, {self.subject.name.lower()}{grade}, вариант {self.number}"

    @property
    def max_score(self) -> int:
        return sum(task.max_score for task in self.tasks.all())


def kim_file_path(instance, filename: str) -> str:
    """A random name: the stored file cannot be found by guessing, and the original name stays in the row."""
    return f"kim/{secrets.token_urlsafe(24)}.{instance.file_type}"


class VariantFile(models.Model):
    """A file of a variant (its text, keys, criteria); served only through a checked view."""

    variant = models.ForeignKey(Variant, on_delete=models.CASCADE, related_name="files")
    role = models.CharField("назначение", max_length=16, choices=FileRole.choices)
    file_type = models.CharField("тип", max_length=8, choices=FileType.choices)
    file = models.FileField(upload_to=kim_file_path, max_length=200)
    original_name = models.CharField("имя файла", max_length=255)
    size = models.PositiveIntegerField("размер, байт")
    sha256 = models.CharField(max_length=64)
    for_schools = models.BooleanField(
        "выдаётся школам", default=True, help_text="ключи и критерии можно не выдавать школам до окончания процедуры"
    )
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "файл варианта"
        verbose_name_plural = "файлы вариантов"
        ordering = ["variant", "role", "id"]

    def __str__(self):
        return self.original_name


class VariantTask(TaskSpecFields):
    """One task of the variant's codifier, with its answer key and marking criteria when entered as data."""

    variant = models.ForeignKey(Variant, on_delete=models.CASCADE, related_name="tasks")
    answer = models.TextField("ответ (ключ)", blank=True)
    criteria = models.TextField("критерии оценивания", blank=True)

    class Meta:
        verbose_name = "задание варианта"
        verbose_name_plural = "задания варианта"
        ordering = ["variant", "position"]
        constraints = [models.UniqueConstraint(fields=["variant", "position"], name="unique_kim_task_position")]

    def __str__(self):
        return f"№ {self.label}"


class VariantUseQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Bank staff see the uses of variants they see; a school head sees uses in their schools' procedures."""
        scope = scope_for(user)
        if scope.can("kim.school_download"):
            return self.filter(procedure__participations__school_id__in=scope.school_ids).distinct()
        return self.filter(variant__in=Variant.objects.visible_to(user))


class VariantUse(models.Model):
    """A variant used by a procedure, with the window in which participating schools may download it."""

    variant = models.ForeignKey(Variant, on_delete=models.PROTECT, related_name="uses")
    procedure = models.ForeignKey(Procedure, on_delete=models.CASCADE, related_name="kim_uses")
    window_start = models.DateTimeField("выдача открывается")
    window_end = models.DateTimeField("выдача закрывается")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = VariantUseQuerySet.as_manager()

    class Meta:
        verbose_name = "использование варианта"
        verbose_name_plural = "использования вариантов"
        ordering = ["-window_start"]
        constraints = [
            models.UniqueConstraint(fields=["variant", "procedure"], name="unique_kim_use"),
            models.CheckConstraint(condition=Q(window_end__gt=models.F("window_start")), name="kim_window_order"),
        ]

    def __str__(self):
        return f"{self.variant} → {self.procedure.code}"


class DownloadLogQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self if scope_for(user).can("kim.downloads") else self.none()


class DownloadLog(models.Model):
    """Who downloaded which file of which use, when and from which address."""

    use = models.ForeignKey(VariantUse, on_delete=models.PROTECT, related_name="downloads")
    file = models.ForeignKey(VariantFile, on_delete=models.PROTECT, related_name="downloads")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="kim_downloads")
    school = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="kim_downloads")
    downloaded_at = models.DateTimeField(auto_now_add=True, db_index=True)
    address = models.GenericIPAddressField("адрес", null=True, blank=True)

    objects = DownloadLogQuerySet.as_manager()

    class Meta:
        verbose_name = "выдача файла КИМ"
        verbose_name_plural = "журнал выдачи КИМ"
        ordering = ["-downloaded_at", "-id"]
