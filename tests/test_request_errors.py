"""Unreadable requests are refused before any view, and the API answers every error with its documented JSON."""
import pytest
from rest_framework.exceptions import ValidationError

from rsoko.errors import api_exception_handler


def test_a_nul_in_a_public_page_path_is_a_400_page_in_russian(db, client):
    response = client.get("/public/results/%00/")
    assert response.status_code == 400
    assert "недопустимый символ" in response.content.decode()


@pytest.mark.parametrize("url", ["/analytics/procedures/VPR/?school=%00", "/audit/?q=%00", "/registry/organizations/?search=a%00b",
                                 "/monitoring/?year=%00", "/analytics/deficits/?procedure=%00"])
def test_a_nul_in_a_query_value_is_refused_on_pages(world, client_for, url):
    response = client_for("ministry").get(url)
    assert response.status_code == 400
    assert "Неверный запрос" in response.content.decode()  # the portal's page, with its menu (the user is known)


def test_api_search_with_a_nul_answers_the_documented_error_object(world, client_for):
    response = client_for("ministry").get("/api/v1/organizations/?search=%00")
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert isinstance(response.json(), dict) and "недопустимый символ" in response.json()["detail"]


def test_an_anonymous_api_caller_is_first_told_to_sign_in(db, client):
    assert client.get("/api/v1/organizations/?search=%00").status_code == 401
    public = client.get("/api/v1/public/calendar/?year=%00")  # an open endpoint reads the input: 400
    assert public.status_code == 400 and "недопустимый символ" in public.json()["detail"]


def test_a_json_document_outside_the_api_answers_json(db, client):
    response = client.get("/public/embed.json?year=%1A")
    assert response.status_code == 400 and "недопустимый символ" in response.json()["detail"]


def test_a_non_field_validation_error_is_an_object_not_a_bare_list():
    response = api_exception_handler(ValidationError("Период указан неверно."), {})
    assert response.status_code == 400
    assert response.data == {"detail": "Период указан неверно."}


def test_an_unexpected_api_failure_answers_json_not_the_html_page(world, client_for, monkeypatch):
    from rsoko.orgs.api import views

    monkeypatch.setattr(views.OrganizationViewSet, "list", lambda *args, **kwargs: 1 / 0)
    client = client_for("ministry")
    client.raise_request_exception = False
    response = client.get("/api/v1/organizations/")
    assert response.status_code == 500
    assert response["Content-Type"] == "application/json"
    assert response.json()["detail"].startswith("Внутренняя ошибка")


def test_a_request_django_refuses_as_suspicious_answers_json_under_the_api(db, client):
    response = client.get("/api/v1/organizations/", HTTP_HOST="attacker.example")  # not in ALLOWED_HOSTS
    assert response.status_code == 400
    assert response.json() == {"detail": "Неверный запрос."}


def test_a_percentage_the_stored_statistic_lacks_shows_a_dash_not_a_server_error():
    from assessments.stats.templatetags.stats import pct

    # The procedures list of a year with an old statistic row (no success_pct key) answered 500 (fuzz sweep).
    assert pct("") == "—" and pct(None) == "—" and pct(42.857) == "42,9"


def test_a_number_past_any_id_is_not_found_not_a_server_error(world, client_for):
    # SQLite cannot compare a 40-digit number with an integer column (OverflowError); PostgreSQL finds nothing
    huge = "9" * 40
    client = client_for("ministry")
    assert client.get(f"/results/batches/{huge}/quarantine.xlsx").status_code == 404
    assert client.get(f"/procedures/VPR-0000-XX-0/schools/?municipality={huge}").status_code in (400, 404)
