from django.conf import settings

from rsoko.navigation import menu_for

from .access import scope_for


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"region_name": settings.REGION_NAME}
    scope = scope_for(user)
    return {
        "menu": menu_for(user),
        "user_scope": scope,
        "user_roles": sorted(user.memberships.select_related("organization"), key=lambda m: m.role),
        "region_name": settings.REGION_NAME,
    }
