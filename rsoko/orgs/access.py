"""Who may do what (capabilities of roles) and who may see which rows (the user's scope).

Every model that belongs to an organization has a queryset method `visible_to(user)` built on
`scope_for(user)`; pages, the API, exports and reports all go through it. Out of scope means 404.
"""
from dataclasses import dataclass, field

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
    """What a user may see: the whole region, some municipalities, some schools."""

    roles: frozenset = frozenset()
    region_wide: bool = False
    municipality_ids: frozenset = frozenset()  # coordinators and municipal API clients
    school_ids: frozenset = frozenset()  # school heads
    school_municipality_ids: frozenset = frozenset()  # the municipalities of those schools
    organization_ids: frozenset = frozenset()  # every organization the user belongs to
    extra: dict = field(default_factory=dict, compare=False)

    def can(self, capability: str) -> bool:
        return bool(self.roles & roles_with(capability))

    @property
    def is_empty(self) -> bool:
        return not self.roles


def build_scope(memberships) -> Scope:
    roles, municipalities, schools, school_municipalities, orgs = set(), set(), set(), set(), set()
    region_wide = False
    for membership in memberships:
        org = membership.organization
        roles.add(membership.role)
        orgs.add(org.id)
        if membership.role in REGION_WIDE_ROLES:
            region_wide = True
        elif membership.role == R.API_CLIENT:
            if org.kind == OrgKind.MINISTRY:
                region_wide = True
            elif org.municipality_id:
                municipalities.add(org.municipality_id)
        elif membership.role == R.MUNICIPAL_COORDINATOR and org.municipality_id:
            municipalities.add(org.municipality_id)
        elif membership.role == R.SCHOOL_HEAD:
            schools.add(org.id)
            if org.municipality_id:
                school_municipalities.add(org.municipality_id)
    return Scope(
        roles=frozenset(roles),
        region_wide=region_wide,
        municipality_ids=frozenset(municipalities),
        school_ids=frozenset(schools),
        school_municipality_ids=frozenset(school_municipalities),
        organization_ids=frozenset(orgs),
    )


SUPERUSER_SCOPE = Scope(roles=frozenset({R.MINISTRY_STAFF}), region_wide=True)
ANONYMOUS_SCOPE = Scope()


def scope_for(user) -> Scope:
    """The user's scope, computed once per request and kept on the user object."""
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


def user_can(user, capability: str) -> bool:
    return scope_for(user).can(capability)


def forget_scope(user) -> None:
    """Drop the cached scope after the user's memberships change."""
    if hasattr(user, "_rsoko_scope"):
        del user._rsoko_scope
