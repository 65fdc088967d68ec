"""The register of management decisions and the effect page: difference in differences with its uncertainty."""
from datetime import date
import io

import numpy as np
import pandas as pd
import pytest

from decisions import demo
from decisions.effect import difference_in_differences
from decisions.models import Decision
from decisions.selectors import chosen_periods, decision_effect, PeriodError
from decisions.services import DecisionError, decision_create
from monitoring.models import Indicator, IndicatorValue
from rsoko.orgs.choices import Role
from tests.factories import MembershipFactory, SchoolFactory, UserFactory


def frame(treated_changes, control_changes, treated_before=50.0, control_before=50.0):
    rows = [{"key": f"t{i}", "treated": True, "before": treated_before, "after": treated_before + c}
            for i, c in enumerate(treated_changes)]
    rows += [{"key": f"c{i}", "treated": False, "before": control_before, "after": control_before + c}
             for i, c in enumerate(control_changes)]
    return pd.DataFrame(rows)


def test_difference_in_differences_by_hand():
    # concerned units gain 10, 12, 14 (mean 12); comparable ones 1, 2, 3 (mean 2): the effect is 10
    estimate = difference_in_differences(frame([10, 12, 14], [1, 2, 3]))
    assert estimate.did == pytest.approx(10.0)
    # Welch: var 4/3 + 1/3 → se = sqrt(5/3)
    assert estimate.se == pytest.approx(np.sqrt(4 / 3 + 1 / 3))
    assert estimate.ci_low > 0 and estimate.significant and estimate.p_value < 0.01
    assert (estimate.treated_n, estimate.control_n) == (3, 3)


def test_no_difference_reads_as_not_significant():
    estimate = difference_in_differences(frame([1, 5, -3, 2], [2, -2, 4, 1]))
    assert estimate.ci_low < 0 < estimate.ci_high and not estimate.significant


def test_comparable_units_are_those_within_the_concerned_range_before():
    data = pd.DataFrame([
        {"key": "t1", "treated": True, "before": 30, "after": 40}, {"key": "t2", "treated": True, "before": 36,
                                                                    "after": 48},
        {"key": "c1", "treated": False, "before": 32, "after": 33}, {"key": "c2", "treated": False, "before": 34,
                                                                     "after": 37},
        {"key": "far1", "treated": False, "before": 90, "after": 130}, {"key": "far2", "treated": False,
                                                                        "before": 91, "after": 141},
    ])
    estimate = difference_in_differences(data)
    assert estimate.control_n == 2 and estimate.common_support  # the strong schools at 90 are left out
    assert estimate.did == pytest.approx(9.0)


def test_too_few_units_give_no_estimate():
    assert difference_in_differences(frame([10], [1, 2, 3])) is None
    assert difference_in_differences(frame([10, 11], [1])) is None


@pytest.fixture
def region_values(world):
    """12 schools with ВПР quality in 2025 and 2026; the first four (concerned) gain 15 points, the rest 1."""
    indicator = Indicator.objects.get(code="vpr_quality")
    schools = [SchoolFactory(municipality=world.mun_a if n % 2 else world.mun_b) for n in range(12)]
    rng = np.random.default_rng(7)
    for n, school in enumerate(schools):
        before = 40 + rng.normal(0, 3)
        after = before + (15 if n < 4 else 1) + rng.normal(0, 1)
        for period, value in (("2025", before), ("2026", after)):
            IndicatorValue.objects.create(indicator=indicator, period=period, level="school", key=f"s{school.pk}",
                                          organization=school, municipality_id=school.municipality_id, value=value)
    return indicator, schools


def test_the_effect_page_reads_the_difference(world, region_values, client_for):
    indicator, schools = region_values
    decision = decision_create(actor=world.user("ministry"), owner=world.ministry_org, order_number="12",
                               order_date=date(2025, 9, 10), title="О поддержке четырёх школ", mechanism="1.2",
                               indicators=[indicator], schools=schools[:4])
    assert chosen_periods(decision, None, None) == ("2025", "2026")
    row = decision_effect(decision, "2025", "2026")[0]
    assert row.estimate.did == pytest.approx(14, abs=1.5) and row.improved is True
    page = client_for("ministry").get(f"/decisions/{decision.pk}/").content.decode()
    assert "Улучшение на" in page and "95 % интервал" in page
    api = client_for("ministry").get(f"/api/v1/decisions/{decision.pk}/effect/").json()
    assert api["indicators"][0]["significant"] is True and api["indicators"][0]["treated_n"] == 4


@pytest.mark.parametrize("before,after,message", [
    ("20\x0025", "2026", "четырёх цифр"), ("2025" * 300, "2026", "четырёх цифр"), ("2026", "2025", "позже"),
    ("%FF", "2026", "четырёх цифр"),
])
def test_bad_periods_are_explained_not_a_500(world, region_values, client_for, before, after, message):
    indicator, schools = region_values
    decision = decision_create(actor=world.user("ministry"), owner=world.ministry_org, order_number="12",
                               order_date=date(2025, 9, 10), title="О школах", mechanism="1.2",
                               indicators=[indicator], schools=schools[:4])
    with pytest.raises(PeriodError, match=message):
        chosen_periods(decision, before, after)
    client = client_for("ministry")
    page = client.get(f"/decisions/{decision.pk}/", {"before": before, "after": after})
    if "\x00" in before:  # a NUL is refused with 400 before any view (rsoko.errors), the API's as JSON
        api = client.get(f"/api/v1/decisions/{decision.pk}/effect/", {"before": before, "after": after})
        assert page.status_code == 400 and api.status_code == 400 and "detail" in api.json()
        return
    assert page.status_code == 200 and message in page.content.decode()
    api = client.get(f"/api/v1/decisions/{decision.pk}/effect/", {"before": before, "after": after})
    assert api.status_code == 400 and message in api.json()["period"][0]
    assert client.get(f"/decisions/{decision.pk}/?before=%FF%FE").status_code == 200


def test_a_municipal_office_decides_within_its_municipality_only(world):
    indicator = Indicator.objects.get(code="vpr_quality")
    coordinator = world.user("coordinator")
    decision = decision_create(actor=coordinator, owner=world.mouo_a, order_number="А-1", order_date=date(2025, 9, 1),
                               title="О школе А2", mechanism="1.2", indicators=[indicator], schools=[world.school_a2])
    assert decision.is_municipal
    with pytest.raises(DecisionError, match="не из муниципалитета"):
        decision_create(actor=coordinator, owner=world.mouo_a, order_number="А-2", order_date=date(2025, 9, 1),
                        title="О чужой школе", mechanism="1.2", indicators=[indicator], schools=[world.school_b1])
    with pytest.raises(DecisionError, match="от имени"):
        decision_create(actor=coordinator, owner=world.mouo_b, order_number="А-3", order_date=date(2025, 9, 1),
                        title="За другой МОУО", mechanism="1.2", indicators=[indicator], schools=[world.school_b1])
    # МОУО Б and school Б1 do not see МОУО А's decision; the head of А2's neighbour А1 does not either
    assert list(Decision.objects.visible_to(world.user("coordinator"))) == [decision]
    assert not Decision.objects.visible_to(world.user("school_head")).exists()


def test_the_form_offers_a_coordinator_only_their_municipality(world, client_for):
    page = client_for("coordinator").get("/decisions/new/").content.decode()
    assert world.school_a2.short_name in page and world.school_b1.short_name not in page
    response = client_for("coordinator").post("/decisions/new/", {
        "owner": world.mouo_a.pk, "order_number": "7", "order_date": "2025-10-01", "title": "О школе Б1",
        "mechanism": "1.2", "indicators": [Indicator.objects.get(code="vpr_quality").pk],
        "schools": [world.school_b1.pk]})
    assert response.status_code == 200 and not Decision.objects.exists()


def test_a_user_with_two_memberships_and_one_with_none(world, client):
    both = UserFactory(username="two_hats")
    MembershipFactory(user=both, organization=world.mouo_b, role=Role.MUNICIPAL_COORDINATOR)
    MembershipFactory(user=both, organization=world.school_a1, role=Role.SCHOOL_HEAD)
    indicator = Indicator.objects.get(code="vpr_quality")
    decision = decision_create(actor=both, owner=world.mouo_b, order_number="Б-1", order_date=date(2025, 9, 1),
                               title="О школе Б1", mechanism="1.2", indicators=[indicator], schools=[world.school_b1])
    client.force_login(both, backend="django.contrib.auth.backends.ModelBackend")
    assert client.get(f"/decisions/{decision.pk}/").status_code == 200
    nobody = UserFactory(username="nobody")
    client.force_login(nobody, backend="django.contrib.auth.backends.ModelBackend")
    assert client.get("/decisions/").status_code == 403
    assert client.get(f"/api/v1/decisions/{decision.pk}/effect/").status_code == 403


def test_the_demo_decision_reads_a_real_difference(world):
    for n in range(15):
        SchoolFactory(municipality=world.mun_a if n % 2 else world.mun_b)
    demo.build(io.StringIO())
    demo.build(io.StringIO())  # twice: nothing doubles
    decision = Decision.objects.get()
    rows = {row.indicator.code: row for row in decision_effect(decision, *chosen_periods(decision, None, None))}
    coverage = rows["teachers_training_coverage"]
    assert coverage.improved is True and coverage.estimate.ci_low > 10
    assert coverage.estimate.treated_n == decision.schools.count()
