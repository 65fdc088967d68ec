"""Reads for roadmaps: one path, already scoped to the user, used by pages, the API and the xlsx export."""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import Count, Prefetch, Q
from django.utils import timezone

from rsoko.orgs.access import scope_for
from rsoko.orgs.choices import OrgKind

from .choices import ExecutionStatus, ExecutorMatch
from .models import Assignment, ExecutorAlias, Item, ItemExecutor, ReportingRound, Roadmap
from .services import round_reporters, rollup


def roadmaps_for(user):
    return (Roadmap.objects.visible_to(user).select_related("owner", "owner__municipality")
            .annotate(item_count=Count("items", filter=Q(items__is_section=False), distinct=True)))


def items_for(user):
    return Item.objects.visible_to(user)


def assignments_for(user):
    return Assignment.objects.visible_to(user).select_related("item", "item__roadmap", "organization")


@dataclass
class DocumentRow:
    """One row of the document page: the item, its executors, its assignments and the rolled-up status."""

    item: Item
    executors: list = field(default_factory=list)
    assignments: list = field(default_factory=list)
    status: str = ExecutionStatus.NOT_STARTED
    sub_items: list = field(default_factory=list)

    @property
    def status_label(self) -> str:
        return ExecutionStatus(self.status).label


def sub_item_statuses(items: list[Item]) -> dict[int, list[str]]:
    """Rolled-up statuses of lower-level items implementing each of `items` (one level down)."""
    subs = (Item.objects.filter(implements__in=items).prefetch_related("assignments")
            .select_related("roadmap", "roadmap__owner"))
    result: dict[int, list] = defaultdict(list)
    for sub in subs:
        result[sub.implements_id].append((sub, rollup([a.status for a in sub.assignments.all()])))
    return result


def document_rows(roadmap: Roadmap, user) -> list[DocumentRow]:
    """The rows this user may see (a municipality: the items assigned to it, with their sections)."""
    visible_ids = set(items_for(user).filter(roadmap=roadmap).values_list("id", flat=True))
    assignments = Assignment.objects.visible_to(user).select_related("organization").order_by("organization__short_name")
    items = list(roadmap.items.order_by("position").prefetch_related(
        Prefetch("executors", queryset=ItemExecutor.objects.select_related("organization")),
        Prefetch("assignments", queryset=assignments),
    ))
    by_id = {item.pk: item for item in items}
    keep = set()
    for item_id in visible_ids:
        while item_id is not None and item_id not in keep:
            keep.add(item_id)
            item_id = by_id[item_id].parent_id if item_id in by_id else None
    subs = sub_item_statuses([i for i in items if i.pk in keep])
    rows = []
    for item in items:
        if item.pk not in keep:
            continue
        statuses = [a.status for a in item.assignments.all()] + [status for _, status in subs.get(item.pk, [])]
        rows.append(DocumentRow(item, list(item.executors.all()), list(item.assignments.all()),
                                rollup(statuses), subs.get(item.pk, [])))
    roll_sections_up(rows)
    return rows


def roll_sections_up(rows: list[DocumentRow]) -> None:
    """A row with sub-rows (a section, a sub-header) shows the roll-up of everything under it."""
    by_item = {row.item.pk: row for row in rows}
    below: dict[int, list[str]] = defaultdict(list)
    for row in rows:
        if row.assignments:
            parent = row.item.parent_id
            while parent is not None and parent in by_item:
                below[parent].append(row.status)
                parent = by_item[parent].item.parent_id
    for row in rows:
        if not row.assignments and below.get(row.item.pk):
            row.status = rollup(below[row.item.pk])


def status_counts(rows: list[DocumentRow]) -> dict[str, int]:
    counts = {status: 0 for status in ExecutionStatus.values}
    for row in rows:
        for assignment in row.assignments:
            counts[assignment.status] += 1
    return counts


# ---- timeline ---------------------------------------------------------------------------------------------

@dataclass
class TimelineBar:
    row: DocumentRow
    left: float  # percent of the timeline width
    width: float
    undated: bool = False


def timeline(roadmap: Roadmap, user) -> tuple[list[dict], list[TimelineBar], date | None]:
    """Month columns and one bar per dated item, positioned in percent of the whole span."""
    rows = [r for r in document_rows(roadmap, user) if not r.item.is_section]
    dated = [r for r in rows if r.item.deadline_end]
    starts = [r.item.deadline_start or r.item.deadline_end for r in dated]
    if not dated:
        return [], [TimelineBar(r, 0, 0, True) for r in rows], None
    first = min(starts + ([roadmap.period.start] if roadmap.period else []))
    last = max([r.item.deadline_end for r in dated] + ([roadmap.period.end] if roadmap.period else []))
    first, last = date(first.year, first.month, 1), last
    span = max(1, (last - first).days + 1)
    months, cursor = [], first
    while cursor <= last:
        nxt = date(cursor.year + cursor.month // 12, cursor.month % 12 + 1, 1)
        month_end = min(nxt - timedelta(days=1), last)
        months.append({"label": f"{MONTH_SHORT[cursor.month - 1]} {cursor:%y}",
                       "width": round(100 * ((month_end - cursor).days + 1) / span, 3)})
        cursor = nxt
    bars = []
    for row in rows:
        end = row.item.deadline_end
        if end is None:
            bars.append(TimelineBar(row, 0, 0, True))
            continue
        start = row.item.deadline_start or end
        bars.append(TimelineBar(row, round(100 * (start - first).days / span, 3),
                                max(0.6, round(100 * ((end - start).days + 1) / span, 3))))
    return months, bars, first


MONTH_SHORT = ["янв", "фев", "мар", "апр", "май", "июн", "июл", "авг", "сен", "окт", "ноя", "дек"]


# ---- reporting rounds ------------------------------------------------------------------------------------

def short_municipality(office) -> str:
    """«Берёзовский муниципальный район» → «Берёзовский МР»: column headers of the consolidated matrix."""
    name = office.municipality.name if office.municipality_id else office.short_name
    for long, short in (("муниципальный район", "МР"), ("Городской округ", "ГО"), ("городской округ", "ГО"),
                        ("муниципальный округ", "МО")):
        name = name.replace(long, short)
    return name.strip()


@dataclass
class Consolidated:
    offices: list
    submitted: dict  # office id → Submission
    rows: list  # (item, [assignment or None per office])

    @property
    def missing(self) -> list:
        return [o for o in self.offices if o.pk not in self.submitted]


def consolidated(reporting_round: ReportingRound, user) -> Consolidated:
    """Items × municipal offices with statuses, and who has and has not reported (scoped)."""
    scope = scope_for(user, "roadmaps.view")
    offices = round_reporters(reporting_round)
    for office in offices:
        office.column_label = short_municipality(office)
    if not scope.region_wide:
        offices = [o for o in offices if o.municipality_id in scope.municipality_ids or o.pk in scope.organization_ids]
    office_ids = [o.pk for o in offices]
    assignments = Assignment.objects.filter(item__roadmap=reporting_round.roadmap, organization_id__in=office_ids)
    cells: dict[int, dict[int, Assignment]] = defaultdict(dict)
    for assignment in assignments:
        cells[assignment.item_id][assignment.organization_id] = assignment
    items = reporting_round.roadmap.items.filter(id__in=cells.keys()).order_by("position")
    rows = [(item, [cells[item.pk].get(o) for o in office_ids]) for item in items]
    submitted = {s.organization_id: s for s in reporting_round.submissions.filter(organization_id__in=office_ids)
                 .select_related("submitted_by")}
    return Consolidated(offices, submitted, rows)


def rounds_for(user):
    return ReportingRound.objects.visible_to(user).select_related("roadmap")


def reporting_office(user, reporting_round: ReportingRound):
    """The municipal office this user reports for in the round, if any."""
    scope = scope_for(user, "roadmaps.report")
    for office in round_reporters(reporting_round):
        if office.pk in scope.organization_ids and office.kind == OrgKind.MUNICIPAL_OFFICE:
            return office
    return None


# ---- executors for review -----------------------------------------------------------------------------------

def unmatched_executors():
    """Unknown executors grouped by their text, with the items they occur in."""
    grouped: dict[str, list] = defaultdict(list)
    for executor in (ItemExecutor.objects.filter(match=ExecutorMatch.UNKNOWN)
                     .select_related("item", "item__roadmap").order_by("text", "item__roadmap_id", "item__position")):
        grouped[executor.text].append(executor.item)
    return sorted(grouped.items())


def aliases():
    return ExecutorAlias.objects.select_related("organization").order_by("phrase")


# ---- execution as of a date: one definition for the quarterly report and the monitoring indicators ----

def statuses_as_of(assignments, as_of: date) -> list[tuple[Assignment, str, bool]]:
    """(assignment, its status at the end of `as_of`, whether any report was made by then), from the history.

    A status set later does not count (an item the daily check marked overdue after the quarter's end was not
    overdue in that quarter); an open assignment whose dated deadline had passed by then counts as overdue even if
    the check had not marked it yet. An assignment with no history at all keeps its present status.
    """
    from .services import DATED_KINDS
    from .models import StatusChange

    assignments = list(assignments.select_related("item", "organization"))
    history: dict[int, list[tuple]] = defaultdict(list)
    for assignment_id, at, status, source in (StatusChange.objects.filter(assignment__in=[a.pk for a in assignments])
                                              .order_by("at", "pk").values_list("assignment_id", "at", "status_after",
                                                                               "source")):
        history[assignment_id].append((at, status, source))
    states = []
    for assignment in assignments:
        changes = [(at, status, source) for at, status, source in history[assignment.pk] if timezone.localtime(at).date() <= as_of]
        status = changes[-1][1] if changes else (assignment.status if not history[assignment.pk] else
                                                 ExecutionStatus.NOT_STARTED)
        reported = any(source != "автоматически" for _, _, source in changes)
        item = assignment.item
        late = (item.deadline_kind in DATED_KINDS and item.deadline_end is not None and item.deadline_end < as_of)
        if status in (ExecutionStatus.NOT_STARTED, ExecutionStatus.IN_PROGRESS) and late:
            status = ExecutionStatus.OVERDUE
        states.append((assignment, status, reported))
    return states


@dataclass
class Execution:
    """Counts of assignments (cancelled ones left out), as the indicators «Выполнение пунктов дорожных карт» and
    «Доля просроченных пунктов» define them."""

    total: int = 0
    done: int = 0
    overdue: int = 0
    not_reported: int = 0
    in_progress: int = 0
    overdue_list: list = field(default_factory=list)

    @property
    def done_pct(self) -> float | None:
        return round(100 * self.done / self.total, 1) if self.total else None

    @property
    def overdue_pct(self) -> float | None:
        return round(100 * self.overdue / self.total, 1) if self.total else None

    def counts(self) -> dict:
        return {"total": self.total, "done": self.done, "overdue": self.overdue, "not_reported": self.not_reported,
                "in_progress": self.in_progress, "done_pct": self.done_pct, "overdue_pct": self.overdue_pct}


def execution_as_of(assignments, as_of: date) -> Execution:
    execution = Execution()
    for assignment, status, reported in statuses_as_of(assignments, as_of):
        if status == ExecutionStatus.CANCELLED:
            continue
        execution.total += 1
        if status == ExecutionStatus.DONE:
            execution.done += 1
        elif status == ExecutionStatus.OVERDUE:
            execution.overdue += 1
            execution.overdue_list.append(assignment)
        elif not reported:
            execution.not_reported += 1
        else:
            execution.in_progress += 1
    return execution
