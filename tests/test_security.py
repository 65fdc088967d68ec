"""Login throttling, idle sessions, security headers, CSRF, production settings and /healthz."""
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
