"""A МОУО's own monitoring form: for its municipality's schools only, answers read and exported by that МОУО and the
ministry, invisible to other municipalities, and outside the region's indicator values."""
import io

from openpyxl import load_workbook
import pytest

from monitoring.models import Indicator, IndicatorValue, MonitoringForm
from monitoring.services import form_fill
from rsoko.orgs.choices import Role
from tests.factories import SchoolFactory, user_with_role

INDICATORS = ["career_guidance", "teachers_trained"]


def text(response) -> str:
    return response.content.decode()


def indicator_ids() -> list[int]:
    return list(Indicator.objects.filter(code__in=INDICATORS).values_list("pk", flat=True))


def create_by_page(client, **extra) -> MonitoringForm:
    data = {"title": "Муниципальный мониторинг профориентации", "period": "2026", "deadline": "2026-12-20",
            "indicators": indicator_ids(), **extra}
    response = client.post("/monitoring/forms/new/", data)
    assert response.status_code == 302, text(response)
    return MonitoringForm.objects.get(title=data["title"])


@pytest.fixture
def own_form(world, client_for):
    return create_by_page(client_for("coordinator"))


@pytest.fixture
def coordinator_b(world):
    return user_with_role("coordinator_b", Role.MUNICIPAL_COORDINATOR, world.mouo_b)


@pytest.fixture
def head_b(world):
    return user_with_role("head_b", Role.SCHOOL_HEAD, world.school_b1)


def signed_in(client, user):
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client


def test_coordinator_creates_a_form_for_its_municipality_schools(world, client_for):
    client = client_for("coordinator")
    assert "audience" not in client.get("/monitoring/forms/new/").context["form"].fields
    form = create_by_page(client, audience="mouo")  # a forged audience is ignored: the schools fill it
    assert (form.municipality, form.audience, form.created_by) == (world.mun_a, "schools", world.user("coordinator"))
    assert "форма МОУО" in text(client.get("/monitoring/forms/"))


def test_its_schools_fill_it_and_the_region_values_stay_untouched(own_form, world, client_for):
    response = client_for("school_head").post(f"/monitoring/forms/{own_form.pk}/", {"career_guidance": "55"})
    assert response.status_code == 302
    assert own_form.answers.get(organization=world.school_a1).value == 55.0
    assert not IndicatorValue.objects.filter(indicator__code="career_guidance").exists()


def test_the_coordinator_reads_and_exports_the_answers(own_form, world, client_for):
    form_fill(form=own_form, organization=world.school_a1, actor=None, values={"career_guidance": "55"})
    client = client_for("coordinator")
    page = text(client.get(f"/monitoring/forms/{own_form.pk}/"))
    assert "Ответы" in page and "Школа А1" in page and "Школа Б1" not in page
    response = client.get(f"/monitoring/forms/{own_form.pk}/", {"table": "answers", "export": "xlsx"})
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    rows = [row for row in workbook.active.iter_rows(values_only=True)]
    header = next(row for row in rows if row and row[0] == "Муниципалитет")
    body = [row for row in rows[rows.index(header) + 1:] if row and row[0]]
    assert [row[2] for row in body] == ["sch990001", "sch990002"]
    assert 55 in body[0]
    answers = client.get(f"/api/v1/monitoring-forms/{own_form.pk}/answers/").json()
    assert answers[0]["values"]["career_guidance"] == 55.0 and answers[1]["values"]["career_guidance"] is None


def test_another_municipality_neither_sees_nor_fills_it(own_form, world, client, coordinator_b, head_b):
    for user in (coordinator_b, head_b):
        signed_in(client, user)
        assert own_form.title not in text(client.get("/monitoring/forms/"))
        assert client.get(f"/monitoring/forms/{own_form.pk}/").status_code == 404
        assert client.post(f"/monitoring/forms/{own_form.pk}/", {"career_guidance": "10"}).status_code == 404
        assert client.get(f"/api/v1/monitoring-forms/{own_form.pk}/").status_code == 404
        assert client.get(f"/api/v1/monitoring-forms/{own_form.pk}/answers/").status_code == 404
        assert own_form.pk not in [f["id"] for f in client.get("/api/v1/monitoring-forms/").json()["results"]]
    assert not own_form.answers.exists()


def test_a_school_head_does_not_read_the_answers(own_form, world, client_for):
    form_fill(form=own_form, organization=world.school_a2, actor=None, values={"career_guidance": "10"})
    client = client_for("school_head")
    assert "Школа А2" not in text(client.get(f"/monitoring/forms/{own_form.pk}/"))
    assert client.get(f"/api/v1/monitoring-forms/{own_form.pk}/answers/").status_code == 403


def test_the_ministry_sees_it_as_the_municipality_form(own_form, world, client_for):
    client = client_for("ministry")
    assert "Альфинский" in text(client.get("/monitoring/forms/"))
    found = client.get(f"/api/v1/monitoring-forms/{own_form.pk}/").json()
    assert found["municipality_code"] == world.mun_a.code and found["audience"] == "schools"


def test_the_status_lists_only_the_municipality_schools(own_form, world, client_for):
    SchoolFactory(municipality=world.mun_b, code="sch990009", short_name="Школа Б9")
    page = text(client_for("ministry").get(f"/monitoring/forms/{own_form.pk}/"))
    assert "Школа А2" in page and "Школа Б" not in page


def test_api_creation_by_a_coordinator_is_its_municipality_form(world, client_for):
    response = client_for("coordinator").post("/api/v1/monitoring-forms/", {
        "title": "API: форма МОУО", "period": "2026", "deadline": "2026-12-20", "indicators": indicator_ids()})
    assert response.status_code == 201, response.content
    assert response.json()["municipality_code"] == world.mun_a.code
    response = client_for("coordinator").post("/api/v1/monitoring-forms/", {"title": "", "period": "20x6"})
    assert response.status_code == 400 and "period" in response.json()


def test_empty_area_a_coordinator_without_forms(world, client, coordinator_b):
    page = text(signed_in(client, coordinator_b).get("/monitoring/forms/"))
    assert "Форм нет" in page


@pytest.mark.parametrize("value", ["x" * 400, "Форма\x00"])
def test_bad_titles_get_a_clear_answer(world, client_for, value):
    response = client_for("coordinator").post("/monitoring/forms/new/", {
        "title": value, "period": "2026", "deadline": "2026-12-20", "indicators": indicator_ids()})
    assert response.status_code == 200 and not MonitoringForm.objects.exists()
    assert ("не более 300" if len(value) > 300 else "запрещённый символ: ноль-байт") in text(response)


def test_nul_and_overlong_parameters_of_the_pages(own_form, client_for):
    client = client_for("coordinator")
    assert client.get("/monitoring/forms/", {"export": "xlsx\x00"}).status_code == 400
    assert client.get(f"/monitoring/forms/{own_form.pk}/", {"table": "x" * 5000, "export": "xlsx"}).status_code == 404
    assert client.get(f"/monitoring/forms/{'9' * 300}/").status_code == 404


def test_two_memberships_fill_for_the_school_of_the_form_municipality(own_form, world, client):
    from tests.factories import MembershipFactory

    user = user_with_role("head_two", Role.SCHOOL_HEAD, world.school_b1)
    MembershipFactory(user=user, organization=world.school_a2, role=Role.SCHOOL_HEAD)
    signed_in(client, user).post(f"/monitoring/forms/{own_form.pk}/", {"career_guidance": "33"})
    assert list(own_form.answers.values_list("organization__code", "value")) == [("sch990002", 33.0)]
