"""Issue 17: «индекс объективности» is one thing — the federal index — and the same number on the objectivity page,
in the API, on the public site and in the monitoring indicator the reports print; other figures are named otherwise."""
import pytest

from assessments.models import Procedure, ProcedureKind, Subject
from assessments.stats.models import ObjectivitySign
from assessments.stats.services import region_year_recompute


@pytest.fixture
def region_with_signs_outside_the_federal_procedures(synthetic_region, world):
    """Signs of the official ВПР and, besides, a flagged official criterion on a geography procedure of a school
    the federal method found clean: the federal index must not count it."""
    region_year_recompute(year=2021)
    geography = Procedure.objects.create(code="VPR-2021-GEO-6", kind=ProcedureKind.objects.get(slug="VPR"), year=2021,
                                         subject=Subject.objects.get(code="GEO"), grade=6)
    flagged = set(ObjectivitySign.objects.filter(year=2021, flagged=True).values_list("school_id", flat=True))
    clean = ObjectivitySign.objects.filter(year=2021, evaluated=True).exclude(school_id__in=flagged)
    template = clean.filter(criterion__startswith="official").first()
    for sign in clean.filter(criterion=template.criterion)[:5]:
        ObjectivitySign.objects.create(year=2021, procedure=geography, school_id=sign.school_id,
                                       criterion=sign.criterion, version=sign.version, evaluated=True, flagged=True,
                                       explanation="Признак по географии")
    return synthetic_region


def test_the_federal_index_is_one_number_on_the_page_the_api_the_public_site_and_the_indicator(
        region_with_signs_outside_the_federal_procedures, client_for):
    from monitoring.models import IndicatorValue
    from monitoring.services import indicators_refresh

    indicators_refresh("2021")
    client = client_for("ministry")
    page = client.get("/analytics/objectivity/?year=2021")
    on_page = page.context["summary"]["index"]
    assert on_page.year == 2021 and "федеральная методика" in page.content.decode()
    api = client.get("/api/v1/objectivity-index/?year=2021&page_size=100").json()["results"]
    (from_api,) = [row["index"] for row in api if row["procedure"] is None]
    public = client.get("/public/objectivity/?year=2021")
    indicator = IndicatorValue.objects.get(indicator__code="objectivity_index", period="2021", level="region").value
    assert round(from_api, 1) == round(on_page.index, 1) == round(indicator, 1)
    assert public.context["index"]["index"] == round(on_page.index, 1)
    shown = f"{on_page.index:.1f}".replace(".", ",")
    assert f"data-federal-index>{shown}<" in page.content.decode()
    assert f"data-federal-index>{shown}<" in public.content.decode()


def test_a_procedures_share_of_clean_schools_is_not_called_the_index(region_with_signs_outside_the_federal_procedures,
                                                                     client_for):
    procedure = Procedure.objects.filter(year=2021, subject__code="MA", grade=4).first()
    page = client_for("ministry").get(f"/analytics/procedures/{procedure.code}/").content.decode()
    assert "ОО без официальных признаков в этой процедуре" in page
    assert "индекс объективности (школ с признаками" not in page
