"""The consequences of a school, shown on its page for whoever may see them."""
from django import template

from rsoko.orgs.access import scope_for

from ..selectors import school_cases

register = template.Library()


@register.inclusion_tag("decisions/_case_history.html", takes_context=True)
def case_history(context, organization):
    user = context["request"].user
    if organization.kind != "school" or not scope_for(user).can("cases.view"):
        return {"cases": []}
    return {"cases": school_cases(user, organization)}
