"""The indicator catalogue open to the region: formulas and forms of the ministry's own, every mechanism covered,
the new built-ins (ЕГЭ, observers, re-checks, training) computed from their sources."""
import pandas as pd
import pytest

from monitoring import compute
from monitoring.choices import Mechanism
from monitoring.formulas import FormulaError, evaluate, parse_formula
from monitoring.models import Indicator, IndicatorValue
from monitoring.services import IndicatorCreateError, indicator_create, indicators_refresh
from rsoko.orgs.choices import Role
from tests.factories import MembershipFactory, UserFactory

from .factories import TODAY, build

CODES = {"vpr_pct_2", "vpr_quality", "oge_quality", "teachers_trained"}


@pytest.mark.parametrize("text,codes", [
    ("100 - vpr_pct_2", {"vpr_pct_2"}),
    ("(vpr_quality + oge_quality) / 2", {"vpr_quality", "oge_quality"}),
    ("-vpr_quality * 1.5", {"vpr_quality"}),
])
def test_a_formula_names_the_indicators_it_uses(text, codes):
    assert parse_formula(text, CODES) == codes


@pytest.mark.parametrize("text,message", [
    ("", "пуста"),
    ("ege_unknown + 1", "нет показателя с кодом «ege_unknown»"),
    ("__import__('os').system('id')", "только"),
    ("vpr_quality.real", "только"),
    ("vpr_quality ** 2", "только действия"),
    ("'a' + vpr_quality", "только числа"),
    ("2 + 2", "хотя бы один показатель"),
    ("vpr_quality +", "не читается"),
    ("vpr_quality\x00", "не читается"),
    ("1 + " * 200 + "vpr_quality", "длиннее"),
])
def test_a_formula_that_is_not_arithmetic_over_the_catalogue_is_refused(text, message):
    with pytest.raises(FormulaError, match=message):
        parse_formula(text, CODES)


def test_a_formula_value_needs_every_indicator_and_survives_division_by_zero():
    assert evaluate("(vpr_quality + oge_quality) / 2", {"vpr_quality": 40.0, "oge_quality": 60.0}) == 50.0
    assert evaluate("100 - vpr_pct_2", {"vpr_pct_2": None}) is None
    assert evaluate("vpr_quality / oge_quality", {"vpr_quality": 1.0, "oge_quality": 0.0}) is None


@pytest.mark.django_db
def test_every_mechanism_of_the_order_has_indicators_and_each_is_filed_right():
    active = Indicator.objects.filter(is_active=True)
    assert {value for value in Mechanism.values if not active.filter(mechanism=value).exists()} == set()
    filed = dict(Indicator.objects.values_list("code", "mechanism"))
    assert filed["ege_mean_pct"] == filed["observer_violations"] == filed["flagged_rechecked"] == "1.1"
    assert filed["teachers_training_coverage"] == "2.2" and filed["high_results_share"] == "1.2"
    assert (filed["heads_assessed"], filed["upbringing_programmes"], filed["preschool_monitored"]) == \
        ("2.1", "2.3", "2.4")


def test_observed_with_violations_counts_reports_with_any_violation():
    frame = pd.DataFrame({"school_id": [1, 1, 2, 3], "municipality_id": [10, 10, 10, 20],
                          "violations": [True, False, False, True]})
    out = compute.observed_with_violations(frame).set_index("level")
    assert out.loc["region", "value"] == 50.0
    by_school = compute.observed_with_violations(frame)
    assert by_school[by_school["level"] == "school"].set_index("school_id")["value"].to_dict() == \
        {1: 50.0, 2: 0.0, 3: 100.0}


def test_flagged_rechecked_counts_only_evaluated_flags_of_official_criteria():
    signs = pd.DataFrame({"school_id": [1, 2, 3, 4], "municipality_id": [10, 10, 20, 20],
                          "criterion": ["official_a", "official_a", "regional", "official_a"],
                          "evaluated": [True, True, True, False], "flagged": [True, True, True, True]})
    out = compute.flagged_rechecked(signs, {"official_a"}, rechecked={1, 3})
    region = out[out["level"] == "region"].iloc[0]
    assert (region["numerator"], region["denominator"], region["value"]) == (1, 2, 50.0)
    assert compute.flagged_rechecked(signs.iloc[0:0], {"official_a"}, set()).empty


def formula_indicator(world, **overrides):
    fields = dict(code="vpr_not_two", name="Доля ВПР без «2»", mechanism="1.1", unit="%", direction="higher",
                  levels=["region", "municipality", "school"], periodicity="year", target=95.0,
                  formula="100 - vpr_pct_2")
    return indicator_create(actor=world.user("ministry"), **{**fields, **overrides})


def test_a_formula_indicator_is_computed_with_the_catalogue(world):
    build(world)
    indicator = formula_indicator(world)
    assert (indicator.is_builtin, indicator.is_manual, indicator.kind_display) == \
        (False, False, "формула по показателям каталога")
    indicators_refresh("2026", today=TODAY)
    base = {v.key: v.value for v in IndicatorValue.objects.filter(indicator__code="vpr_pct_2", period="2026")}
    mine = {v.key: v.value for v in IndicatorValue.objects.filter(indicator=indicator, period="2026")}
    assert base and set(mine) == set(base)
    assert all(mine[key] == pytest.approx(100 - base[key]) for key in base if base[key] is not None)


def test_the_new_builtins_read_their_sources(world):
    build(world)
    indicators_refresh("2026", today=TODAY)
    region = IndicatorValue.objects.get(indicator__code="flagged_rechecked", period="2026", key="region")
    # school А1 is flagged by an official criterion and wrote ВПР under independent checking
    assert (region.numerator, region.denominator, region.value) == (1, 1, 100.0)


def test_a_formula_over_other_periodicity_or_an_existing_code_is_refused(world):
    with pytest.raises(IndicatorCreateError, match="другой периодичностью"):
        formula_indicator(world, formula="roadmap_done + 1")
    formula_indicator(world)
    with pytest.raises(IndicatorCreateError, match="уже есть"):
        formula_indicator(world)


def test_a_manual_indicator_goes_into_the_monitoring_forms(world, client_for):
    indicator_create(actor=world.user("ministry"), code="school_psychologists", name="Доля ОО с педагогом-психологом",
                     mechanism="2.3", unit="%", direction="higher", levels=["municipality", "school"],
                     periodicity="year")
    page = client_for("ministry").get("/monitoring/forms/new/").content.decode()
    assert "Доля ОО с педагогом-психологом" in page


PAGE_DATA = {"code": "ege_two_subjects", "name": "Средний % ЕГЭ и ОГЭ", "mechanism": "1.1", "unit": "%",
             "direction": "higher", "levels": ["region", "municipality"], "periodicity": "year",
             "value_kind": "percent", "formula": "(ege_mean_pct + oge_mean_pct) / 2", "target": "60,5"}


def test_the_ministry_adds_an_indicator_on_the_page(world, client_for):
    response = client_for("ministry").post("/monitoring/indicators/new/", PAGE_DATA)
    assert response.status_code == 302 and response.url == "/monitoring/indicators/ege_two_subjects/"
    indicator = Indicator.objects.get(code="ege_two_subjects")
    assert (indicator.target, indicator.created_by, indicator.levels) == \
        (60.5, world.user("ministry"), ["region", "municipality"])
    listing = client_for("ministry").get("/monitoring/indicators/").content.decode()
    assert "Средний % ЕГЭ и ОГЭ" in listing and "2.4 Мониторинг качества дошкольного образования" in listing


@pytest.mark.parametrize("field,value,message", [
    ("formula", "ege_mean_pct + nothing_here", "нет показателя с кодом «nothing_here»"),
    ("formula", "ege_mean_pct\x00", "ноль-байт"),
    ("code", "Код с пробелами", "латиница"),
    ("code", "x" * 80, "латиница"),
    ("code", "vpr_quality", "уже есть"),
    ("name", "Н" * 301, "не более 300"),
    ("code", "\x00", "ноль-байт"),
])
def test_bad_input_on_the_page_names_the_field(world, client_for, field, value, message):
    response = client_for("ministry").post("/monitoring/indicators/new/", {**PAGE_DATA, field: value})
    assert response.status_code == 200 and message in response.content.decode()
    assert not Indicator.objects.filter(code=PAGE_DATA["code"]).exists() or field == "code"


def test_non_utf8_and_nul_in_the_query_string_do_not_break_the_pages(world, client_for):
    client = client_for("ministry")
    for url in ("/monitoring/indicators/new/?x=%FF%FE", "/monitoring/indicators/new/?x=%00",
                "/monitoring/indicators/?period=" + "9" * 5000):
        assert client.get(url).status_code == (400 if "%00" in url else 200)  # a NUL is refused with 400 before any view (rsoko.errors)


def test_the_api_adds_an_indicator_and_explains_refusals(world, client_for):
    client = client_for("ministry")
    response = client.post("/api/v1/indicators/", PAGE_DATA)
    assert response.status_code == 201 and response.json()["formula"] == "(ege_mean_pct + oge_mean_pct) / 2"
    bad = client.post("/api/v1/indicators/", {**PAGE_DATA, "code": "other_one", "formula": "os.system"},
                      content_type="application/json")
    assert bad.status_code == 400 and "formula" in bad.json()
    assert client_for("coordinator").post("/api/v1/indicators/", PAGE_DATA).status_code == 403


def test_a_user_with_two_memberships_and_one_with_none(world, client_for, client):
    both = UserFactory(username="two_hats")
    MembershipFactory(user=both, organization=world.mouo_a, role=Role.MUNICIPAL_COORDINATOR)
    MembershipFactory(user=both, organization=world.ministry_org, role=Role.MINISTRY_STAFF)
    client.force_login(both, backend="django.contrib.auth.backends.ModelBackend")
    assert client.get("/monitoring/indicators/new/").status_code == 200
    assert client.post("/monitoring/indicators/new/", PAGE_DATA).status_code == 302
    nobody = UserFactory(username="no_membership")
    client.force_login(nobody, backend="django.contrib.auth.backends.ModelBackend")
    assert client.get("/monitoring/indicators/new/").status_code == 403
    assert client.post("/api/v1/indicators/", PAGE_DATA).status_code == 403
