"""One shape for every refusal: unreadable requests stop at the door, and the API always answers JSON.

The documented error object of the API (rsoko/openapi.py) is `{"detail": "…"}`, or for a rejected input a map of
field → messages. Django's own error pages (400, 403, 404, 500) are HTML; under /api/ they answer that object instead,
and a DRF refusal whose body is a bare list (`raise ValidationError("…")`, the search filter's NUL check) is
wrapped into it. The checks sit here, once, rather than in each view.
"""
from django.http import HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.views import defaults

# A NUL reaches PostgreSQL as "A string literal cannot contain NUL characters" (a server error) wherever a path or
# query value is compared with a column; other C0 controls are never part of an address a person or client writes
# (tabs and line breaks are: text pasted into a search field).
FORBIDDEN_CHARACTERS = frozenset(chr(code) for code in range(32)) - {"\t", "\n", "\r"}
NO_SUCH_OBJECT = "Такого объекта нет: число в адресе или параметрах больше любого номера в базе."
UNREADABLE = "Адрес или параметры запроса содержат недопустимый символ (например, NUL); исправьте ссылку."


def is_api(request) -> bool:
    """Answers JSON: the API, and the JSON documents outside it (/public/embed.json)."""
    return request.path.startswith("/api/") or request.path.endswith(".json")


def error_response(request, status: int, detail: str, template: str | None = None) -> HttpResponse:
    if is_api(request) or template is None:
        return JsonResponse({"detail": detail}, status=status, json_dumps_params={"ensure_ascii": False})
    return HttpResponse(render_to_string(template, {"detail": detail}, request), status=status)


def has_forbidden_character(text: str) -> bool:
    return not FORBIDDEN_CHARACTERS.isdisjoint(text)


def request_is_unreadable(request) -> bool:
    if has_forbidden_character(request.path):
        return True
    return any(has_forbidden_character(key) or any(has_forbidden_character(v) for v in values)
               for key, values in request.GET.lists())


class RefuseUnreadableRequestsMiddleware:
    """400 before any view, form or filter sees a path or query value with a control character.

    An API endpoint first tells a caller without credentials that it must sign in (401/403, as for any other
    input), so the check waits for the view to be known; pages and JSON documents refuse at once.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.unreadable = request_is_unreadable(request)
        if request.unreadable and not request.path.startswith("/api/"):
            return error_response(request, 400, UNREADABLE, "400.html")
        return self.get_response(request)

    def process_exception(self, request, exception):
        """A number past any stored id (SQLite cannot even compare it with an integer column): no such object."""
        if isinstance(exception, OverflowError):
            return error_response(request, 404, NO_SUCH_OBJECT, "404.html")
        return None

    def process_view(self, request, view_func, view_args, view_kwargs):
        if not getattr(request, "unreadable", False):
            return None
        if is_closed_api_view(view_func) and not has_credentials(request):
            return None  # DRF answers 401/403 before it reads any input
        return error_response(request, 400, UNREADABLE)


def is_closed_api_view(view_func) -> bool:
    """A DRF view that needs sign-in (the open ones of rsoko.public authenticate nobody)."""
    view_class = getattr(view_func, "cls", None)
    return view_class is not None and bool(getattr(view_class, "authentication_classes", None))


def has_credentials(request) -> bool:
    return "HTTP_AUTHORIZATION" in request.META or request.user.is_authenticated


def api_exception_handler(exc, context):
    """DRF's handler, with a bare list body (a non-field ValidationError) turned into the documented object."""
    from rest_framework.response import Response
    from rest_framework.views import exception_handler  # not at import: DRF's settings import rsoko.uploads

    from rsoko.uploads import UploadTooLarge

    if isinstance(exc, UploadTooLarge):  # raised by the upload handler while DRF parses the body
        return Response({"detail": str(exc)}, status=413)
    response = exception_handler(exc, context)
    if response is not None and isinstance(response.data, list):
        response.data = {"detail": " ".join(str(message) for message in response.data)}
    return response


def bad_request(request, exception):
    from rsoko.uploads import UploadTooLarge, refused_too_large

    if isinstance(exception, UploadTooLarge):
        return refused_too_large(request)
    if is_api(request):
        return error_response(request, 400, "Неверный запрос.")
    return defaults.bad_request(request, exception)


def permission_denied(request, exception):
    if is_api(request):
        return error_response(request, 403, "Недостаточно прав.")
    return defaults.permission_denied(request, exception)


def not_found(request, exception):
    """An address under /api/ that matches no endpoint answers JSON, as the endpoints' own 404 does (an API client
    parses JSON; the HTML page was undocumented); elsewhere the portal's page."""
    if is_api(request):
        return error_response(request, 404, "Не найдено.")
    return defaults.page_not_found(request, exception)


def server_error(request):
    if is_api(request):
        return error_response(request, 500, "Внутренняя ошибка сервера; она записана в журнал.")
    return defaults.server_error(request)
