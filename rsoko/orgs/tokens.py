"""API tokens hashed at rest: `Authorization: Token <key>` is checked against the SHA-256 digest of the key.

The key has 256 bits of randomness, so a fast digest is enough (no password stretching is needed), and the
lookup stays one indexed query per request. A token works until its expiry date or until it is revoked.
"""
from datetime import timedelta
import hashlib
import secrets

from django.conf import settings
from django.utils import timezone
from rest_framework.authentication import TokenAuthentication
from rest_framework.exceptions import AuthenticationFailed

from .models import ApiToken

# last_used_at is written at most this often per token: not one UPDATE per API request.
LAST_USED_PRECISION = timedelta(hours=1)
REFUSED = "Токен недействителен: он неверен, отозван или срок его действия истёк."


def token_digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def new_key() -> str:
    return secrets.token_urlsafe(32)


def default_expiry():
    return timezone.now() + timedelta(days=settings.API_TOKEN_DAYS)


def mark_used(token: ApiToken) -> None:
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > LAST_USED_PRECISION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)


class HashedTokenAuthentication(TokenAuthentication):
    """DRF's `Token` scheme over ApiToken: unknown, revoked, expired tokens and disabled accounts answer 401."""

    def authenticate(self, request):
        try:
            return super().authenticate(request)
        except UnicodeError:  # a header DRF cannot encode as latin-1 (e.g. Cyrillic pasted into it)
            raise AuthenticationFailed(REFUSED) from None

    def authenticate_credentials(self, key):
        token = ApiToken.objects.active().select_related("user").filter(digest=token_digest(key)).first()
        if token is None or not token.user.is_active:
            raise AuthenticationFailed(REFUSED)
        mark_used(token)
        return token.user, token
