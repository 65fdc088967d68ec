"""Lockout by the real client address and by the account (password change included), the absolute session
lifetime, no-store on personal answers, media never served raw, gunicorn bound to the loopback."""
from pathlib import Path
import time

from django.test import Client
import pytest
import yaml

from rsoko.accounts import SIGNED_IN_AT, client_ip
from tests.conftest import PASSWORD

ROOT = Path(__file__).resolve().parents[1]
PROXY = "172.18.0.5"  # nginx's address as gunicorn sees it


def via_proxy(client_address: str, spoofed: str = "") -> dict:
    """What nginx forwards: the client's own X-Forwarded-For (if any) with the address nginx saw appended."""
    forwarded = f"{spoofed}, {client_address}" if spoofed else client_address
    return {"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": forwarded}


def sign_in(client, username, password, address):
    return client.post("/accounts/login/", {"username": username, "password": password}, **via_proxy(address))


class FakeRequest:
    def __init__(self, meta):
        self.META = meta


def test_the_client_address_is_the_one_the_trusted_proxy_appended(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    assert client_ip(FakeRequest(via_proxy("203.0.113.7", spoofed="198.51.100.1"))) == "203.0.113.7"
    assert client_ip(FakeRequest({"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": "not-an-address"})) == PROXY
    settings.TRUSTED_PROXY_COUNT = 0  # no proxy: the header is the client's own words
    assert client_ip(FakeRequest(via_proxy("203.0.113.7"))) == PROXY


def test_one_address_guessing_many_logins_is_locked_and_other_addresses_are_not(world, client, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    for username in ("ministry", "centre", "expert", "methodologist", "school_head"):
        sign_in(client, username, "wrong", "203.0.113.7")
    assert sign_in(client, "coordinator", PASSWORD, "203.0.113.7").status_code == 429
    # Behind the same proxy, another person is not locked out by the attacker.
    assert sign_in(Client(), "coordinator", PASSWORD, "203.0.113.99").status_code == 302


def test_an_account_guessed_from_many_addresses_is_locked(world, client):
    for n in range(5):
        client.post("/accounts/login/", {"username": "coordinator", "password": "wrong"}, REMOTE_ADDR=f"198.51.100.{n}")
    response = client.post("/accounts/login/", {"username": "coordinator", "password": PASSWORD},
                           REMOTE_ADDR="203.0.113.50")
    assert response.status_code == 429 and "временно заблокирован" in response.content.decode()


def test_wrong_old_passwords_on_the_password_change_page_lock_the_account(world, client_for):
    client = client_for("coordinator")
    for _ in range(5):
        response = client.post("/accounts/password/", {"old_password": "guess", "new_password1": "Nov-parol-2026!",
                                                       "new_password2": "Nov-parol-2026!"})
    response = client.post("/accounts/password/", {"old_password": PASSWORD, "new_password1": "Nov-parol-2026!",
                                                   "new_password2": "Nov-parol-2026!"})
    assert response.status_code == 429
    world.user("coordinator").refresh_from_db()
    assert world.user("coordinator").check_password(PASSWORD)  # not changed by the locked request
    assert Client().post("/accounts/login/", {"username": "coordinator", "password": PASSWORD}).status_code == 429


def test_the_right_old_password_still_changes_it(world, client_for):
    response = client_for("coordinator").post("/accounts/password/", {
        "old_password": PASSWORD, "new_password1": "Nov-parol-2026!", "new_password2": "Nov-parol-2026!"})
    assert response.status_code == 302
    world.user("coordinator").refresh_from_db()
    assert world.user("coordinator").check_password("Nov-parol-2026!")


def test_a_session_ends_after_its_absolute_lifetime_however_active(world, client, settings):
    assert client.post("/accounts/login/", {"username": "coordinator", "password": PASSWORD}).status_code == 302
    assert client.get("/").status_code == 200
    session = client.session
    session[SIGNED_IN_AT] = int(time.time()) - settings.SESSION_MAX_HOURS * 3600 - 1
    session.save()
    response = client.get("/")
    assert response.status_code == 302 and response.url.startswith("/accounts/login/")
    assert client.get("/registry/organizations/").status_code == 302  # signed out, not just redirected once


def test_personal_answers_are_not_stored_by_any_cache(world, client_for):
    from tests.stats.factories import analysed_procedure

    procedure = analysed_procedure(world)
    client = client_for("school_head")
    pupils = client.get(f"/analytics/procedures/{procedure.code}/pupils/risk/?school={world.school_a1.pk}")
    export = client.get(f"/analytics/procedures/{procedure.code}/pupils/risk/?school={world.school_a1.pk}&export=csv")
    api = client.get("/api/v1/organizations/")
    for response in (pupils, export, api):
        assert response.status_code == 200 and response["Cache-Control"] == "no-store, private"
    public = Client().get("/public/")
    assert "no-store" not in public["Cache-Control"] and "max-age" in public["Cache-Control"]


def test_media_files_are_never_served_by_address(world, client_for, settings):
    stored = Path(settings.MEDIA_ROOT) / "jobs" / "2026" / "12" / "results.xlsx"
    stored.parent.mkdir(parents=True, exist_ok=True)
    stored.write_bytes(b"pupil data")
    for address in ("/media/jobs/2026/12/results.xlsx", "/static/../media/jobs/2026/12/results.xlsx"):
        assert client_for("ministry").get(address).status_code == 404


def test_docker_compose_binds_the_web_server_to_the_loopback_only():
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text(encoding="utf-8"))
    assert compose["services"]["web"]["ports"] == ["127.0.0.1:8000:8000"]
    assert all("ports" not in service for name, service in compose["services"].items() if name != "web")
