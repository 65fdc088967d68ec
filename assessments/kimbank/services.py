"""Writes of the bank of test materials. Each service checks the rule it enforces and audits status changes."""
from datetime import datetime, time, timedelta
import hashlib

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.http import Http404
from django.utils import timezone

from assessments.models import ParticipantResult, Procedure, Task
from rsoko.audit.models import AuditAction
from rsoko.audit.services import audit_record, snapshot
from rsoko.orgs.access import scope_for

from .choices import VariantStatus as S
from .files import material_file_type
from .models import DownloadLog, Variant, VariantFile, VariantTask, VariantUse

# status change → (statuses it may start from, capability or "author" who may make it)
TRANSITIONS = {
    "submit": ({S.DRAFT, S.RETURNED}, "author", S.SUBMITTED),
    "take": ({S.SUBMITTED}, "kim.review", S.UNDER_REVIEW),
    "approve": ({S.SUBMITTED, S.UNDER_REVIEW}, "kim.review", S.APPROVED),
    "return": ({S.SUBMITTED, S.UNDER_REVIEW}, "kim.review", S.RETURNED),
}
TRANSITION_LABELS = {"submit": "Передать на экспертизу", "take": "Взять на экспертизу",
                     "approve": "Одобрить", "return": "Вернуть на доработку"}


def is_author(user, variant: Variant) -> bool:
    return variant.authors.filter(pk=user.pk).exists()


def can_edit(user, variant: Variant) -> bool:
    """Authors edit drafts and returned variants; the institute edits anything not yet approved."""
    if variant.status == S.APPROVED:
        return False
    if scope_for(user).can("kim.review"):
        return True
    return scope_for(user).can("kim.author") and variant.status in {S.DRAFT, S.RETURNED} and is_author(user, variant)


def allowed_transitions(user, variant: Variant) -> list[str]:
    allowed = []
    for name, (sources, who, _target) in TRANSITIONS.items():
        if variant.status not in sources:
            continue
        if who == "author" and (is_author(user, variant) or scope_for(user).can("kim.review")):
            allowed.append(name)
        elif who != "author" and scope_for(user).can(who) and not is_author(user, variant):
            # Expert review is independent: nobody reviews a variant they wrote.
            allowed.append(name)
    return allowed


def require_edit(user, variant: Variant) -> None:
    if not can_edit(user, variant):
        raise PermissionDenied("Этот вариант сейчас нельзя изменять: он одобрен или вы не его автор.")


@transaction.atomic
def variant_save(*, actor, variant: Variant, authors=()) -> Variant:
    """Creates or updates a variant's description; its creator is always among its authors."""
    creating = variant.pk is None
    if not creating:
        require_edit(actor, variant)
    before = None if creating else snapshot(Variant.objects.get(pk=variant.pk))
    if creating:
        variant.created_by = actor
    variant.save()
    if creating:
        variant.authors.add(actor, *authors)
    elif authors:
        variant.authors.set(authors)
    audit_record(actor=actor, action=AuditAction.CREATE if creating else AuditAction.UPDATE,
                 instance=variant, before=before, source="kimbank")
    return variant


@transaction.atomic
def variant_transition(*, actor, variant: Variant, action: str, comment: str = "") -> Variant:
    """Moves a variant along draft → submitted → under review → approved / returned with comments."""
    if action not in allowed_transitions(actor, variant):
        raise PermissionDenied("Это действие недоступно для варианта в его нынешнем состоянии.")
    if action == "return" and not comment.strip():
        raise ValidationError("Укажите замечания: автор должен знать, что исправить.")
    if action in {"submit", "approve"} and not variant.tasks.exists():
        raise ValidationError("У варианта нет кодификатора: заполните задания или загрузите кодификатор.")
    if action in {"submit", "approve"} and not variant.files.filter(role="variant").exists():
        raise ValidationError("У варианта нет файла с текстом варианта.")
    before = snapshot(variant)
    variant.status = TRANSITIONS[action][2]
    if action in {"take", "approve", "return"}:
        variant.reviewer = actor
    if action in {"return", "approve"}:
        variant.review_comment = comment.strip()
    variant.save(update_fields=["status", "reviewer", "review_comment", "updated_at"])
    audit_record(actor=actor, action=AuditAction.UPDATE, instance=variant, before=before, source=f"kimbank:{action}")
    return variant


@transaction.atomic
def variant_file_add(*, actor, variant: Variant, role: str, name: str, data: bytes, for_schools: bool = True) -> VariantFile:
    require_edit(actor, variant)
    file_type = material_file_type(name, data, limit_bytes=settings.KIM_FILE_MAX_MB * 1024 * 1024)
    item = VariantFile(variant=variant, role=role, file_type=file_type, original_name=name[:255], size=len(data),
                       sha256=hashlib.sha256(data).hexdigest(), for_schools=for_schools, uploaded_by=actor)
    item.file.save("upload", ContentFile(data), save=False)
    try:
        item.save()
    except Exception:
        item.file.delete(save=False)
        raise
    audit_files(actor=actor, variant=variant, change=f"file_add:{item.original_name}")
    return item


def audit_files(*, actor, variant: Variant, change: str) -> None:
    """Files are recorded on their variant; the entry names the change and lists the files after it."""
    before = snapshot(variant) | {"files": [f.original_name for f in variant.files.all()]}
    audit_record(actor=actor, action=AuditAction.UPDATE, instance=variant, before=before, source=f"kimbank:{change}")


@transaction.atomic
def variant_file_delete(*, actor, item: VariantFile) -> None:
    require_edit(actor, item.variant)
    if item.downloads.exists():
        raise ValidationError("Файл уже выдавался школам: удалить его нельзя.")
    stored, variant = item.file, item.variant
    item.delete()
    audit_files(actor=actor, variant=variant, change=f"file_delete:{item.original_name}")
    transaction.on_commit(lambda: stored.delete(save=False))


@transaction.atomic
def variant_tasks_replace(*, actor, variant: Variant, tasks: list[dict]) -> int:
    """Replaces the variant's codifier with the given tasks (all or nothing)."""
    require_edit(actor, variant)
    before = {"tasks": list(variant.tasks.values("position", "label", "max_score"))}
    variant.tasks.all().delete()
    VariantTask.objects.bulk_create(VariantTask(variant=variant, **fields) for fields in tasks)
    audit_record(actor=actor, action=AuditAction.UPDATE, instance=variant, before=before | snapshot(variant),
                 source="kimbank:codifier")
    return len(tasks)


def default_window(procedure: Procedure) -> tuple[datetime | None, datetime | None]:
    """Opens KIM_WINDOW_LEAD_MINUTES before the usual start time on the first day; closes at the end of the last."""
    if procedure.date_start is None:
        return None, None
    start_time = time.fromisoformat(settings.KIM_PROCEDURE_START_TIME)
    zone = timezone.get_current_timezone()
    opens = datetime.combine(procedure.date_start, start_time, zone) - timedelta(minutes=settings.KIM_WINDOW_LEAD_MINUTES)
    closes = datetime.combine(procedure.date_end or procedure.date_start, time(23, 59, 59), zone)
    return opens, closes


@transaction.atomic
def variant_use_create(*, actor, variant: Variant, procedure: Procedure, window_start, window_end) -> VariantUse:
    if variant.status != S.APPROVED:
        raise ValidationError("Использовать в процедуре можно только одобренный вариант.")
    if window_end <= window_start:
        raise ValidationError("Окно выдачи должно закрываться позже, чем открывается.")
    if VariantUse.objects.filter(variant=variant, procedure=procedure).exists():
        raise ValidationError("Этот вариант уже назначен этой процедуре.")
    use = VariantUse.objects.create(variant=variant, procedure=procedure, window_start=window_start,
                                    window_end=window_end, created_by=actor)
    audit_record(actor=actor, action=AuditAction.CREATE, instance=use, before=None, source="kimbank")
    return use


@transaction.atomic
def procedure_tasks_from_variant(*, actor, use: VariantUse) -> int:
    """Writes the procedure's task specification from the approved variant's codifier, all or nothing."""
    procedure = Procedure.objects.select_for_update().get(pk=use.procedure_id)
    variant = use.variant
    if variant.status != S.APPROVED:
        raise ValidationError("Спецификацию можно создать только из одобренного варианта.")
    if ParticipantResult.objects.filter(procedure=procedure).exists():
        raise ValidationError(f"У процедуры {procedure.code} уже загружены результаты: спецификацию заданий менять нельзя.")
    if procedure.tasks.exists():
        raise ValidationError(f"У процедуры {procedure.code} уже есть спецификация заданий: удалите её, если нужно заменить.")
    tasks = list(variant.tasks.all())
    if not tasks:
        raise ValidationError("У варианта нет кодификатора.")
    Task.objects.bulk_create(
        Task(procedure=procedure, position=t.position, label=t.label, max_score=t.max_score, level=t.level,
             skill=t.skill, block=t.block, kes_codes=t.kes_codes, kt_codes=t.kt_codes)
        for t in tasks
    )
    before = snapshot(procedure)
    if procedure.max_score is None:
        procedure.max_score = sum(t.max_score for t in tasks)
        procedure.save(update_fields=["max_score", "updated_at"])
    audit_record(actor=actor, action=AuditAction.UPDATE, instance=procedure, before=before,
                 source=f"kimbank:tasks_from_variant:{variant.pk}")
    return len(tasks)


def school_for_download(user, use: VariantUse):
    """The user's school that takes part in the use's procedure, or 404 (no hint that the use exists)."""
    scope = scope_for(user)
    if not scope.can("kim.school_download"):
        raise Http404
    participation = use.procedure.participations.filter(school_id__in=scope.school_ids).select_related("school").first()
    if participation is None:
        raise Http404
    return participation.school


def window_is_open(use: VariantUse, now=None) -> bool:
    now = now or timezone.now()
    return use.window_start <= now < use.window_end


@transaction.atomic
def school_download(*, user, use: VariantUse, item: VariantFile, address: str | None) -> DownloadLog:
    """Checks participation, the window and the file's release to schools, then logs the download."""
    school = school_for_download(user, use)
    if not window_is_open(use) or item.variant_id != use.variant_id or not item.for_schools:
        raise Http404
    return DownloadLog.objects.create(use=use, file=item, user=user, school=school, address=address or None)
