"""The roadmap API is scoped like the pages; executors report statuses through it."""
import pytest

from roadmaps.models import Assignment

from .factories import roadmap_world


@pytest.fixture
def rm(world):
    return roadmap_world(world)


def ids(response):
    assert response.status_code == 200, response.content
    return {row["id"] for row in response.json()["results"]}


def test_a_municipality_sees_its_roadmaps_and_the_regional_one_assigned_to_it(rm, client_for):
    client = client_for("coordinator")
    # and the region's support template, which it copies for its ШНОР schools
    assert ids(client.get("/api/v1/roadmaps/")) == {rm.regional.pk, rm.municipal_a.pk, rm.school.pk, rm.template.pk}


def test_a_school_sees_its_own_roadmap_only(rm, client_for):
    assert ids(client_for("school_head").get("/api/v1/roadmaps/")) == {rm.school.pk}


def test_the_region_sees_every_roadmap(rm, client_for):
    assert len(ids(client_for("centre").get("/api/v1/roadmaps/"))) == 5


def test_regional_items_visible_to_a_municipality_are_those_assigned_to_it(rm, client_for):
    numbers = {row["number"] for row in client_for("api_client").get(
        f"/api/v1/roadmap-items/?roadmap={rm.regional.pk}").json()["results"]}
    assert numbers == {"1.2.", "1.3."}


def test_items_carry_the_parsed_deadline_and_executors(rm, client_for):
    row = client_for("ministry").get(f"/api/v1/roadmap-items/{rm.item_centre.pk}/").json()
    assert row["deadline"] == {"text": "до 15 октября 2025 года", "kind": "date", "start": None, "end": "2025-10-15",
                               "recurrence": "", "note": ""}
    assert row["executors"] == [{"text": "РЦОКО", "match": "organization", "organization": "RCOKO", "group_kind": ""}]


def test_statuses_of_another_municipality_are_hidden(rm, client_for):
    assert rm.assignment_b.pk not in ids(client_for("coordinator").get("/api/v1/roadmap-assignments/"))
    assert client_for("coordinator").get(f"/api/v1/roadmap-assignments/{rm.assignment_b.pk}/").status_code == 404


def test_an_executor_reports_a_status_and_the_history_keeps_it(rm, client_for):
    client = client_for("coordinator")
    response = client.post(f"/api/v1/roadmap-assignments/{rm.assignment_a.pk}/report/",
                           {"status": "done", "comment": "Проведено 20.11", "link": "https://example.org/protocol"},
                           content_type="application/json")
    assert response.status_code == 200 and response.json()["status"] == "done"
    history = client.get(f"/api/v1/roadmap-assignments/{rm.assignment_a.pk}/history/").json()
    assert [(h["status_before"], h["status_after"], h["source"]) for h in history] == [("not_started", "done", "API")]


def test_a_bad_status_is_refused_with_a_field_error(rm, client_for):
    response = client_for("coordinator").post(f"/api/v1/roadmap-assignments/{rm.assignment_a.pk}/report/",
                                              {"status": "finished"}, content_type="application/json")
    assert response.status_code == 400 and "status" in response.json()
    assert Assignment.objects.get(pk=rm.assignment_a.pk).status == "not_started"


def test_api_clients_are_read_only(rm, client_for):
    response = client_for("api_client").post(f"/api/v1/roadmap-assignments/{rm.assignment_a.pk}/report/",
                                             {"status": "done"}, content_type="application/json")
    assert response.status_code == 403


def test_an_executor_not_matched_to_the_registry_is_answered_as_the_schema_documents(rm, client_for):
    # Found by the fuzz suite: an unmatched executor's organization is null, the schema promised a string.
    from tests.openapi_contract import assert_conforms

    item = rm.regional.items.get(number="2.1.")  # «Неизвестный центр, И.И. Иванов»: no organization
    response = client_for("ministry").get(f"/api/v1/roadmap-items/{item.pk}/")
    assert None in [executor["organization"] for executor in response.json()["executors"]]
    assert_conforms(response, "/api/v1/roadmap-items/{id}/")


@pytest.mark.parametrize("value", ["-4.695315485555273e+93", "99999999999999999999", "1.5", "0"])
def test_a_roadmap_filter_that_is_not_a_row_id_is_refused_not_a_server_error(rm, client_for, value):
    # Found by the fuzz suite: ?roadmap=-4.7e+93 reached SQLite as an integer out of range (500).
    client = client_for("ministry")
    for url in ("/api/v1/roadmap-assignments/", "/api/v1/roadmap-items/",
                f"/api/v1/roadmap-assignments/{rm.assignment_a.pk}/history/"):
        response = client.get(url, {"roadmap": value})
        assert response.status_code == 400, (url, response.content)
        assert "roadmap" in response.json()
    assert ids(client.get("/api/v1/roadmap-items/", {"roadmap": rm.regional.pk, "page_size": 100}))
