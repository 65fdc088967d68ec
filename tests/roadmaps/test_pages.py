"""The pages: import with a preview then confirm, the document table, timeline, rounds, aliases."""
from django.core.files.uploadedfile import SimpleUploadedFile
import pytest

from roadmaps.models import ExecutorAlias, Roadmap, Submission

from .factories import REGIONAL_TSV, roadmap_world


@pytest.fixture
def rm(world):
    return roadmap_world(world)


def test_import_shows_a_preview_and_writes_nothing_until_confirmed(world, client_for):
    client = client_for("ministry")
    response = client.post("/roadmaps/import/", {
        "file": SimpleUploadedFile("plan.txt", REGIONAL_TSV.encode()), "level": "region", "owner": "", "title": "",
    })
    assert response.status_code == 200
    page = response.content.decode()
    assert page.count('<span class="badge rm-unparsed">не распознан</span>') == 1  # «когда-нибудь»
    assert "РЦОКО → РЦОКО" in page and "15.10.2025" in page
    assert not Roadmap.objects.exists()
    response = client.post("/roadmaps/import/confirm/")
    roadmap = Roadmap.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/roadmaps/{roadmap.pk}/"
    assert roadmap.items.count() == 6 and roadmap.created_by == world.user("ministry")
    assert client.post("/roadmaps/import/confirm/").status_code == 302  # nothing stored any more
    assert Roadmap.objects.count() == 1


def test_an_unreadable_file_is_refused_on_the_form(world, client_for):
    response = client_for("ministry").post("/roadmaps/import/", {
        "file": SimpleUploadedFile("plan.txt", "нет таблицы".encode()), "level": "region",
    })
    assert "не найдена таблица" in response.content.decode()
    assert not Roadmap.objects.exists()


def test_a_wrong_owner_for_the_level_is_refused(world, client_for):
    response = client_for("ministry").post("/roadmaps/import/", {
        "file": SimpleUploadedFile("plan.txt", REGIONAL_TSV.encode()), "level": "school", "owner": world.mouo_a.pk,
    })
    assert "не подходит для уровня" in response.content.decode()


def test_the_document_page_is_laid_out_like_the_source(rm, client_for):
    page = client_for("ministry").get(f"/roadmaps/{rm.regional.pk}/").content.decode()
    for text in ["Мероприятие", "Срок", "Ответственные исполнители", "Ожидаемый результат", "Аналитическая справка",
                 "до 15 октября 2025 года", "срок не распознан", "И.И. Иванов"]:
        assert text in page


def test_a_coordinator_sees_only_the_items_assigned_to_the_municipality(rm, client_for):
    page = client_for("coordinator").get(f"/roadmaps/{rm.regional.pk}/").content.decode()
    assert "Совещание с руководителями МОУО" in page
    assert "Статистический анализ результатов ВПР" not in page


def test_the_timeline_draws_dated_items_and_lists_the_rest(rm, client_for):
    page = client_for("ministry").get(f"/roadmaps/{rm.regional.pk}/timeline/").content.decode()
    assert page.count('class="rm-bar ') == 3  # 1.1, 1.2 and 1.3 have dates; 2.1 is unparsed
    assert "Пункты без даты (1)" in page


def test_a_status_posted_on_the_page_is_saved_with_evidence(rm, client_for):
    client = client_for("coordinator")
    response = client.post(f"/roadmaps/assignments/{rm.assignment_a.pk}/", {
        "status": "done", "comment": "Протокол № 5", "link": "https://example.org/p5",
        "evidence": SimpleUploadedFile("protocol.pdf", b"%PDF-1.4 test"),
    })
    assert response.status_code == 302
    rm.assignment_a.refresh_from_db()
    assert rm.assignment_a.status == "done" and rm.assignment_a.evidence.name.endswith(".pdf")
    assert rm.assignment_a.history.get().evidence


def test_an_executable_file_is_refused_as_evidence(rm, client_for):
    response = client_for("coordinator").post(f"/roadmaps/assignments/{rm.assignment_a.pk}/", {
        "status": "done", "evidence": SimpleUploadedFile("run.exe", b"MZ"),
    })
    assert response.status_code == 200 and "Недопустимый тип файла" in response.content.decode()
    rm.assignment_a.refresh_from_db()
    assert rm.assignment_a.status == "not_started"


def test_a_municipal_office_submits_its_report_and_the_ministry_sees_it(rm, client_for, world):
    assert client_for("coordinator").post(f"/roadmaps/rounds/{rm.round.pk}/submit/", {"comment": "Готово"}).status_code == 302
    assert Submission.objects.get().organization == world.mouo_a
    page = client_for("ministry").get(f"/roadmaps/rounds/{rm.round.pk}/").content.decode()
    assert "1</span><span class=\"stat-label\">отчитались" in page.replace("\n", "").replace("  ", "")


def test_the_ministry_adds_an_alias_and_a_bad_one_is_refused(rm, client_for):
    client = client_for("ministry")
    response = client.post("/roadmaps/aliases/", {"phrase": "Неизвестный центр", "target": "organization"})
    assert "Укажите организацию" in response.content.decode()
    response = client.post("/roadmaps/aliases/", {"phrase": "Неизвестный центр", "target": "kind", "kind": "institute"})
    assert response.status_code == 302 and ExecutorAlias.objects.filter(phrase="Неизвестный центр").exists()
    assert "Все исполнители распознаны" not in client.get("/roadmaps/aliases/").content.decode()
    client.post(f"/roadmaps/{rm.regional.pk}/rematch/")
    page = client.get("/roadmaps/aliases/").content.decode()
    assert "Все исполнители распознаны" in page


def test_the_ministry_publishes_an_approved_roadmap_and_it_appears_on_the_public_site(rm, world, client_for, client):
    from rsoko.audit.models import AuditEntry

    regional = rm.regional
    client_for("ministry").post(f"/roadmaps/{regional.pk}/publish/", {"public": "1"})
    regional.refresh_from_db()
    assert regional.is_public
    assert AuditEntry.objects.filter(model="roadmaps.roadmap", action="update").exists()
    client.logout()
    assert regional.title[:20] in client.get("/public/roadmaps/").content.decode()
    client_for("ministry").post(f"/roadmaps/{regional.pk}/publish/", {"public": "0"})
    regional.refresh_from_db()
    assert not regional.is_public


def test_a_template_cannot_be_published(rm, world, client_for):
    template = rm.template
    response = client_for("ministry").post(f"/roadmaps/{template.pk}/publish/", {"public": "1"}, follow=True)
    template.refresh_from_db()
    assert not template.is_public and "только утверждённые" in response.content.decode()


def test_my_items_name_the_order_only_when_the_roadmap_has_one(rm, client_for):
    Roadmap.objects.filter(pk=rm.regional.pk).update(order_number="", order_date=None)
    Roadmap.objects.filter(pk=rm.municipal_a.pk).update(order_number="112")
    page = client_for("coordinator").get("/roadmaps/my/").content.decode()
    assert "Приказ № 112 ·" in page
    assert "— ·" not in page
