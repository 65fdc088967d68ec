"""Writes of management decisions: recording one, within the recording body's reach."""
from django.db import transaction

from rsoko.audit.models import AuditAction
from rsoko.audit.services import audit_record
from rsoko.orgs.access import scope_for
from rsoko.orgs.choices import OrgKind

from .models import Decision


class DecisionError(Exception):
    """The decision cannot be recorded; the message is in Russian and names the field."""


def owners_for(user):
    """Bodies the user may record decisions for: the ministry (region-wide staff) or their municipal office."""
    from rsoko.orgs.models import Organization

    scope = scope_for(user)
    if not scope.can("decisions.manage"):
        return Organization.objects.none()
    kinds = [OrgKind.MUNICIPAL_OFFICE] + ([OrgKind.MINISTRY] if scope.region_wide else [])
    own = Organization.objects.filter(id__in=scope.organization_ids, kind__in=kinds)
    if scope.region_wide:
        own = own | Organization.objects.filter(kind=OrgKind.MINISTRY, is_active=True)
    return own.distinct().order_by("kind", "short_name")


def check_reach(owner, schools, municipalities) -> None:
    """A municipal office decides about its own municipality and its schools only."""
    if owner.kind != OrgKind.MUNICIPAL_OFFICE:
        return
    foreign = [s.short_name for s in schools if s.municipality_id != owner.municipality_id]
    if foreign:
        raise DecisionError(f"ОО: {', '.join(foreign[:5])} — не из муниципалитета «{owner.municipality}».")
    foreign = [m.name for m in municipalities if m.pk != owner.municipality_id]
    if foreign:
        raise DecisionError(f"Муниципалитеты: {', '.join(foreign[:5])} — вне ведения «{owner}».")


@transaction.atomic
def decision_create(*, actor, owner, order_number: str, order_date, title: str, text: str = "", mechanism: str,
                    indicators, schools=(), municipalities=(), measures=()) -> Decision:
    if owner not in owners_for(actor):
        raise DecisionError(f"Принявший орган: вы не можете записывать решения от имени «{owner}».")
    if not schools and not municipalities:
        raise DecisionError("Укажите ОО или муниципалитеты, которых касается решение.")
    if not indicators:
        raise DecisionError("Показатели: укажите хотя бы один показатель, на который направлено решение.")
    check_reach(owner, schools, municipalities)
    decision = Decision.objects.create(owner=owner, order_number=order_number, order_date=order_date, title=title,
                                       text=text, mechanism=mechanism,
                                       created_by=actor if actor and actor.pk else None)
    decision.indicators.set(indicators)
    decision.schools.set(schools)
    decision.municipalities.set(municipalities)
    decision.measures.set(measures)
    audit_record(actor=actor, action=AuditAction.CREATE, instance=decision, before=None, source="реестр решений")
    return decision


# ---- consequences for flagged schools -------------------------------------------------------------------

def actor_name(actor) -> str:
    return getattr(actor, "username", "") or "система"


@transaction.atomic
def cases_assign(*, actor, year: int, kind: str, schools, due=None, decision=None) -> tuple[list, list]:
    """One case per school (a school already having this consequence for the year is skipped, not doubled).

    Only schools with signs or on the federal list for the year can be given a consequence.
    """
    from .models import Case, CaseEvent, CaseKind, CaseStatus
    from .selectors import flagged_schools

    if kind not in CaseKind.values:
        raise DecisionError(f"Последствие: неизвестный вид «{kind}».")
    reasons = flagged_schools(year)
    foreign = [s.short_name for s in schools if s.pk not in reasons]
    if foreign:
        raise DecisionError(f"ОО без признаков и вне федерального перечня за {year} год: {', '.join(foreign[:5])}.")
    existing = set(Case.objects.filter(year=year, kind=kind, school__in=schools).values_list("school_id", flat=True))
    created, skipped = [], []
    for school in schools:
        if school.pk in existing:
            skipped.append(school)
            continue
        case = Case.objects.create(school=school, year=year, kind=kind, reason=reasons[school.pk][:200], due=due,
                                   decision=decision, created_by=actor if actor and actor.pk else None)
        CaseEvent.objects.create(case=case, status=CaseStatus.ASSIGNED, comment="назначено", actor=actor,
                                 actor_name=actor_name(actor))
        created.append(case)
    audit_record(actor=actor, action=AuditAction.CREATE, instance=created[0], before=None,
                 source=f"последствия: {len(created)} ОО") if created else None
    return created, skipped


@transaction.atomic
def case_update(*, case, actor, status: str, result: str = "", comment: str = ""):
    from .models import CaseEvent, CaseResult, CaseStatus

    if status not in CaseStatus.values:
        raise DecisionError(f"Состояние: неизвестное значение «{status}».")
    if result not in CaseResult.values:
        raise DecisionError(f"Итог: неизвестное значение «{result}».")
    if status == CaseStatus.DONE and not result:
        raise DecisionError("Итог: укажите итог, чтобы отметить последствие выполненным.")
    case.status, case.result = status, result
    case.save(update_fields=["status", "result", "updated_at"])
    CaseEvent.objects.create(case=case, status=status, result=result, comment=comment, actor=actor,
                             actor_name=actor_name(actor))
    return case
