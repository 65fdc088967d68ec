"""A small, hand-countable region for the indicators: every number in the tests is worked out by hand."""
from datetime import date, datetime, timezone as dt_timezone

from assessments.choices import ParticipantStatus, UploadFormat, UploadMode
from assessments.models import (ParticipantResult, Procedure, ProcedureKind, ProcedureSchool, ResultBatch,
                                ResultVersion, Subject)
from assessments.stats.models import FederalMark, ObjectivitySign, RiskPupil, SchoolListEntry, StatisticRow
from roadmaps.models import Assignment, Item, ReportingRound, Roadmap, Submission

YEAR = 2026
TODAY = date(2026, 11, 22)  # quarter 2026Q4


def procedure(code: str, kind_slug: str, grade: int) -> Procedure:
    return Procedure.objects.create(code=code, kind=ProcedureKind.objects.get(slug=kind_slug), year=YEAR,
                                    subject=Subject.objects.get(code="MA"), grade=grade, max_score=20)


def marks_row(proc, school, counts, participants, mean_pct):
    c2, c3, c4, c5 = counts
    data = {"count_2": c2, "count_3": c3, "count_4": c4, "count_5": c5, "marked": sum(counts),
            "mean_score_pct": mean_pct}
    return StatisticRow(procedure=proc, form="marks", level="school", municipality=school.municipality, school=school,
                        participants=participants, data=data)


def results(proc, school, present: int, absent: int, *, active=True, number=1):
    batch = ResultBatch.objects.create(procedure=proc, filename="t.xlsx", format=UploadFormat.PROTOCOL,
                                       mode=UploadMode.STRICT)
    version = ResultVersion.objects.create(batch=batch, procedure=proc, school=school, number=number, is_active=active)
    ParticipantResult.objects.bulk_create(
        [ParticipantResult(version=version, procedure=proc, school=school, participant_code=f"{school.pk}-{number}-{n}",
                           status=ParticipantStatus.PRESENT if n < present else ParticipantStatus.ABSENT)
         for n in range(present + absent)])
    return batch


def sign(school, criterion, *, evaluated=True, flagged=False, year=YEAR):
    return ObjectivitySign(year=year, school=school, criterion=criterion, version=1, evaluated=evaluated,
                           flagged=flagged, explanation="")


def build(w):
    """Writes the fixture into the precomputed tables of the `world` region (schools А1, А2 in A; Б1 in B)."""
    a1, a2, b1 = w.school_a1, w.school_a2, w.school_b1
    vpr, oge = procedure("VPR-2026-MA-4", "VPR", 4), procedure("OGE-2026-MA-9", "OGE", 9)
    old = Procedure.objects.create(code="VPR-2025-MA-4", kind=vpr.kind, year=YEAR - 1, subject=vpr.subject, grade=4)
    StatisticRow.objects.bulk_create([
        marks_row(vpr, a1, (2, 3, 4, 1), 10, 60.0),
        marks_row(vpr, a2, (5, 5, 0, 0), 12, 40.0),
        marks_row(vpr, b1, (0, 2, 4, 4), 10, 80.0),
        marks_row(oge, a1, (1, 1, 1, 1), 4, 50.0),
        marks_row(old, b1, (10, 0, 0, 0), 10, 10.0),  # another year: must not count
        StatisticRow(procedure=vpr, form="journal", level="school", municipality=a1.municipality, school=a1,
                     data={"confirmed": 6, "compared": 10}),
        StatisticRow(procedure=vpr, form="journal", level="school", municipality=b1.municipality, school=b1,
                     data={"confirmed": 4, "compared": 5}),
    ])
    results(vpr, a1, 3, 1)
    results(vpr, b1, 2, 0)
    results(vpr, a2, 0, 1, active=False)  # a superseded version: ignored
    ObjectivitySign.objects.bulk_create([
        sign(a1, "official_mean_ci", flagged=True), sign(a1, "official_spearman"),
        sign(a2, "official_mean_ci"), sign(a2, "cal_journal_residual", flagged=True),
        sign(b1, "official_mean_ci"), sign(b1, "official_cohort", evaluated=False, flagged=True),
    ])
    FederalMark.objects.bulk_create([FederalMark(year=YEAR, school=a1, markers="4 МА"),
                                     FederalMark(year=YEAR - 1, school=a1, markers="4 МА"),
                                     FederalMark(year=YEAR, school=b1, markers="5 РУ")])
    ProcedureSchool.objects.bulk_create([ProcedureSchool(procedure=vpr, school=a1, control="independent"),
                                         ProcedureSchool(procedure=oge, school=a1),
                                         ProcedureSchool(procedure=vpr, school=a2),
                                         ProcedureSchool(procedure=vpr, school=b1)])
    RiskPupil.objects.bulk_create([RiskPupil(procedure=vpr, school=a1, participant_code="r1", reason=""),
                                   RiskPupil(procedure=vpr, school=a1, participant_code="r2", reason=""),
                                   RiskPupil(procedure=oge, school=a1, participant_code="r3", reason=""),
                                   RiskPupil(procedure=vpr, school=b1, participant_code="r4", reason="")])
    SchoolListEntry.objects.bulk_create([
        SchoolListEntry(year=YEAR, kind="low", school=a2, data={"selected": True, "mean_pct": 25.0}),
        SchoolListEntry(year=YEAR, kind="low", school=b1, data={"selected": False, "mean_pct": 20.0}),
        SchoolListEntry(year=YEAR - 1, kind="low", school=a2, data={"selected": True, "mean_pct": 30.0}),
        SchoolListEntry(year=YEAR - 1, kind="low", school=a1, data={"selected": True, "mean_pct": 50.0}),
        SchoolListEntry(year=YEAR, kind="high", school=b1, data={"selected": True, "mean_pct": 80.0}),
    ])
    roadmap_fixture(w)


def roadmap_fixture(w):
    roadmap = Roadmap.objects.create(level="region", owner=w.ministry_org, title="Дорожная карта", approval="approved")
    section, one, two = [Item.objects.create(roadmap=roadmap, position=p, number=n, number_key=n, measure="м",
                                             deadline_kind="unparsed", is_section=p == 1)
                         for p, n in ((1, "1."), (2, "1.1."), (3, "1.2."))]
    Assignment.objects.bulk_create([
        Assignment(item=section, organization=w.mouo_a, status="done"),  # a section: not counted
        Assignment(item=one, organization=w.mouo_a, status="done"),
        Assignment(item=one, organization=w.school_a1, status="overdue"),
        Assignment(item=two, organization=w.school_a1, status="in_progress"),
        Assignment(item=one, organization=w.mouo_b, status="cancelled"),
        Assignment(item=two, organization=w.mouo_b, status="not_started"),
    ])
    passed = ReportingRound.objects.create(roadmap=roadmap, title="I полугодие", as_of=date(2026, 6, 30),
                                           due=date(2026, 7, 15))
    ReportingRound.objects.create(roadmap=roadmap, title="II полугодие", as_of=date(2026, 12, 28),
                                  due=date(2026, 12, 31))  # not due yet: not the "last round"
    submission = Submission.objects.create(round=passed, organization=w.mouo_a)
    Submission.objects.filter(pk=submission.pk).update(submitted_at=datetime(2026, 7, 10, 9, tzinfo=dt_timezone.utc))
