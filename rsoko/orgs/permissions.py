"""API permissions: deny by default; a view names the capability it needs."""
from rest_framework.permissions import SAFE_METHODS, BasePermission

from .access import scope_for
from .choices import Role


class HasRoleCapability(BasePermission):
    """A view sets `read_capability` (and `write_capability` for unsafe methods); none set → denied. A tuple of
    capabilities lets in a holder of any of them.

    API clients are read-only whatever their capabilities say.
    """

    def has_permission(self, request, view):
        scope = scope_for(request.user)
        if scope.is_empty:
            return False
        if request.method in SAFE_METHODS:
            capability = getattr(view, "read_capability", None)
        else:
            if scope.roles == {Role.API_CLIENT}:
                return False
            capability = getattr(view, "write_capability", None)
        # A tuple names alternatives (any one will do); the view then decides per object.
        capabilities = capability if isinstance(capability, tuple) else (capability,)
        return any(c and scope.can(c) for c in capabilities)
