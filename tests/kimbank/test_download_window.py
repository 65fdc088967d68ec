"""Schools receive a variant's files only inside the use's window and only for procedures they take part in;
each download is logged with who, when, which file and from which address."""
from datetime import timedelta

import pytest
from django.utils import timezone

from assessments.kimbank.choices import FileRole, VariantStatus
from assessments.kimbank.models import DownloadLog
from tests.kimbank.factories import PDF_BYTES, add_file, make_procedure, make_use, make_variant


@pytest.fixture
def setup(world):
    variant = make_variant(world.user("methodologist"), status=VariantStatus.APPROVED)
    procedure = make_procedure(schools=[world.school_a1])
    use = make_use(variant, procedure)
    return {"variant": variant, "use": use, "file": variant.files.get()}


def place_window(use, *, opened_ago: timedelta, length=timedelta(hours=5)):
    """Moves the window so that it opened `opened_ago` before now (negative: opens in the future)."""
    use.window_start = timezone.now() - opened_ago
    use.window_end = use.window_start + length
    use.save()


def url(setup):
    return f"/kim/school/{setup['use'].pk}/files/{setup['file'].pk}/"


def test_before_the_window_the_file_does_not_exist(setup, client_for):
    place_window(setup["use"], opened_ago=-timedelta(seconds=5))
    assert client_for("school_head").get(url(setup)).status_code == 404
    assert not DownloadLog.objects.exists()


def test_after_the_window_the_file_does_not_exist(setup, client_for):
    place_window(setup["use"], opened_ago=timedelta(hours=5))  # closed exactly now
    assert client_for("school_head").get(url(setup)).status_code == 404
    assert not DownloadLog.objects.exists()


def test_inside_the_window_the_file_is_served_and_logged(setup, client_for, world):
    place_window(setup["use"], opened_ago=timedelta(minutes=30))
    before = timezone.now()
    response = client_for("school_head").get(url(setup), REMOTE_ADDR="10.1.2.3")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF_BYTES
    assert "attachment" in response["Content-Disposition"]
    entry = DownloadLog.objects.get()
    assert entry.user == world.user("school_head")
    assert entry.school == world.school_a1
    assert entry.file == setup["file"]
    assert before <= entry.downloaded_at <= timezone.now()
    assert entry.address == "10.1.2.3"


def test_a_school_outside_the_procedure_gets_404_even_inside_the_window(setup, client_for, world):
    from tests.factories import user_with_role
    from rsoko.orgs.choices import Role

    other_head = user_with_role("head_b1", Role.SCHOOL_HEAD, world.school_b1)
    client = client_for(None)
    client.force_login(other_head, backend="django.contrib.auth.backends.ModelBackend")
    assert client.get(url(setup)).status_code == 404
    assert url(setup) not in client.get("/kim/school/").content.decode()
    assert not DownloadLog.objects.exists()


def test_files_held_back_from_schools_are_not_served(setup, client_for, world):
    criteria = add_file(setup["variant"], world.user("methodologist"), role=FileRole.CRITERIA, for_schools=False)
    response = client_for("school_head").get(f"/kim/school/{setup['use'].pk}/files/{criteria.pk}/")
    assert response.status_code == 404


def test_a_file_of_another_variant_is_not_served_through_this_use(setup, client_for, world):
    other = make_variant(world.user("methodologist"), number="5", status=VariantStatus.APPROVED)
    response = client_for("school_head").get(f"/kim/school/{setup['use'].pk}/files/{other.files.get().pk}/")
    assert response.status_code == 404


def test_the_school_page_lists_links_only_inside_the_window(setup, client_for):
    place_window(setup["use"], opened_ago=-timedelta(hours=1))
    page = client_for("school_head").get("/kim/school/").content.decode()
    assert url(setup) not in page and "откроется" in page
    place_window(setup["use"], opened_ago=timedelta(hours=1))
    assert url(setup) in client_for("school_head").get("/kim/school/").content.decode()


def test_the_log_is_visible_to_centre_and_ministry_only(setup, client_for, world):
    assert client_for("school_head").get(url(setup)).status_code == 200
    for persona in ("centre", "ministry"):
        page = client_for(persona).get("/kim/downloads/").content.decode()
        assert world.school_a1.short_name in page
        api = client_for(persona).get("/api/v1/kim/downloads/").json()
        assert api["results"][0]["user"] == "school_head"
    for persona in ("methodologist", "school_head", "coordinator"):
        assert client_for(persona).get("/kim/downloads/").status_code == 403


def test_default_window_opens_an_hour_before_the_start_and_closes_at_the_end_of_the_day(world, settings):
    from datetime import date, datetime, time

    from assessments.kimbank.services import default_window

    settings.KIM_PROCEDURE_START_TIME = "10:00"
    procedure = make_procedure(day=date(2026, 4, 15))
    opens, closes = default_window(procedure)
    zone = timezone.get_current_timezone()
    assert opens == datetime(2026, 4, 15, 9, 0, tzinfo=zone)
    assert closes == datetime.combine(date(2026, 4, 15), time(23, 59, 59), zone)
