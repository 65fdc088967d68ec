"""Report links on other apps' pages: the re-check campaign page orders and downloads its PDF summary here."""
from django import template

from reports import campaigns, selectors
from reports.models import ReportKind

register = template.Library()


@register.inclusion_tag("reports/_campaign_summary.html", takes_context=True)
def campaign_summary(context, campaign):
    """The summaries this user may order for the campaign, and the latest archived one of each they may open."""
    user = context["request"].user
    organizations = campaigns.organizations_for(user, campaign)
    archived = selectors.archive_for(user).filter(kind=ReportKind.CAMPAIGN, campaign=campaign)
    latest = {}
    for report in archived.order_by("-version"):
        latest.setdefault(report.organization_id, report)
    return {"campaign": campaign, "csrf_token": context.get("csrf_token"), "several": len(organizations) > 1,
            "entries": [(organization, latest.get(organization.pk)) for organization in organizations]}
