"""Writes of the fieldwork app: the expert bank, campaigns (selection, draw, assignment, scores), observers.

Each service is atomic; bad input raises FieldworkError with a Russian message and writes nothing.
"""
import secrets

import numpy as np
from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from assessments.choices import ParticipantStatus
from assessments.models import ParticipantResult, ProcedureSchool, Scale, Subject
from assessments.stats.services import recheck_signs_store
from rsoko.audit.models import AuditAction
from rsoko.audit.services import audit_record, snapshot
from rsoko.exports import unneutralise
from rsoko.orgs.choices import Role
from rsoko.exports import personal_export_record
from rsoko.orgs.models import Membership, Organization
from rsoko.tables import TableFileError, excel_row, read_table_file

from . import draw, expert_import, scoring
from .choices import VIOLATION_LABELS, CampaignKind, CampaignStatus, SelectionReason
from .models import (Assignment, Campaign, CampaignSchool, Expert, ExpertAvailability, ExpertConflict,
                     ExpertTraining, ObserverAssignment, ObserverPhoto, ObserverReport, Work)
from .photos import PhotoError, check_photo

EXPERT_FILE_LIMIT = 5 * 1024 * 1024


class FieldworkError(Exception):
    """A user-facing refusal; `errors` lists row-level messages when there are several."""

    def __init__(self, message: str, errors: list[str] | None = None):
        super().__init__(message)
        self.errors = errors or [message]


# --- expert bank -------------------------------------------------------------------------------------------

def import_lookups() -> expert_import.Lookups:
    subjects = {}
    for subject in Subject.objects.all():
        subjects[subject.code.lower()] = subjects[subject.name.lower()] = subject.id
    organizations = {code.lower(): pk for pk, code in Organization.objects.values_list("id", "code")}
    users = dict(Membership.objects.filter(role=Role.EXPERT).values_list("user__username", "user_id"))
    return expert_import.Lookups(subjects=subjects, organizations=organizations, users=users)


@transaction.atomic
def expert_bank_import(*, name: str, data: bytes, actor) -> dict:
    """Creates or updates experts by code from an xlsx table; all rows or none."""
    try:
        sheets = read_table_file(name, data, limit_bytes=EXPERT_FILE_LIMIT)
    except TableFileError as exc:
        raise FieldworkError(str(exc)) from None
    parsed = expert_import.parse_bank(sheets, import_lookups())
    taken = _accounts_taken_elsewhere(parsed.rows)
    errors = parsed.errors + taken
    if errors:
        raise FieldworkError(f"Файл не загружен: ошибок {len(errors)}.", errors)
    created = sum(_expert_upsert(row, actor) for row in parsed.rows)
    return {"created": created, "updated": len(parsed.rows) - created}


def _accounts_taken_elsewhere(rows) -> list[str]:
    linked = dict(Expert.objects.filter(user__isnull=False).values_list("user_id", "code"))
    return [
        f"Строка {row.row}, столбец «{expert_import.COLUMNS['username']}»: учётная запись уже связана "
        f"с экспертом {linked[row.user_id]}."
        for row in rows if row.user_id and linked.get(row.user_id, row.code) != row.code
    ]


def _expert_upsert(row: expert_import.ExpertRow, actor) -> bool:
    existing = Expert.objects.filter(code=row.code).first()
    before = audit_snapshot(existing)
    expert, created = Expert.objects.update_or_create(code=row.code, defaults={
        "full_name": row.full_name, "qualification": row.qualification, "position": row.position,
        "organization_id": row.organization_id, "phone": row.phone, "email": row.email, "user_id": row.user_id,
        "is_active": True,
    })
    expert.subjects.set(row.subject_ids)
    expert.conflicts.exclude(organization_id__in=row.conflict_ids).delete()
    for organization_id in row.conflict_ids:
        ExpertConflict.objects.get_or_create(expert=expert, organization_id=organization_id,
                                             defaults={"reason": "заявлен при загрузке банка"})
    if row.course:
        ExpertTraining.objects.get_or_create(expert=expert, course=row.course, completed_on=row.course_date,
                                             defaults={"certificate": row.certificate})
    if row.available_from:
        ExpertAvailability.objects.get_or_create(expert=expert, date_from=row.available_from,
                                                 date_to=row.available_to)
    audit_record(actor=actor, action=AuditAction.CREATE if created else AuditAction.UPDATE, instance=expert,
                 before=before, source="fieldwork.expert_bank_import")
    return created


def audit_snapshot(instance):
    return snapshot(instance) if instance is not None else None


def export_record(*, actor, campaign: Campaign, what: str, source: str, fmt: str = "xlsx") -> None:
    """Exports that carry participant codes or per-school results are logged (personal data, §9)."""
    personal_export_record(user=actor, what=f"{what} — {campaign}", fmt=fmt, model=campaign._meta.label_lower,
                           object_id=campaign.pk, source=source)


# --- campaigns: selection ----------------------------------------------------------------------------------

@transaction.atomic
def campaign_create(*, procedure, title: str, actor, kind: str = CampaignKind.RECHECK, **settings) -> Campaign:
    campaign = Campaign.objects.create(procedure=procedure, title=title, kind=kind, created_by=actor, **settings)
    audit_record(actor=actor, action=AuditAction.CREATE, instance=campaign, before=None, source="fieldwork")
    return campaign


def participating_school_ids(procedure) -> set[int]:
    """Schools taking part: listed in the procedure or holding active results for it."""
    listed = set(ProcedureSchool.objects.filter(procedure=procedure).values_list("school_id", flat=True))
    with_results = set(ParticipantResult.objects.active().filter(procedure=procedure)
                       .values_list("school_id", flat=True).distinct())
    return listed | with_results


def _require_planned(campaign: Campaign) -> None:
    if campaign.works.exists():
        raise FieldworkError("Работы кампании уже отобраны: состав школ менять нельзя.")


@transaction.atomic
def campaign_add_schools(*, campaign: Campaign, school_ids, reason: str = SelectionReason.MANUAL) -> int:
    """Adds schools by id. This is the hook for the objectivity-signs table: pass the flagged schools'
    ids with reason=SelectionReason.SIGNS. Schools not taking part in the procedure are refused."""
    _require_planned(campaign)
    school_ids = set(school_ids)
    outside = school_ids - participating_school_ids(campaign.procedure)
    if outside:
        names = ", ".join(Organization.objects.filter(id__in=outside).values_list("short_name", flat=True)[:5])
        raise FieldworkError(f"Эти школы не участвуют в процедуре: {names or sorted(outside)}.")
    added = 0
    for school_id in sorted(school_ids):
        _, created = CampaignSchool.objects.get_or_create(campaign=campaign, school_id=school_id,
                                                          defaults={"reason": reason})
        added += created
    return added


def campaign_add_schools_with_signs(*, campaign: Campaign, school_ids) -> int:
    """Schools selected from the objectivity signs (the signs table arrives with the analytics)."""
    return campaign_add_schools(campaign=campaign, school_ids=school_ids, reason=SelectionReason.SIGNS)


def flagged_participating_school_ids(procedure) -> list[int]:
    from .selectors import flagged_school_ids

    participating = participating_school_ids(procedure)
    return [school_id for school_id in flagged_school_ids(procedure) if school_id in participating]


def campaign_add_flagged_schools(*, campaign: Campaign) -> int:
    """Every participating school with a flagged objectivity sign for the campaign's procedure."""
    flagged = flagged_participating_school_ids(campaign.procedure)
    if not flagged:
        raise FieldworkError("Для этой процедуры нет школ с признаками необъективности.")
    return campaign_add_schools_with_signs(campaign=campaign, school_ids=flagged)


@transaction.atomic
def campaign_add_random_schools(*, campaign: Campaign, size: int, seed: int | None = None) -> list[int]:
    seed = new_seed() if seed is None else seed
    already = set(campaign.schools.values_list("school_id", flat=True))
    pool = participating_school_ids(campaign.procedure) - already
    chosen = draw.sample_schools(pool, size=size, seed=seed)
    campaign_add_schools(campaign=campaign, school_ids=chosen, reason=SelectionReason.RANDOM)
    return chosen


def new_seed() -> int:
    return secrets.randbits(31)


# --- campaigns: cross-check pairing ------------------------------------------------------------------------

def last_year_pairs(campaign: Campaign) -> set[frozenset]:
    """Unordered pairs of schools that checked each other in last year's cross-check campaigns."""
    rows = CampaignSchool.objects.filter(
        campaign__kind=CampaignKind.CROSS, campaign__procedure__year=campaign.procedure.year - 1,
        checker_school__isnull=False,
    ).values_list("school_id", "checker_school_id")
    return {frozenset(pair) for pair in rows}


@transaction.atomic
def campaign_pair_schools(*, campaign: Campaign, within_municipality: bool, seed: int | None = None) -> dict:
    if campaign.kind != CampaignKind.CROSS:
        raise FieldworkError("Пары школ составляются только для перекрёстной проверки.")
    _require_planned(campaign)
    members = list(campaign.schools.select_related("school"))
    if len(members) < 2:
        raise FieldworkError("Для перекрёстной проверки нужно не меньше двух школ.")
    schools = {m.school_id: m.school.municipality_id for m in members}
    try:
        pairing = draw.pair_schools(schools, within_municipality=within_municipality,
                                    forbidden=last_year_pairs(campaign), seed=new_seed() if seed is None else seed)
    except draw.PairingError as exc:
        raise FieldworkError(str(exc)) from None
    for member in members:
        member.checker_school_id = pairing[member.school_id]
        member.save(update_fields=["checker_school"])
    campaign.pairing_mode = "within" if within_municipality else "across"
    campaign.save(update_fields=["pairing_mode"])
    return pairing


# --- campaigns: the draw -----------------------------------------------------------------------------------

@transaction.atomic
def campaign_draw(*, campaign: Campaign, seed: int | None = None, actor=None) -> int:
    """Draws the works of every school at random with a recorded seed; the school's scores are frozen."""
    given, campaign = campaign, Campaign.objects.select_for_update().get(pk=campaign.pk)
    _require_planned(campaign)
    members = list(campaign.schools.all())
    if not members:
        raise FieldworkError("Сначала выберите школы кампании.")
    if campaign.kind == CampaignKind.CROSS and any(m.checker_school_id is None for m in members):
        raise FieldworkError("Сначала составьте пары школ для перекрёстной проверки.")
    campaign.seed = new_seed() if seed is None else seed
    total = sum(_draw_school(campaign, member) for member in members)
    if total == 0:
        raise FieldworkError("В выбранных школах нет результатов участников: отбирать нечего.")
    campaign.status = CampaignStatus.DRAWN
    campaign.save(update_fields=["seed", "status"])
    given.seed, given.status = campaign.seed, campaign.status
    audit_record(actor=actor, action=AuditAction.UPDATE, instance=campaign, before=None, source="fieldwork.draw")
    return total


def _draw_school(campaign: Campaign, member: CampaignSchool) -> int:
    results = {r.participant_code: r for r in ParticipantResult.objects.active().filter(
        procedure=campaign.procedure, school_id=member.school_id, status=ParticipantStatus.PRESENT,
        primary_score__isnull=False)}
    member.population = len(results)
    member.save(update_fields=["population"])
    codes = draw.draw_codes(results, seed=campaign.seed, school_id=member.school_id,
                            share_percent=campaign.share_percent, minimum=campaign.min_works)
    Work.objects.bulk_create([
        Work(campaign=campaign, campaign_school=member, result=results[code], participant_code=code,
             school_scores=[int(s or 0) for s in results[code].task_scores],
             school_primary=results[code].primary_score, school_mark=results[code].mark)
        for code in codes
    ])
    return len(codes)


# --- campaigns: assignment ---------------------------------------------------------------------------------

def available_on(expert: Expert, day) -> bool:
    periods = list(expert.availability.all())
    return day is None or not periods or any(p.date_from <= day <= p.date_to for p in periods)


def connected(expert: Expert, school: Organization, conflicts: set[int]) -> bool:
    """Own school, own municipality, or a declared conflict: such an expert never checks this school."""
    own = expert.organization
    if own is not None and own.id == school.id:
        return True
    same_municipality = own is not None and own.municipality_id and own.municipality_id == school.municipality_id
    return bool(same_municipality) or school.id in conflicts


def eligible_experts(campaign: Campaign, member: CampaignSchool) -> list[Expert]:
    """Experts who may check this school's works, in a stable order."""
    experts = (Expert.objects.filter(is_active=True, subjects=campaign.procedure.subject)
               .select_related("organization").prefetch_related("availability", "conflicts").order_by("id"))
    if campaign.kind == CampaignKind.CROSS:
        experts = experts.filter(organization_id=member.checker_school_id)
    school = member.school
    result = []
    for expert in experts:
        conflicts = {c.organization_id for c in expert.conflicts.all()}
        own_rule = campaign.kind == CampaignKind.RECHECK
        blocked = connected(expert, school, conflicts) if own_rule else school.id in conflicts
        if not blocked and available_on(expert, campaign.check_date):
            result.append(expert)
    return result


@transaction.atomic
def campaign_assign(*, campaign: Campaign, actor=None) -> int:
    """Gives every drawn work two experts not connected to its school, balancing the load; during the
    check, also gives a third expert to works whose experts disagreed while nobody was free."""
    campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
    if campaign.status == CampaignStatus.CHECKING:
        return _fill_missing_thirds(campaign)
    if campaign.status != CampaignStatus.DRAWN:
        raise FieldworkError("Назначать экспертов можно после отбора работ и до завершения проверки.")
    rng = np.random.default_rng([campaign.seed or 0, 1])
    load = campaign_load(campaign)
    created = 0
    for member in campaign.schools.select_related("school").order_by("school_id"):
        pool = eligible_experts(campaign, member)
        for work in member.works.order_by("participant_code"):
            have = list(work.assignments.values_list("expert_id", flat=True))
            needed = 2 - len(have)
            candidates = [e.id for e in pool if e.id not in have]
            if needed > len(candidates):
                raise FieldworkError(
                    f"Для школы «{member.school.short_name}» не хватает экспертов по предмету "
                    f"«{campaign.procedure.subject}», не связанных со школой и доступных на дату проверки "
                    f"(нужно 2, есть {len(pool)})."
                )
            for expert_id in draw.pick_least_loaded(candidates, load, rng, needed):
                Assignment.objects.create(work=work, expert_id=expert_id, order=len(have) + 1)
                have.append(expert_id)
                load[expert_id] = load.get(expert_id, 0) + 1
                created += 1
    campaign.status = CampaignStatus.CHECKING
    campaign.save(update_fields=["status"])
    audit_record(actor=actor, action=AuditAction.UPDATE, instance=campaign, before=None, source="fieldwork.assign")
    return created


def _fill_missing_thirds(campaign: Campaign) -> int:
    waiting = campaign.works.filter(third_called=True, final_primary__isnull=True).exclude(assignments__order=3)
    filled = sum(_call_third(work) for work in waiting.select_related("campaign_school__school"))
    if waiting.exists():
        raise FieldworkError(f"Третий эксперт нужен ещё для {waiting.count()} работ, но свободных экспертов, "
                             "не связанных со школой, нет: добавьте экспертов в банк.")
    return filled


def campaign_load(campaign: Campaign) -> dict[int, int]:
    rows = Assignment.objects.filter(work__campaign=campaign).values("expert_id").annotate(n=Count("id"))
    return {row["expert_id"]: row["n"] for row in rows}


# --- scores ------------------------------------------------------------------------------------------------

def task_maxima(campaign: Campaign, width: int) -> list[int | None]:
    maxima = list(campaign.procedure.tasks.order_by("position").values_list("max_score", flat=True))
    return maxima if maxima else [None] * width


def validate_scores(values, maxima: list) -> list[int]:
    """Scores as integers within each task's maximum; raises FieldworkError naming the task."""
    if len(values) != len(maxima):
        raise FieldworkError(f"Нужно {len(maxima)} баллов по заданиям, получено {len(values)}.")
    scores = []
    for position, (value, maximum) in enumerate(zip(values, maxima), start=1):
        text = str(value).strip()
        if not text.isdigit():
            raise FieldworkError(f"Задание {position}: «{text}» — не целое неотрицательное число баллов.")
        if maximum is not None and int(text) > maximum:
            raise FieldworkError(f"Задание {position}: {text} больше максимального балла {maximum}.")
        scores.append(int(text))
    return scores


@transaction.atomic
def assignment_submit(*, assignment: Assignment, scores: list, actor=None) -> Assignment:
    assignment = Assignment.objects.select_for_update().select_related("work__campaign").get(pk=assignment.pk)
    work = assignment.work
    if work.is_final:
        raise FieldworkError("Проверка этой работы завершена: баллы изменить нельзя.")
    assignment.scores = validate_scores(scores, task_maxima(work.campaign, len(work.school_scores)))
    assignment.submitted_at = timezone.now()
    assignment.save(update_fields=["scores", "submitted_at"])
    work_evaluate(work=work)
    return assignment


def thresholds_of(campaign: Campaign) -> scoring.Thresholds:
    return scoring.Thresholds(task=campaign.task_threshold, total=campaign.total_threshold,
                              experts=campaign.experts_threshold)


def work_evaluate(*, work: Work) -> None:
    """After a submission: call a third expert on disagreement, or settle the final score."""
    campaign = work.campaign
    done = list(work.assignments.filter(scores__isnull=False).order_by("order"))
    if len(done) < 2 or (work.third_called and len(done) < 3):
        return
    first, second = done[0].scores, done[1].scores
    if not work.third_called and scoring.experts_disagree(first, second, thresholds_of(campaign)):
        _call_third(work)
        return
    work.final_scores = scoring.final_scores([a.scores for a in done], campaign.final_rule)
    work.final_primary = float(sum(work.final_scores))
    boundaries = Scale.objects.filter(procedure=campaign.procedure).values_list("boundaries", flat=True).first()
    work.final_mark = scoring.mark_for(work.final_primary, boundaries or {})
    work.discrepant = scoring.beyond(work.school_scores, work.final_scores, thresholds_of(campaign),
                                     campaign.total_threshold)
    work.save(update_fields=["final_scores", "final_primary", "final_mark", "discrepant"])
    if not campaign.works.filter(final_primary__isnull=True).exists():
        campaign.status = CampaignStatus.DONE
        campaign.save(update_fields=["status"])
    # The re-check sign is cheap to rebuild: keep the analytics in step with every settled work.
    transaction.on_commit(lambda: recheck_signs_store(procedure_id=campaign.procedure_id))


def _call_third(work: Work) -> bool:
    """Assigns a third expert; when nobody is free the work waits (marked) and the submission still counts."""
    campaign = work.campaign
    have = set(work.assignments.values_list("expert_id", flat=True))
    pool = [e.id for e in eligible_experts(campaign, work.campaign_school) if e.id not in have]
    if not pool and campaign.kind == CampaignKind.CROSS:
        # The partner school has no more teachers of the subject: a regional expert settles it.
        regional = Campaign(procedure=campaign.procedure, kind=CampaignKind.RECHECK, check_date=campaign.check_date)
        pool = [e.id for e in eligible_experts(regional, work.campaign_school) if e.id not in have]
    work.third_called = True
    work.save(update_fields=["third_called"])
    if not pool:
        return False
    rng = np.random.default_rng([campaign.seed or 0, work.pk, 3])
    third = draw.pick_least_loaded(pool, campaign_load(campaign), rng, 1)[0]
    Assignment.objects.create(work=work, expert_id=third, order=3)
    return True


# --- observers ---------------------------------------------------------------------------------------------

@transaction.atomic
def observer_assign(*, actor, **fields) -> ObserverAssignment:
    if fields["school"].id not in participating_school_ids(fields["procedure"]):
        raise FieldworkError("Школа не участвует в этой процедуре.")
    assignment = ObserverAssignment.objects.create(created_by=actor, **fields)
    audit_record(actor=actor, action=AuditAction.CREATE, instance=assignment, before=None, source="fieldwork")
    return assignment


MAX_PHOTOS = 10


@transaction.atomic
def observer_report_save(*, assignment: ObserverAssignment, violations: list[str], text: str, photos, actor):
    """Stores the report; every photo is checked before anything is written."""
    unknown = [code for code in violations if code not in VIOLATION_LABELS]
    if unknown:
        raise FieldworkError(f"Неизвестные пункты чек-листа: {', '.join(unknown)}.")
    if "other" in violations and not text.strip():
        raise FieldworkError("Отмечено «Иное»: опишите нарушение в тексте отчёта.")
    try:
        checked = [check_photo(photo) for photo in photos]
    except PhotoError as exc:
        raise FieldworkError(str(exc)) from None
    report, _ = ObserverReport.objects.update_or_create(
        assignment=assignment, defaults={"violations": violations, "text": text.strip(), "submitted_by": actor})
    if report.photos.count() + len(checked) > MAX_PHOTOS:
        raise FieldworkError(f"К отчёту можно приложить не больше {MAX_PHOTOS} фотографий.")
    for photo, content_type in checked:
        photo.seek(0)
        ObserverPhoto.objects.create(report=report, file=photo, original_name=photo.name[:255],
                                     content_type=content_type, size=photo.size)
    audit_record(actor=actor, action=AuditAction.UPDATE, instance=assignment, before=None,
                 source="fieldwork.observer_report")
    return report


@transaction.atomic
def controlled_sample_set(*, procedure, school, control: str, actor) -> ProcedureSchool:
    participation, _ = ProcedureSchool.objects.get_or_create(procedure=procedure, school=school)
    before = audit_snapshot(participation)
    participation.control = control
    participation.save(update_fields=["control"])
    audit_record(actor=actor, action=AuditAction.UPDATE, instance=participation, before=before,
                 source="fieldwork.controlled_sample")
    return participation


# --- an expert's score sheet (xlsx) ------------------------------------------------------------------------

@transaction.atomic
def expert_scores_import(*, user, campaign: Campaign, name: str, data: bytes) -> int:
    """Scores for the expert's own works of one campaign from its filled template; all rows or none.

    Rows with every score cell empty are skipped (works not checked yet)."""
    try:
        sheet = read_table_file(name, data, limit_bytes=EXPERT_FILE_LIMIT)[0]
    except TableFileError as exc:
        raise FieldworkError(str(exc)) from None
    own = {a.pk: a for a in Assignment.objects.visible_to(user).filter(work__campaign=campaign)
           .select_related("work")}
    header = sheet.rows[0] if sheet.rows else []
    if len(header) < 3 or header[0].strip() != "№ назначения" or header[1].strip() != "Код участника":
        raise FieldworkError("Файл не похож на бланк баллов эксперта: скачайте бланк на странице своих работ.")
    maxima = task_maxima(campaign, len(header) - 2)
    errors, ready = [], []
    for index, cells in enumerate(sheet.rows[1:]):
        row = excel_row(index)
        cells = cells + [""] * (len(header) - len(cells))
        scores = [c.strip() for c in cells[2:len(header)]]
        if not any(scores):
            continue
        key = cells[0].strip()
        code = unneutralise(cells[1].strip())  # the blank wrote a formula-like code as «'-12»
        assignment = own.get(int(key)) if key.isdigit() else None
        if assignment is None or assignment.work.participant_code != code:
            errors.append(f"Строка {row}, столбец «№ назначения»: работа {key} {code} не назначена вам.")
            continue
        try:
            ready.append((assignment, validate_scores(scores, maxima)))
        except FieldworkError as exc:
            errors.append(f"Строка {row}: {exc}")
    if errors:
        raise FieldworkError(f"Баллы не загружены: ошибок {len(errors)}.", errors)
    if not ready:
        raise FieldworkError("В файле нет ни одной строки с баллами.")
    for assignment, scores in ready:
        assignment_submit(assignment=assignment, scores=scores, actor=user)
    return len(ready)
