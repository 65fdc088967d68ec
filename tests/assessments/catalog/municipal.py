"""Municipal procedures (МПР) of the `world`: one run by the МОУО of municipality A, one by B's."""
from assessments.models import Procedure, ProcedureSchool, Scale

from .factories import ProcedureFactory, add_tasks, kind


def mpr(world, letter: str = "a") -> Procedure:
    """MPR-2021-MA-5-A (or -B): its own КИМ of three tasks, a scale, the schools of its municipality (built once)."""
    code = f"MPR-2021-MA-5-{letter.upper()}"
    existing = Procedure.objects.filter(code=code).first()
    if existing:
        return existing
    office = world.mouo_a if letter == "a" else world.mouo_b
    procedure = ProcedureFactory(kind=kind("МПР"), grade=5, code=code, organizer=office,
                                 title=f"МПР по математике, 5 класс ({office.municipality})")
    add_tasks(procedure, {"1": 1, "2": 2, "3": 3})
    Scale.objects.create(procedure=procedure, boundaries={"3": 2, "4": 4, "5": 5})
    schools = [world.school_a1, world.school_a2] if letter == "a" else [world.school_b1]
    ProcedureSchool.objects.bulk_create(ProcedureSchool(procedure=procedure, school=s) for s in schools)
    return procedure


def stored_mpr_statistics(world, letter: str = "a") -> Procedure:
    """Precomputed rows of the МПР (its «region» row is its municipality's total), written directly."""
    from assessments.stats.models import StatisticRow

    procedure = mpr(world, letter)
    if procedure.statistics.exists():
        return procedure
    schools = list(procedure.schools.all())
    data = {"pct_2": 20.0, "pct_3": 40.0, "pct_4": 30.0, "pct_5": 10.0, "success_pct": 80.0, "quality_pct": 40.0}
    municipality = procedure.organizer.municipality
    rows = [StatisticRow(procedure=procedure, form="marks", level="region", participants=10 * len(schools), data=data),
            StatisticRow(procedure=procedure, form="marks", level="municipality", municipality=municipality,
                         participants=10 * len(schools), data=data)]
    rows += [StatisticRow(procedure=procedure, form="marks", level="school", municipality=municipality, school=s,
                          participants=10, data=data) for s in schools]
    StatisticRow.objects.bulk_create(rows)
    return procedure
