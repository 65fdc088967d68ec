"""Statuses with history, roll-up, reporting rounds, the daily overdue/reminder job, ШНОР templates."""
from datetime import date

from django.core import mail
from freezegun import freeze_time
import pytest

from roadmaps.choices import ExecutionStatus as S
from roadmaps.models import Assignment, ExecutorAlias, ItemExecutor, ReminderLog, StatusChange
from roadmaps.selectors import consolidated, document_rows
from roadmaps.services import (assignment_set_status, can_report, rollup, roadmap_rematch_executors, roadmaps_daily,
                               round_create, round_submit)

from .factories import roadmap_world


@pytest.fixture
def rm(world):
    for persona in ("coordinator", "centre", "ministry"):
        user = world.user(persona)
        user.email = f"{persona}@example.org"
        user.save()
    return roadmap_world(world)


def test_every_status_change_is_kept_in_the_history(rm, world):
    coordinator = world.user("coordinator")
    assignment_set_status(assignment=rm.assignment_a, status=S.IN_PROGRESS, actor=coordinator, comment="Начали")
    assignment_set_status(assignment=rm.assignment_a, status=S.DONE, actor=coordinator, link="https://example.org/p")
    rm.assignment_a.refresh_from_db()
    assert rm.assignment_a.status == S.DONE and rm.assignment_a.link == "https://example.org/p"
    history = list(rm.assignment_a.history.order_by("id").values_list("status_before", "status_after", "actor", "comment"))
    assert history == [(S.NOT_STARTED, S.IN_PROGRESS, coordinator.pk, "Начали"), (S.IN_PROGRESS, S.DONE, coordinator.pk, "")]


def test_an_unknown_status_is_refused_and_nothing_is_written(rm):
    with pytest.raises(ValueError):
        assignment_set_status(assignment=rm.assignment_a, status="finished")
    assert not StatusChange.objects.exists()


def test_only_the_executor_or_the_ministry_may_report(rm, world):
    assert can_report(world.user("coordinator"), rm.assignment_a)
    assert not can_report(world.user("coordinator"), rm.assignment_b)
    assert can_report(world.user("ministry"), rm.assignment_b)
    assert not can_report(world.user("methodologist"), rm.assignment_a)
    assert not can_report(world.user("api_client"), rm.assignment_a)


@pytest.mark.parametrize("statuses,expected", [
    ([], S.NOT_STARTED),
    ([S.DONE, S.DONE], S.DONE),
    ([S.DONE, S.CANCELLED], S.DONE),
    ([S.CANCELLED], S.CANCELLED),
    ([S.DONE, S.NOT_STARTED], S.IN_PROGRESS),
    ([S.IN_PROGRESS, S.OVERDUE, S.DONE], S.OVERDUE),
    ([S.NOT_STARTED, S.NOT_STARTED], S.NOT_STARTED),
])
def test_rollup_of_statuses(statuses, expected):
    assert rollup(statuses) == expected


def test_a_regional_item_rolls_up_from_the_municipal_items_implementing_it(rm, world):
    sub = rm.municipal_a.items.get(number="1.")
    sub.implements = rm.item_mouo
    sub.save()
    for assignment in rm.item_mouo.assignments.all():
        assignment_set_status(assignment=assignment, status=S.DONE)
    row = next(r for r in document_rows(rm.regional, world.user("ministry")) if r.item == rm.item_mouo)
    assert row.status == S.IN_PROGRESS  # the municipal sub-item is not done yet
    assignment_set_status(assignment=sub.assignments.get(), status=S.DONE)
    row = next(r for r in document_rows(rm.regional, world.user("ministry")) if r.item == rm.item_mouo)
    assert row.status == S.DONE
    section = next(r for r in document_rows(rm.regional, world.user("ministry")) if r.item.number == "1.")
    assert section.status == S.IN_PROGRESS  # 1.1 and 1.3 are still open


def test_a_municipality_sees_only_its_items_of_the_regional_roadmap(rm, world):
    numbers = [r.item.number for r in document_rows(rm.regional, world.user("coordinator"))]
    assert numbers == ["1.", "1.2.", "1.3."]
    row = next(r for r in document_rows(rm.regional, world.user("coordinator")) if r.item.number == "1.2.")
    assert [a.organization for a in row.assignments] == [world.mouo_a]


def test_the_ministry_sees_who_has_and_has_not_reported(rm, world):
    assignment_set_status(assignment=rm.assignment_a, status=S.DONE, comment="Совещание проведено")
    round_submit(reporting_round=rm.round, organization=world.mouo_a, actor=world.user("coordinator"), comment="Всё")
    data = consolidated(rm.round, world.user("ministry"))
    assert set(data.submitted) == {world.mouo_a.pk}
    assert data.missing == [world.mouo_b]
    assert [item.number for item, _ in data.rows] == ["1.2.", "1.3."]
    snapshot = rm.round.submissions.get().snapshot
    assert {"number": "1.2.", "status": "done"}.items() <= snapshot[0].items()
    # a coordinator's consolidated view holds its own office only
    assert consolidated(rm.round, world.user("coordinator")).offices == [world.mouo_a]


def test_submitting_again_replaces_the_report(rm, world):
    round_submit(reporting_round=rm.round, organization=world.mouo_a, actor=world.user("coordinator"))
    round_submit(reporting_round=rm.round, organization=world.mouo_a, actor=world.user("coordinator"), comment="v2")
    assert rm.round.submissions.get().comment == "v2"


def test_a_round_due_before_its_date_is_refused(rm):
    with pytest.raises(ValueError):
        round_create(roadmap=rm.regional, as_of=date(2026, 6, 30), due=date(2026, 6, 1))


def test_daily_job_marks_overdue_and_reminds_once(rm, world):
    # 1.1 (centre) is due 15.10.2025, 1.2 (МОУО) by 30.11.2025; the round is due 15.01.2026.
    with freeze_time("2025-10-10 09:00:00"):
        first = roadmaps_daily()
        again = roadmaps_daily()
    assert first["deadline_reminders"] == 1 and again["deadline_reminders"] == 0
    assert [m.to for m in mail.outbox] == [["centre@example.org"]]
    assert "15.10.2025" in mail.outbox[0].subject

    with freeze_time("2025-10-16 09:00:00"):
        result = roadmaps_daily()
    assert result["marked_overdue"] == 1 and result["overdue_notices"] == 1
    assignment = Assignment.objects.get(item=rm.item_centre)
    assert assignment.status == S.OVERDUE
    assert assignment.history.get().source == "автоматически"

    with freeze_time("2025-12-01 09:00:00"):
        result = roadmaps_daily()
    # item 1.2 (ministry and both offices), the two municipal items and the school's copy due in October;
    # item 1.3 runs the whole academic year and the template is never marked
    assert result["marked_overdue"] == 6
    assert Assignment.objects.get(pk=rm.assignment_a.pk).status == S.OVERDUE

    mail.outbox.clear()
    with freeze_time("2026-01-09 09:00:00"):
        result = roadmaps_daily()
        assert roadmaps_daily()["round_reminders"] == 0
    assert result["round_reminders"] == 1  # office A has a user with e-mail; office B has nobody to write to
    assert mail.outbox[0].to == ["coordinator@example.org"]
    assert ReminderLog.objects.filter(key__startswith="round:").count() == 1


def test_done_and_cancelled_items_are_never_marked_overdue(rm):
    assignment_set_status(assignment=Assignment.objects.get(item=rm.item_centre), status=S.DONE)
    assignment_set_status(assignment=rm.assignment_a, status=S.CANCELLED)
    with freeze_time("2026-09-01"):
        roadmaps_daily()
    assert Assignment.objects.get(item=rm.item_centre).status == S.DONE
    assert Assignment.objects.get(pk=rm.assignment_a.pk).status == S.CANCELLED


def test_template_copy_gives_the_school_its_own_items(rm, world):
    items = list(rm.school.items.order_by("position"))
    assert [i.number for i in items] == ["1."]
    assert rm.school.owner == world.school_a1 and rm.school.created_from == rm.template
    assert list(items[0].assignments.values_list("organization", flat=True)) == [world.school_a1.pk]
    assert list(items[0].schools.all()) == [world.school_a1]


def test_a_new_alias_matches_a_previously_unknown_executor(rm, world):
    item = rm.regional.items.get(number="2.1.")
    assert item.executors.filter(match="unknown").exists()
    ExecutorAlias.objects.create(phrase="Неизвестный центр", target="organization", organization=world.institute)
    roadmap_rematch_executors(roadmap=rm.regional)
    executors = list(ItemExecutor.objects.filter(item=item).values_list("match", "text"))
    assert executors == [("organization", "Неизвестный центр"), ("person", "И.И. Иванов")]
    assert item.assignments.filter(organization=world.institute).exists()
