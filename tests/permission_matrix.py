"""The permission matrix: every route × every persona, with the status each must get.

Each app's tests declare their routes in a `permission_cases.py` module (a list named CASES);
tests/test_permission_matrix.py runs them all and fails when a route of the portal has no case.
"""
from dataclasses import dataclass, field
from typing import Callable

PERSONAS = ["anonymous", "ministry", "methodologist", "centre", "coordinator", "school_head", "expert", "api_client"]
SIGNED_IN = PERSONAS[1:]
WEB_ROLES = [p for p in SIGNED_IN if p != "api_client"]


@dataclass
class Case:
    """One route (by URL name) and what each persona gets for GET (or `method`)."""

    route: str
    url: Callable[[object], str]  # world → URL
    expect: dict[str, int]
    method: str = "get"
    data: dict | Callable[[object], dict] = field(default_factory=dict)
    api: bool = False

    @property
    def id(self) -> str:
        return f"{self.route}:{self.method}"


def page(route, url, allowed, *, allowed_status=200, denied_status=403, method="get", data=None, others=None):
    """A web page: anonymous is sent to sign in; `allowed` personas get allowed_status; the rest denied."""
    expect = {persona: (allowed_status if persona in allowed else denied_status) for persona in SIGNED_IN}
    expect["anonymous"] = 302
    expect.update(others or {})
    return Case(route, url if callable(url) else (lambda w, u=url: u), expect, method, data or {})


def api(route, url, allowed, *, allowed_status=200, denied_status=403, method="get", data=None, others=None):
    """An API endpoint: anonymous gets 401 (token auth advertises itself); the rest as for pages."""
    expect = {persona: (allowed_status if persona in allowed else denied_status) for persona in SIGNED_IN}
    expect["anonymous"] = 401
    expect.update(others or {})
    return Case(route, url if callable(url) else (lambda w, u=url: u), expect, method, data or {}, api=True)
