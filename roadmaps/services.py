"""Writes for roadmaps: import (preview, then one transaction), statuses with history, rounds, the daily job."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
import logging
import re

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone

from monitoring.tasks import refresh_after_commit
from rsoko.audit.services import audit_record
from rsoko.orgs.choices import OrgKind
from rsoko.orgs.models import Organization

from .choices import AliasTarget, Approval, ExecutionStatus, ExecutorMatch, OPEN_STATUSES, RoadmapLevel
from .deadlines import Deadline, Kind
from .executors import AliasRule, Token, read_executors
from .importing import ParsedDocument, RoadmapFileError, parse_docx, parse_sheet_rows, parse_text
from .models import (Assignment, ExecutorAlias, Item, ItemExecutor, ReminderLog, ReportingRound, Roadmap,
                     StatusChange, Submission)

log = logging.getLogger(__name__)
MAX_FILE_BYTES = 20 * 1024 * 1024


class RoadmapImportError(Exception):
    """The file cannot be imported; nothing was written. The message is in Russian."""


# ---- executors ------------------------------------------------------------------------------------------

@dataclass
class ResolvedExecutor:
    """An executor token resolved against the registry for one document."""

    text: str
    match: str
    organization: Organization | None = None
    group_kind: str = ""
    alias_id: int | None = None

    @property
    def label(self) -> str:
        if self.match == ExecutorMatch.GROUP:
            return f"{self.text} → все: {OrgKind(self.group_kind).label}"
        if self.match == ExecutorMatch.PERSON and self.organization is not None:
            return f"{self.text} ({self.organization.short_name})"
        if self.organization is not None:
            return f"{self.text} → {self.organization.short_name}"
        return self.text


def alias_rules() -> list[AliasRule]:
    return [AliasRule(a.phrase, a.as_suffix, a.target, a.organization_id, a.kind, a.pk)
            for a in ExecutorAlias.objects.all()]


class Registry:
    """Lookups of the organizations an alias may mean, cached for one import."""

    def __init__(self):
        self._by_kind: dict[str, Organization | None] = {}
        self._by_id: dict[int, Organization | None] = {}
        self._offices: list[Organization] | None = None

    def single_of_kind(self, kind: str) -> Organization | None:
        if kind not in self._by_kind:
            self._by_kind[kind] = Organization.objects.filter(kind=kind, is_active=True).order_by("id").first()
        return self._by_kind[kind]

    def by_id(self, org_id: int) -> Organization | None:
        if org_id not in self._by_id:
            self._by_id[org_id] = Organization.objects.filter(pk=org_id).first()
        return self._by_id[org_id]

    def office_of_place(self, word: str) -> Organization | None:
        """The education office of the one municipality named by this word; two candidates → none (not guessed).

        A name with the word itself wins over inflected ones: «г.Ковров» is «город Ковров», not «Ковровский район».
        """
        if self._offices is None:
            self._offices = list(Organization.objects.filter(kind=OrgKind.MUNICIPAL_OFFICE, is_active=True)
                                 .select_related("municipality").order_by("id"))
        for matches in (place_equals, place_matches):
            found = {o.municipality_id: o for o in self._offices if matches(word, o.municipality.name)}
            if found:
                return next(iter(found.values())) if len(found) == 1 else None
        return None


def name_words(name: str) -> list[str]:
    return [w for w in re.split(r"[\s.,«»()]+", name.lower().replace("ё", "е")) if w]


def place_equals(word: str, name: str) -> bool:
    return word.lower().replace("ё", "е") in name_words(name)


def place_matches(word: str, name: str) -> bool:
    """«Гороховецкий» matches «Гороховецкого района»; «Муром» — «округ Муром»."""
    stem = word.lower().replace("ё", "е")
    stem = stem[:-2] if len(stem) > 6 else stem
    return any(part.startswith(stem) for part in name_words(name))


def resolve_token(token: Token, owner: Organization, registry: Registry) -> ResolvedExecutor:
    if token.match == "place":
        office = registry.office_of_place(token.place)
        if office is None:
            return ResolvedExecutor(token.text, ExecutorMatch.UNKNOWN)
        return ResolvedExecutor(token.text, ExecutorMatch.ORGANIZATION, office)
    if token.rule is None:
        return ResolvedExecutor(token.text, ExecutorMatch.PERSON if token.match == "person" else ExecutorMatch.UNKNOWN)
    rule = token.rule
    if rule.target == AliasTarget.OWNER:
        return ResolvedExecutor(token.text, ExecutorMatch.OWNER, owner, alias_id=rule.alias_id)
    if rule.target == AliasTarget.GROUP:
        return ResolvedExecutor(token.text, ExecutorMatch.GROUP, group_kind=rule.kind, alias_id=rule.alias_id)
    org = registry.by_id(rule.organization_id) if rule.target == AliasTarget.ORGANIZATION else \
        registry.single_of_kind(rule.kind)
    if org is None:
        return ResolvedExecutor(token.text, ExecutorMatch.UNKNOWN, alias_id=rule.alias_id)
    return ResolvedExecutor(token.text, ExecutorMatch.ORGANIZATION, org, alias_id=rule.alias_id)


def resolve_executors(text: str, owner: Organization, rules: list[AliasRule], registry: Registry) -> list[ResolvedExecutor]:
    """Executors of one cell, one per organization or group (two aliases of one body count once).

    A named official belongs to the organization written just before the name («ГБУ ВО РИАЦОКО,
    Г.В. Бирюкова», «…департамента образования А.П.Червоннова»); a name with no organization before
    it («Клименченко Е.Н., МОУО, ОО») is an official of the body that issued the document.
    """
    resolved, seen = [], set()
    last_body = None
    for token in read_executors(text, rules):
        executor = resolve_token(token, owner, registry)
        if executor.match in {ExecutorMatch.ORGANIZATION, ExecutorMatch.OWNER}:
            last_body = executor.organization
        elif executor.match == ExecutorMatch.PERSON:
            executor.organization = last_body or owner
        key = (executor.match, executor.organization.pk if executor.organization else None, executor.group_kind,
               executor.text if executor.match in {ExecutorMatch.PERSON, ExecutorMatch.UNKNOWN} else "")
        if key not in seen:
            seen.add(key)
            resolved.append(executor)
    return resolved


def assignees(executors: list[ResolvedExecutor], roadmap_level: str, owner: Organization) -> list[Organization]:
    """Organizations that report on an item: named bodies, and municipal offices for «МОУО».

    Schools named as a group («ОО») report on their own school roadmaps, not on regional rows,
    so the group is kept as text there; in a school's roadmap «ОО» is the school itself.
    """
    found: dict[int, Organization] = {}
    for executor in executors:
        if executor.organization is not None:
            found[executor.organization.pk] = executor.organization
        elif executor.match == ExecutorMatch.GROUP:
            for org in group_members(executor.group_kind, roadmap_level, owner):
                found[org.pk] = org
    if roadmap_level != RoadmapLevel.REGION and owner.municipality_id:
        # a municipal or school roadmap is run within its municipality: bodies elsewhere stay named, not assigned
        found = {pk: org for pk, org in found.items() if org.municipality_id in (None, owner.municipality_id)}
    if not found:
        found[owner.pk] = owner  # rows naming only people are the owner's to report on
    return list(found.values())


def group_members(kind: str, roadmap_level: str, owner: Organization) -> list[Organization]:
    if kind == OrgKind.MUNICIPAL_OFFICE:
        if roadmap_level == RoadmapLevel.REGION:
            return list(Organization.objects.filter(kind=kind, is_active=True))
        if owner.kind == OrgKind.MUNICIPAL_OFFICE:
            return [owner]
        return list(Organization.objects.filter(kind=kind, is_active=True, municipality_id=owner.municipality_id))
    if kind == OrgKind.SCHOOL and roadmap_level == RoadmapLevel.SCHOOL:
        return [owner]
    return []


# ---- import ---------------------------------------------------------------------------------------------

@dataclass
class PreviewRow:
    number: str
    depth: int
    is_section: bool
    measure: str
    deadline: Deadline
    executors_text: str
    executors: list[ResolvedExecutor]
    result: str


@dataclass
class ImportPreview:
    document: ParsedDocument
    level: str
    owner: Organization
    source_name: str
    rows: list[PreviewRow] = field(default_factory=list)

    @property
    def level_label(self) -> str:
        return RoadmapLevel(self.level).label

    def report(self) -> dict:
        executors = [e for row in self.rows for e in row.executors]
        matched = [e for e in executors if e.match in {ExecutorMatch.ORGANIZATION, ExecutorMatch.GROUP, ExecutorMatch.OWNER}]
        return {
            "title": self.document.title,
            "period": self.document.period.as_text() if self.document.period else None,
            "order_number": self.document.order_number,
            "order_date": self.document.order_date.isoformat() if self.document.order_date else None,
            "items": len(self.rows),
            "sections": sum(1 for r in self.rows if r.is_section),
            "numbers": [r.number for r in self.rows],
            "deadlines_parsed": sum(1 for r in self.rows if r.deadline.kind not in {Kind.UNPARSED, Kind.NONE}),
            "deadlines_unparsed": sum(1 for r in self.rows if r.deadline.kind == Kind.UNPARSED),
            "deadlines_missing": sum(1 for r in self.rows if r.deadline.kind == Kind.NONE),
            "unparsed_deadlines": [{"number": r.number, "text": r.deadline.text} for r in self.rows
                                   if r.deadline.kind == Kind.UNPARSED],
            "deadlines_to_check": [{"number": r.number, "text": r.deadline.text, "note": r.deadline.note}
                                   for r in self.rows if r.deadline.note],
            "sub_sections": [r.number for r in self.rows if r.is_section and r.depth > 1],
            "executors_matched": len(matched),
            "executors_people": sum(1 for e in executors if e.match == ExecutorMatch.PERSON),
            "executors_unmatched": sum(1 for e in executors if e.match == ExecutorMatch.UNKNOWN),
            "unmatched_executors": sorted({e.text for e in executors if e.match == ExecutorMatch.UNKNOWN}),
        }


def read_roadmap_file(name: str, data: bytes) -> ParsedDocument:
    """Text (.txt/.tsv), Excel (.xlsx/.xls) or Word (.docx), by the file's name and bytes."""
    suffix = name.lower().rsplit(".", 1)[-1] if "." in name else ""
    if not data:
        raise RoadmapImportError(f"Файл «{name}» пуст.")
    if len(data) > MAX_FILE_BYTES:
        raise RoadmapImportError(f"Файл «{name}» больше {MAX_FILE_BYTES // 1048576} МБ.")
    try:
        if suffix in {"txt", "tsv", "text"}:
            try:
                text = data.decode("utf-8-sig")
            except UnicodeDecodeError:
                text = data.decode("cp1251")
            return parse_text(text)
        if suffix == "docx":
            return parse_docx(data)
        if suffix in {"xlsx", "xls"}:
            return read_workbook(name, data)
    except RoadmapFileError as exc:
        raise RoadmapImportError(f"Файл «{name}»: {exc}") from None
    raise RoadmapImportError(f"Файл «{name}»: неподдерживаемый тип. Загрузите .txt (табуляция), .xlsx или .docx.")


def read_workbook(name: str, data: bytes) -> ParsedDocument:
    # pandas and calamine load lazily: text and Word imports do not pay for them.
    from rsoko.tables import TableFileError, read_table_file

    try:
        sheets = read_table_file(name, data, limit_bytes=MAX_FILE_BYTES)
    except TableFileError as exc:
        raise RoadmapImportError(str(exc)) from None  # its message already names the file
    for sheet in sheets:
        try:
            return parse_sheet_rows(sheet.rows)
        except RoadmapFileError:
            continue
    raise RoadmapFileError("Ни на одном листе книги не найдена таблица дорожной карты.")


def default_owner(level: str) -> Organization:
    owner = Organization.objects.filter(kind=OrgKind.MINISTRY, is_active=True).order_by("id").first()
    if owner is None:
        raise RoadmapImportError("В реестре нет министерства (департамента) образования: укажите владельца (--owner).")
    return owner


def check_owner(level: str, owner: Organization) -> None:
    expected = {RoadmapLevel.REGION: {OrgKind.MINISTRY, OrgKind.INSTITUTE, OrgKind.ASSESSMENT_CENTRE},
                RoadmapLevel.MUNICIPALITY: {OrgKind.MUNICIPAL_OFFICE}, RoadmapLevel.SCHOOL: {OrgKind.SCHOOL}}[level]
    if owner.kind not in expected:
        raise RoadmapImportError(f"Владелец «{owner}» ({owner.get_kind_display()}) не подходит для уровня "
                                 f"«{RoadmapLevel(level).label}».")


def check_import_scope(user, level: str, owner: Organization | None) -> None:
    """A municipal office imports roadmaps of its own municipality only (its own, or its schools')."""
    from rsoko.orgs.access import scope_for

    scope = scope_for(user)
    if scope.region_wide:
        return
    if level == RoadmapLevel.REGION or owner is None or owner.municipality_id not in scope.municipality_ids:
        raise RoadmapImportError("Владелец: МОУО загружает дорожные карты своего муниципалитета — свою или своих ОО.")


def roadmap_import_preview(*, name: str, data: bytes, level: str, owner: Organization | None) -> ImportPreview:
    """Parses and matches everything without writing: what the UI shows before saving."""
    if level not in RoadmapLevel.values:
        raise RoadmapImportError(f"Неизвестный уровень «{level}»: region, municipality или school.")
    owner = owner or default_owner(level)
    check_owner(level, owner)
    document = read_roadmap_file(name, data)
    rules, registry = alias_rules(), Registry()
    preview = ImportPreview(document, level, owner, name)
    for row, deadline in zip(document.rows, document.deadlines):
        preview.rows.append(PreviewRow(
            row.number, row.depth, row.is_section, row.measure, deadline, row.executors,
            resolve_executors(row.executors, owner, rules, registry) if not row.is_section else [], row.result,
        ))
    return preview


@transaction.atomic
def roadmap_import(*, preview: ImportPreview, actor=None, title: str = "", approval: str = "approved",
                   implements: Item | None = None) -> Roadmap:
    """Writes the previewed document, its items, executors and assignments in one transaction."""
    document = preview.document
    roadmap = Roadmap.objects.create(
        level=preview.level, owner=preview.owner, title=title or document.title or preview.source_name,
        order_number=document.order_number, order_date=document.order_date,
        period_first_year=document.period.first_year if document.period else None,
        period_academic=bool(document.period and document.period.academic), approval=approval,
        source_name=preview.source_name[:255], created_by=actor if actor and actor.pk else None,
    )
    items: list[Item] = []
    for index, (row, preview_row) in enumerate(zip(document.rows, preview.rows)):
        parent_index = document.parents[index]
        item = item_create(roadmap=roadmap, position=index + 1, row=row, deadline=preview_row.deadline,
                           parent=items[parent_index] if parent_index is not None else None)
        items.append(item)
        if not row.is_section:
            executors_save(item=item, executors=preview_row.executors, owner=preview.owner)
    audit_record(actor=actor if actor and actor.pk else None, action="create", instance=roadmap, before=None,
                 source=f"импорт дорожной карты {preview.source_name}")
    return roadmap


def item_create(*, roadmap: Roadmap, position: int, row, deadline: Deadline, parent: Item | None) -> Item:
    return Item.objects.create(
        roadmap=roadmap, position=position, number=row.number, number_key=row.number_key, depth=row.depth,
        is_section=row.is_section, parent=parent, measure=row.measure, expected_result=row.result,
        executors_text=row.executors, deadline_text=deadline.text[:300], deadline_kind=deadline.kind,
        deadline_start=deadline.start, deadline_end=deadline.end, deadline_recurrence=deadline.recurrence,
        deadline_parts=[[s.isoformat(), e.isoformat()] for s, e in deadline.parts], deadline_note=deadline.note,
    )


def executors_save(*, item: Item, executors: list[ResolvedExecutor], owner: Organization) -> None:
    item.executors.all().delete()
    ItemExecutor.objects.bulk_create([
        ItemExecutor(item=item, position=n, text=e.text[:500], match=e.match, organization=e.organization,
                     group_kind=e.group_kind, alias_id=e.alias_id)
        for n, e in enumerate(executors, start=1)
    ])
    existing = set(item.assignments.values_list("organization_id", flat=True))
    Assignment.objects.bulk_create([
        Assignment(item=item, organization=org)
        for org in assignees(executors, item.roadmap.level, owner) if org.pk not in existing
    ])


@transaction.atomic
def roadmap_rematch_executors(*, roadmap: Roadmap) -> int:
    """After the alias table changed: reads every executors cell again; statuses already given stay."""
    rules, registry = alias_rules(), Registry()
    count = 0
    for item in roadmap.items.filter(is_section=False):
        executors = resolve_executors(item.executors_text, roadmap.owner, rules, registry)
        executors_save(item=item, executors=executors, owner=roadmap.owner)
        count += 1
    return count


# ---- statuses -------------------------------------------------------------------------------------------

def can_report(user, assignment: Assignment) -> bool:
    """The ministry may set any status; others only their own organizations' (school heads: their school)."""
    from rsoko.orgs.access import scope_for

    scope = scope_for(user, "roadmaps.report")
    if not scope.can("roadmaps.report"):
        return False
    if scope.can("roadmaps.manage"):
        return True
    return assignment.organization_id in scope.organization_ids


@transaction.atomic
def assignment_set_status(*, assignment: Assignment, status: str, actor=None, comment: str = "", link: str = "",
                          evidence=None, source: str = "форма") -> StatusChange:
    """Changes the status (and evidence) and keeps the change in the history."""
    if status not in ExecutionStatus.values:
        raise ValueError(f"Неизвестный статус «{status}»")
    assignment = Assignment.objects.select_for_update().get(pk=assignment.pk)
    change = StatusChange(
        assignment=assignment, status_before=assignment.status, status_after=status, comment=comment, link=link,
        actor=actor if actor and actor.pk else None,
        actor_name=(actor.get_full_name() or actor.username) if actor and actor.pk else "система", source=source,
    )
    if evidence is not None:
        change.evidence.save(evidence.name, evidence, save=False)
        assignment.evidence = change.evidence.name
    assignment.status = status
    assignment.comment = comment or assignment.comment
    assignment.link = link or assignment.link
    assignment.updated_by = change.actor
    assignment.save()
    change.save()
    refresh_after_commit()  # roadmap completion and overdue rates are indicators
    return change


# ---- roll-up ---------------------------------------------------------------------------------------------

def rollup(statuses: list[str]) -> str:
    """One status for an item from the statuses of its executors and of the sub-items implementing it."""
    live = [s for s in statuses if s != ExecutionStatus.CANCELLED]
    if not statuses:
        return ExecutionStatus.NOT_STARTED
    if not live:
        return ExecutionStatus.CANCELLED
    if all(s == ExecutionStatus.DONE for s in live):
        return ExecutionStatus.DONE
    if ExecutionStatus.OVERDUE in live:
        return ExecutionStatus.OVERDUE
    if any(s in {ExecutionStatus.DONE, ExecutionStatus.IN_PROGRESS} for s in live):
        return ExecutionStatus.IN_PROGRESS
    return ExecutionStatus.NOT_STARTED


# ---- reporting rounds --------------------------------------------------------------------------------------

@transaction.atomic
def round_create(*, roadmap: Roadmap, as_of: date, due: date, title: str = "") -> ReportingRound:
    if due < as_of:
        raise ValueError("Срок представления отчёта не может быть раньше даты, на которую он составляется.")
    return ReportingRound.objects.create(
        roadmap=roadmap, as_of=as_of, due=due,
        title=title or f"По состоянию на {as_of:%d.%m.%Y} (срок — {due:%d.%m.%Y})",
    )


def round_reporters(reporting_round: ReportingRound) -> list[Organization]:
    """The municipal offices expected to report in this round: those with items of the roadmap."""
    ids = Assignment.objects.filter(item__roadmap=reporting_round.roadmap,
                                    organization__kind=OrgKind.MUNICIPAL_OFFICE).values("organization_id")
    return list(Organization.objects.filter(id__in=ids).order_by("short_name"))


@transaction.atomic
def round_submit(*, reporting_round: ReportingRound, organization: Organization, actor, comment: str = "") -> Submission:
    """The office's report: a snapshot of its statuses at submission. Submitting again replaces it."""
    snapshot = [
        {"number": a.item.number, "measure": a.item.measure[:200], "status": a.status, "comment": a.comment,
         "link": a.link}
        for a in Assignment.objects.filter(item__roadmap=reporting_round.roadmap, organization=organization)
        .select_related("item").order_by("item__position")
    ]
    Submission.objects.filter(round=reporting_round, organization=organization).delete()
    return Submission.objects.create(round=reporting_round, organization=organization, submitted_by=actor,
                                     comment=comment, snapshot=snapshot)


# ---- the daily job -----------------------------------------------------------------------------------------

DATED_KINDS = sorted(Kind.DATED)
REMINDER_DAYS = ((7, "за неделю"), (1, "за день"))


@transaction.atomic
def roadmaps_mark_overdue(*, today: date) -> list[int]:
    """Open assignments whose item's due date has passed become overdue (with a history entry)."""
    overdue = list(Assignment.objects.select_for_update().filter(
        status__in=OPEN_STATUSES, item__deadline_kind__in=DATED_KINDS, item__deadline_end__lt=today,
        item__roadmap__is_template=False,
    ).values_list("id", flat=True))
    for assignment in Assignment.objects.filter(id__in=overdue):
        assignment_set_status(assignment=assignment, status=ExecutionStatus.OVERDUE,
                              comment=f"Срок истёк {assignment.item.deadline_end:%d.%m.%Y}", source="автоматически")
    return overdue


def recipients_of(organization: Organization) -> list[str]:
    emails = {m.user.email for m in organization.memberships.select_related("user") if m.user.email and m.user.is_active}
    if organization.email:
        emails.add(organization.email)
    return sorted(emails)


def remind_once(*, key: str, today: date, to: list[str], subject: str, body: str) -> bool:
    """Sends unless a reminder with this key was already sent (the job may run several times a day)."""
    if not to:
        return False
    with transaction.atomic():
        log_entry, created = ReminderLog.objects.get_or_create(key=key, defaults={"sent_on": today,
                                                                                 "recipients": ", ".join(to)})
        if not created:
            return False
        send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, to)
    return True


def threshold_for(days_left: int) -> tuple[int, str] | None:
    for days, label in sorted(REMINDER_DAYS):
        if 0 <= days_left <= days:
            return days, label
    return None


def deadline_reminders(today: date) -> int:
    sent = 0
    horizon = today + timedelta(days=max(d for d, _ in REMINDER_DAYS))
    upcoming = Assignment.objects.filter(
        status__in=OPEN_STATUSES, item__deadline_kind__in=DATED_KINDS, item__deadline_end__gte=today,
        item__deadline_end__lte=horizon, item__roadmap__is_template=False,
    ).select_related("item__roadmap", "organization")
    for assignment in upcoming:
        days, label = threshold_for((assignment.item.deadline_end - today).days)
        item = assignment.item
        sent += remind_once(
            key=f"deadline:{assignment.pk}:{days}", today=today, to=recipients_of(assignment.organization),
            subject=f"Срок пункта {item.number} дорожной карты — {item.deadline_end:%d.%m.%Y}",
            body=(f"Напоминание ({label}): пункт {item.number} «{item.measure[:300]}» дорожной карты "
                  f"«{item.roadmap.title[:200]}» нужно выполнить до {item.deadline_end:%d.%m.%Y} "
                  f"(срок в документе: {item.deadline_text}). Текущий статус: {assignment.get_status_display()}."),
        )
    return sent


def overdue_notices(today: date, assignment_ids: list[int]) -> int:
    sent = 0
    for assignment in Assignment.objects.filter(id__in=assignment_ids).select_related("item__roadmap", "organization"):
        item = assignment.item
        sent += remind_once(
            key=f"overdue:{assignment.pk}", today=today, to=recipients_of(assignment.organization),
            subject=f"Просрочен пункт {item.number} дорожной карты",
            body=(f"Пункт {item.number} «{item.measure[:300]}» дорожной карты «{item.roadmap.title[:200]}» "
                  f"не выполнен в срок ({item.deadline_end:%d.%m.%Y}). Сообщите о ходе исполнения в портале РСОКО."),
        )
    return sent


def round_reminders(today: date) -> int:
    sent = 0
    horizon = today + timedelta(days=max(d for d, _ in REMINDER_DAYS))
    for reporting_round in ReportingRound.objects.filter(due__gte=today, due__lte=horizon).select_related("roadmap"):
        days, label = threshold_for((reporting_round.due - today).days)
        submitted = set(reporting_round.submissions.values_list("organization_id", flat=True))
        for office in round_reporters(reporting_round):
            if office.pk in submitted:
                continue
            sent += remind_once(
                key=f"round:{reporting_round.pk}:{office.pk}:{days}", today=today, to=recipients_of(office),
                subject=f"Отчёт по дорожной карте — срок {reporting_round.due:%d.%m.%Y}",
                body=(f"Напоминание ({label}): отчёт о реализации дорожной карты «{reporting_round.roadmap.title[:200]}» "
                      f"по состоянию на {reporting_round.as_of:%d.%m.%Y} нужно представить до "
                      f"{reporting_round.due:%d.%m.%Y}."),
            )
    return sent


def roadmaps_daily(*, today: date | None = None) -> dict:
    """The daily beat job: overdue marking, then reminders. Safe to run any number of times a day."""
    today = today or timezone.localdate()
    overdue = roadmaps_mark_overdue(today=today)
    result = {
        "date": today.isoformat(),
        "marked_overdue": len(overdue),
        "overdue_notices": overdue_notices(today, overdue),
        "deadline_reminders": deadline_reminders(today),
        "round_reminders": round_reminders(today),
    }
    log.info("roadmaps daily check: %s", result)
    return result


# ---- templates for ШНОР ----------------------------------------------------------------------------------

@transaction.atomic
def roadmap_copy_for_school(*, template: Roadmap, school: Organization, actor=None) -> Roadmap:
    """A school's support roadmap copied from a template: same items, the school as owner and executor."""
    if school.kind != OrgKind.SCHOOL:
        raise ValueError("Дорожная карта поддержки создаётся для общеобразовательной организации.")
    copy = Roadmap.objects.create(
        level=RoadmapLevel.SCHOOL, owner=school, title=f"{template.title} — {school.short_name}",
        period_first_year=template.period_first_year, period_academic=template.period_academic,
        created_from=template, source_name=template.source_name, created_by=actor if actor and actor.pk else None,
    )
    mapping: dict[int, Item] = {}
    for item in template.items.order_by("position"):
        new = Item.objects.create(
            roadmap=copy, position=item.position, number=item.number, number_key=item.number_key, depth=item.depth,
            is_section=item.is_section, parent=mapping.get(item.parent_id), implements=item.implements,
            measure=item.measure, expected_result=item.expected_result, executors_text=item.executors_text,
            deadline_text=item.deadline_text, deadline_kind=item.deadline_kind, deadline_start=item.deadline_start,
            deadline_end=item.deadline_end, deadline_recurrence=item.deadline_recurrence,
            deadline_parts=item.deadline_parts,
        )
        new.schools.add(school)
        mapping[item.pk] = new
        if not item.is_section:
            Assignment.objects.create(item=new, organization=school)
    audit_record(actor=actor if actor and actor.pk else None, action="create", instance=copy, before=None,
                 source=f"копия шаблона дорожной карты #{template.pk}")
    return copy


def roadmap_set_public(*, roadmap: Roadmap, is_public: bool, actor=None) -> Roadmap:
    """Publishes an approved roadmap on the public site (or withdraws it); templates are never public."""
    from rsoko.audit.models import AuditAction
    from rsoko.audit.services import snapshot

    if is_public and (roadmap.is_template or roadmap.approval not in (Approval.APPROVED, Approval.ARCHIVED)):
        raise ValueError("Публиковать можно только утверждённые дорожные карты (не шаблоны).")
    before = snapshot(roadmap)
    roadmap.is_public = is_public
    roadmap.save(update_fields=["is_public"])
    audit_record(actor=actor, action=AuditAction.UPDATE, instance=roadmap, before=before, source="веб")
    return roadmap
