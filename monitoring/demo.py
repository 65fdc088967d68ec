"""Demo monitoring: an ОГЭ session (with absent pupils), participation lists with a controlled sample,
federal marks and last year's ШНОР for the region; then every indicator for the current year and
quarter, one monitoring form of the ministry and one of a МОУО for its schools, with some answers. Everything
is keyed, so running twice changes nothing.
"""
from datetime import date

import numpy as np
from django.db import transaction
from django.db.models import FloatField
from django.db.models.fields.json import KT
from django.db.models.functions import Cast
from django.utils import timezone

from assessments.choices import ParticipantStatus, ProcedureStatus, UploadFormat, UploadMode
from assessments.models import (ParticipantResult, Procedure, ProcedureKind, ProcedureSchool, ResultBatch,
                                ResultVersion, Scale, Subject, Task)
from assessments.stats.models import FederalMark, ObjectivitySign, SchoolListEntry, StatisticRow
from assessments.stats.services import procedure_recompute
from assessments.synthetic import ProcedureSpec, generate_region
from rsoko.orgs.choices import OrgKind
from rsoko.orgs.models import Organization
from rsoko.typography import counted, number

from . import periods
from .models import FormAnswer, Indicator, IndicatorValue, MonitoringForm
from .services import form_fill, indicators_refresh, quarter_freeze

OGE_MATH = ProcedureSpec("MA", 9, {"3": 8, "4": 15, "5": 22}, (1,) * 19 + (2,) * 6)


def oge_procedure(year: int) -> Procedure:
    procedure, _ = Procedure.objects.get_or_create(code=f"OGE-{year}-MA-9", defaults={
        "kind": ProcedureKind.objects.get(slug="OGE"), "year": year, "grade": 9,
        "subject": Subject.objects.get(code="MA"),
        "max_score": OGE_MATH.max_score, "status": ProcedureStatus.LOADED, "title": f"ОГЭ {year}, математика"})
    if not procedure.tasks.exists():
        Task.objects.bulk_create([Task(procedure=procedure, position=i, label=str(i), max_score=m, level="Б")
                                  for i, m in enumerate(OGE_MATH.task_max, start=1)])
    Scale.objects.update_or_create(procedure=procedure, defaults={"boundaries": OGE_MATH.boundaries})
    return procedure


@transaction.atomic
def oge_results(year: int, schools: list) -> Procedure:
    """Synthetic ОГЭ results in the demo schools; one pupil in 25 absent (stored as absent, not as a zero)."""
    procedure = oge_procedure(year)
    region = generate_region(seed=year + 9, n_schools=len(schools), years=(year,), specs=(OGE_MATH,))
    sp = region.procedures[0]
    ResultBatch.objects.filter(procedure=procedure).delete()
    batch = ResultBatch.objects.create(procedure=procedure, filename="demo-oge.xlsx", format=UploadFormat.EXPORT,
                                       mode=UploadMode.STRICT, rows=len(sp.results))
    frame = sp.results.reset_index(drop=True)
    mapping = dict(zip(sorted(frame["school_id"].unique()), schools))
    versions = {sid: ResultVersion(batch=batch, procedure=procedure, school=school, number=1)
                for sid, school in mapping.items()}
    ResultVersion.objects.bulk_create(versions.values())
    rows = []
    for position, row in enumerate(frame.itertuples(index=False)):
        absent = position % 25 == 0
        rows.append(ParticipantResult(
            version=versions[row.school_id], procedure=procedure, school=mapping[row.school_id],
            participant_code=f"9{position:06d}", class_name="9А", sex=row.sex,
            status=ParticipantStatus.ABSENT if absent else ParticipantStatus.PRESENT,
            primary_score=None if absent else int(row.primary_score),
            mark=None if absent or row.mark != row.mark else int(row.mark),
            task_scores=[] if absent else sp.task_scores[position].tolist()))
    ParticipantResult.objects.bulk_create(rows, batch_size=5000)
    for version in versions.values():
        mine = [r for r in rows if r.version is version]
        version.absent = sum(r.status == ParticipantStatus.ABSENT for r in mine)
        version.participants = len(mine) - version.absent
    ResultVersion.objects.bulk_update(versions.values(), ["participants", "absent"])
    procedure_recompute(procedure_id=procedure.pk)
    return procedure


def participation_lists(year: int) -> None:
    """Every school with results takes part; every eighth writes under independent checking."""
    pairs = set(ResultVersion.objects.filter(procedure__year=year, is_active=True)
                .values_list("procedure_id", "school_id"))
    existing = set(ProcedureSchool.objects.filter(procedure__year=year).values_list("procedure_id", "school_id"))
    ProcedureSchool.objects.bulk_create([
        ProcedureSchool(procedure_id=p, school_id=s, control="independent" if s % 8 == 0 else "")
        for p, s in sorted(pairs - existing)])


def federal_marks(year: int) -> None:
    """The federal list: schools with official signs; a few of them on the list the year before too."""
    flagged = list(ObjectivitySign.objects.filter(year=year, flagged=True, criterion__startswith="official")
                   .order_by("school_id").values_list("school_id", flat=True).distinct()[:12])
    for school_id in flagged:
        FederalMark.objects.get_or_create(year=year, school_id=school_id, defaults={"markers": "4 РУ, 5 МА"})
    for school_id in flagged[::3]:
        FederalMark.objects.get_or_create(year=year - 1, school_id=school_id, defaults={"markers": "4 МА"})


def last_year_shnor(year: int) -> None:
    """Last year's ШНОР for the demo: this year's list and five more schools with low ВПР results then."""
    if SchoolListEntry.objects.filter(year=year - 1, kind="low").exists():
        return
    current = {e.school_id: e.data.get("mean_pct") for e in SchoolListEntry.objects.filter(year=year, kind="low")}
    lowest = (StatisticRow.objects.filter(form="marks", level="school", procedure__year=year - 1,
                                          procedure__kind__slug="VPR").exclude(school_id__in=current)
              .order_by(Cast(KT("data__mean_score_pct"), FloatField())).values_list("school_id", flat=True)[:5])
    entries = [SchoolListEntry(year=year - 1, kind="low", school_id=s,
                               data={"selected": True, "mean_pct": (pct or 50) + (3 if i % 2 else -3),
                                     "reason": "демонстрационная запись"})
               for i, (s, pct) in enumerate(current.items())]
    entries += [SchoolListEntry(year=year - 1, kind="low", school_id=s,
                                data={"selected": True, "mean_pct": 30.0, "reason": "демонстрационная запись"})
                for s in dict.fromkeys(lowest)]
    SchoolListEntry.objects.bulk_create(entries, ignore_conflicts=True)


def demo_form(year: int) -> MonitoringForm:
    form, _ = MonitoringForm.objects.get_or_create(
        title=f"Мониторинг профориентации и повышения квалификации, {year}", period=str(year),
        defaults={"deadline": date(year, 12, 20), "audience": "both"})
    form.indicators.set(Indicator.objects.filter(code__in=["career_guidance", "teachers_trained"]))
    offices = Organization.objects.filter(kind=OrgKind.MUNICIPAL_OFFICE, is_active=True).order_by("code")
    schools = Organization.objects.filter(kind=OrgKind.SCHOOL, is_active=True).order_by("code")
    rng = np.random.default_rng(year)
    fillers = list(offices[: max(1, offices.count() * 3 // 4)]) + list(schools[:40])
    draws = rng.uniform(40, 95, size=(len(fillers), 2)).round(1)
    for organization, (career, trained) in zip(fillers, draws):
        if not FormAnswer.objects.filter(form=form, organization=organization).exists():
            form_fill(form=form, organization=organization, actor=None,
                      values={"career_guidance": career, "teachers_trained": trained})
    return form


MUNICIPAL_FORM_CODES = ["career_guidance", "olympiad_coverage"]


def demo_municipal_form(year: int) -> MonitoringForm | None:
    """MOUO-01's own form for the schools of its municipality; two schools in three have answered."""
    office = Organization.objects.filter(code="MOUO-01", kind=OrgKind.MUNICIPAL_OFFICE).select_related(
        "municipality").first()
    if office is None:
        return None
    form, _ = MonitoringForm.objects.get_or_create(
        title=f"Профориентация и олимпиады в школах: {office.municipality}, {year}", period=str(year),
        municipality=office.municipality, defaults={"deadline": date(year, 12, 15), "audience": "schools"})
    form.indicators.set(Indicator.objects.filter(code__in=MUNICIPAL_FORM_CODES))
    schools = list(Organization.objects.filter(kind=OrgKind.SCHOOL, is_active=True, municipality=office.municipality)
                   .order_by("code"))
    fillers = [school for position, school in enumerate(schools) if position % 3 != 2]
    draws = np.random.default_rng(year + 2).uniform(30, 90, size=(len(fillers), len(MUNICIPAL_FORM_CODES))).round(1)
    for organization, row in zip(fillers, draws):
        if not FormAnswer.objects.filter(form=form, organization=organization).exists():
            form_fill(form=form, organization=organization, actor=None, values=dict(zip(MUNICIPAL_FORM_CODES, row)))
    return form


MECHANISM_FORM_CODES = ["teachers_training_coverage", "heads_assessed", "upbringing_programmes",
                        "preschool_monitored", "olympiad_coverage"]


def demo_mechanisms_form(year: int) -> MonitoringForm:
    """The offices report the mechanisms the portal cannot compute (2.1, 2.3, 2.4, coverage of training)."""
    form, _ = MonitoringForm.objects.get_or_create(
        title=f"Мониторинг механизмов управления качеством (МОУО), {year}", period=str(year),
        defaults={"deadline": date(year, 12, 20), "audience": "mouo"})
    form.indicators.set(Indicator.objects.filter(code__in=MECHANISM_FORM_CODES))
    offices = list(Organization.objects.filter(kind=OrgKind.MUNICIPAL_OFFICE, is_active=True).order_by("code"))
    draws = np.random.default_rng(year + 1).uniform(55, 98, size=(len(offices), len(MECHANISM_FORM_CODES))).round(1)
    for organization, row in zip(offices, draws):
        if not FormAnswer.objects.filter(form=form, organization=organization).exists():
            form_fill(form=form, organization=organization, actor=None, values=dict(zip(MECHANISM_FORM_CODES, row)))
    return form


def build(stdout) -> None:
    today = timezone.localdate()
    year = today.year if today.month >= 6 else today.year - 1
    schools = list(Organization.objects.filter(kind=OrgKind.SCHOOL, is_active=True, level_ooo=True).order_by("code"))
    if not schools:
        stdout.write("  Нет школ в реестре: показатели не рассчитаны.")
        return
    oge_results(year, schools)
    participation_lists(year)
    federal_marks(year)
    last_year_shnor(year)
    form = demo_form(year)
    demo_mechanisms_form(year)
    municipal_form = demo_municipal_form(year)
    counts = indicators_refresh(str(year - 1), today=today)  # last year: for the comparison and the trend
    counts.update(indicators_refresh(str(year), today=today))
    last_quarter = periods.previous(periods.quarter_of(today))
    if not IndicatorValue.objects.filter(period=last_quarter).exists():
        counts[last_quarter] = quarter_freeze(period=last_quarter, today=periods.quarter_end(last_quarter))
    counts.update(indicators_refresh(periods.quarter_of(today), today=today))
    filled = form.answers.values("organization").distinct().count()
    stdout.write(f"  {computed_line(counts)}; форма «{form.title}»: заполнили "
                 f"{counted(filled, 'организация', 'организации', 'организаций')}.")
    if municipal_form is not None:
        answered = municipal_form.answers.values("organization").distinct().count()
        stdout.write(f"  Форма МОУО «{municipal_form.title}»: ответили "
                     f"{counted(answered, 'школа', 'школы', 'школ')} муниципалитета.")


def computed_line(counts: dict[str, int]) -> str:
    """{"2026": 3691, "2026Q3": 44} → «Значения показателей рассчитаны: 2026 год — 3 691, 3 квартал 2026 года — 44»."""
    parts = [f"{periods.label(period)} — {number(count, 0)}" for period, count in sorted(counts.items())]
    return "Значения показателей рассчитаны: " + ", ".join(parts)
