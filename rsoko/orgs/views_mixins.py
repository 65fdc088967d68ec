"""Page access: sign-in is required by middleware; a view names the capability it needs."""
from functools import wraps

from django.core.exceptions import PermissionDenied

from .access import scope_for


class CapabilityRequiredMixin:
    capability: str = ""

    def dispatch(self, request, *args, **kwargs):
        if not self.capability or not scope_for(request.user).can(self.capability):
            raise PermissionDenied("Недостаточно прав для этой страницы.")
        return super().dispatch(request, *args, **kwargs)


class ScopedQuerysetMixin(CapabilityRequiredMixin):
    """List and detail views read through the model's visible_to(user): out of scope → 404."""

    model = None

    def get_queryset(self):
        return self.model.objects.visible_to(self.request.user)


def capability_required(capability: str):
    """The same check for function views."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not scope_for(request.user).can(capability):
                raise PermissionDenied("Недостаточно прав для этого действия.")
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
