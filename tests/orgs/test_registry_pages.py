"""The ministry manages the registry and the accounts through the pages; everything is audited."""
from django.core.files.uploadedfile import SimpleUploadedFile

from rsoko.audit.models import AuditEntry
from rsoko.jobs.models import Job, JobStatus
from rsoko.orgs.models import Membership, Organization


def test_a_registry_upload_runs_as_a_job_and_reports_what_it_created(world, client_for, django_capture_on_commit_callbacks):
    csv = "Код;Вид;Краткое наименование;Код муниципалитета;Муниципалитет\nsch990900;ОО;Новая школа;reg99_m777;Новый район\n"
    client = client_for("ministry")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/registry/registry/upload/", {"file": SimpleUploadedFile("r.csv", csv.encode())})
    job = Job.objects.get()
    assert response.url == f"/jobs/{job.pk}/"
    assert job.status == JobStatus.DONE and job.percent == 100
    page = client.get(response.url).content.decode()
    assert "Создано организаций" in page and "sch990900" in page
    assert Organization.objects.filter(code="sch990900").exists()


def test_a_failed_registry_upload_shows_the_row_and_column_and_writes_nothing(world, client_for, django_capture_on_commit_callbacks):
    csv = "Код;Вид;Краткое наименование;Код муниципалитета\nsch990900;ОО;;reg99_m777\n"
    with django_capture_on_commit_callbacks(execute=True):
        client_for("ministry").post("/registry/registry/upload/", {"file": SimpleUploadedFile("r.csv", csv.encode())})
    job = Job.objects.get()
    assert job.status == JobStatus.FAILED
    assert "строка 2, столбец «Краткое наименование»" in job.error
    assert not Organization.objects.filter(code="sch990900").exists()


def test_editing_an_organization_records_before_and_after(world, client_for):
    client = client_for("ministry")
    data = {"kind": "school", "code": world.school_a1.code, "short_name": "Школа А1 имени Пушкина",
            "municipality": world.mun_a.pk, "settlement_type": "city", "is_active": "on"}
    response = client.post(f"/registry/organizations/{world.school_a1.code}/edit/", data)
    assert response.status_code == 302
    entry = AuditEntry.objects.get(model="orgs.organization", action="update")
    assert entry.before["short_name"] == "Школа А1" and entry.after["short_name"] == "Школа А1 имени Пушкина"
    assert entry.actor == world.user("ministry")
    assert client.get("/audit/").status_code == 200


def test_a_school_without_a_municipality_is_refused_with_a_field_message(world, client_for):
    data = {"kind": "school", "code": "sch990950", "short_name": "Без района", "is_active": "on"}
    response = client_for("ministry").post("/registry/organizations/new/", data)
    assert response.status_code == 200
    assert not Organization.objects.filter(code="sch990950").exists()
    assert "Для ОО и МОУО укажите муниципалитет." in response.content.decode()


def test_the_ministry_creates_an_account_with_a_role_and_the_change_is_audited(world, client_for):
    data = {"username": "new.head", "full_name": "Мария Иванова", "email": "", "password1": "Sufficiently-long-9",
            "password2": "Sufficiently-long-9", "organization": world.school_a2.pk, "role": "school_head"}
    response = client_for("ministry").post("/registry/users/new/", data)
    assert response.status_code == 302
    membership = Membership.objects.get(user__username="new.head")
    assert membership.organization == world.school_a2
    assert AuditEntry.objects.filter(model="orgs.membership", action="create").exists()


def test_weak_passwords_are_refused(world, client_for):
    data = {"username": "weak", "full_name": "", "email": "", "password1": "12345", "password2": "12345",
            "organization": world.school_a2.pk, "role": "school_head"}
    response = client_for("ministry").post("/registry/users/new/", data)
    assert response.status_code == 200
    assert response.context["form"].errors["password1"]


def test_a_role_is_refused_in_the_wrong_kind_of_organization(world, client_for):
    expert = world.user("expert")
    response = client_for("ministry").post(
        f"/registry/users/{expert.pk}/memberships/", {"organization": world.school_a1.pk, "role": "municipal_coordinator"},
        follow=True,
    )
    assert "не может быть назначена" in response.content.decode()
    assert not Membership.objects.filter(user=expert, role="municipal_coordinator").exists()


def test_removing_a_role_is_audited_with_what_was_removed(world, client_for):
    membership = world.user("expert").memberships.get()
    client_for("ministry").post(f"/registry/memberships/{membership.pk}/remove/")
    entry = AuditEntry.objects.get(model="orgs.membership", action="delete")
    assert entry.before["role"] == "expert" and entry.after is None


def test_an_api_token_is_shown_once_and_works(world, client_for, client):
    response = client_for("ministry").post(f"/registry/users/{world.user('api_client').pk}/token/", follow=True)
    key = next(m.message for m in response.context["messages"]).rsplit(" ", 1)[-1]
    client.logout()
    assert client.get("/api/v1/organizations/", HTTP_AUTHORIZATION=f"Token {key}").status_code == 200


def test_the_home_page_and_navigation_depend_on_the_role(world, client_for):
    ministry = client_for("ministry").get("/").content.decode()
    assert "Пользователи и роли" in ministry and "Журнал изменений" in ministry
    head = client_for("school_head").get("/").content.decode()
    assert "Моя организация" in head and "Школа А1" in head
    assert "Пользователи и роли" not in head and "Журнал изменений" not in head
    coordinator = client_for("coordinator").get("/").content.decode()
    assert "Мой муниципалитет" in coordinator and world.mun_a.name in coordinator


def test_an_organization_card_lists_the_functions_of_its_kind(world, client_for):
    page = client_for("school_head").get(f"/registry/organizations/{world.school_a1.code}/").content.decode()
    assert "внутренней системы оценки качества образования" in page


def test_the_kinds_page_lists_each_kind_with_its_functions_and_the_visible_count(world, client_for):
    response = client_for("coordinator").get("/registry/kinds/")
    kinds = {item["kind"].value: item for item in response.context["kinds"]}
    assert kinds["school"]["count"] == 2 and kinds["mouo"]["count"] == 1
    assert "экспертиза контрольных измерительных материалов на региональном уровне" in kinds["institute"]["functions"]
