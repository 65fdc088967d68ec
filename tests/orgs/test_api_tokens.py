"""API tokens: stored as digests only, issued with an expiry on the user's page, revoked at once; old tokens migrated."""
from datetime import timedelta
import importlib

from django.apps import apps
from django.db import connection
from django.utils import timezone
import pytest

from rsoko.orgs.models import ApiToken
from rsoko.orgs.services import api_token_issue, api_token_revoke


def api_get(client, key):
    return client.get("/api/v1/organizations/", HTTP_AUTHORIZATION=f"Token {key}")


def database_text() -> str:
    """Every text value of every table: where a key stored in plain text would show up."""
    chunks = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f'SELECT * FROM "{table}"')
            chunks.extend(str(value) for row in cursor.fetchall() for value in row)
    return "\n".join(chunks)


def test_an_issued_key_authenticates_and_is_stored_nowhere_in_plain_text(world, client):
    key = api_token_issue(actor=world.user("ministry"), user=world.user("api_client"))
    assert api_get(client, key).status_code == 200
    assert key not in database_text()
    token = ApiToken.objects.get()
    assert token.digest != key and token.prefix == key[:8] and token.last_used_at is not None


def test_an_expired_token_is_refused(world, client):
    key = api_token_issue(actor=None, user=world.user("api_client"), days=30)
    ApiToken.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    response = api_get(client, key)
    assert response.status_code == 401 and "срок его действия истёк" in response.json()["detail"]


def test_a_new_token_revokes_the_old_one_and_revoke_stops_the_new_one(world, client):
    old = api_token_issue(actor=None, user=world.user("api_client"))
    new = api_token_issue(actor=None, user=world.user("api_client"))
    assert api_get(client, old).status_code == 401 and api_get(client, new).status_code == 200
    assert api_token_revoke(actor=None, user=world.user("api_client")) == 1
    assert api_get(client, new).status_code == 401


def test_the_ministry_issues_with_an_expiry_and_revokes_on_the_users_page(world, client_for):
    client = client_for("ministry")
    account = world.user("api_client")
    response = client.post(f"/registry/users/{account.pk}/token/", {"days": 90}, follow=True)
    page = response.content.decode()
    assert "показывается один раз" in page and "действует" in page
    token = ApiToken.objects.get(user=account)
    assert timedelta(days=89) < token.expires_at - timezone.now() <= timedelta(days=90)
    client.post(f"/registry/users/{account.pk}/token/revoke/")
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert "отозван" in client.get(f"/registry/users/{account.pk}/").content.decode()


def test_the_coordinator_cannot_revoke_anyones_token(world, client_for):
    key = api_token_issue(actor=None, user=world.user("api_client"))
    response = client_for("coordinator").post(f"/registry/users/{world.user('api_client').pk}/token/revoke/")
    assert response.status_code == 403
    assert ApiToken.objects.active().filter(digest__isnull=False).count() == 1 and key


def test_plain_text_tokens_of_before_are_hashed_and_keep_working(world, client):
    from rest_framework.authtoken.models import Token

    old = Token.objects.create(user=world.user("api_client"))
    migration = importlib.import_module("rsoko.orgs.migrations.0003_h16b_api_tokens")
    migration.hash_existing_tokens(apps, None)
    assert not Token.objects.exists()
    assert api_get(client, old.key).status_code == 200
    assert old.key not in database_text()


def test_a_header_that_is_not_latin_1_is_refused_not_a_server_error(world, client):
    assert api_get(client, "ключ").status_code == 401
