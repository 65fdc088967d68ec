"""Reads of the registry, already scoped to the user: one path for pages, API and exports."""
from django.db.models import Count, Q

from rsoko.exports import Column, Table

from .choices import OrgKind
from .models import Municipality, Organization


def organizations_for(user):
    return Organization.objects.visible_to(user).select_related("municipality")


def municipalities_for(user):
    return Municipality.objects.visible_to(user).annotate(
        school_count=Count("organizations", filter=Q(organizations__kind=OrgKind.SCHOOL, organizations__is_active=True))
    )


def registry_counts(user) -> dict:
    organizations = organizations_for(user)
    return {
        "municipalities": Municipality.objects.visible_to(user).count(),
        "schools": organizations.filter(kind=OrgKind.SCHOOL, is_active=True).count(),
        "rural_schools": organizations.filter(kind=OrgKind.SCHOOL, is_active=True, settlement_type="rural").count(),
        "organizations": organizations.count(),
    }


def organization_counts_by_kind(user) -> dict[str, int]:
    rows = organizations_for(user).filter(is_active=True).order_by().values("kind").annotate(n=Count("id"))
    return {row["kind"]: row["n"] for row in rows}


def organization_table(organizations, title: str = "Реестр субъектов РСОКО") -> Table:
    """The registry list as an exportable table (the page shows the same rows with links)."""
    columns = [
        Column("code", "Код", width=14), Column("short_name", "Краткое наименование", width=40),
        Column("full_name", "Полное наименование", width=60), Column("kind", "Вид", width=14),
        Column("municipality", "Муниципалитет", width=36), Column("settlement", "Тип поселения", width=18),
        Column("levels", "Уровни", width=16), Column("address", "Адрес", width=40), Column("website", "Сайт", width=30),
    ]
    rows = (
        {
            "code": o.code, "short_name": o.short_name, "full_name": o.full_name, "kind": o.kind_short,
            "municipality": o.municipality.name if o.municipality else "", "settlement": o.get_settlement_type_display(),
            "levels": o.levels_display, "address": o.address, "website": o.website,
        }
        for o in organizations.iterator(chunk_size=2000)
    )
    return Table(title, columns, rows, filename="reestr")


def municipality_table(municipalities) -> Table:
    columns = [Column("name", "Муниципалитет", width=40), Column("code", "Код", width=12),
               Column("kind", "Вид", width=24), Column("schools", "Школ", "int", 8)]
    rows = ({"name": m.name, "code": m.code, "kind": m.get_kind_display(), "schools": getattr(m, "school_count", None)}
            for m in municipalities)
    return Table("Муниципалитеты", columns, rows, filename="municipalitety")


def user_table(users) -> Table:
    """The users page (ministry only) as a table: logins, names and roles, never passwords or tokens."""
    columns = [Column("username", "Логин", width=20), Column("name", "Имя", width=32),
               Column("email", "Эл. почта", width=28),
               Column("active", "Активен", width=9), Column("roles", "Роли", width=70),
               Column("last_login", "Последний вход", "date", 18)]
    rows = ({"username": u.username, "name": u.get_full_name(), "email": u.email,
             "active": "да" if u.is_active else "нет",
             "roles": "; ".join(f"{m.get_role_display()} — {m.organization.short_name}" for m in u.memberships.all()),
             "last_login": u.last_login}
            for u in users)
    return Table("Пользователи и роли", columns, rows, filename="polzovateli")
