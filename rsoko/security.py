"""Headers Django's SecurityMiddleware does not set, and sign-in required by default for pages."""
from django.contrib.auth.middleware import LoginRequiredMiddleware
from rest_framework.views import APIView

# Everything the portal serves is its own: vendored scripts and styles, no CDN, no inline script.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; worker-src 'self' blob:; frame-ancestors 'none'; form-action 'self'; base-uri 'self'"
)
PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=()"


class SecurityHeadersMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        return response


class PortalLoginRequiredMiddleware(LoginRequiredMiddleware):
    """Every page needs sign-in unless marked login_not_required.

    API views are left to DRF, which knows token authentication and answers 401/403 instead
    of redirecting; its default permission denies everything a view does not allow explicitly.
    """

    def process_view(self, request, view_func, view_args, view_kwargs):
        view_class = getattr(view_func, "cls", None)
        if view_class is not None and issubclass(view_class, APIView):
            return None
        return super().process_view(request, view_func, view_args, view_kwargs)
