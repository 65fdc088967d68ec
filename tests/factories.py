"""factory_boy factories for the registry; each app's tests add theirs beside their own tests."""
import factory
from django.contrib.auth import get_user_model

from rsoko.orgs.choices import OrgKind, Role, SettlementType
from rsoko.orgs.models import Membership, Municipality, Organization, Region


class RegionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Region
        django_get_or_create = ["code"]

    code = "99"
    name = "Тестовая область"


class MunicipalityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Municipality

    region = factory.SubFactory(RegionFactory)
    code = factory.Sequence(lambda n: f"reg99_m{n:03d}")
    name = factory.Sequence(lambda n: f"Тестовый муниципальный район № {n}")


class OrganizationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organization

    kind = OrgKind.PUBLIC_BODY
    code = factory.Sequence(lambda n: f"ORG-{n}")
    short_name = factory.Sequence(lambda n: f"Организация {n}")


class SchoolFactory(OrganizationFactory):
    kind = OrgKind.SCHOOL
    code = factory.Sequence(lambda n: f"sch99{n:04d}")
    short_name = factory.Sequence(lambda n: f"МБОУ СОШ № {n}")
    municipality = factory.SubFactory(MunicipalityFactory)
    settlement_type = SettlementType.CITY
    level_noo = level_ooo = level_soo = True


class MunicipalOfficeFactory(OrganizationFactory):
    kind = OrgKind.MUNICIPAL_OFFICE
    code = factory.Sequence(lambda n: f"MOUO-{n}")
    short_name = factory.LazyAttribute(lambda o: f"Управление образования: {o.municipality.name}")
    municipality = factory.SubFactory(MunicipalityFactory)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ["username"]
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = "Тест"
    password = factory.PostGenerationMethodCall("set_password", "correct-horse-battery-staple")

    @factory.post_generation
    def save_password(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    organization = factory.SubFactory(OrganizationFactory)
    role = Role.EXPERT


def user_with_role(username: str, role: str, organization: Organization):
    user = UserFactory(username=username)
    MembershipFactory(user=user, organization=organization, role=role)
    return user
