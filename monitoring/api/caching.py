"""What keeps the indicator endpoints fast under many external clients.

- `CachedTokenAuthentication`: a token seen in the last TOKEN_TTL seconds is not looked up again in
  this process (the user and its scope are reused); a revoked or expired token therefore stays usable for at
  most TOKEN_TTL seconds.
- `IndicatorThrottle`: a fixed-window counter (one cache increment per request) instead of DRF's
  list of timestamps, whose cost grows with the rate.
- `cached_data`: the serialized answer for one scope and one query, kept for RESPONSE_TTL seconds
  and dropped as soon as the values change (`values_changed` bumps a generation number in the cache;
  with a shared cache — CACHE_URL — every server sees it at once, with the local one a server may
  answer from its copy for at most RESPONSE_TTL seconds).
"""
import hashlib
import threading
import time

from django.core.cache import cache
from drf_spectacular.drainage import set_override
from rest_framework.throttling import ScopedRateThrottle

from rsoko.orgs.access import scope_for
from rsoko.orgs.tokens import HashedTokenAuthentication

TOKEN_TTL = 30
RESPONSE_TTL = 60
GENERATION_KEY = "monitoring:values-generation"

_tokens: dict[str, tuple[float, tuple]] = {}
_tokens_lock = threading.Lock()


class CachedTokenAuthentication(HashedTokenAuthentication):
    def authenticate_credentials(self, key):
        now = time.monotonic()
        hit = _tokens.get(key)
        if hit and hit[0] > now:
            return hit[1]
        result = super().authenticate_credentials(key)
        scope_for(result[0])  # computed once, kept on the cached user object
        with _tokens_lock:
            if len(_tokens) > 10_000:
                _tokens.clear()
            _tokens[key] = (now + TOKEN_TTL, result)
        return result


# The same "Token …" header as DRF's scheme: one security scheme in OpenAPI, not a name collision.
set_override(CachedTokenAuthentication, "suppress_collision_warning", True)


def forget_tokens() -> None:
    with _tokens_lock:
        _tokens.clear()
    _generation["read_at"] = -1.0


class IndicatorThrottle(ScopedRateThrottle):
    """Indicator endpoints share one rate per client (settings: API_THROTTLE_INDICATORS), counted per window."""

    def allow_request(self, request, view):
        self.scope = getattr(view, self.scope_attr, None)
        if not self.scope:
            return True
        self.rate = self.get_rate()
        self.num_requests, self.duration = self.parse_rate(self.rate)
        self.key = self.get_cache_key(request, view)
        if self.key is None:
            return True
        self.now = self.timer()
        window = int(self.now // self.duration)
        counter = f"{self.key}:{window}"
        if cache.add(counter, 1, self.duration + 1):
            return True
        try:
            count = cache.incr(counter)
        except ValueError:  # expired between add and incr
            cache.add(counter, 1, self.duration + 1)
            return True
        return count <= self.num_requests

    def wait(self):
        return self.duration - (self.timer() % self.duration)


_generation = {"value": 0, "read_at": -1.0}


def generation() -> int:
    """Read from the cache at most once a second per process (a change shows within a second)."""
    now = time.monotonic()
    if now - _generation["read_at"] >= 1.0:
        _generation["value"], _generation["read_at"] = cache.get(GENERATION_KEY) or 0, now
    return _generation["value"]


def values_changed() -> None:
    """Called by every write of values or of the catalog: cached answers are not used again."""
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:
        cache.set(GENERATION_KEY, 1, None)
    _generation["read_at"] = -1.0


def scope_signature(user) -> str:
    cached = getattr(user, "_monitoring_scope_signature", None)
    if cached:
        return cached
    scope = scope_for(user)
    parts = [sorted(scope.roles), scope.region_wide, sorted(scope.municipality_ids), sorted(scope.school_ids),
             sorted(scope.school_municipality_ids)]
    user._monitoring_scope_signature = hashlib.sha1(repr(parts).encode()).hexdigest()[:16]
    return user._monitoring_scope_signature


def cached_body(request, media_type: str, compute):
    """The rendered answer for this scope, query and media type, from the cache or computed and stored.

    Bytes are kept rather than data: neither unpickling nested dicts nor JSON encoding is repeated.
    """
    key = f"{generation()}:{scope_signature(request.user)}:{media_type}:{request.build_absolute_uri()}"
    key = "monitoring:api:" + hashlib.sha1(key.encode()).hexdigest()
    body = cache.get(key)
    if body is None:
        body = compute()
        cache.set(key, body, RESPONSE_TTL)
    return body
