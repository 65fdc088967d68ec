from django import template

register = template.Library()


@register.filter
def can(scope, capability: str) -> bool:
    """{% if user_scope|can:"registry.manage" %} — the same capability table the views use."""
    return bool(scope) and scope.can(capability)
