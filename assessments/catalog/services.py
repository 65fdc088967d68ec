"""Writes to the procedure catalog. Each change runs in one transaction and leaves an audit entry."""
from dataclasses import asdict
import re

from django.core.exceptions import ValidationError
from django.db import transaction

from rsoko.audit.models import AuditAction
from rsoko.audit.services import audit_record, snapshot
from rsoko.orgs.choices import OrgKind
from rsoko.tables import TableFileError, read_table_file

from ..choices import ControlKind, ProcedureStatus
from ..codifier import CodifierError, TaskSpec, parse_codifier
from ..models import ParticipantResult, Procedure, ProcedureKind, ProcedureSchool, ReferenceScale, Scale, Subject, Task
from ..scales import ScaleData, validate_scale
from .selectors import official_scale

CODE_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")
# planned → conducted → results loaded → analysed; one step back corrects a mistaken click.
STATUS_FLOW = [ProcedureStatus.PLANNED, ProcedureStatus.CONDUCTED, ProcedureStatus.LOADED, ProcedureStatus.ANALYSED]
SPEC_FIELDS = ["position", "label", "max_score", "level", "skill", "block", "kes_codes", "kt_codes"]


def allowed_transitions(status: str) -> list[str]:
    index = STATUS_FLOW.index(ProcedureStatus(status))
    return [STATUS_FLOW[i] for i in (index + 1, index - 1) if 0 <= i < len(STATUS_FLOW)]


def procedure_code(kind: ProcedureKind, year: int, subject: Subject, grade: int | None) -> str:
    """A readable code, e.g. VPR-2021-MA-4 (ИС without a grade: ITS-2027-RU); a taken code gets -2, -3…"""
    base = "-".join(str(part) for part in (kind.slug.upper(), year, subject.code.upper(), grade) if part is not None)
    code, suffix = base, 2
    while Procedure.objects.filter(code=code).exists():
        code, suffix = f"{base}-{suffix}", suffix + 1
    return code


def check_code(code: str, *, exclude_pk=None) -> None:
    if not CODE_PATTERN.match(code):
        raise ValidationError({"code": f"Код «{code}»: только латинские буквы, цифры, «-», «_» и «.», до 64 знаков."})
    if Procedure.objects.filter(code=code).exclude(pk=exclude_pk).exists():
        raise ValidationError({"code": f"Код «{code}» уже занят другой процедурой."})


def check_municipal_organizer(procedure: Procedure) -> None:
    """A municipal procedure belongs to the municipality of its МОУО: without one it would belong to nobody."""
    organizer = procedure.organizer
    if procedure.is_municipal and (organizer is None or organizer.kind != OrgKind.MUNICIPAL_OFFICE):
        raise ValidationError({"organizer": "Муниципальную процедуру проводит МОУО: укажите его организатором."})
    if (procedure.owner_municipality_id is not None and procedure.pk
            and procedure.participations.exclude(school__municipality_id=procedure.owner_municipality_id).exists()):
        raise ValidationError({"organizer": "Среди участников есть школы другого муниципалитета: муниципальная "
                                            "процедура проводится только для школ своего муниципалитета."})


def check_dates(procedure: Procedure) -> None:
    if procedure.date_start and procedure.date_end and procedure.date_end < procedure.date_start:
        raise ValidationError({"date_end": "Дата окончания раньше даты начала."})


def procedure_create(*, actor, kind: ProcedureKind, year: int, subject: Subject, grade: int | None = None,
                     code: str = "", source: str = "веб", **fields) -> Procedure:
    """A new instance; the code is generated from kind, year, subject and grade unless given."""
    with transaction.atomic():
        code = code.strip() or procedure_code(kind, year, subject, grade)
        check_code(code)
        procedure = Procedure(code=code, kind=kind, year=year, subject=subject, grade=grade, **fields)
        check_dates(procedure)
        check_municipal_organizer(procedure)
        procedure.full_clean()
        procedure.save()
        audit_record(actor=actor, action=AuditAction.CREATE, instance=procedure, before=None, source=source)
    return procedure


IDENTITY_FIELDS = {"kind": "вид", "subject": "предмет", "grade": "класс", "year": "год"}


def check_identity_kept(procedure: Procedure, fields: dict) -> None:
    """Loaded results belong to one kind, subject, grade and year: those may not change under them."""
    changed = [label for name, label in IDENTITY_FIELDS.items()
               if name in fields and fields[name] != getattr(procedure, name)]
    if changed and ParticipantResult.objects.filter(procedure=procedure).exists():
        raise ValidationError(
            f"По процедуре уже загружены результаты: нельзя изменить {', '.join(changed)}. Создайте новую процедуру."
        )


def procedure_update(*, actor, procedure: Procedure, source: str = "веб", **fields) -> Procedure:
    with transaction.atomic():
        check_identity_kept(Procedure.objects.get(pk=procedure.pk), fields)
        before = snapshot(Procedure.objects.select_for_update().get(pk=procedure.pk))
        for name, value in fields.items():
            setattr(procedure, name, value)
        check_code(procedure.code, exclude_pk=procedure.pk)
        check_dates(procedure)
        check_municipal_organizer(procedure)
        procedure.full_clean()
        procedure.save()
        audit_record(actor=actor, action=AuditAction.UPDATE, instance=procedure, before=before, source=source)
    return procedure


def procedure_status_set(*, actor, procedure: Procedure, status: str, source: str = "веб") -> Procedure:
    if status not in allowed_transitions(procedure.status):
        raise ValidationError(
            f"Нельзя перевести процедуру из состояния «{procedure.get_status_display()}» в "
            f"«{ProcedureStatus(status).label if status in ProcedureStatus.values else status}»."
        )
    return procedure_update(actor=actor, procedure=procedure, status=status, source=source)


# Participating schools ------------------------------------------------------------------------------


def audit_participants(*, actor, procedure, before: list, source: str) -> None:
    """One entry on the procedure listing the participants before and after."""
    entry = audit_record(
        actor=actor, action=AuditAction.UPDATE, instance=procedure,
        before={**snapshot(procedure), "participants": before}, source=source,
    )
    if entry is not None:
        entry.after = {**entry.after, "participants": participant_list(procedure)}
        entry.save(update_fields=["after"])


def participant_list(procedure: Procedure) -> list[str]:
    return [
        f"{code}{' (' + control + ')' if control else ''}"
        for code, control in procedure.participations.order_by("school__code").values_list("school__code", "control")
    ]


def check_schools_within_owner(procedure: Procedure, schools) -> None:
    """A municipal procedure (МПР) is written by the schools of its own municipality only."""
    owner = procedure.owner_municipality_id
    outside = sorted(s.code for s in schools if owner is not None and s.municipality_id != owner)
    if outside:
        raise ValidationError(
            f"Муниципальная процедура {procedure.code} проводится только для школ муниципалитета "
            f"«{procedure.organizer.municipality}»; не из него: {', '.join(outside[:20])}.")


def procedure_schools_add(*, actor, procedure: Procedure, schools, control: str = "", source: str = "веб") -> int:
    """Adds schools (already participating ones are left as they are); returns how many were added."""
    check_schools_within_owner(procedure, schools)
    with transaction.atomic():
        before = participant_list(procedure)
        present = set(procedure.participations.values_list("school_id", flat=True))
        new = [ProcedureSchool(procedure=procedure, school=s, control=control) for s in schools if s.id not in present]
        ProcedureSchool.objects.bulk_create(new)
        if new:
            audit_participants(actor=actor, procedure=procedure, before=before, source=source)
    return len(new)


def procedure_schools_remove(*, actor, procedure: Procedure, school_ids, source: str = "веб") -> int:
    with transaction.atomic():
        before = participant_list(procedure)
        if ParticipantResult.objects.filter(procedure=procedure, school_id__in=school_ids).exists():
            raise ValidationError("Нельзя исключить школу, по которой уже загружены результаты.")
        removed, _ = procedure.participations.filter(school_id__in=school_ids).delete()
        if removed:
            audit_participants(actor=actor, procedure=procedure, before=before, source=source)
    return removed


def procedure_control_set(*, actor, procedure: Procedure, school_ids, control: str, source: str = "веб") -> int:
    """Marks (or unmarks, control="") schools as written under control: the objective benchmark."""
    if control not in ControlKind.values:
        raise ValidationError(f"Неизвестный вид контроля «{control}».")
    with transaction.atomic():
        before = participant_list(procedure)
        changed = procedure.participations.filter(school_id__in=school_ids).exclude(control=control).update(control=control)
        if changed:
            audit_participants(actor=actor, procedure=procedure, before=before, source=source)
    return changed


# Task specification ---------------------------------------------------------------------------------


def spec_rows(tasks) -> list[dict]:
    return [{name: getattr(task, name) for name in SPEC_FIELDS} for task in tasks]


def check_spec_keeps_results(procedure: Procedure, specs: list[TaskSpec]) -> None:
    """Stored results hold scores by position: once they exist, only the texts may change."""
    if not ParticipantResult.objects.filter(procedure=procedure).exists():
        return
    old = list(procedure.tasks.order_by("position").values_list("position", "max_score"))
    new = [(spec.position, spec.max_score) for spec in specs]
    if old != new:
        raise ValidationError(
            "По процедуре уже загружены результаты: можно уточнить описания заданий, но не их число и "
            f"максимальные баллы (сейчас {len(old)} заданий, в новой спецификации {len(new)})."
        )


def procedure_tasks_replace(*, actor, procedure: Procedure, specs: list[TaskSpec], source: str = "веб") -> list[Task]:
    """Replaces the whole specification at once and sets the procedure's max score to the tasks' sum."""
    if not specs:
        raise ValidationError("Спецификация не содержит ни одного задания.")
    check_task_fields(specs)
    with transaction.atomic():
        procedure = Procedure.objects.select_for_update().get(pk=procedure.pk)
        check_spec_keeps_results(procedure, specs)
        before = {**snapshot(procedure), "tasks": spec_rows(procedure.tasks.order_by("position"))}
        procedure.tasks.all().delete()
        tasks = Task.objects.bulk_create(
            Task(procedure=procedure, **{name: getattr(spec, name) for name in SPEC_FIELDS}) for spec in specs
        )
        procedure.max_score = sum(spec.max_score for spec in specs)
        procedure.save(update_fields=["max_score", "updated_at"])
        entry = audit_record(actor=actor, action=AuditAction.UPDATE, instance=procedure, before=before, source=source)
        entry.after = {**entry.after, "tasks": spec_rows(specs)}
        entry.save(update_fields=["after"])
    return tasks


def check_task_fields(specs: list[TaskSpec]) -> None:
    """Every field within the model's limits before anything is written: a database error never reaches a user."""
    errors = []
    for spec in specs:
        task = Task(**{name: getattr(spec, name) for name in SPEC_FIELDS})
        try:
            task.clean_fields(exclude=["procedure"])
        except ValidationError as exc:
            rows = f" (строки {', '.join(map(str, spec.rows))})" if getattr(spec, "rows", None) else ""
            for name, messages in exc.message_dict.items():
                title = Task._meta.get_field(name).verbose_name
                errors += [f"Задание № {spec.label}{rows}, поле «{title}»: {message}" for message in messages]
    if errors:
        raise ValidationError(errors)


STATED_YEAR = re.compile(r"(?<!\d)(20[1-3]\d)(?!\d)")
TITLE_ROWS = 3


def codifier_year(filename: str, sheets) -> int | None:
    """The year a codifier states: in its file name («codifier_vpr2021_geo10.xlsx») or a title row above the table."""
    found = STATED_YEAR.search(filename)
    if found:
        return int(found.group(1))
    for sheet in sheets[:1]:
        for row in sheet.rows[:TITLE_ROWS]:
            text = " ".join(str(cell) for cell in row if cell)
            found = STATED_YEAR.search(text) if "кодификатор" in text.lower() or "впр" in text.lower() else None
            if found:
                return int(found.group(1))
    return None


def check_codifier_year(procedure: Procedure, filename: str, sheets, any_year: bool) -> None:
    """A codifier belongs to a year: kits change (task count, maxima), so another year's codifier is refused."""
    year = codifier_year(filename, sheets)
    if year is None or year == procedure.year or any_year:
        return
    raise ValidationError(
        f"Кодификатор «{filename}» относится к {year} году, а процедура {procedure.code} — к {procedure.year}. "
        "Комплекты меняются от года к году (число заданий и максимальные баллы): загрузите кодификатор "
        f"{procedure.year} года. Если комплект тот же, загрузите этот файл с отметкой «Кодификатор другого года "
        "подходит» (в команде import_codifier — параметр --any-year)."
    )


def codifier_import(*, actor, procedure: Procedure, filename: str, data: bytes, limit_bytes: int,
                    source: str = "загрузка кодификатора", any_year: bool = False) -> list[Task]:
    """Reads a codifier file and replaces the specification; ValidationError lists every problem."""
    try:
        sheets = read_table_file(filename, data, limit_bytes=limit_bytes)
        check_codifier_year(procedure, filename, sheets, any_year)
        specs = parse_codifier(sheets)
    except TableFileError as exc:
        raise ValidationError(str(exc)) from None
    except CodifierError as exc:
        raise ValidationError(exc.errors) from None
    return procedure_tasks_replace(actor=actor, procedure=procedure, specs=specs, source=source)


# Scales ---------------------------------------------------------------------------------------------


def scale_set(*, actor, procedure: Procedure, data: ScaleData, source_text: str = "", source: str = "веб") -> Scale:
    """Validates the scale against the procedure's grading, max score and tasks, then stores it."""
    task_max = dict(procedure.tasks.values_list("label", "max_score"))
    errors = validate_scale(data, grading=procedure.kind.grading, max_score=procedure.max_score, task_max=task_max)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        scale = Scale.objects.select_for_update().filter(procedure=procedure).first()
        before = snapshot(scale) if scale else None
        scale = scale or Scale(procedure=procedure)
        for name, value in asdict(data).items():
            setattr(scale, name, value)
        scale.source = source_text[:300]
        scale.save()
        action = AuditAction.CREATE if before is None else AuditAction.UPDATE
        audit_record(actor=actor, action=action, instance=scale, before=before, source=source)
    return scale


def scale_apply_reference(*, actor, procedure: Procedure, reference: ReferenceScale, source: str = "веб") -> Scale:
    """Copies a reference scale; one from an earlier year is labelled so in the scale's source."""
    if procedure.max_score is None:
        procedure_update(actor=actor, procedure=procedure, max_score=reference.max_score, source=source)
    elif procedure.max_score != reference.max_score:
        raise ValidationError(
            f"Эталонная шкала рассчитана на максимум {reference.max_score} баллов, а у процедуры — "
            f"{procedure.max_score}. Проверьте спецификацию или задайте шкалу вручную."
        )
    label = f"Эталонная шкала ВПР-{reference.year}" if reference.kind.slug == "VPR" else f"Эталонная шкала {reference.year} г."
    if reference.year != procedure.year:
        label += f" (ближайший предшествующий год к {procedure.year})"
    data = ScaleData(boundaries=dict(reference.boundaries), conditions=list(reference.conditions))
    return scale_set(actor=actor, procedure=procedure, data=data, source_text=f"{label}: {reference.source}", source=source)


def scale_apply_official(*, actor, procedure: Procedure, source: str = "веб") -> tuple[Scale | None, str]:
    """The official scale of the procedure's own year, applied when it has no scale yet: (scale, what was done).

    Nothing is applied when the procedure already has a scale, when the year has no confirmed official scale
    (an earlier year's may belong to another kit) or when its maximum differs from the procedure's."""
    if Scale.objects.filter(procedure=procedure).exists():
        return None, "Шкала процедуры уже задана: официальная не применялась."
    where = f"{procedure.kind.code}-{procedure.year}, {procedure.subject.name.lower()}" + (
        f", {procedure.grade} класс" if procedure.grade else "")
    reference = official_scale(kind=procedure.kind, subject=procedure.subject, grade=procedure.grade, year=procedure.year)
    if reference is None:
        return None, (f"Официальной шкалы {where} в справочнике нет: задайте шкалу вручную "
                      "(первые баллы отметок «3», «4», «5»).")
    if procedure.max_score is not None and procedure.max_score != reference.max_score:
        return None, (f"Официальная шкала {where} рассчитана на максимум {reference.max_score} баллов, а у процедуры — "
                      f"{procedure.max_score}: шкала не применена, задайте её вручную.")
    scale = scale_apply_reference(actor=actor, procedure=procedure, reference=reference, source=source)
    firsts = reference.boundaries
    return scale, (f"Применена официальная шкала {where}: «3» с {firsts['3']}, «4» с {firsts['4']}, «5» с {firsts['5']} "
                   f"из {reference.max_score} баллов.")
