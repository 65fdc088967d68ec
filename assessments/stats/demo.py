"""Demo results: a synthetic region (with a few planted non-objective schools) laid over the demo schools.

ВПР Русский язык and Математика, grades 4 and 5, for the last two spring sessions, so that the cohort
rule and the dynamics have something to show. Procedures the catalog demo created are reused with their
own tasks and scales; then everything is recomputed. Running it again rebuilds the same results.
"""
from django.utils import timezone

from assessments.models import Procedure
from assessments.synthetic import DEFAULT_SPECS, ProcedureSpec, generate_region
from rsoko.orgs.choices import OrgKind, SettlementType
from rsoko.orgs.models import Organization
from rsoko.typography import counted

from . import municipal_demo
from .services import region_year_recompute
from .synthetic_load import store_synthetic_procedure


def demo_years() -> tuple[int, int]:
    """The last two spring sessions: in November 2026 that is 2025 and 2026."""
    today = timezone.localdate()
    last = today.year if today.month >= 6 else today.year - 1
    return last - 1, last


def spec_for(default: ProcedureSpec, year: int) -> ProcedureSpec:
    """The catalog's own tasks and scale when the procedure exists already, else the default ВПР-2021 shape."""
    procedure = Procedure.objects.filter(kind__slug="VPR", year=year, subject__code=default.subject,
                                         grade=default.grade).select_related("scale").first()
    if procedure is None or not procedure.tasks.exists() or not getattr(procedure, "scale", None):
        return default
    task_max = tuple(procedure.tasks.order_by("position").values_list("max_score", flat=True))
    boundaries = procedure.scale.boundaries or default.boundaries
    return ProcedureSpec(default.subject, default.grade, boundaries, task_max)


def school_mapping(region) -> dict:
    """Synthetic urban schools onto the demo's city schools, rural onto rural, in code order."""
    schools = Organization.objects.filter(kind=OrgKind.SCHOOL, is_active=True, level_noo=True, level_ooo=True)
    pools = {
        "город": list(schools.filter(settlement_type=SettlementType.CITY).order_by("code")),
        "село": list(schools.exclude(settlement_type=SettlementType.CITY).order_by("code")),
    }
    mapping = {}
    for row in region.schools.itertuples():
        pool = pools["город" if row.settlement_type == "город" else "село"] or pools["город"] or pools["село"]
        if pool:
            mapping[row.school_id] = pool.pop(0)
    return mapping


def build(stdout) -> None:
    years = demo_years()
    schools = Organization.objects.filter(kind=OrgKind.SCHOOL).count()
    if not schools:
        stdout.write("  Нет школ в реестре: результаты не созданы.")
        return
    specs = tuple(spec_for(spec, years[-1]) for spec in DEFAULT_SPECS)
    region = generate_region(seed=2026, n_schools=schools, years=years, specs=specs)
    mapping = school_mapping(region)
    procedures = [store_synthetic_procedure(sp, mapping) for sp in region.procedures]
    for year in years:
        region_year_recompute(year=year)
    pupils = sum(len(sp.results) for sp in region.procedures)
    stdout.write(f"  Результаты ВПР {years[0]}–{years[1]}: {counted(len(procedures), 'процедура', 'процедуры', 'процедур')}, {counted(pupils, 'участник', 'участника', 'участников')}; "
                 f"аналитика и признаки рассчитаны.")
    municipal_demo.build(stdout)
