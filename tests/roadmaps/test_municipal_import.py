"""A municipal office imports and runs its own roadmaps — within its municipality only."""
from django.core.files.uploadedfile import SimpleUploadedFile
import pytest

from roadmaps.models import Assignment, Roadmap
from roadmaps.services import RoadmapImportError, check_import_scope
from rsoko.orgs.choices import Role
from tests.factories import MembershipFactory, MunicipalityFactory, MunicipalOfficeFactory, UserFactory

PLAN = """ДОРОЖНАЯ КАРТА МОУО на 2025/2026 учебный год

№ п/п\tМероприятия\tСроки\tОтветственные исполнители
1.\tМПР по математике\t\t
1.1.\tПодготовка КИМ МПР\tОктябрь 2025 года\tУправление образования
1.2.\tОбмен опытом с соседями\tНоябрь 2025 года\tМОУО о.Бетинск
"""


def upload(client, **fields):
    data = {"file": SimpleUploadedFile("plan.txt", PLAN.encode("utf-8")), "level": "municipality", **fields}
    return client.post("/roadmaps/import/", data)


def test_a_coordinator_imports_the_municipal_roadmap_of_their_office(world, client_for):
    client = client_for("coordinator")
    page = client.get("/roadmaps/import/").content.decode()
    assert world.mouo_b.short_name not in page and "Региональная" not in page.split('name="level"')[1][:400]
    assert upload(client, owner=world.mouo_a.pk).status_code == 200
    assert client.post("/roadmaps/import/confirm/").status_code == 302
    roadmap = Roadmap.objects.get(owner=world.mouo_a)
    assert roadmap.level == "municipality"
    # «МОУО о.Бетинск» names another municipality's office: kept as written, not assigned
    assert not Assignment.objects.filter(item__roadmap=roadmap).exclude(organization=world.mouo_a).exists()
    assert roadmap in Roadmap.objects.visible_to(world.user("coordinator"))


@pytest.mark.parametrize("fields", [{"owner": "mouo_b"}, {"owner": "mouo_a", "level": "region"}, {"owner": ""}])
def test_a_coordinator_cannot_import_for_another_municipality_or_the_region(world, client_for, fields):
    values = {k: (getattr(world, v).pk if k == "owner" and v else v) for k, v in fields.items()}
    response = upload(client_for("coordinator"), **values)
    assert response.status_code == 200 and not Roadmap.objects.exists()
    assert client_for("coordinator").post("/roadmaps/import/confirm/").status_code == 302
    assert not Roadmap.objects.exists()


def test_the_service_refuses_what_the_form_would_not_offer(world):
    with pytest.raises(RoadmapImportError, match="своего муниципалитета"):
        check_import_scope(world.user("coordinator"), "municipality", world.mouo_b)
    with pytest.raises(RoadmapImportError):
        check_import_scope(world.user("coordinator"), "region", world.mouo_a)
    check_import_scope(world.user("ministry"), "region", world.ministry_org)


def test_two_offices_and_no_membership(world, client):
    other = MunicipalOfficeFactory(municipality=MunicipalityFactory(region=world.region, name="Третий район"))
    both = UserFactory(username="two_offices")
    MembershipFactory(user=both, organization=world.mouo_a, role=Role.MUNICIPAL_COORDINATOR)
    MembershipFactory(user=both, organization=other, role=Role.MUNICIPAL_COORDINATOR)
    check_import_scope(both, "municipality", other)
    check_import_scope(both, "school", world.school_a1)
    nobody = UserFactory(username="nobody")
    client.force_login(nobody, backend="django.contrib.auth.backends.ModelBackend")
    assert client.get("/roadmaps/import/").status_code == 403


def test_bad_parameters_on_the_import_page(world, client_for):
    client = client_for("coordinator")
    for query in ("?level=%00", "?owner=%FF%FE", "?title=" + "x" * 5000):
        assert client.get("/roadmaps/import/" + query).status_code == (400 if "%00" in query else 200)  # a NUL is refused with 400 before any view (rsoko.errors)
    response = upload(client, owner=world.mouo_a.pk, title="Т" * 1001)
    assert response.status_code == 200 and "не более 1000" in response.content.decode()


def test_a_coordinator_makes_the_support_roadmap_of_its_own_school_only(world, client_for):
    from roadmaps.models import Roadmap
    from tests.roadmaps.factories import roadmap_world

    template = roadmap_world(world).template
    client = client_for("coordinator_api")  # its API membership reaches the region: the copy stays municipal
    offered = client.get(f"/roadmaps/{template.pk}/").context["copy_form"].fields["school"].queryset
    assert set(offered.values_list("municipality", flat=True)) == {world.mun_a.pk}
    client.post(f"/roadmaps/{template.pk}/copy/", {"school": world.school_b1.pk})
    assert not Roadmap.objects.filter(created_from=template, owner=world.school_b1).exists()
    assert client.post(f"/roadmaps/{template.pk}/copy/", {"school": world.school_a2.pk}).status_code == 302
    assert Roadmap.objects.get(created_from=template, owner=world.school_a2).created_by == world.user("coordinator_api")
    assert client_for("school_head").get(f"/roadmaps/{template.pk}/").status_code == 404  # templates: not a school's
    assert client_for("coordinator").get(f"/roadmaps/{template.pk}/").context["copy_form"] is not None
