"""Context of schools: difficult social conditions by the ministry's list or criteria, comparable groups, ШНОР."""
import io

import numpy as np
import pandas as pd
import pytest

from assessments.analytics import shnor
from assessments.analytics.context import DifficultyRule, comparable_groups, difficult_conditions
from contexts import demo
from contexts.models import ContextRule, SchoolContext
from contexts.services import contexts_recompute, rule_update
from monitoring.models import Indicator, IndicatorValue
from rsoko.orgs.choices import Role
from tests.factories import MembershipFactory, SchoolFactory, UserFactory


def frame(**columns):
    base = {"school_id": [1, 2, 3, 4], "rural": [True, True, False, False], "pupils": [80, 400, 90, None],
            "russian_second_share": [5.0, 35.0, 25.0, None], "low_income_share": [40.0, 10.0, None, None],
            "listed": [False, False, False, True]}
    return pd.DataFrame({**base, **columns})


def test_difficult_conditions_by_criteria_or_the_ministry_list():
    out = difficult_conditions(frame(), DifficultyRule(min_criteria=2)).set_index("school_id")
    # 1: rural, small, low income (3 criteria); 2: rural and Russian second (2); 3: small and Russian second (2);
    # 4: no figures at all, but on the ministry's list
    assert out["difficult"].to_dict() == {1: True, 2: True, 3: True, 4: True}
    assert out.loc[4, "reasons"] == "в перечне министерства"
    strict = difficult_conditions(frame()).set_index("school_id")  # the default: three criteria
    assert strict["difficult"].to_dict() == {1: True, 2: False, 3: False, 4: True}
    assert "сельская школа" in strict.loc[1, "reasons"] and "не более 150 обучающихся" in strict.loc[1, "reasons"]


def test_comparable_groups_are_reproducible_and_separate_unlike_schools():
    rng = np.random.default_rng(3)
    small = pd.DataFrame({"school_id": range(20), "rural": True, "pupils": rng.integers(40, 90, 20),
                          "russian_second_share": 5.0, "low_income_share": 40.0, "listed": False})
    large = pd.DataFrame({"school_id": range(20, 40), "rural": False, "pupils": rng.integers(900, 1400, 20),
                          "russian_second_share": 5.0, "low_income_share": 10.0, "listed": False})
    data = pd.concat([small, large], ignore_index=True)
    groups = comparable_groups(data, groups=2)
    assert groups.equals(comparable_groups(data, groups=2))
    assert set(groups[:20]) == {1} and set(groups[20:]) == {2}  # numbered from the smallest schools up
    assert comparable_groups(data.iloc[:0]).empty


def test_shnor_reason_says_when_the_school_is_in_difficult_conditions():
    results = []
    for procedure in ("a", "b"):
        for year in (2024, 2025):
            for school in range(12):
                results.append({"year": year, "procedure": procedure, "school_id": school, "participants": 20,
                                "mean_pct": 30.0 + school})
    context = pd.DataFrame({"school_id": range(12), "difficult": [True] + [False] * 11})
    out = shnor.low_results_schools(pd.DataFrame(results), context=context, year=2025)
    worst = out[out["school_id"] == 0].iloc[0]
    assert worst["selected"] and worst["reason"].endswith("ОО в сложных социальных условиях")


@pytest.fixture
def contexts(world):
    schools = [SchoolFactory(municipality=world.mun_a, settlement_type="rural" if n < 5 else "city")
               for n in range(10)]
    for n, school in enumerate(schools):
        SchoolContext.objects.create(school=school, pupils=60 + n if n < 5 else 900 + n,
                                     russian_second_share=2.0, low_income_share=45.0 if n < 5 else 5.0)
    SchoolContext.objects.create(school=world.school_a1, pupils=700, listed=True)
    SchoolContext.objects.create(school=world.school_b1, pupils=650)
    contexts_recompute()
    return schools


def test_the_rule_is_the_ministrys_and_recomputes_on_save(world, contexts):
    small = SchoolContext.objects.get(school=contexts[0])
    assert small.difficult and small.peer_group is not None
    assert SchoolContext.objects.get(school=world.school_a1).difficult  # listed
    rule_update(actor=world.user("ministry"), max_pupils=150, russian_second_share=20, low_income_share=30,
                rural_counts=True, min_criteria=4, groups=2)
    small.refresh_from_db()
    assert not small.difficult and ContextRule.current().min_criteria == 4


def test_the_school_beside_its_peers_and_the_region(world, contexts, client_for):
    indicator = Indicator.objects.get(code="vpr_mean_pct")
    for n, school in enumerate(contexts):
        IndicatorValue.objects.create(indicator=indicator, period="2025", level="school", key=f"s{school.pk}",
                                      organization=school, municipality_id=school.municipality_id, value=40.0 + n)
    IndicatorValue.objects.create(indicator=indicator, period="2025", level="region", key="region", value=55.0)
    page = client_for("coordinator").get(f"/contexts/{contexts[0].code}/").content.decode()
    assert "Группа сравнимых ОО" in page and "сельская школа" in page
    assert "Средний процент выполнения (ВПР)" in page and "<td class=\"num\">55</td>" in page
    listing = client_for("coordinator").get("/contexts/?difficult=1").content.decode()
    assert contexts[0].short_name in listing and contexts[9].short_name not in listing
    assert world.school_b1.short_name not in client_for("coordinator").get("/contexts/").content.decode()


@pytest.mark.parametrize("query", ["?group=%00", "?group=" + "9" * 500, "?group=%FF%FE", "?difficult=%00"])
def test_bad_parameters_do_not_break_the_list(world, contexts, client_for, query):
    expected = 400 if "%00" in query else 200  # a NUL is refused with 400 before any view (rsoko.errors)
    assert client_for("ministry").get("/contexts/" + query).status_code == expected


@pytest.mark.parametrize("field,value,message", [
    ("russian_second_share", "150", "от 0 до 100"), ("pupils", "-3", "больше либо равно 0"),
    ("low_income_share", "\x00", "Введите число"), ("pupils", "9" * 400, "меньше либо равно"),
])
def test_bad_figures_are_refused_by_field(world, contexts, client_for, field, value, message):
    data = {"pupils": "100", "russian_second_share": "", "low_income_share": "", field: value}
    response = client_for("ministry").post(f"/contexts/{world.school_a2.code}/", data)
    assert response.status_code == 200 and message in response.content.decode()


def test_two_memberships_and_none(world, contexts, client):
    both = UserFactory(username="two_hats")
    MembershipFactory(user=both, organization=world.mouo_b, role=Role.MUNICIPAL_COORDINATOR)
    MembershipFactory(user=both, organization=world.school_a1, role=Role.SCHOOL_HEAD)
    visible = set(SchoolContext.objects.visible_to(both).values_list("school_id", flat=True))
    assert visible == {world.school_a1.pk, world.school_b1.pk}
    nobody = UserFactory(username="nobody")
    client.force_login(nobody, backend="django.contrib.auth.backends.ModelBackend")
    assert client.get("/contexts/").status_code == 403
    assert client.get("/api/v1/school-contexts/").status_code == 403


def test_demo_context_is_built_once_with_flags_and_groups(world):
    for n in range(12):
        SchoolFactory(municipality=world.mun_a, settlement_type="rural" if n % 2 else "city")
    demo.build(io.StringIO())
    first = sorted(SchoolContext.objects.values_list("school_id", "pupils", "difficult", "peer_group"))
    demo.build(io.StringIO())
    assert sorted(SchoolContext.objects.values_list("school_id", "pupils", "difficult", "peer_group")) == first
    assert SchoolContext.objects.filter(difficult=True).exists() and SchoolContext.objects.filter(difficult=False).exists()


def test_the_school_page_shows_its_context(world, contexts, client_for):
    from django.urls import reverse

    page = client_for("school_head").get(reverse("orgs:organization_detail", args=[world.school_a1.code]))
    assert "в перечне министерства" in page.content.decode()


def test_the_demo_region_has_a_plausible_share_of_difficult_schools(db):
    """A real region counts some 10–20 % of its schools in difficult social conditions, not half of them."""
    from rsoko.orgs import demo as registry_demo

    registry_demo.build(io.StringIO())
    demo.build(io.StringIO())
    share = SchoolContext.objects.filter(difficult=True).count() / SchoolContext.objects.count()
    assert 0.10 <= share <= 0.20, share
