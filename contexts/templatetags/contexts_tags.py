"""The school's context card on its page (beside its results), for whoever may see it."""
from django import template

from ..models import SchoolContext

register = template.Library()


@register.inclusion_tag("contexts/_context_card.html", takes_context=True)
def context_card(context, organization):
    if organization.kind != "school":
        return {"context": None}
    return {"context": SchoolContext.objects.visible_to(context["request"].user).filter(school=organization).first()}
