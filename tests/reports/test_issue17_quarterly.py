"""Issue 17, the quarterly report: figures at the quarter's end, the quarter's ШНОР list, a short «что изменилось»,
one roadmap completion figure in every section."""
from datetime import date
from types import SimpleNamespace

from reports import sources, summary
from reports.periods import Quarter


def test_an_item_overdue_only_after_the_quarter_is_not_overdue_in_its_report(world):
    from roadmaps.models import Assignment, Item
    from roadmaps.services import roadmaps_mark_overdue
    from tests.roadmaps.factories import roadmap_world

    roadmap_world(world)
    quarter = Quarter(2025, 3)  # July–September 2025
    analysis = Item.objects.get(roadmap=world.rm.municipal_a, number="1.")  # «октябрь 2025»: due after the quarter
    meeting = Item.objects.get(roadmap=world.rm.regional, number="1.2.")
    Item.objects.filter(pk=meeting.pk).update(deadline_kind="date", deadline_start=date(2025, 9, 1),
                                              deadline_end=date(2025, 9, 15))  # due inside the quarter, never marked
    roadmaps_mark_overdue(today=date(2025, 12, 1))  # weeks after the quarter: both are marked overdue now
    Assignment.objects.filter(item=meeting).update(status="not_started")
    assert Assignment.objects.filter(item=analysis, organization=world.mouo_a, status="overdue").exists()
    progress = sources.roadmap_progress(sources.group_for(world.mouo_a), quarter)
    overdue = {(a.item_id, a.organization_id) for a in progress["overdue"]}
    assert (analysis.pk, world.mouo_a.pk) not in overdue  # overdue since October: not in the III quarter
    assert (meeting.pk, world.mouo_a.pk) in overdue  # overdue by 30 September, though never marked
    assert progress["counts"]["overdue"] == len(overdue)


def test_the_roadmap_completion_of_the_report_is_the_monitoring_indicators_value(world):
    from monitoring.models import IndicatorValue
    from monitoring.services import quarter_freeze
    from roadmaps.models import Assignment
    from tests.roadmaps.factories import roadmap_world

    roadmap_world(world)
    quarter = Quarter(2025, 4)
    first = Assignment.objects.filter(organization=world.mouo_a, item__is_section=False).order_by("pk").first()
    from roadmaps.services import assignment_set_status

    assignment_set_status(assignment=first, status="done", comment="сделано", source="тест")
    quarter_freeze(period=quarter.code, today=quarter.end)
    counts = sources.roadmap_progress(sources.group_for(world.mouo_a), quarter)["counts"]
    frozen = {row.indicator.code: row.value for row in IndicatorValue.objects.filter(
        period=quarter.code, level="municipality", municipality=world.mun_a,
        indicator__code__in=["roadmap_done", "roadmap_overdue"])}
    assert counts["done_pct"] is not None
    assert frozen["roadmap_done"] == counts["done_pct"] and frozen["roadmap_overdue"] == counts["overdue_pct"]
    from reports import rendering

    context = rendering.quarterly_context(world.mouo_a, quarter)
    table = {row["code"]: row["value"] for row in context["indicators"]}
    assert table["roadmap_done"] == context["progress"]["counts"]["done_pct"] == counts["done_pct"]


def test_the_shnor_list_is_the_quarters_year_not_the_latest(world):
    from assessments.stats.models import SchoolListEntry

    for year, school in ((2021, world.school_a1), (2022, world.school_a2)):
        SchoolListEntry.objects.create(year=year, kind="low", school=school, data={"selected": True, "mean_pct": 20.0})
    shnor = sources.shnor_entries(sources.group_for(world.mouo_a), Quarter(2021, 3))
    assert shnor["year"] == 2021 and [e.school for e in shnor["selected"]] == [world.school_a1]


def section(n: int, participants: int, pct_2: float, before: float):
    procedure = SimpleNamespace(kind=SimpleNamespace(code="ВПР"), subject=SimpleNamespace(name=f"Предмет {n}"), grade=5)
    return SimpleNamespace(procedure=procedure, marks={"participants": participants, "pct_2": pct_2,
                                                      "success_pct": 100 - pct_2, "quality_pct": 50.0},
                           previous_year={"year": 2025, "participants": participants, "pct_2": before,
                                          "success_pct": 100 - before, "quality_pct": 50.0})


def test_what_changed_names_the_few_changes_that_matter_never_a_tiny_group():
    sections = [section(n, 400, 10.0 + n / 10, 10.0) for n in range(30)]  # moves under 3 points
    sections += [section(100 + n, 300, 10.0 + 4 + n, 10.0) for n in range(8)]  # 8 real moves of 4…11 points
    sections += [section(200, 6, 50.0, 0.0)]  # 6 pupils: 50 points is three pupils
    sentences = summary.changed_procedures(sections)
    assert len(sentences) == summary.SUMMARY_PROCEDURES + 1
    assert "предмет 107" in sentences[0] and not any("предмет 200" in s for s in sentences)
    assert sentences[-1].startswith("По остальным 34 процедурам")


def test_a_change_of_a_percentage_is_in_percentage_points():
    row = {"name": "Доля ОО с признаками", "unit": "%", "direction": "lower", "value": 38.8, "previous_value": 29.8}
    assert "ухудшение на 9,0\u00a0п.\u00a0п." in summary.indicator_sentence(row)
