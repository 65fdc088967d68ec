"""Reads of the registry, already scoped to the user: one path for pages, API and exports."""
from django.db.models import Count, Q

from .choices import OrgKind
from .models import Municipality, Organization


def organizations_for(user):
    return Organization.objects.visible_to(user).select_related("municipality")


def municipalities_for(user):
    return Municipality.objects.visible_to(user).annotate(
        school_count=Count("organizations", filter=Q(organizations__kind=OrgKind.SCHOOL, organizations__is_active=True))
    )


def registry_counts(user) -> dict:
    organizations = organizations_for(user)
    return {
        "municipalities": Municipality.objects.visible_to(user).count(),
        "schools": organizations.filter(kind=OrgKind.SCHOOL, is_active=True).count(),
        "rural_schools": organizations.filter(kind=OrgKind.SCHOOL, is_active=True, settlement_type="rural").count(),
        "organizations": organizations.count(),
    }


def organization_counts_by_kind(user) -> dict[str, int]:
    rows = organizations_for(user).filter(is_active=True).order_by().values("kind").annotate(n=Count("id"))
    return {row["kind"]: row["n"] for row in rows}
