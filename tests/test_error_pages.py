"""Production error pages speak Russian and look like the portal (issue 17)."""
from django.test import Client
from django.urls import path
import pytest

from rsoko.urls import urlpatterns as portal


def broken(request):
    raise RuntimeError("boom")


urlpatterns = [path("broken/", broken), *portal]


@pytest.mark.urls("tests.test_error_pages")
def test_a_server_error_answers_a_russian_page_with_the_portals_style(world):
    client = Client(raise_request_exception=False)
    client.force_login(world.user("ministry"), backend="django.contrib.auth.backends.ModelBackend")
    response = client.get("/broken/")
    page = response.content.decode()
    assert response.status_code == 500
    assert "Внутренняя ошибка сервера" in page and "css/app.css" in page and "Server Error" not in page


def test_a_bad_request_and_a_stale_form_answer_russian_pages(db, world):
    bad = Client().get("/", HTTP_HOST="bad host name")
    assert bad.status_code == 400 and "Неверный запрос" in bad.content.decode()
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.user("ministry"), backend="django.contrib.auth.backends.ModelBackend")
    stale = client.post("/results/upload/", {})
    assert stale.status_code == 403 and "Форма устарела" in stale.content.decode()
    assert "CSRF verification failed" not in stale.content.decode()
