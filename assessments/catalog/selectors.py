"""Reads of the procedure catalog, already scoped to the user: one path for pages, API and files."""
from itertools import groupby
import re

from django.db.models import Count, Q

from rsoko.orgs.access import scope_for
from rsoko.orgs.choices import OrgKind
from rsoko.orgs.models import Organization

from ..choices import ProcedureLevel
from ..models import Procedure, ProcedureKind, ProcedureSchool, ReferenceScale, Subject
from ..scales import ScaleData, validate_scale

MONTHS = ["январь", "февраль", "март", "апрель", "май", "июнь", "июль", "август", "сентябрь", "октябрь",
          "ноябрь", "декабрь"]
LEVEL_FLAGS = {"noo": "level_noo", "ooo": "level_ooo", "soo": "level_soo"}


def procedures_for(user):
    return (
        Procedure.objects.visible_to(user)
        .select_related("kind", "subject", "organizer__municipality")
        .annotate(school_count=Count("participations", distinct=True))
        .order_by(*Procedure._meta.ordering, "code")  # GROUP BY drops Meta.ordering
    )


def procedure_for(user, code: str) -> Procedure:
    """One procedure by code or None (the view answers 404)."""
    return (Procedure.objects.visible_to(user).select_related("kind", "subject", "organizer__municipality")
            .filter(code=code).first())


MANAGE, MANAGE_MUNICIPAL = "procedures.manage", "procedures.manage_municipal"


def manages_any(user) -> bool:
    """Holds a right to manage some procedure: the gate of every catalog-writing page (which one: can_manage)."""
    return scope_for(user).can(MANAGE) or scope_for(user).can(MANAGE_MUNICIPAL)


def can_create(user) -> bool:
    """May create procedures at all: the region's catalog keepers, or a МОУО its municipal ones."""
    return scope_for(user).can(MANAGE) or municipal_organizer_for(user) is not None


def can_manage(user, procedure: Procedure) -> bool:
    """The region's catalog keepers manage every procedure; a municipal coordinator only the municipal procedures
    its own МОУО organizes (its specification, scale, schools and state)."""
    if scope_for(user).can(MANAGE):
        return True
    owner = procedure.owner_municipality_id
    return owner is not None and owner in scope_for(user, MANAGE_MUNICIPAL).municipality_ids


def municipal_organizer_for(user) -> Organization | None:
    """The МОУО a municipal coordinator creates municipal procedures for (the first, by code, if several)."""
    scope = scope_for(user, MANAGE_MUNICIPAL)
    if not scope.municipality_ids:
        return None
    return (Organization.objects.filter(kind=OrgKind.MUNICIPAL_OFFICE, is_active=True, id__in=scope.organization_ids)
            .select_related("municipality").order_by("code").first())


def municipal_kinds():
    return ProcedureKind.objects.filter(level=ProcedureLevel.MUNICIPAL)


def scale_problems(procedure: Procedure) -> list[str]:
    """What no longer fits in a stored scale, e.g. after the specification was replaced."""
    scale = getattr(procedure, "scale", None)
    if scale is None:
        return []
    data = ScaleData(scale.boundaries, scale.conditions, scale.test_scores, scale.minimum_test_score, scale.pass_score)
    task_max = dict(procedure.tasks.values_list("label", "max_score"))
    return validate_scale(data, grading=procedure.kind.grading, max_score=procedure.max_score, task_max=task_max)


def kinds_with_counts():
    return ProcedureKind.objects.annotate(procedure_count=Count("procedures")).order_by("order", "code")


def participations_for(user, procedure: Procedure):
    """Participating schools the user may see (a coordinator: those of his municipality)."""
    visible = Organization.objects.visible_to(user)
    return (
        ProcedureSchool.objects.filter(procedure=procedure, school__in=visible)
        .select_related("school__municipality")
        .order_by("school__municipality__name", "school__short_name")
    )


def filter_participations(participations, *, query: str = "", municipality_id: str = "", controlled_only: bool = False):
    if query:
        participations = participations.filter(Q(school__short_name__icontains=query) | Q(school__code__icontains=query))
    if municipality_id.isdigit():
        participations = participations.filter(school__municipality_id=int(municipality_id))
    if controlled_only:
        participations = participations.exclude(control="")
    return participations


def participation_counts(procedure: Procedure) -> dict:
    participations = procedure.participations
    return {"total": participations.count(), "controlled": participations.exclude(control="").count()}


def upload_schools_for(user, procedure: Procedure):
    """Participating schools the user may upload results for (the «Код ОО» list of the template)."""
    scope = scope_for(user, "results.upload")
    if not scope.can("results.upload"):
        return Organization.objects.none()
    schools = Organization.objects.visible_to(user).schools().filter(participations__procedure=procedure)
    if not scope.region_wide:
        schools = schools.filter(municipality_id__in=scope.municipality_ids)
    return schools.order_by("code")


def reference_scale_for(procedure: Procedure) -> ReferenceScale | None:
    """The reference scale of the same kind, subject and grade: this year's, else the nearest earlier one."""
    return (
        ReferenceScale.objects.filter(
            kind=procedure.kind, subject=procedure.subject, grade=procedure.grade, year__lte=procedure.year
        )
        .select_related("kind", "subject")
        .order_by("-year")
        .first()
    )


def official_scale(*, kind: ProcedureKind, subject: Subject, grade: int | None, year: int) -> ReferenceScale | None:
    """The official scale of exactly this kind, subject, grade and year (kits change between years: an earlier
    year's scale is only offered by hand, through `reference_scale_for`)."""
    return (ReferenceScale.objects.filter(kind=kind, subject=subject, grade=grade, year=year)
            .select_related("kind", "subject").first())


def reference_scales():
    return ReferenceScale.objects.select_related("kind", "subject").order_by("kind__order", "-year", "subject__name", "grade")


def bulk_schools(user, *, mode: str, municipality=None, level: str = "", codes_text: str = "", within=None):
    """Schools for a bulk add: (schools, codes that matched no school in the user's scope or, for a municipal
    procedure, in its municipality `within`)."""
    schools = Organization.objects.visible_to(user).schools().filter(is_active=True)
    if within is not None:
        schools = schools.filter(municipality_id=within)
    if mode == "municipality":
        return list(schools.filter(municipality=municipality)), []
    if mode == "level":
        return list(schools.filter(**{LEVEL_FLAGS[level]: True})), []
    if mode == "codes":
        codes = [code for code in re.split(r"[\s,;]+", codes_text) if code]
        found = schools.by_school_codes(codes) if codes else {}
        by_code = {o.code.lower(): o for o in schools.filter(code__in=codes)}
        matched = {code: found.get(code) or by_code.get(code.lower()) for code in codes}
        return list({o.id: o for o in matched.values() if o}.values()), [c for c, o in matched.items() if o is None]
    return list(schools), []


def schedule_for(user, *, year: int, kind=None, level: str = "", municipality=None):
    """Procedures of an academic year by date, grouped by month: [(«март 2027», [procedures…])…]."""
    procedures = procedures_for(user).filter(year=year)
    if kind:
        procedures = procedures.filter(kind=kind)
    if level:
        procedures = procedures.filter(kind__level=level)
    if municipality:
        # Relevant to a municipality: one of its schools takes part, or its office organizes it.
        procedures = procedures.filter(
            Q(participations__school__municipality=municipality)
            | Q(organizer__kind=OrgKind.MUNICIPAL_OFFICE, organizer__municipality=municipality)
        ).distinct()
    dated = procedures.exclude(date_start=None).order_by("date_start", "kind__order", "subject__name", "grade")
    groups = [
        (f"{MONTHS[month - 1]} {year_}", list(items))
        for (year_, month), items in groupby(dated, key=lambda p: (p.date_start.year, p.date_start.month))
    ]
    undated = list(procedures.filter(date_start=None).order_by("kind__order", "subject__name", "grade"))
    return groups, undated


def current_academic_year(today) -> int:
    """The year a school year closes in: from September on, the next calendar year."""
    return today.year + 1 if today.month >= 9 else today.year


def kind_by_name(text: str) -> ProcedureKind | None:
    """A kind by its Russian code (ВПР) or Latin slug (VPR), in any case."""
    # Compared in Python: SQLite folds the case of Latin letters only, and the catalog is short.
    wanted = text.strip().casefold()
    return next((k for k in ProcedureKind.objects.all() if wanted in (k.code.casefold(), k.slug.casefold())), None)


def subject_by_name(text: str):
    """A subject by name («Математика») or code (MA), in any case."""
    wanted = text.strip().casefold()
    return next((s for s in Subject.objects.all() if wanted in (s.name.casefold(), s.code.casefold())), None)


def participation_by_municipality(user, procedure: Procedure) -> list[dict]:
    """Participating schools (in the user's scope) per municipality, with the controlled-sample count."""
    return list(
        participations_for(user, procedure)
        .values("school__municipality__name")
        .annotate(total=Count("id"), controlled=Count("id", filter=~Q(control="")))
        .order_by("school__municipality__name")
    )


def procedure_table(procedures):
    from rsoko.exports import Column, Table

    columns = [Column("code", "Код", width=20), Column("title", "Процедура", width=50), Column("kind", "Вид", width=10),
               Column("year", "Год", "int", 8), Column("subject", "Предмет", width=20), Column("grade", "Класс", "int", 8),
               Column("date_start", "Начало", "date", 12), Column("date_end", "Окончание", "date", 12),
               Column("status", "Состояние", width=14)]
    rows = ({"code": p.code, "title": str(p), "kind": p.kind.code, "year": p.year, "subject": p.subject.name,
             "grade": p.grade, "date_start": p.date_start, "date_end": p.date_end, "status": p.get_status_display()}
            for p in procedures.select_related("kind", "subject"))
    return Table("Каталог процедур", columns, rows, filename="katalog-procedur")
