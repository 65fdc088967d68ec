"""A municipal procedure (МПР) is one municipality's own work, often by its weakest schools only: it must not enter
the figures that compare the region's schools (ШНОР, monitoring indicators, the region's quarterly report)."""
from datetime import date

import pytest

from assessments.stats import services
from assessments.stats.models import RiskPupil
from monitoring import sources
from tests.assessments.catalog.municipal import mpr

from .factories import add_results, analysed_procedure


@pytest.fixture
def loaded_mpr(world):
    """An analysed ВПР of 2021 and A's МПР of 2021 with results, both recomputed."""
    analysed_procedure(world)
    procedure = mpr(world)
    for seed, school in enumerate((world.school_a1, world.school_a2), start=10):
        add_results(procedure, school, 12, skill=0.2, seed=seed)
    services.procedure_recompute(procedure_id=procedure.pk)
    return procedure


def test_monitoring_sources_leave_the_mpr_out(world, loaded_mpr):
    results = sources.results_frame(2021)
    assert results.set_index("school_id").loc[world.school_a1.pk, "present"] == 14  # the ВПР's pupils only
    participations = sources.participations_frame(2021)
    assert len(participations[participations["school_id"] == world.school_a1.pk]) == 0  # ВПР rows come from results
    assert RiskPupil.objects.filter(procedure=loaded_mpr).exists()
    assert sources.risk_frame(2021)["pupils"].sum() == RiskPupil.objects.exclude(procedure=loaded_mpr).count()


def test_shnor_reads_no_municipal_procedure(world, loaded_mpr, monkeypatch):
    read = []
    original = services.LoadedProcedures.get

    def recording(self, procedure):
        read.append(procedure.code)
        return original(self, procedure)

    monkeypatch.setattr(services.LoadedProcedures, "get", recording)
    services.school_list_objects(2021, services.year_signs(2021, services.criterion_params(),
                                                           services.LoadedProcedures()), services.LoadedProcedures())
    assert read and loaded_mpr.code not in read


def test_the_regions_quarterly_report_has_no_mpr_but_its_municipalitys_report_does(world, loaded_mpr):
    from assessments.stats.models import Level
    from assessments.stats.selectors import Group
    from reports.periods import Quarter
    from reports.sources import procedures_in

    quarter = Quarter(loaded_mpr.year, 2)
    loaded_mpr.date_start = loaded_mpr.date_end = None
    loaded_mpr.save()
    in_region = set(procedures_in(quarter, Group(Level.REGION)))
    in_municipality = set(procedures_in(quarter, Group(Level.MUNICIPALITY, municipality=world.mun_a)))
    assert loaded_mpr not in in_region and in_region, "the region's report keeps its ВПР"
    assert loaded_mpr in in_municipality


def test_a_mpr_gets_no_objectivity_signs_of_its_own(world, loaded_mpr):
    from assessments.stats.models import ObjectivitySign

    assert ObjectivitySign.objects.filter(procedure__kind__slug="VPR").exists(), "the ВПР of the same year has its signs"
    assert not ObjectivitySign.objects.filter(procedure=loaded_mpr).exists()
    assert not ObjectivitySign.objects.filter(year=loaded_mpr.year, procedure__isnull=False)\
        .exclude(procedure__kind__slug="VPR").exists()
