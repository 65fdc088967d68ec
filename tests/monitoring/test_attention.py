"""The home page answers «what needs my attention», per role and within the user's scope."""
import pytest

from monitoring.attention import attention_for, school_standing
from rsoko.orgs.access import forget_scope
from rsoko.orgs.choices import Role
from rsoko.orgs.models import Membership
from tests.factories import UserFactory
from tests.fieldwork.matrix_objects import objects as fieldwork_objects
from tests.monitoring.factories import TODAY, YEAR, build

pytestmark = pytest.mark.django_db


@pytest.fixture
def region(world):
    build(world)
    return world


def find(user, kind: str):
    return next((item for item in attention_for(user, today=TODAY) if item.kind == kind), None)


def test_the_ministry_sees_new_signs_overdue_items_and_missing_reports_of_the_region(region):
    ministry = region.user("ministry")
    # А1 and А2 are flagged this year and were not last year; Б1's sign was not evaluated: not counted.
    assert find(ministry, "new_signs").count == 2
    assert find(ministry, "new_signs").text == f"школы с новыми признаками необъективности за {YEAR} год"
    assert find(ministry, "new_signs").url.endswith(f"?year={YEAR}&flagged=true")
    assert find(ministry, "overdue_items").count == 1
    missing = find(ministry, "missing_round_reports")
    assert missing.count == 1 and missing.text.startswith("МОУО не представил отчёт")
    assert "/roadmaps/rounds/" in missing.url  # МОУО Б did not report in the passed round


def test_the_most_urgent_comes_first(region):
    levels = [item.level for item in attention_for(region.user("ministry"), today=TODAY)]
    assert levels == sorted(levels, key=["danger", "warning", "info"].index)


def test_a_coordinator_counts_only_its_municipality(region):
    coordinator = region.user("coordinator")
    assert find(coordinator, "new_signs").count == 2  # А1, А2 are in municipality A
    assert find(coordinator, "overdue_items").count == 1  # А1's overdue item
    assert find(coordinator, "missing_round_reports") is None  # МОУО А reported on time
    to_send = find(coordinator, "round_reports_to_submit")  # «II полугодие», due 31.12.2026, not sent yet
    assert to_send.count == 1 and to_send.level == "warning" and "31.12.2026" in to_send.text
    assert find(region.user("ministry"), "round_reports_to_submit") is None  # the ministry does not report


def test_a_school_head_is_told_its_school_is_on_the_lists_and_what_follows(region):
    head = region.user("school_head")  # school А1: a sign and the federal list this year; ШНОР only last year
    standing = {s.title: s for s in school_standing(head)}
    assert set(standing) == {"Признаки необъективности результатов",
                             "Школа в федеральном перечне ОО с признаками необъективности"}
    assert standing["Школа в федеральном перечне ОО с признаками необъективности"].reason == "отметки: 4 МА"
    assert "наблюдатели" in standing["Признаки необъективности результатов"].follows
    overdue = find(head, "overdue_items")
    assert overdue.text == "пункт дорожных карт просрочен вашей организацией"
    assert overdue.url.endswith("?status=overdue")


def test_a_school_on_this_years_shnor_is_told_what_follows(region):
    head_a2 = UserFactory(username="head_a2")
    Membership.objects.create(user=head_a2, organization=region.school_a2, role=Role.SCHOOL_HEAD)
    shnor = [s for s in school_standing(head_a2) if s.title == "Школа в перечне ШНОР"]
    assert len(shnor) == 1 and shnor[0].year == YEAR and "антирисковых мер" in shnor[0].follows


def test_an_expert_is_told_about_works_waiting_for_its_check(region):
    fieldwork_objects(region)
    item = find(region.user("expert"), "expert_assignments")
    assert item.count == 1 and item.url == "/fieldwork/my/"
    assert school_standing(region.user("expert")) == []


def test_a_user_with_two_memberships_gets_both_areas_and_no_more(region):
    user = region.user("school_head")
    Membership.objects.create(user=user, organization=region.mouo_b, role=Role.MUNICIPAL_COORDINATOR)
    forget_scope(user)
    # Its own school А1 (new this year) and nothing from municipality Б (Б1's sign was not evaluated); not А2.
    assert find(user, "new_signs").count == 1
    assert find(user, "overdue_items").count == 1  # its school's item
    assert {s.school for s in school_standing(user)} == {region.school_a1}


def test_the_empty_area_gets_an_empty_list_and_a_calm_page(region, client):
    nobody = UserFactory(username="no_roles")
    assert attention_for(nobody, today=TODAY) == [] and school_standing(nobody) == []
    client.force_login(nobody, backend="django.contrib.auth.backends.ModelBackend")
    page = client.get("/").content.decode()
    assert "Сейчас ничего не требует вашего внимания" in page


def test_the_home_page_lists_the_attention_items_with_links(region, client_for):
    page = client_for("ministry").get("/").content.decode()
    assert "Требует внимания" in page and "С чего начать" not in page
    assert f"/analytics/objectivity/?year={YEAR}&amp;flagged=true" in page
    head = client_for("school_head").get("/").content.decode()
    assert "Ваша школа в перечнях" in head and "Что дальше." in head


def test_the_dashboard_alert_for_new_signs_opens_the_signs_list_of_that_year(world, client_for):
    from assessments.stats.models import ObjectivitySign
    from monitoring.selectors import alerts_for

    ObjectivitySign.objects.create(year=2026, school=world.school_a1, criterion="official_spearman", version=1,
                                   value=-0.4, evaluated=True, flagged=True, explanation="признак")
    [alert] = [a for a in alerts_for(world.user("ministry"), year=2026) if "признаки" in a.text]
    page = client_for("ministry").get(alert.url)
    assert page.status_code == 200 and world.school_a1.short_name in page.content.decode()
