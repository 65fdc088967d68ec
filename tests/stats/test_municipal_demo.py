"""The demo region's МОУО runs its МПР with its own КИМ: results loaded through the import as its coordinator,
analytics computed; its own monitoring form has answers. Built twice, nothing changes."""
import io

from assessments import demo as catalog_demo
from assessments.models import ParticipantResult, Procedure
from assessments.stats import municipal_demo
from assessments.stats.models import SchoolListEntry, StatisticRow
from monitoring.demo import demo_municipal_form
from monitoring.models import IndicatorValue
from rsoko.orgs import demo as registry_demo


def test_the_demo_mpr_has_its_own_kim_results_and_analytics_within_its_municipality(db):
    registry_demo.build(io.StringIO())
    catalog_demo.build(io.StringIO())
    out = io.StringIO()
    municipal_demo.build(out)
    procedure = Procedure.objects.get(kind__code="МПР")
    assert "Входная муниципальная диагностика" in out.getvalue() and procedure.code not in out.getvalue()
    assert procedure.tasks.filter(skill="Задача на части и доли", kes_codes="1.3").exists()
    results = ParticipantResult.objects.filter(procedure=procedure)
    municipality = procedure.organizer.municipality_id
    assert results.count() > 100 and set(results.values_list("school__municipality", flat=True)) == {municipality}
    assert StatisticRow.objects.filter(procedure=procedure, level="school").exists()
    assert not SchoolListEntry.objects.exists()  # the region's year was not recomputed for a МПР
    counts = (results.count(), StatisticRow.objects.filter(procedure=procedure).count())
    municipal_demo.build(io.StringIO())
    assert counts == (results.count(), StatisticRow.objects.filter(procedure=procedure).count())


def test_the_demo_municipal_form_is_answered_by_its_schools_only(db):
    registry_demo.build(io.StringIO())
    form = demo_municipal_form(2026)
    answered = set(form.answers.values_list("organization__municipality", flat=True))
    assert answered == {form.municipality_id} and form.answers.values("organization").distinct().count() > 5
    assert not IndicatorValue.objects.filter(indicator__code="olympiad_coverage").exists()
    assert demo_municipal_form(2026).answers.count() == form.answers.count()
