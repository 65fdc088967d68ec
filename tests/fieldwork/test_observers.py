"""Observers: assignment, reports with a checklist and photos (checked by content and size), scoping."""
import datetime

from django.core.files.uploadedfile import SimpleUploadedFile
import pytest

from assessments.fieldwork import photos, services
from assessments.fieldwork.models import ObserverAssignment, ObserverPhoto, ObserverReport

from . import factories

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 64


@pytest.fixture
def observed(world):
    proc = factories.procedure()
    factories.school_results(proc, world.school_a1, [[1, 1, 1, 1, 1]])
    factories.school_results(proc, world.school_b1, [[1, 1, 1, 1, 1]])
    make = lambda school, **kw: services.observer_assign(  # noqa: E731
        actor=world.user("centre"), procedure=proc, school=school, full_name="Наблюдатель Н.Н.",
        kind="public", stage="conduct", date=datetime.date(2025, 4, 20), sent_by=world.ministry_org, **kw)
    return make(world.school_a1, user=world.user("expert")), make(world.school_b1)


def test_a_report_with_checklist_text_and_photos_is_stored(observed, world):
    assignment = observed[0]
    report = services.observer_report_save(
        assignment=assignment, violations=["phones", "video"], text="Камера в аудитории 2 не работала.",
        photos=[SimpleUploadedFile("a.png", PNG), SimpleUploadedFile("b.JPG", JPEG)], actor=world.user("expert"))
    assert report.violations == ["phones", "video"]
    assert sorted(ObserverPhoto.objects.values_list("content_type", flat=True)) == ["image/jpeg", "image/png"]


@pytest.mark.parametrize("name,content,message", [
    ("photo.jpg", b"MZ\x90\x00 not an image", "только фотографии JPEG или PNG"),
    ("photo.exe", PNG, "только фотографии JPEG или PNG"),
    ("photo.png", JPEG, "только фотографии JPEG или PNG"),
])
def test_files_that_are_not_photos_are_refused_and_nothing_is_written(observed, world, name, content, message):
    with pytest.raises(services.FieldworkError, match=message):
        services.observer_report_save(assignment=observed[0], violations=["phones"], text="",
                                      photos=[SimpleUploadedFile("ok.png", PNG), SimpleUploadedFile(name, content)],
                                      actor=None)
    assert not ObserverReport.objects.exists() and not ObserverPhoto.objects.exists()


def test_oversized_photos_are_refused(observed, monkeypatch):
    monkeypatch.setattr(photos, "PHOTO_MAX_BYTES", 32)
    with pytest.raises(services.FieldworkError, match="больше"):
        services.observer_report_save(assignment=observed[0], violations=[], text="",
                                      photos=[SimpleUploadedFile("big.png", PNG)], actor=None)


def test_unknown_checklist_items_and_an_undescribed_other_are_refused(observed):
    with pytest.raises(services.FieldworkError, match="Неизвестные пункты"):
        services.observer_report_save(assignment=observed[0], violations=["cheating"], text="", photos=[], actor=None)
    with pytest.raises(services.FieldworkError, match="Иное"):
        services.observer_report_save(assignment=observed[0], violations=["other"], text=" ", photos=[], actor=None)


def test_observers_go_only_to_schools_taking_part(world):
    proc = factories.procedure()
    with pytest.raises(services.FieldworkError, match="не участвует"):
        services.observer_assign(actor=None, procedure=proc, school=world.school_a2, full_name="Н.", kind="mouo",
                                 stage="check", date=datetime.date(2025, 4, 21))


def test_the_observer_writes_its_report_through_the_page(observed, client_for):
    client = client_for("expert")
    response = client.post(f"/fieldwork/observers/{observed[0].pk}/report/", {
        "violations": ["prompts"], "text": "Подсказки", "photos": [SimpleUploadedFile("p.png", PNG)]})
    assert response.status_code == 302
    photo = ObserverPhoto.objects.get()
    assert client.get(f"/fieldwork/observers/photos/{photo.pk}/").status_code == 200
    # another observer's assignment is not its business
    assert client.get(f"/fieldwork/observers/{observed[1].pk}/report/").status_code == 404
    assert client.get(f"/fieldwork/observers/{observed[1].pk}/").status_code == 404


def test_the_page_shows_a_bad_photo_error(observed, client_for):
    response = client_for("centre").post(f"/fieldwork/observers/{observed[0].pk}/report/", {
        "violations": [], "text": "", "photos": [SimpleUploadedFile("x.png", b"GIF89a")]})
    assert response.status_code == 200 and "JPEG или PNG" in response.content.decode()
    assert not ObserverReport.objects.exists()


def test_scoping_of_observers(observed, client_for):
    a1, b1 = observed
    assert client_for("coordinator").get(f"/fieldwork/observers/{b1.pk}/").status_code == 404
    assert client_for("coordinator").get(f"/fieldwork/observers/{a1.pk}/").status_code == 200
    assert client_for("school_head").get(f"/fieldwork/observers/{a1.pk}/").status_code == 200
    assert client_for("school_head").get(f"/fieldwork/observers/{a1.pk}/report/").status_code == 403
    ids = [row["id"] for row in client_for("coordinator").get("/api/v1/fieldwork/observers/").json()["results"]]
    assert ids == [a1.pk]
    assert ObserverAssignment.objects.count() == 2


def test_region_figures_with_and_without_the_controlled_sample(world, client_for):
    proc = factories.procedure()
    factories.school_results(proc, world.school_a1, [[4, 4, 4, 4, 4]] * 3)  # 20 points, «5»
    factories.school_results(proc, world.school_b1, [[1, 1, 1, 1, 1]] * 2, control="observers")  # 5 points, «2»
    from assessments.fieldwork.selectors import region_figures

    figures = region_figures(proc)
    assert figures["all"]["mean_primary"] == 14.0 and figures["controlled"]["mean_primary"] == 5.0
    assert figures["controlled"]["share_2"] == 100.0 and figures["uncontrolled"]["quality"] == 100.0
    page = client_for("centre").get(f"/fieldwork/controlled/{proc.pk}/").content.decode()
    assert "Только контрольная выборка" in page
    client_for("centre").post(f"/fieldwork/controlled/{proc.pk}/set/", {"school": world.school_a1.pk,
                                                                         "control": "independent"})
    assert region_figures(proc)["uncontrolled"]["participants"] == 0


def test_a_coordinator_sends_an_observer_to_its_own_schools_only(world, client_for):
    proc = factories.procedure()
    factories.school_results(proc, world.school_a1, [[1, 1, 1, 1, 1]])
    factories.school_results(proc, world.school_b1, [[1, 1, 1, 1, 1]])
    client = client_for("coordinator")
    data = {"procedure": proc.pk, "full_name": "Сотрудник МОУО", "kind": "mouo", "stage": "check",
            "date": "2025-04-22", "user": world.user("coordinator").pk}
    assert client.post("/fieldwork/observers/new/", {**data, "school": world.school_b1.pk}).status_code == 200
    assert not ObserverAssignment.objects.exists()
    assert client.post("/fieldwork/observers/new/", {**data, "school": world.school_a1.pk}).status_code == 302
    assert ObserverAssignment.objects.get().user == world.user("coordinator")
