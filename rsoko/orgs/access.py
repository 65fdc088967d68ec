"""Who may do what (capabilities of roles) and who may see which rows (the user's scope).

Every model that belongs to an organization has a queryset method `visible_to(user)` built on
`scope_for(user)`; pages, the API, exports and reports all go through it. Out of scope means 404.
"""
from dataclasses import dataclass, field

from django.db.models import Q

from .choices import OrgKind, Role

R = Role
# Capabilities are plain strings; later apps add theirs here so that one table says who may do what.
CAPABILITIES: dict[str, set[str]] = {
    "registry.view": set(Role),
    "registry.manage": {R.MINISTRY_STAFF},
    "users.manage": {R.MINISTRY_STAFF},
    "audit.view": {R.MINISTRY_STAFF},
    "catalogs.manage": {R.MINISTRY_STAFF},
    "jobs.view": set(Role) - {R.API_CLIENT},
    # Procedures and results (assessments app)
    "procedures.view": set(Role) - {R.API_CLIENT},
    "procedures.manage": {R.MINISTRY_STAFF, R.CENTRE_OPERATOR},
    # A МОУО runs its own municipal procedures (МПР): creates them, writes their КИМ specification and scale, picks
    # its schools. Which procedure it may manage is decided per procedure (assessments.catalog.selectors.can_manage).
    "procedures.manage_municipal": {R.MUNICIPAL_COORDINATOR},
    "results.view": {R.MINISTRY_STAFF, R.METHODOLOGIST, R.CENTRE_OPERATOR, R.MUNICIPAL_COORDINATOR, R.SCHOOL_HEAD},
    "results.upload": {R.MINISTRY_STAFF, R.CENTRE_OPERATOR, R.MUNICIPAL_COORDINATOR},
    "objectivity.manage": {R.MINISTRY_STAFF},
    # Bank of test materials (assessments.kimbank). Authorship is per variant: these say who may write at all.
    "kim.view": {R.MINISTRY_STAFF, R.METHODOLOGIST, R.CENTRE_OPERATOR},
    "kim.view_all": {R.MINISTRY_STAFF, R.METHODOLOGIST},
    "kim.view_approved": {R.CENTRE_OPERATOR},
    "kim.author": {R.MINISTRY_STAFF, R.METHODOLOGIST},
    "kim.review": {R.METHODOLOGIST},
    "kim.use": {R.MINISTRY_STAFF, R.CENTRE_OPERATOR},
    "kim.downloads": {R.MINISTRY_STAFF, R.CENTRE_OPERATOR},
    "kim.school_download": {R.SCHOOL_HEAD},
    # Roadmaps (roadmaps app): executors report on their own items; the ministry imports and runs rounds.
    "roadmaps.view": set(Role) - {R.EXPERT},
    "roadmaps.report": {R.MINISTRY_STAFF, R.METHODOLOGIST, R.CENTRE_OPERATOR, R.MUNICIPAL_COORDINATOR, R.SCHOOL_HEAD},
    "roadmaps.manage": {R.MINISTRY_STAFF},
    "roadmaps.import": {R.MINISTRY_STAFF, R.MUNICIPAL_COORDINATOR},  # a МОУО imports its own municipal roadmaps
    # Monitoring (monitoring app): indicators are open to every role, API clients included.
    "indicators.view": set(Role),
    "indicators.manage": {R.MINISTRY_STAFF},
    "monitoring.fill": {R.MUNICIPAL_COORDINATOR, R.SCHOOL_HEAD},
    "monitoring.forms": {R.MINISTRY_STAFF, R.MUNICIPAL_COORDINATOR, R.SCHOOL_HEAD},
    # A МОУО's own forms for the schools of its municipality: it creates them and reads (exports) the answers.
    "monitoring.forms_municipal": {R.MUNICIPAL_COORDINATOR},
    # Objectivity in the field (assessments.fieldwork): expert bank, re-checking, observers
    "fieldwork.manage": {R.MINISTRY_STAFF, R.CENTRE_OPERATOR},
    "fieldwork.contacts": {R.MINISTRY_STAFF, R.CENTRE_OPERATOR},
    "fieldwork.bank_view": {R.MINISTRY_STAFF, R.METHODOLOGIST, R.CENTRE_OPERATOR, R.MUNICIPAL_COORDINATOR},
    "fieldwork.view_results": {R.MINISTRY_STAFF, R.METHODOLOGIST, R.CENTRE_OPERATOR, R.MUNICIPAL_COORDINATOR,
                               R.SCHOOL_HEAD},
    "fieldwork.expert_work": {R.EXPERT},
    "observers.view": {R.MINISTRY_STAFF, R.METHODOLOGIST, R.CENTRE_OPERATOR, R.MUNICIPAL_COORDINATOR,
                       R.SCHOOL_HEAD},
    "observers.manage": {R.MINISTRY_STAFF, R.CENTRE_OPERATOR, R.MUNICIPAL_COORDINATOR},
    "observers.report": {R.MINISTRY_STAFF, R.CENTRE_OPERATOR, R.MUNICIPAL_COORDINATOR, R.EXPERT},
    "observers.list": {R.MINISTRY_STAFF, R.METHODOLOGIST, R.CENTRE_OPERATOR, R.MUNICIPAL_COORDINATOR,
                       R.SCHOOL_HEAD, R.EXPERT},
    # Reports (reports app): render is further limited to the organizations in the user's scope.
    "reports.view": set(Role) - {R.API_CLIENT, R.EXPERT},
    "reports.render": {R.MINISTRY_STAFF, R.METHODOLOGIST, R.CENTRE_OPERATOR, R.MUNICIPAL_COORDINATOR, R.SCHOOL_HEAD},
    "reports.recommend": {R.MINISTRY_STAFF, R.METHODOLOGIST},
    # Management decisions (decisions app): a municipal office records its own, within its municipality.
    "decisions.view": set(Role) - {R.EXPERT},
    "decisions.manage": {R.MINISTRY_STAFF, R.MUNICIPAL_COORDINATOR},
    # Consequences for flagged schools: the ministry assigns them, МОУО and РЦОКО record their progress.
    "cases.view": {R.MINISTRY_STAFF, R.METHODOLOGIST, R.CENTRE_OPERATOR, R.MUNICIPAL_COORDINATOR, R.SCHOOL_HEAD},
    "cases.assign": {R.MINISTRY_STAFF},
    "cases.update": {R.MINISTRY_STAFF, R.CENTRE_OPERATOR, R.MUNICIPAL_COORDINATOR},
    # Context of schools (contexts app): difficult social conditions and comparable groups.
    "context.view": {R.MINISTRY_STAFF, R.METHODOLOGIST, R.CENTRE_OPERATOR, R.MUNICIPAL_COORDINATOR, R.SCHOOL_HEAD},
    "context.manage": {R.MINISTRY_STAFF},
}

# Roles whose memberships let them see the whole region.
REGION_WIDE_ROLES = {R.MINISTRY_STAFF, R.METHODOLOGIST, R.CENTRE_OPERATOR}


def roles_with(capability: str) -> set[str]:
    try:
        return CAPABILITIES[capability]
    except KeyError:
        raise KeyError(f"Unknown capability {capability!r}: add it to rsoko.orgs.access.CAPABILITIES") from None


@dataclass(frozen=True)
class Scope:
    """What a user may see: the whole region, some municipalities, some schools.

    A user may hold several memberships; each grants its role's capabilities only within its own reach. So
    `grants` keeps one Scope per membership, and `within(capability)` is the scope of the memberships granting
    that capability: a coordinator who is also the ministry's API client reads pupil results of their
    municipality only, not of the region the API membership reaches. Code that filters rows for a capability
    asks `scope_for(user, capability)`; the merged scope (no capability) answers only «may they at all».
    """

    roles: frozenset = frozenset()
    region_wide: bool = False
    municipality_ids: frozenset = frozenset()  # coordinators and municipal API clients
    school_ids: frozenset = frozenset()  # school heads
    school_municipality_ids: frozenset = frozenset()  # the municipalities of those schools
    organization_ids: frozenset = frozenset()  # every organization the user belongs to
    grants: tuple = ()  # one Scope per membership (without grants of their own)
    extra: dict = field(default_factory=dict, compare=False)

    def can(self, capability: str) -> bool:
        return bool(self.roles & roles_with(capability))

    @property
    def is_empty(self) -> bool:
        return not self.roles

    def within(self, *capabilities: str) -> "Scope":
        """The scope of the memberships that grant every one of `capabilities` (empty when none does)."""
        narrowed = self.extra.setdefault("within", {})
        if capabilities not in narrowed:
            granting = set.intersection(*(roles_with(c) for c in capabilities))
            narrowed[capabilities] = merge([grant for grant in self.grants if grant.roles & granting])
        return narrowed[capabilities]

    def organizations_q(self, prefix: str = "") -> Q:
        """Organizations this scope reaches: any in the region, everything of its municipalities, its schools.
        `prefix` ("school__") filters rows by their organization instead of organizations themselves."""
        if self.region_wide:
            return Q()
        if self.is_empty:
            return Q(pk__in=[])
        return (Q(**{f"{prefix}municipality_id__in": self.municipality_ids})
                | Q(**{f"{prefix}pk__in": self.school_ids}))

    def covers_q(self, field: str = "organization") -> Q:
        """Rows tied to an organization this scope reaches. Rows tied to no organization are the region's: only
        region-wide."""
        return self.organizations_q(f"{field}__")


def membership_scope(role: str, org) -> Scope:
    """What one membership reaches."""
    region_wide = role in REGION_WIDE_ROLES or (role == R.API_CLIENT and org.kind == OrgKind.MINISTRY)
    municipal = role in {R.MUNICIPAL_COORDINATOR, R.API_CLIENT} and not region_wide and org.municipality_id
    school = role == R.SCHOOL_HEAD
    return Scope(
        roles=frozenset({role}),
        region_wide=region_wide,
        municipality_ids=frozenset({org.municipality_id} if municipal else ()),
        school_ids=frozenset({org.id} if school else ()),
        school_municipality_ids=frozenset({org.municipality_id} if school and org.municipality_id else ()),
        organization_ids=frozenset({org.id}),
    )


def merge(grants: list[Scope]) -> Scope:
    return Scope(
        roles=frozenset().union(*(g.roles for g in grants)),
        region_wide=any(g.region_wide for g in grants),
        municipality_ids=frozenset().union(*(g.municipality_ids for g in grants)),
        school_ids=frozenset().union(*(g.school_ids for g in grants)),
        school_municipality_ids=frozenset().union(*(g.school_municipality_ids for g in grants)),
        organization_ids=frozenset().union(*(g.organization_ids for g in grants)),
        grants=tuple(grants),
    )


def build_scope(memberships) -> Scope:
    return merge([membership_scope(m.role, m.organization) for m in memberships])


SUPERUSER_SCOPE = Scope(roles=frozenset({R.MINISTRY_STAFF}), region_wide=True,
                        grants=(Scope(roles=frozenset({R.MINISTRY_STAFF}), region_wide=True),))
ANONYMOUS_SCOPE = Scope()


def scope_for(user, *capabilities: str) -> Scope:
    """The user's scope, computed once per request and kept on the user object; with capabilities, the part
    of it where the user holds them (all of them)."""
    scope = merged_scope_for(user)
    return scope.within(*capabilities) if capabilities else scope


def merged_scope_for(user) -> Scope:
    if user is None or not user.is_authenticated or not user.is_active:
        return ANONYMOUS_SCOPE
    cached = getattr(user, "_rsoko_scope", None)
    if cached is not None:
        return cached
    if user.is_superuser:
        scope = SUPERUSER_SCOPE
    else:
        memberships = user.memberships.filter(organization__is_active=True).select_related("organization")
        scope = build_scope(memberships)
    user._rsoko_scope = scope
    return scope


def acting_membership(user, capability: str):
    """The membership through which the user exercises `capability`: the widest-reaching one (region, then a
    municipality, then a school), ties broken by role and organization, so the choice never depends on the
    database's row order. None when no active membership grants it."""
    memberships = user.memberships.filter(role__in=roles_with(capability), organization__is_active=True)
    reach = lambda m: (not membership_scope(m.role, m.organization).region_wide,  # noqa: E731
                       m.role != R.MUNICIPAL_COORDINATOR, m.role, m.organization_id)
    return min(memberships.select_related("organization"), key=reach, default=None)


def user_can(user, capability: str) -> bool:
    return scope_for(user).can(capability)


def forget_scope(user) -> None:
    """Drop the cached scope after the user's memberships change."""
    if hasattr(user, "_rsoko_scope"):
        del user._rsoko_scope
