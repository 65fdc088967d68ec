"""Writes of the context: a school's figures, the ministry's rule, and the recomputed flags and groups."""

import pandas as pd
from django.db import transaction

from assessments.analytics.context import DifficultyRule, comparable_groups, difficult_conditions
from rsoko.audit.models import AuditAction
from rsoko.audit.services import audit_record, snapshot
from rsoko.orgs.choices import OrgKind, SettlementType
from rsoko.orgs.models import Organization

from .models import ContextRule, SchoolContext

RULE_FIELDS = ["max_pupils", "russian_second_share", "low_income_share", "rural_counts", "min_criteria"]


def context_frame() -> pd.DataFrame:
    rows = SchoolContext.objects.filter(school__is_active=True, school__kind=OrgKind.SCHOOL).values_list(
        "school_id", "school__settlement_type", "pupils", "russian_second_share", "low_income_share", "listed")
    return pd.DataFrame([(s, t == SettlementType.RURAL, p, r, lo, li) for s, t, p, r, lo, li in rows],
                        columns=["school_id", "rural", "pupils", "russian_second_share", "low_income_share", "listed"])


@transaction.atomic
def contexts_recompute() -> int:
    """Difficult conditions and comparable groups of every school with a context, under the current rule."""
    rule = ContextRule.current()
    frame = context_frame()
    if frame.empty:
        return 0
    flags = difficult_conditions(frame, DifficultyRule(**{f: getattr(rule, f) for f in RULE_FIELDS})) \
        .set_index("school_id")
    groups = comparable_groups(frame, rule.groups)
    contexts = list(SchoolContext.objects.filter(school_id__in=frame["school_id"]))
    for context in contexts:
        context.difficult = bool(flags.loc[context.school_id, "difficult"])
        context.difficult_reasons = flags.loc[context.school_id, "reasons"][:300]
        context.peer_group = int(groups[context.school_id])
    SchoolContext.objects.bulk_update(contexts, ["difficult", "difficult_reasons", "peer_group"], batch_size=1000)
    return len(contexts)


def save_and_recompute(instance, actor, values: dict):
    """Either edit changes every school's flags and groups: saved with its audit record, then recomputed."""
    before = snapshot(instance)
    for name, value in values.items():
        setattr(instance, name, value)
    instance.save()
    audit_record(actor=actor, action=AuditAction.UPDATE, instance=instance, before=before, source="форма")
    contexts_recompute()
    return instance


@transaction.atomic
def context_update(*, school: Organization, actor, **values) -> SchoolContext:
    context, _ = SchoolContext.objects.get_or_create(school=school)
    save_and_recompute(context, actor, values)
    context.refresh_from_db()
    return context


@transaction.atomic
def rule_update(*, actor, **values) -> ContextRule:
    return save_and_recompute(ContextRule.current(), actor, values)


def difficult_school_ids() -> set[int]:
    return set(SchoolContext.objects.filter(difficult=True).values_list("school_id", flat=True))


