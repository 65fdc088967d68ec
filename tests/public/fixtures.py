"""Data the public tests share: procedures in the calendar and one finished procedure with pupil rows
whose codes must never appear in any public answer."""
from datetime import date

from assessments.choices import ProcedureStatus
from assessments.models import ParticipantResult, ResultBatch, ResultVersion
from tests.kimbank.factories import make_procedure

SECRET_CODES = [f"PUPIL-SECRET-{n:04d}" for n in range(12)]


def finished_procedure(world):
    procedure = make_procedure("VPR-2026-MA-4", kind_code="ВПР", day=date(2026, 3, 18), grade=4,
                               status=ProcedureStatus.LOADED, schools=[world.school_a1])
    if not procedure.results.exists():
        batch = ResultBatch.objects.create(procedure=procedure, filename="protocol.xlsx", format="protocol", mode="strict")
        version = ResultVersion.objects.create(batch=batch, procedure=procedure, school=world.school_a1, number=1,
                                               participants=len(SECRET_CODES))
        ParticipantResult.objects.bulk_create(
            ParticipantResult(version=version, procedure=procedure, school=world.school_a1, participant_code=code,
                              class_name="4А", sex="м", journal_mark=4, variant="1", primary_score=15, mark=5,
                              task_scores=[1, 2, 1])
            for code in SECRET_CODES
        )
    return procedure


def calendar_procedures(world):
    """A regional РПР in April, a municipal МПР in October and the finished ВПР in March (all 2026)."""
    return [
        make_procedure("RPR-2026-MA-6", day=date(2026, 4, 15), schools=[world.school_a1]),
        make_procedure("MPR-2026-RU-5", kind_code="МПР", subject_code="RU", day=date(2026, 10, 7), grade=5),
        finished_procedure(world),
    ]


def marks_data(participants: int, shares: tuple[float, float, float, float]) -> dict:
    """A «marks» statistic row's data as assessments.stats stores it."""
    data = {"participants": participants, "marked": participants, "mean_primary_score": 14.25}
    for mark, share in zip("2345", shares):
        data[f"pct_{mark}"] = share
        data[f"count_{mark}"] = round(participants * share / 100)
    data["success_pct"] = 100 - shares[0]
    data["quality_pct"] = shares[2] + shares[3]
    return data


def computed_statistics(world):
    """Stored aggregates of the finished procedure: the region, a big municipality, one under 10 pupils and a third
    one withheld with it (complementary suppression), plus school-level rows that must never be published, and the
    year's objectivity index."""
    from assessments.stats.models import Form, Level, ObjectivityIndex, StatisticRow
    from tests.factories import MunicipalityFactory

    procedure = finished_procedure(world)
    mun_c = MunicipalityFactory(region=world.region, name="Гаммский муниципальный округ")
    rows = [
        (Level.REGION, None, None, 112, (5.4, 30.4, 41.1, 23.1)),
        (Level.MUNICIPALITY, world.mun_a, None, 65, (4.6, 30.8, 41.9, 22.7)),
        (Level.MUNICIPALITY, mun_c, None, 40, (5.0, 30.0, 42.5, 22.5)),
        (Level.MUNICIPALITY, world.mun_b, None, 7, (14.3, 28.6, 28.6, 28.5)),
        (Level.SCHOOL, world.mun_a, world.school_a1, 12, (8.3, 16.7, 41.7, 33.3)),
    ]
    for level, municipality, school, participants, shares in rows:
        StatisticRow.objects.create(procedure=procedure, form=Form.MARKS, level=level, municipality=municipality,
                                    school=school, participants=participants, data=marks_data(participants, shares))
    ObjectivityIndex.objects.create(year=2026, evaluated_schools=40, schools_with_signs=3, index=92.5)
    ObjectivityIndex.objects.create(year=2026, procedure=procedure, evaluated_schools=40, schools_with_signs=3,
                                    index=92.5)
    return procedure


def public_roadmaps(world):
    """A regional roadmap the ministry published and a municipal one it did not (cached on world)."""
    if getattr(world, "public_rm", None):
        return world.public_rm
    from roadmaps.default_aliases import install_default_aliases
    from roadmaps.models import Roadmap
    from tests.roadmaps.factories import MUNICIPAL_TSV, REGIONAL_TSV, import_text

    install_default_aliases()
    published = import_text(REGIONAL_TSV, level="region", owner=world.ministry_org)
    hidden = import_text(MUNICIPAL_TSV, level="municipality", owner=world.mouo_a)
    Roadmap.objects.filter(pk=published.pk).update(is_public=True, approval="approved")
    Roadmap.objects.filter(pk=hidden.pk).update(approval="approved")
    world.public_rm = (published, hidden)
    return world.public_rm
