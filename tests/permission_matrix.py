"""The permission matrix: every route × every persona, with the status each must get.

Each app's tests declare their routes in a `permission_cases.py` module (a list named CASES);
tests/test_permission_matrix.py runs them all and fails when a route of the portal has no case.
"""
from dataclasses import dataclass, field
from typing import Callable

SINGLE_ROLE = ["anonymous", "ministry", "methodologist", "centre", "coordinator", "school_head", "expert", "api_client"]
SIGNED_IN = SINGLE_ROLE[1:]
WEB_ROLES = [p for p in SIGNED_IN if p != "api_client"]
# People with two memberships (issue 16): each membership's rights apply only within its own reach. Unless a case
# says otherwise (`others`), such a persona gets what the better placed of its two single-role personas gets
# (an allowed status over a refusal, «not found» over «forbidden»): a right of one membership must not carry
# over to the other's reach. The coordinator of municipality A is, besides, the ministry's API client (region-wide
# and read-only), the school head of A1 is also an expert at the centre.
COMBINED = {"coordinator_api": ("coordinator", "api_client"), "head_expert": ("school_head", "expert")}
PERSONAS = SINGLE_ROLE + list(COMBINED)
# What the ministry's API membership reads region-wide (registry, roadmaps, indicators), the coordinator holding it
# reads too; pupil data, uploads and jobs stay within the coordinator's municipality.
API_REACH = {"coordinator_api": 200}
# The world's expert's own works are that person's: the head who is also an expert is another person.
ANOTHER_EXPERTS = {"head_expert": 404}


def combined_status(statuses: list[int]) -> int:
    allowed = [status for status in statuses if status < 400]
    if allowed:
        return allowed[0]
    return 404 if 404 in statuses else statuses[0]


def with_combined(expect: dict[str, int], others: dict | None) -> dict[str, int]:
    for persona, parts in COMBINED.items():
        if persona not in (others or {}):
            expect[persona] = combined_status([expect[part] for part in parts])
    return expect


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
    return Case(route, url if callable(url) else (lambda w, u=url: u), with_combined(expect, others), method,
                data or {})


def api(route, url, allowed, *, allowed_status=200, denied_status=403, method="get", data=None, others=None):
    """An API endpoint: anonymous gets 401 (token auth advertises itself); the rest as for pages."""
    expect = {persona: (allowed_status if persona in allowed else denied_status) for persona in SIGNED_IN}
    expect["anonymous"] = 401
    expect.update(others or {})
    return Case(route, url if callable(url) else (lambda w, u=url: u), with_combined(expect, others), method,
                data or {}, api=True)
