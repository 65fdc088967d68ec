"""Login throttling, idle sessions, security headers, CSRF, production settings and /healthz."""
import json
import os
import subprocess
import sys
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured
from django.test import Client
import pytest

from rsoko import settings as portal_settings

ROOT = Path(__file__).resolve().parents[1]


def test_five_wrong_passwords_lock_the_login(world, client):
    for _ in range(5):
        client.post("/accounts/login/", {"username": "coordinator", "password": "wrong"})
    response = client.post("/accounts/login/", {"username": "coordinator", "password": "correct-horse-battery-staple"})
    assert response.status_code == 429
    assert "временно заблокирован" in response.content.decode()


def test_a_correct_password_signs_in_and_lands_on_home(world, client):
    response = client.post("/accounts/login/", {"username": "coordinator", "password": "correct-horse-battery-staple"})
    assert response.status_code == 302 and response.url == "/"


def test_sessions_expire_after_30_idle_minutes(settings):
    assert settings.SESSION_COOKIE_AGE == 30 * 60
    assert settings.SESSION_SAVE_EVERY_REQUEST is True


def test_pages_need_sign_in_and_answer_with_security_headers(world, client):
    response = client.get("/registry/organizations/")
    assert response.status_code == 302 and response.url.startswith("/accounts/login/")
    login = client.get("/accounts/login/")
    assert login["X-Frame-Options"] == "DENY"
    assert login["X-Content-Type-Options"] == "nosniff"
    assert "default-src 'self'" in login["Content-Security-Policy"]
    assert login["Referrer-Policy"] == "same-origin"


def test_posts_without_a_csrf_token_are_refused(world):
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.user("ministry"), backend="django.contrib.auth.backends.ModelBackend")
    response = client.post(f"/registry/users/{world.user('expert').pk}/memberships/", {})
    assert response.status_code == 403


def test_healthz_reports_the_database_and_the_broker(db, client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["database"] == "ok"
    assert response.json()["broker"] in {"ok", "eager"}


def test_healthz_says_503_when_the_broker_is_unreachable(db, client, settings, monkeypatch):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    from rsoko import health

    monkeypatch.setattr(health.celery_app, "connection_for_write", lambda: (_ for _ in ()).throw(ConnectionError()))
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["broker"].startswith("error")


@pytest.mark.parametrize(
    "name, value, helper, args",
    [
        ("X_BOOL", "maybe", portal_settings.env_bool, (True,)),
        ("X_INT", "ten", portal_settings.env_int, (1,)),
        ("X_INT", "-5", portal_settings.env_int, (1, 0)),
    ],
)
def test_typed_settings_helpers_refuse_bad_values(monkeypatch, name, value, helper, args):
    monkeypatch.setenv(name, value)
    with pytest.raises(ImproperlyConfigured, match=name):
        helper(name, *args)


def test_database_url_is_parsed_and_bad_schemes_refused():
    parsed = portal_settings.database_from_url("postgres://u:p%40ss@db.local:6543/rsoko")
    assert (parsed["USER"], parsed["PASSWORD"], parsed["HOST"], parsed["PORT"], parsed["NAME"]) == (
        "u", "p@ss", "db.local", "6543", "rsoko")
    with pytest.raises(ImproperlyConfigured):
        portal_settings.database_from_url("mysql://x/y")


def run_manage(*args, **env):
    full_env = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "SECRET_KEY", "DATABASE_URL"}} | env
    return subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=full_env, capture_output=True, text=True)


def test_production_mode_requires_a_secret_key():
    result = run_manage("check", DEBUG="0")
    assert result.returncode != 0 and "SECRET_KEY" in result.stderr


def test_check_deploy_passes_without_warnings_in_production_mode():
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", DEBUG="0", SECRET_KEY="k" * 20 + "x9#Lq" * 10,
                        ALLOWED_HOSTS="rsoko.example.ru")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_sqlite_urls_accept_relative_and_absolute_paths():
    assert portal_settings.database_from_url("sqlite:////tmp/x.db")["NAME"] == "/tmp/x.db"
    assert portal_settings.database_from_url("sqlite:///x.db")["NAME"] == "x.db"


# --- production mode (DEBUG=0): the settings a real process gets, and what its responses carry -----------------

PRODUCTION_ENV = {"DEBUG": "0", "SECRET_KEY": "k" * 20 + "x9#Lq" * 10, "ALLOWED_HOSTS": "rsoko.example.ru"}
TRANSPORT_SETTINGS = [
    "DEBUG", "SESSION_COOKIE_SECURE", "SESSION_COOKIE_HTTPONLY", "SESSION_COOKIE_SAMESITE", "CSRF_COOKIE_SECURE",
    "CSRF_COOKIE_HTTPONLY", "CSRF_COOKIE_SAMESITE", "SECURE_HSTS_SECONDS", "SECURE_HSTS_INCLUDE_SUBDOMAINS",
    "SECURE_HSTS_PRELOAD", "SECURE_PROXY_SSL_HEADER", "SECURE_SSL_REDIRECT", "SECURE_CONTENT_TYPE_NOSNIFF",
    "SECURE_REFERRER_POLICY", "SECURE_CROSS_ORIGIN_OPENER_POLICY", "X_FRAME_OPTIONS",
]


@pytest.fixture(scope="module")
def production_settings() -> dict:
    """The transport settings of a process started with DEBUG=0, as docker-compose starts the portal."""
    code = ("import json; from django.conf import settings; "
            f"print(json.dumps({{name: getattr(settings, name) for name in {TRANSPORT_SETTINGS!r}}}))")
    result = run_manage("shell", "-c", code, **PRODUCTION_ENV)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_production_mode_sends_cookies_over_https_only_and_keeps_them_from_scripts(production_settings):
    assert production_settings["DEBUG"] is False
    assert production_settings["SESSION_COOKIE_SECURE"] is True and production_settings["CSRF_COOKIE_SECURE"] is True
    assert production_settings["SESSION_COOKIE_HTTPONLY"] is True and production_settings["CSRF_COOKIE_HTTPONLY"] is True
    assert production_settings["SESSION_COOKIE_SAMESITE"] == "Lax" and production_settings["CSRF_COOKIE_SAMESITE"] == "Lax"


def test_production_mode_requires_https_behind_the_proxy(production_settings):
    assert production_settings["SECURE_HSTS_SECONDS"] >= 365 * 24 * 3600
    assert production_settings["SECURE_HSTS_INCLUDE_SUBDOMAINS"] is True
    assert production_settings["SECURE_SSL_REDIRECT"] is True
    # The TLS proxy (nginx) says https in X-Forwarded-Proto; gunicorn itself only ever sees plain HTTP.
    assert production_settings["SECURE_PROXY_SSL_HEADER"] == ["HTTP_X_FORWARDED_PROTO", "https"]


@pytest.fixture
def production_client(settings, production_settings):
    """A browser (CSRF checked) of a server configured exactly as the DEBUG=0 process above, reached through
    the TLS proxy."""
    for name, value in production_settings.items():
        setattr(settings, name, tuple(value) if isinstance(value, list) else value)
    settings.ALLOWED_HOSTS = ["rsoko.example.ru"]
    return Client(enforce_csrf_checks=True, HTTP_HOST="rsoko.example.ru", HTTP_X_FORWARDED_PROTO="https")


def test_production_responses_carry_the_security_headers(db, production_client):
    response = production_client.get("/accounts/login/")
    assert response.status_code == 200
    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    policy = response["Content-Security-Policy"]
    for directive in ("default-src 'self'", "script-src 'self'", "frame-ancestors 'none'", "form-action 'self'",
                      "base-uri 'self'"):
        assert directive in policy
    assert "unsafe-eval" not in policy and "script-src 'self' 'unsafe-inline'" not in policy
    assert response["Referrer-Policy"] == "same-origin"
    assert "camera=()" in response["Permissions-Policy"] and "geolocation=()" in response["Permissions-Policy"]
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"


def test_the_api_and_error_pages_carry_them_too(db, production_client):
    for url, status in (("/api/v1/", 401), ("/no-such-page/", 404), ("/healthz", 200)):
        response = production_client.get(url)
        assert response.status_code == status, url
        assert response["X-Content-Type-Options"] == "nosniff" and response["X-Frame-Options"] == "DENY", url
        assert "default-src 'self'" in response["Content-Security-Policy"], url


def test_plain_http_is_redirected_to_https_except_the_health_check(db, production_client):
    response = production_client.get("/accounts/login/", HTTP_X_FORWARDED_PROTO="http")
    assert response.status_code == 301 and response.url == "https://rsoko.example.ru/accounts/login/"
    assert production_client.get("/healthz", HTTP_X_FORWARDED_PROTO="http").status_code == 200


def cookie_flags(cookie) -> dict:
    return {"secure": bool(cookie["secure"]), "httponly": bool(cookie["httponly"]), "samesite": cookie["samesite"]}


def test_signing_in_sets_secure_httponly_samesite_session_and_csrf_cookies(world, production_client):
    form = production_client.get("/accounts/login/")
    assert cookie_flags(form.cookies["csrftoken"]) == {"secure": True, "httponly": True, "samesite": "Lax"}
    response = production_client.post("/accounts/login/", {
        "username": "coordinator", "password": "correct-horse-battery-staple",
        "csrfmiddlewaretoken": form.cookies["csrftoken"].value}, HTTP_ORIGIN="https://rsoko.example.ru")
    assert response.status_code == 302 and response.url == "/"
    assert cookie_flags(response.cookies["sessionid"]) == {"secure": True, "httponly": True, "samesite": "Lax"}
    assert cookie_flags(response.cookies["csrftoken"]) == {"secure": True, "httponly": True, "samesite": "Lax"}
    assert not response.cookies["sessionid"]["max-age"], "the session ends with the browser (and after 30 idle minutes)"


def test_a_sign_in_posted_from_another_site_is_refused_in_production_mode(world, production_client):
    form = production_client.get("/accounts/login/")
    response = production_client.post("/accounts/login/", {
        "username": "coordinator", "password": "correct-horse-battery-staple",
        "csrfmiddlewaretoken": form.cookies["csrftoken"].value}, HTTP_ORIGIN="https://evil.example")
    assert response.status_code == 403 and "sessionid" not in response.cookies
