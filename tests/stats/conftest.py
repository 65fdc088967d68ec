import pytest

from assessments.stats.synthetic_load import store_synthetic_procedure
from assessments.synthetic import generate_region
from rsoko.orgs.choices import OrgKind
from rsoko.orgs.models import Municipality, Organization
from tests.factories import RegionFactory


def registry_for(region_frame) -> dict:
    """Registry schools for the synthetic ones: one municipality per synthetic municipality."""
    region = RegionFactory()
    municipalities = {
        mid: Municipality.objects.create(region=region, code=f"reg99_syn{mid:03d}", name=f"Район {mid}")
        for mid in sorted(region_frame.schools["municipality_id"].unique())
    }
    schools = {}
    for row in region_frame.schools.itertuples():
        schools[row.school_id] = Organization.objects.create(
            kind=OrgKind.SCHOOL, code=f"sch98{row.school_id:04d}", short_name=f"Школа {row.school_id}",
            municipality=municipalities[row.municipality_id],
            settlement_type="city" if row.settlement_type == "город" else "rural",
        )
    return schools


def stored_region(years=(2020, 2021), grades=(4, 5)):
    region = generate_region(seed=7, n_schools=80, planted_per_kind=3)
    schools = registry_for(region)
    procedures = {sp.code: store_synthetic_procedure(sp, schools) for sp in region.procedures
                  if sp.year in years and sp.grade in grades}
    return region, schools, procedures


@pytest.fixture
def synthetic_region(db):
    """Two years of ВПР 4 and 5 (Русский язык, Математика): what the year's signs need."""
    return stored_region()


@pytest.fixture
def synthetic_year(db):
    """Only the last year's grade 4 procedures: enough for one procedure's statistics and signs."""
    return stored_region(years=(2021,), grades=(4,))
