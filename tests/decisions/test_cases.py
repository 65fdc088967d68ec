"""Consequences for flagged schools: assigned in bulk from the signs list, tracked to a result, shown on the school."""
from django.urls import reverse
import pytest

from assessments.stats.models import FederalMark, ObjectivitySign
from decisions.models import Case
from decisions.services import DecisionError, case_update, cases_assign
from rsoko.orgs.choices import Role
from tests.factories import MembershipFactory, UserFactory


@pytest.fixture
def flagged(world):
    """2025: А1 flagged by an official criterion, Б1 on the federal list; А2 evaluated, not flagged."""
    ObjectivitySign.objects.create(year=2025, school=world.school_a1, criterion="official_mean_ci", version=1,
                                   evaluated=True, flagged=True, explanation="")
    ObjectivitySign.objects.create(year=2025, school=world.school_a2, criterion="official_mean_ci", version=1,
                                   evaluated=True, flagged=False, explanation="")
    FederalMark.objects.create(year=2025, school=world.school_b1, markers="5 МА")
    return world


def test_bulk_assignment_from_the_signs_list_skips_what_exists(flagged, client_for):
    w = flagged
    client = client_for("ministry")
    page = client.get("/decisions/cases/assign/?year=2025").content.decode()
    assert "Школа А1" in page and "Школа Б1" in page and "Школа А2" not in page
    assert "федеральный перечень (5 МА)" in page
    response = client.post("/decisions/cases/assign/?year=2025", {
        "kind": "controlled_vpr", "due": "2026-04-30", "schools": [w.school_a1.pk, w.school_b1.pk]})
    assert response.status_code == 302
    assert Case.objects.filter(year=2025, kind="controlled_vpr").count() == 2
    created, skipped = cases_assign(actor=w.user("ministry"), year=2025, kind="controlled_vpr",
                                    schools=[w.school_a1])
    assert (created, skipped) == ([], [w.school_a1])
    assert Case.objects.get(school=w.school_b1).reason == "федеральный перечень (5 МА)"


def test_a_school_without_signs_cannot_be_given_a_consequence(flagged):
    with pytest.raises(DecisionError, match="Школа А2"):
        cases_assign(actor=flagged.user("ministry"), year=2025, kind="recheck", schools=[flagged.school_a2])
    assert not Case.objects.exists()


def test_posting_a_school_not_on_the_list_is_refused_with_a_message(flagged, client_for):
    response = client_for("ministry").post("/decisions/cases/assign/?year=2025", {
        "kind": "recheck", "schools": [flagged.school_a2.pk]})
    assert response.status_code == 200 and "Выберите корректный вариант" in response.content.decode()
    response = client_for("ministry").post("/decisions/cases/assign/?year=2025", {"kind": "recheck"})
    assert "Отметьте хотя бы одну ОО" in response.content.decode()


def test_a_case_is_tracked_to_its_result_with_history_on_the_school_page(flagged, client_for):
    w = flagged
    [case], _ = cases_assign(actor=w.user("ministry"), year=2025, kind="recheck", schools=[w.school_a1])
    coordinator = client_for("coordinator")
    response = coordinator.post(f"/decisions/cases/{case.pk}/", {"status": "done", "result": ""})
    assert response.status_code == 200 and "укажите итог" in response.content.decode()
    response = coordinator.post(f"/decisions/cases/{case.pk}/", {
        "status": "done", "result": "not_confirmed", "comment": "баллы завышены в 6 работах из 20"})
    assert response.status_code == 302
    case.refresh_from_db()
    assert (case.status, case.result, case.events.count()) == ("done", "not_confirmed", 2)
    text = client_for("school_head").get(reverse("orgs:organization_detail", args=[w.school_a1.code])).content.decode()
    assert "Последствия по признакам необъективности" in text and "баллы завышены в 6 работах из 20" in text
    api = client_for("school_head").get("/api/v1/cases/").json()
    rows = api["results"] if isinstance(api, dict) else api
    assert rows[0]["result"] == "not_confirmed" and len(rows[0]["history"]) == 2


def test_a_school_head_reads_but_does_not_update(flagged, client_for):
    [case], _ = cases_assign(actor=flagged.user("ministry"), year=2025, kind="recheck", schools=[flagged.school_a1])
    assert client_for("school_head").post(f"/decisions/cases/{case.pk}/", {"status": "done"}).status_code == 403
    with pytest.raises(DecisionError, match="неизвестное"):
        case_update(case=case, actor=flagged.user("ministry"), status="\x00")


@pytest.mark.parametrize("year", ["20\x0025", "2025" * 500, "%FF", "abcd", "1999"])
def test_a_bad_year_is_explained(flagged, client_for, year):
    for url in ("/decisions/cases/", "/decisions/cases/assign/"):
        response = client_for("ministry").get(url, {"year": year})
        if "\x00" in year:  # a NUL is refused with 400 before any view (rsoko.errors)
            assert response.status_code == 400
            continue
        assert response.status_code == 200 and "не год" in response.content.decode()
    assert client_for("ministry").get("/decisions/cases/?year=%FF%FE").status_code == 200


def test_two_memberships_see_both_and_no_membership_sees_nothing(flagged, client):
    w = flagged
    cases_assign(actor=w.user("ministry"), year=2025, kind="recheck", schools=[w.school_a1, w.school_b1])
    both = UserFactory(username="two_hats")
    MembershipFactory(user=both, organization=w.mouo_b, role=Role.MUNICIPAL_COORDINATOR)
    MembershipFactory(user=both, organization=w.school_a1, role=Role.SCHOOL_HEAD)
    assert set(Case.objects.visible_to(both).values_list("school_id", flat=True)) == {w.school_a1.pk, w.school_b1.pk}
    nobody = UserFactory(username="nobody")
    client.force_login(nobody, backend="django.contrib.auth.backends.ModelBackend")
    assert client.get("/decisions/cases/").status_code == 403
    assert client.get("/api/v1/cases/").status_code == 403


def test_the_quarterly_report_lists_the_cases_of_its_schools(world):
    from django.template.loader import render_to_string
    from django.utils import timezone

    from reports import rendering
    from reports.periods import Quarter

    for school in (world.school_a1, world.school_b1):
        ObjectivitySign.objects.create(year=2021, school=school, criterion="official_mean_ci", version=1,
                                       evaluated=True, flagged=True, explanation="")
    [case_a, _], _ = cases_assign(actor=world.user("ministry"), year=2021, kind="inspection",
                                  schools=[world.school_a1, world.school_b1])
    case_update(case=case_a, actor=world.user("coordinator"), status="done", result="improved",
                comment="проведена проверка, нарушений порядка не выявлено")
    context = rendering.quarterly_context(world.mouo_a, Quarter.parse("2021Q3"))
    assert [c.school for c in context["cases"]] == [world.school_a1]  # Б1 is another municipality's
    html = render_to_string("reports/pdf/quarterly.html", {**context, "generated_at": timezone.localtime()})
    text = " ".join(html.replace("\xa0", " ").split())
    assert "Последствия для ОО с признаками" in text and "нарушений порядка не выявлено" in text, text[-3000:]
