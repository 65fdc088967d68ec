"""A believable demo region: 20 municipalities, about 300 schools, the regional bodies and one user per role.

Everything is keyed by code, so building twice changes nothing.
"""
import random

from django.contrib.auth import get_user_model
from django.db import transaction

from .choices import MunicipalityKind, OrgKind, Role, SettlementType
from .models import Membership, Municipality, Organization, Region

REGION_CODE = "99"
MUNICIPALITIES = [
    ("Городской округ Северск-на-Волге", MunicipalityKind.URBAN_DISTRICT, 46),
    ("Городской округ Заречный", MunicipalityKind.URBAN_DISTRICT, 30),
    ("Городской округ Старый Оскол-Луговой", MunicipalityKind.URBAN_DISTRICT, 26),
    ("Берёзовский муниципальный район", MunicipalityKind.DISTRICT, 14),
    ("Ельниковский муниципальный район", MunicipalityKind.DISTRICT, 12),
    ("Каменский муниципальный район", MunicipalityKind.DISTRICT, 15),
    ("Красногорский муниципальный район", MunicipalityKind.DISTRICT, 13),
    ("Луговской муниципальный район", MunicipalityKind.DISTRICT, 10),
    ("Медведевский муниципальный район", MunicipalityKind.DISTRICT, 11),
    ("Никольский муниципальный район", MunicipalityKind.DISTRICT, 12),
    ("Озёрный муниципальный округ", MunicipalityKind.OKRUG, 14),
    ("Покровский муниципальный район", MunicipalityKind.DISTRICT, 9),
    ("Ракитянский муниципальный район", MunicipalityKind.DISTRICT, 11),
    ("Сосновский муниципальный округ", MunicipalityKind.OKRUG, 13),
    ("Троицкий муниципальный район", MunicipalityKind.DISTRICT, 12),
    ("Устьинский муниципальный район", MunicipalityKind.DISTRICT, 8),
    ("Хвойнинский муниципальный район", MunicipalityKind.DISTRICT, 10),
    ("Чернянский муниципальный округ", MunicipalityKind.OKRUG, 12),
    ("Шебекинский муниципальный район", MunicipalityKind.DISTRICT, 13),
    ("Яснополянский муниципальный район", MunicipalityKind.DISTRICT, 9),
]
VILLAGES = [
    "Александровка", "Берёзовка", "Васильевка", "Глинное", "Дубрава", "Ершово", "Жёлтое", "Знаменка", "Ивановка",
    "Калиновка", "Липовка", "Михайловка", "Никольское", "Ольховатка", "Петровка", "Раздолье", "Сергиевка",
    "Тишанка", "Успенка", "Фёдоровка", "Хлевное", "Цветное", "Черемисиново", "Шелаево", "Ясные Зори",
]
DEMO_PASSWORD_SUFFIX = "-demo-2026"
DEMO_USERS = [
    ("ministry", "Ирина Министерская", Role.MINISTRY_STAFF, "MIN"),
    ("methodologist", "Олег Методистов", Role.METHODOLOGIST, "IRO"),
    ("rcoko", "Анна Операторова", Role.CENTRE_OPERATOR, "RCOKO"),
    ("coordinator", "Павел Координаторов", Role.MUNICIPAL_COORDINATOR, "MOUO-01"),
    ("schoolhead", "Елена Директорова", Role.SCHOOL_HEAD, "FIRST_SCHOOL"),
    ("expert", "Сергей Экспертов", Role.EXPERT, "IRO"),
    ("apiclient", "Внешняя система мониторинга", Role.API_CLIENT, "MIN"),
]


def municipality_code(index: int) -> str:
    return f"reg{REGION_CODE}_m{index:03d}"


def school_code(municipality_index: int, number: int) -> str:
    return f"sch{REGION_CODE}{municipality_index:02d}{number:02d}"


def upsert_org(code: str, **fields) -> Organization:
    org, _ = Organization.objects.update_or_create(code=code, defaults=fields)
    return org


def build_regional_bodies() -> None:
    upsert_org("MIN", kind=OrgKind.MINISTRY, short_name="Министерство образования",
               full_name="Министерство образования Демонстрационной области")
    upsert_org("IRO", kind=OrgKind.INSTITUTE, short_name="ДемИРО",
               full_name="ГАОУ ДПО «Демонстрационный институт развития образования»")
    upsert_org("RCOKO", kind=OrgKind.ASSESSMENT_CENTRE, short_name="ДемРЦОКО",
               full_name="ГБУ «Демонстрационный региональный центр оценки качества образования»")
    upsert_org("PUBLIC-01", kind=OrgKind.PUBLIC_BODY, short_name="Родительский совет области",
               full_name="Региональная общественная организация «Родительский совет Демонстрационной области»")


def school_name(village: str, rng: random.Random, municipality: str, number: int, urban: bool) -> tuple[str, str, dict]:
    if urban:
        short = f"МБОУ СОШ № {number}"
        town = municipality.replace("Городской округ ", "")
        full = f"Муниципальное бюджетное общеобразовательное учреждение «Средняя общеобразовательная школа № {number}» г. {town}"
        return short, full, {"level_noo": True, "level_ooo": True, "level_soo": True}
    basic = rng.random() < 0.3
    kind_short, kind_full = ("ООШ", "Основная") if basic else ("СОШ", "Средняя")
    short = f"МКОУ {kind_short} с. {village}"
    full = f"Муниципальное казённое общеобразовательное учреждение «{kind_full} общеобразовательная школа с. {village}»"
    return short, full, {"level_noo": True, "level_ooo": True, "level_soo": not basic}


def build_municipalities(region: Region) -> None:
    rng = random.Random(20261122)
    for index, (name, kind, school_count) in enumerate(MUNICIPALITIES, start=1):
        municipality, _ = Municipality.objects.update_or_create(
            code=municipality_code(index), defaults={"region": region, "name": name, "kind": kind}
        )
        upsert_org(f"MOUO-{index:02d}", kind=OrgKind.MUNICIPAL_OFFICE, municipality=municipality,
                   short_name=f"Управление образования: {name}",
                   full_name=f"Управление образования администрации — {name}")
        urban = kind == MunicipalityKind.URBAN_DISTRICT
        villages = rng.sample(VILLAGES, len(VILLAGES))  # each village once per municipality
        for number in range(1, school_count + 1):
            is_urban_school = urban or number <= 2
            short, full, levels = school_name(villages[(number - 1) % len(villages)], rng, name, number, is_urban_school)
            upsert_org(
                school_code(index, number), kind=OrgKind.SCHOOL, municipality=municipality,
                short_name=short, full_name=full,
                settlement_type=SettlementType.CITY if is_urban_school else SettlementType.RURAL, **levels,
            )


def build_users(stdout) -> None:
    User = get_user_model()
    org_for = {"FIRST_SCHOOL": school_code(1, 1)}
    stdout.write("Демонстрационные пользователи (логин / пароль):")
    for username, full_name, role, org_key in DEMO_USERS:
        first, _, last = full_name.partition(" ")
        user, created = User.objects.get_or_create(username=username, defaults={"first_name": first, "last_name": last})
        password = f"{username}{DEMO_PASSWORD_SUFFIX}"
        if created:
            user.set_password(password)
            user.save()
        organization = Organization.objects.get(code=org_for.get(org_key, org_key))
        Membership.objects.get_or_create(user=user, organization=organization, role=role)
        stdout.write(f"  {Role(role).label:28} {username} / {password}  ({organization.short_name})")


@transaction.atomic
def build(stdout) -> None:
    region, _ = Region.objects.update_or_create(code=REGION_CODE, defaults={"name": "Демонстрационная область"})
    build_regional_bodies()
    build_municipalities(region)
    build_users(stdout)
    stdout.write(f"Реестр: {Municipality.objects.count()} муниципалитетов, "
                 f"{Organization.objects.filter(kind=OrgKind.SCHOOL).count()} школ.")
