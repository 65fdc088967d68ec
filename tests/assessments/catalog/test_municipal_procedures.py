"""A МОУО runs its own municipal procedure (МПР): creates it, writes its КИМ, picks its schools, gets the template,
loads results and reads the analytics — and no other municipality sees any of it; the ministry sees it as municipal."""
import io

from django.core.exceptions import ValidationError
from openpyxl import load_workbook
import pytest

from assessments.catalog.services import procedure_schools_add, procedure_update
from assessments.choices import ProcedureLevel
from assessments.models import Procedure
from assessments.services import results_import
from assessments.stats.models import StatisticRow
from assessments.stats.services import procedure_recompute
from rsoko.orgs.choices import Role
from tests.factories import user_with_role

from .factories import ProcedureFactory, add_tasks, kind
from .municipal import mpr, stored_mpr_statistics


def text(response) -> str:
    return response.content.decode()


@pytest.fixture
def coordinator_b(world):
    return user_with_role("coordinator_b", Role.MUNICIPAL_COORDINATOR, world.mouo_b)


def signed_in(client, user):
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client


def create_mpr(client) -> Procedure:
    response = client.post("/procedures/new/", {"kind": kind("МПР").pk, "year": 2027, "subject": 1, "grade": 5,
                                                "title": "МПР по математике для 5 классов"})
    assert response.status_code == 302, text(response)
    return Procedure.objects.get(title="МПР по математике для 5 классов")


def test_coordinator_creates_a_municipal_procedure_organized_by_its_office(world, client_for):
    client = client_for("coordinator")
    form = client.get("/procedures/new/").context["form"]
    assert [k.code for k in form.fields["kind"].queryset] == ["МПР"] and "organizer" not in form.fields
    procedure = create_mpr(client)
    assert procedure.organizer == world.mouo_a and procedure.kind.level == ProcedureLevel.MUNICIPAL
    # The form offers no regional kind, and a forged one is refused as an invalid choice.
    response = client.post("/procedures/new/", {"kind": kind("ВПР").pk, "year": 2027, "subject": 1, "grade": 4})
    assert response.status_code == 200 and "Выберите корректный вариант" in text(response)


def test_coordinator_writes_its_own_kim_and_adds_only_its_schools(world, client_for):
    procedure = mpr(world)
    client = client_for("coordinator")
    data = {"form-TOTAL_FORMS": "2", "form-INITIAL_FORMS": "0", "form-MIN_NUM_FORMS": "0", "form-MAX_NUM_FORMS": "1000",
            "form-0-label": "1", "form-0-max_score": "2", "form-0-level": "Б", "form-0-kes_codes": "1.1",
            "form-0-skill": "Сложение дробей",
            "form-1-label": "2", "form-1-max_score": "3", "form-1-level": "П", "form-1-kt_codes": "2.2"}
    assert client.post(f"/procedures/{procedure.code}/tasks/", data).status_code == 302
    assert list(procedure.tasks.values_list("label", "max_score", "kes_codes", "skill")) == [
        ("1", 2, "1.1", "Сложение дробей"), ("2", 3, "", "")]
    response = client.post(f"/procedures/{procedure.code}/schools/",
                           {"form": "bulk", "mode": "codes", "codes": "sch990003"}, follow=True)
    assert "sch990003" in text(response)  # named as not found within the procedure's municipality
    assert not procedure.participations.filter(school=world.school_b1).exists()


def test_municipal_procedure_takes_no_school_of_another_municipality_even_from_the_ministry(world, client_for):
    procedure = mpr(world)
    client_for("ministry").post(f"/procedures/{procedure.code}/schools/", {"form": "bulk", "mode": "all"})
    assert not procedure.participations.filter(school=world.school_b1).exists()
    with pytest.raises(ValidationError, match="проводится только для школ муниципалитета"):
        procedure_schools_add(actor=world.user("ministry"), procedure=procedure, schools=[world.school_b1])
    procedure.participations.create(school=world.school_b1)  # planted past the service
    with pytest.raises(ValidationError, match="школы другого муниципалитета"):
        procedure_update(actor=world.user("ministry"), procedure=procedure, title="МПР")


def test_coordinator_with_a_region_wide_api_membership_adds_only_its_municipality(world, client_for):
    procedure = mpr(world)
    procedure.participations.all().delete()
    client_for("coordinator_api").post(f"/procedures/{procedure.code}/schools/", {"form": "bulk", "mode": "all"})
    assert set(procedure.participations.values_list("school__municipality", flat=True)) == {world.mun_a.pk}


def test_coordinator_cannot_change_a_regional_procedure(world, client_for):
    regional = ProcedureFactory()
    client = client_for("coordinator")
    assert client.get(f"/procedures/{regional.code}/edit/").status_code == 403
    assert client.post(f"/procedures/{regional.code}/tasks/", {}).status_code == 403
    assert client.get(f"/procedures/{regional.code}/").status_code == 200  # reading stays open


def test_template_lists_the_municipality_schools(world, client_for):
    procedure = mpr(world)
    content = client_for("coordinator").get(f"/procedures/{procedure.code}/template.xlsx").content
    codes = [row[0] for row in load_workbook(io.BytesIO(content))["Списки"].iter_rows(min_row=2, values_only=True)
             if row[0]]
    assert codes == ["sch990001", "sch990002"]


def filled_template(client, procedure, rows) -> bytes:
    workbook = load_workbook(io.BytesIO(client.get(f"/procedures/{procedure.code}/template.xlsx").content))
    for row in rows:
        workbook["Результаты"].append(row)
    stream = io.BytesIO()
    workbook.save(stream)
    return stream.getvalue()


def test_coordinator_loads_results_and_reads_the_analytics_another_municipality_cannot(world, client_for,
                                                                                      coordinator_b):
    procedure = mpr(world)
    client = client_for("coordinator")
    rows = [[school, f"{school[-1]}{n:02d}", "5А", "м", "4", "1", n % 2, n % 3, n % 4]
            for school in ("sch990001", "sch990002") for n in range(6)]
    report = results_import(actor=world.user("coordinator"), procedure=procedure, filename="mpr.xlsx",
                            data=filled_template(client, procedure, rows))
    assert report.stored == 12
    procedure_recompute(procedure_id=procedure.pk)
    page = text(client.get(f"/analytics/procedures/{procedure.code}/"))
    assert procedure.title in page
    assert client.get("/analytics/").content.decode().count(procedure.code) >= 1
    other = signed_in(client, coordinator_b)
    assert other.get(f"/analytics/procedures/{procedure.code}/").status_code == 404
    assert procedure.code not in text(other.get("/analytics/"))
    assert not StatisticRow.objects.visible_to(coordinator_b).filter(procedure=procedure).exists()
    assert other.get("/api/v1/statistics/", {"procedure": procedure.code}).json()["count"] == 0


def test_another_municipality_neither_lists_nor_opens_it(world, client, coordinator_b):
    procedure = mpr(world)
    signed_in(client, coordinator_b)
    assert procedure.code not in text(client.get("/procedures/"))
    assert procedure.code not in text(client.get("/procedures/schedule/", {"year": 2021}))
    for suffix in ("", "edit/", "tasks/", "scale/", "schools/", "template.xlsx"):
        assert client.get(f"/procedures/{procedure.code}/{suffix}").status_code == 404, suffix
    assert client.post(f"/procedures/{procedure.code}/status/", {"status": "conducted"}).status_code == 404
    codes = [p["code"] for p in client.get("/api/v1/procedures/", {"page_size": 500}).json()["results"]]
    assert procedure.code not in codes
    assert client.get(f"/api/v1/procedures/{procedure.code}/").status_code == 404
    assert client.patch(f"/api/v1/procedures/{procedure.code}/", {"title": "x"},
                        content_type="application/json").status_code == 404
    assert client.put(f"/api/v1/procedures/{procedure.code}/scale/", {"boundaries": {"3": 1, "4": 2, "5": 3}},
                      content_type="application/json").status_code == 404


def test_upload_form_offers_no_other_municipality_procedure(world, client, coordinator_b):
    procedure = mpr(world)
    page = text(signed_in(client, coordinator_b).get("/results/upload/"))
    assert procedure.code not in page and procedure.title not in page


def test_ministry_sees_it_marked_as_municipal(world, client_for):
    procedure = mpr(world, "b")
    client = client_for("ministry")
    page = text(client.get("/procedures/"))
    assert procedure.code in page and "Муниципальный" in page and world.mun_b.name in page
    found = client.get(f"/api/v1/procedures/{procedure.code}/").json()
    assert (found["level"], found["municipality"]) == ("municipal", world.mun_b.name)


def test_api_coordinator_manages_its_own_and_not_the_region(world, client_for):
    own, regional = mpr(world), ProcedureFactory()
    client = client_for("coordinator")
    response = client.patch(f"/api/v1/procedures/{own.code}/", {"title": "МПР: новое название"},
                            content_type="application/json")
    assert response.status_code == 200 and response.json()["organizer"] == world.mouo_a.code
    assert client.patch(f"/api/v1/procedures/{regional.code}/", {"title": "x"},
                        content_type="application/json").status_code == 403
    assert client.put(f"/api/v1/procedures/{regional.code}/scale/", {"boundaries": {"3": 1, "4": 2, "5": 3}},
                      content_type="application/json").status_code == 403
    response = client.post("/api/v1/procedures/", {"kind": "РПР", "year": 2027, "subject": "MA", "grade": 5},
                           content_type="application/json")
    assert response.status_code == 403 and "муниципальные" in response.json()["detail"]


def test_a_municipal_procedure_needs_a_municipal_office_as_organizer(world, client_for):
    response = client_for("ministry").post("/procedures/new/", {"kind": kind("МПР").pk, "year": 2027, "subject": 1,
                                                                "grade": 5, "organizer": world.centre.pk})
    assert response.status_code == 200 and "проводит МОУО" in text(response)


def test_coordinator_without_municipal_procedures_sees_the_empty_list(world, client, coordinator_b):
    mpr(world)
    page = text(signed_in(client, coordinator_b).get("/procedures/", {"kind": kind("МПР").pk}))
    assert "Процедур не найдено" in page and "создайте процедуру" in page


@pytest.mark.parametrize("params", [{"q": "МПР\x00"}, {"q": "x" * 5000}, {"year": "2021\x00"}])
def test_bad_list_parameters_get_a_clear_answer(world, client_for, params):
    mpr(world)
    response = client_for("coordinator").get("/procedures/", params)
    assert response.status_code in (200, 400)
    if "\x00" in str(params):
        assert response.status_code == 400


def test_overlong_code_and_title_are_refused_without_an_error(world, client_for):
    client = client_for("coordinator")
    assert client.get(f"/procedures/{'X' * 3000}/edit/").status_code == 404
    response = client.post("/procedures/new/", {"kind": kind("МПР").pk, "year": 2027, "subject": 1, "grade": 5,
                                                "title": "Т" * 400})
    assert response.status_code == 200 and "не более 300" in text(response)


def test_statistics_region_row_of_another_municipality_mpr_is_hidden(world, coordinator_b):
    own, other = stored_mpr_statistics(world, "a"), stored_mpr_statistics(world, "b")
    coordinator = world.user("coordinator")
    region_rows = StatisticRow.objects.visible_to(coordinator).filter(level="region")
    assert set(region_rows.values_list("procedure", flat=True)) == {own.pk}
    assert StatisticRow.objects.visible_to(world.user("ministry")).filter(procedure=other, level="region").exists()


def test_school_head_of_the_municipality_sees_it_and_another_municipality_school_does_not(world, client_for):
    own, other = mpr(world), mpr(world, "b")
    client = client_for("school_head")
    assert client.get(f"/procedures/{own.code}/").status_code == 200
    assert client.get(f"/procedures/{other.code}/").status_code == 404


def test_spec_maxima_feed_the_template(world, client_for):
    procedure = ProcedureFactory(kind=kind("МПР"), grade=6, code="MPR-2021-MA-6", organizer=world.mouo_a)
    add_tasks(procedure, {"1": 1, "2(1)": 2})
    workbook = load_workbook(io.BytesIO(client_for("coordinator").get(f"/procedures/{procedure.code}/template.xlsx")
                                        .content))
    assert [c.value for c in workbook["Результаты"][1]][-2:] == ["1 (1б)", "2(1) (2б)"]


def test_dynamics_of_an_mpr_is_its_own_municipality_series(world):
    from assessments.stats.selectors import Group, Level, procedure_dynamics, procedure_analytics

    own, other = stored_mpr_statistics(world, "a"), stored_mpr_statistics(world, "b")
    other.year = 2020
    other.save()
    ministry = world.user("ministry")
    assert [row["code"] for row in procedure_dynamics(ministry, own, Group(Level.REGION))] == [own.code]
    school = Group(Level.SCHOOL, municipality=world.mun_a, school=world.school_a1)
    assert [b.level for b, _ in procedure_analytics(ministry, own, school).benchmarks] == ["municipality"]


def test_objectivity_index_of_another_municipality_mpr_is_not_listed(world, coordinator_b, client):
    from assessments.stats.models import ObjectivityIndex

    own = mpr(world)
    ObjectivityIndex.objects.create(year=2021, procedure=own, evaluated_schools=2, schools_with_signs=0, index=100)
    ObjectivityIndex.objects.create(year=2021, procedure=None, evaluated_schools=3, schools_with_signs=0, index=100)
    listed = signed_in(client, coordinator_b).get("/api/v1/objectivity-index/").json()["results"]
    assert [row["procedure"] for row in listed] == [None]
    listed = signed_in(client, world.user("coordinator")).get("/api/v1/objectivity-index/").json()["results"]
    assert len(listed) == 2


def test_the_analytics_list_sets_no_region_beside_an_mpr(world):
    from assessments.stats.selectors import Group, Level, procedure_overview

    own = stored_mpr_statistics(world)
    rows = procedure_overview(world.user("coordinator"), Group(Level.MUNICIPALITY, municipality=world.mun_a))
    row = next(r for r in rows if r["procedure"] == own)
    assert row["own"] is not None and row["region"] is None
