"""Sign-in and sessions: the client's real address behind the proxy, lockout on password change too, an absolute
session lifetime, and answers with personal data that no cache keeps."""
from datetime import timedelta
import ipaddress
import time

from django.conf import settings
from django.contrib.auth import authenticate, logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import PasswordChangeForm
from django.contrib.auth.signals import user_logged_in
from django.core.exceptions import ValidationError
from django.dispatch import receiver

SIGNED_IN_AT = "signed_in_at"
NO_STORE = "no-store, private"


def client_ip(request) -> str:
    """AXES_CLIENT_IP_CALLABLE: the address the outermost of TRUSTED_PROXY_COUNT proxies saw.

    Each trusted proxy appends the address it received the request from to X-Forwarded-For, so the client is the
    N-th entry from the right; entries left of it are whatever the client wrote and are ignored. Without trusted
    proxies (or with a header the proxies could not have written) the socket's address counts.
    """
    remote = request.META.get("REMOTE_ADDR", "")
    count = settings.TRUSTED_PROXY_COUNT
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
    if count == 0 or len(forwarded) < count:
        return remote
    candidate = forwarded[-count]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return remote


class LockoutAwarePasswordChangeForm(PasswordChangeForm):
    """The old password is checked through authenticate(): a wrong one counts as a failed sign-in of the account
    and its address (django-axes), and a locked account cannot guess on through this form."""

    def __init__(self, *args, request=None, **kwargs):
        self.request = request
        super().__init__(*args, **kwargs)

    def clean_old_password(self):
        old_password = self.cleaned_data["old_password"]
        checked = authenticate(self.request, username=self.user.get_username(), password=old_password)
        if checked is None or checked.pk != self.user.pk:
            raise ValidationError(self.error_messages["password_incorrect"], code="password_incorrect")
        return old_password


class PasswordChangeView(auth_views.PasswordChangeView):
    form_class = LockoutAwarePasswordChangeForm

    def get_form_kwargs(self):
        return super().get_form_kwargs() | {"request": self.request}


@receiver(user_logged_in)
def remember_sign_in_time(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session"):
        request.session[SIGNED_IN_AT] = int(time.time())


def session_expired(request) -> bool:
    signed_in_at = request.session.get(SIGNED_IN_AT)
    if signed_in_at is None:  # a session from before this rule: its lifetime starts now
        request.session[SIGNED_IN_AT] = int(time.time())
        return False
    return time.time() - signed_in_at > timedelta(hours=settings.SESSION_MAX_HOURS).total_seconds()


class SessionSafetyMiddleware:
    """A session ends SESSION_MAX_HOURS after sign-in however active it is; answers to a signed-in user, API answers
    and downloads are `Cache-Control: no-store` (pupil lists, exports and tokens stay out of shared and browser
    caches) unless the view chose its own caching (the public pages)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated and session_expired(request):
            logout(request)  # the request goes on as anonymous: sign-in page, or 401/403 in the API
        response = self.get_response(request)
        if "Cache-Control" not in response and keeps_personal_data(request, response):
            response["Cache-Control"] = NO_STORE
        return response


def keeps_personal_data(request, response) -> bool:
    return (request.path.startswith("/api/") or "attachment" in response.get("Content-Disposition", "")
            or getattr(request, "user", None) is not None and request.user.is_authenticated)
