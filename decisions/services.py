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
