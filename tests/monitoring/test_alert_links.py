"""Every link of «Требует внимания» opens for its reader: the home page's list and the dashboard's alerts, for every
persona of the permission matrix (an alert must never send its reader to a page that answers 403)."""
import html
import re

import pytest
from freezegun import freeze_time

from assessments.models import ResultBatch
from tests.monitoring.factories import TODAY, YEAR, build
from tests.permission_matrix import PERSONAS

pytestmark = pytest.mark.django_db
# The lists whose links are followed: the home page's attention list and the dashboards' alerts.
LISTS = re.compile(r'<ul class="(?:attention-list|mon-alert-list)">(.*?)</ul>', re.S)


@pytest.fixture
def alerting(world):
    """Something for every alert: new signs, overdue and unreported roadmap items, an upload with quarantine."""
    build(world)
    ResultBatch.objects.filter(pk=ResultBatch.objects.order_by("pk").values("pk")[:1]).update(quarantined=1)
    return world


def alert_links(page: str) -> list[str]:
    return [html.unescape(href) for block in LISTS.findall(page) for href in re.findall(r'href="([^"]+)"', block)]


def pages_of(client) -> dict[str, str]:
    """The persona's home page and its dashboard (of the fixture's year), as the persona gets them."""
    answers = {url: client.get(url) for url in ("/", f"/monitoring/?period={YEAR}")}
    return {url: answer.content.decode() for url, answer in answers.items() if answer.status_code == 200}


@freeze_time(TODAY)
@pytest.mark.parametrize("persona", [p for p in PERSONAS if p != "anonymous"])
def test_every_alert_link_opens_for_its_reader(alerting, client_for, persona):
    client = client_for(persona)
    followed = {}
    for url, page in pages_of(client).items():
        for link in alert_links(page):
            followed[link] = (url, client.get(link).status_code)
    assert all(status == 200 for _, status in followed.values()), followed


@freeze_time(TODAY)
def test_the_links_followed_include_the_roadmaps_the_signs_and_the_analytics(alerting, client_for):
    """The test above is not vacuous: the ministry's dashboard has all three kinds of alert."""
    links = alert_links(pages_of(client_for("ministry"))[f"/monitoring/?period={YEAR}"])
    assert "/roadmaps/" in links and "/analytics/" in links
    assert f"/analytics/objectivity/?year={YEAR}&flagged=true" in links


@freeze_time(TODAY)
def test_an_expert_is_not_sent_to_the_roadmaps_it_may_not_open(alerting, client_for):
    client = client_for("expert")
    assert client.get("/roadmaps/").status_code == 403
    dashboard = pages_of(client)[f"/monitoring/?period={YEAR}"]
    assert "Требует внимания" not in dashboard  # none of the dashboard's alerts links to a page an expert may open
    assert "/roadmaps/" not in alert_links(dashboard)
