"""The catalog API: filters shared with the pages, scoped participants, writes through the services."""
import json

import pytest

from assessments.models import Procedure, ProcedureSchool
from rsoko.audit.models import AuditEntry

from .factories import ProcedureFactory, add_tasks, kind


@pytest.fixture
def procedure(world):
    procedure = ProcedureFactory()
    add_tasks(procedure, {"1": 1, "2": 2})
    ProcedureSchool.objects.create(procedure=procedure, school=world.school_a1)
    ProcedureSchool.objects.create(procedure=procedure, school=world.school_b1, control="federal")
    return procedure


def test_procedure_filters_match_the_pages(procedure, client_for):
    ProcedureFactory(kind=kind("ОГЭ"), grade=9, code="OGE-2021-MA-9")
    client = client_for("expert")
    codes = [p["code"] for p in client.get("/api/v1/procedures/", {"kind": kind("ОГЭ").pk}).json()["results"]]
    assert codes == ["OGE-2021-MA-9"]
    detail = client.get(f"/api/v1/procedures/{procedure.code}/").json()
    assert (detail["kind"], detail["subject"], detail["academic_year"], detail["school_count"]) == ("ВПР", "MA", "2020/2021", 2)


def test_tasks_and_participants_are_scoped(procedure, client_for):
    client = client_for("coordinator")
    assert [t["label"] for t in client.get(f"/api/v1/procedures/{procedure.code}/tasks/").json()] == ["1", "2"]
    rows = client.get(f"/api/v1/procedures/{procedure.code}/participants/").json()["results"]
    assert [r["school_code"] for r in rows] == ["sch990001"]
    rows = client_for("ministry").get(f"/api/v1/procedures/{procedure.code}/participants/").json()["results"]
    assert {r["school_code"]: r["control"] for r in rows} == {"sch990001": "", "sch990003": "federal"}


def put_json(client, url, payload):
    return client.put(url, json.dumps(payload), content_type="application/json")


def test_scale_is_set_through_validation(procedure, client_for):
    client = client_for("centre")
    url = f"/api/v1/procedures/{procedure.code}/scale/"
    assert client.get(url).json()["boundaries"] == {}
    response = put_json(client, url, {"boundaries": {"3": 1, "4": 2, "5": 3}, "source": "приказ"})
    assert response.status_code == 200 and response.json()["boundaries"] == {"3": 1, "4": 2, "5": 3}
    response = put_json(client, url, {"boundaries": {"3": 1, "4": 2, "5": 9}})
    assert response.status_code == 400
    # A message not about one field comes in the documented error object, not as a bare list (issue 16).
    assert response.json() == {"detail": "Отметка «5» начинается с 9 баллов, а максимальный первичный балл — 3."}
    assert put_json(client_for("coordinator"), url, {"boundaries": {"3": 1, "4": 2, "5": 3}}).status_code == 403
    assert put_json(client_for("api_client"), url, {"boundaries": {"3": 1, "4": 2, "5": 3}}).status_code == 403


def test_create_and_update_go_through_services(world, client_for):
    client = client_for("ministry")
    response = client.post("/api/v1/procedures/", json.dumps({"kind": "ВПР", "year": 2021, "subject": "RU", "grade": 5,
                                                              "variants": ["1", "2"]}), content_type="application/json")
    assert response.status_code == 201 and response.json()["code"] == "VPR-2021-RU-5"
    procedure = Procedure.objects.get(code="VPR-2021-RU-5")
    response = client.patch(f"/api/v1/procedures/{procedure.code}/", json.dumps({"status": "analysed"}),
                            content_type="application/json")
    assert response.status_code == 400 and "Нельзя перевести процедуру" in response.json()["detail"]
    response = client.patch(f"/api/v1/procedures/{procedure.code}/", json.dumps({"title": "Весна", "status": "conducted"}),
                            content_type="application/json")
    assert response.status_code == 200
    procedure.refresh_from_db()
    assert (procedure.title, procedure.status) == ("Весна", "conducted")
    assert AuditEntry.objects.filter(model="assessments.procedure", source="API").count() >= 3
    response = client.post("/api/v1/procedures/", json.dumps({"kind": "ВПР", "year": 2021, "subject": "RU",
                                                              "code": procedure.code}), content_type="application/json")
    assert response.status_code == 400 and "уже занят" in json.dumps(response.json(), ensure_ascii=False)


def test_reference_scales_filter_by_kind_and_subject(db, client_for):
    rows = client_for("methodologist").get("/api/v1/reference-scales/", {"kind": "ВПР", "subject": "RU", "year": 2021})
    assert [(r["grade"], r["boundaries"]) for r in rows.json()["results"]] == [
        (4, {"3": 14, "4": 24, "5": 33}), (5, {"3": 18, "4": 29, "5": 39})]
