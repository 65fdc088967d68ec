"""Uploaded files are limited at the door: by size before their body is read, and in number per user per hour.

Every upload of the portal (results, codifiers, registry, experts, federal lists, roadmaps, expert scores, КИМ
materials; pages and API) is a multipart POST. A body larger than the limit is refused from its Content-Length
with 413 before a byte is read; a body without an honest length is counted as it streams and refused once it
crosses the limit, and its temporary file is removed. Uploads are counted per user: pages here, the API by DRF's
throttle (the token's user is known only there); both share one counter.
"""
from django.conf import settings
from django.core.exceptions import SuspiciousOperation
from django.core.files.uploadhandler import FileUploadHandler
from rest_framework.exceptions import Throttled
from rest_framework.throttling import SimpleRateThrottle

from rsoko import typography
from rsoko.errors import error_response, is_api

FORM_FIELDS_ALLOWANCE = 1024 * 1024  # the other fields of an upload form, besides its file


def file_limit_bytes() -> int:
    return max(settings.UPLOAD_MAX_MB, settings.KIM_FILE_MAX_MB) * 1024 * 1024


def too_large_message() -> str:
    limit = max(settings.UPLOAD_MAX_MB, settings.KIM_FILE_MAX_MB)
    return (f"Файл больше {limit} МБ и не принят (ничего не сохранено). Разделите его на части, "
            "например по муниципалитетам, и загрузите по очереди.")


class UploadTooLarge(SuspiciousOperation):
    """Raised while a multipart body streams in and crosses the limit; answered 413."""


class SizeLimitedUploadHandler(FileUploadHandler):
    """First of the upload handlers: counts each file's bytes as they arrive and stops the upload at the limit."""

    def receive_data_chunk(self, raw_data, start):
        if start + len(raw_data) > file_limit_bytes():
            raise UploadTooLarge(too_large_message())
        return raw_data

    def file_complete(self, file_size):
        return None  # the next handler (memory or temporary file) keeps the file


def declared_length(request) -> int:
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return 0


def is_upload(request) -> bool:
    """A multipart POST (Django's and DRF's request alike: DRF's content_type keeps the boundary)."""
    media_type = request.META.get("CONTENT_TYPE", "").split(";")[0].strip().lower()
    return request.method == "POST" and media_type == "multipart/form-data"


class UploadRateThrottle(SimpleRateThrottle):
    """Uploads per user per hour (UPLOADS_PER_HOUR), for the API and, through the middleware, for pages."""

    scope = "uploads"

    def get_rate(self):
        return f"{settings.UPLOADS_PER_HOUR}/hour"

    def get_cache_key(self, request, view):
        if not is_upload(request) or not request.user.is_authenticated:
            return None
        return self.cache_format % {"scope": self.scope, "ident": request.user.pk}

    def allow_request(self, request, view):
        if super().allow_request(request, view):
            return True
        raise Throttled(wait=self.wait(), detail=rate_message(self.wait()))


def rate_message(wait_seconds: float | None) -> str:
    minutes = max(1, round((wait_seconds or 60) / 60))
    return (f"Слишком много загрузок: не больше {settings.UPLOADS_PER_HOUR} файлов в час от одного пользователя. "
            f"Повторите через {minutes} {typography.plural(minutes, 'минуту', 'минуты', 'минут')}.")


class UploadLimitsMiddleware:
    """413 for a body over the limit (before it is read), 429 for too many page uploads by one user."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not is_upload(request):
            return self.get_response(request)
        if declared_length(request) > file_limit_bytes() + FORM_FIELDS_ALLOWANCE:
            return refused_too_large(request)
        request.upload_handlers.insert(0, SizeLimitedUploadHandler(request))
        if is_api(request):  # DRF parses the body and counts the upload with UploadRateThrottle
            return self.get_response(request)
        try:
            request.FILES  # parse now, under the limit, before CSRF or the view reads the form
        except UploadTooLarge:
            return refused_too_large(request)
        throttle = UploadRateThrottle()
        try:
            throttle.allow_request(request, None)
        except Throttled as refusal:
            response = error_response(request, 429, str(refusal.detail), "400.html")
            response["Retry-After"] = str(int(refusal.wait or 60))
            return response
        return self.get_response(request)


def refused_too_large(request):
    return error_response(request, 413, too_large_message(), "400.html")
