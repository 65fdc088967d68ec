"""The actors of РСОКО: the region, its municipalities, organizations and people's memberships."""
import re

from django.conf import settings
from django.db import models
from django.db.models import Q

from .access import scope_for
from .choices import ORG_KIND_SHORT, MunicipalityKind, OrgKind, Role, SettlementType

FISOKO_CODE = re.compile(r"^(sch|edu)(\d{4,9})$", re.IGNORECASE)
# Any ФИС ОКО login: letters then digits (sch…, edu…, ksh… for boarding schools and other prefixes).
FISOKO_LOGIN = re.compile(r"^[a-z]{1,12}\d{1,12}$", re.IGNORECASE)


def fisoko_number(code: str) -> int | None:
    """sch220206 and edu223185 share one number space: the number identifies the school."""
    match = FISOKO_CODE.match((code or "").strip())
    return int(match.group(2)) if match else None


class Region(models.Model):
    """A subject of the Russian Federation; one installation serves one region."""

    code = models.CharField("код", max_length=16, unique=True)
    name = models.CharField("наименование", max_length=200)

    class Meta:
        verbose_name = "регион"
        verbose_name_plural = "регионы"

    def __str__(self):
        return self.name


class MunicipalityQuerySet(models.QuerySet):
    def visible_to(self, user):
        scope = scope_for(user)
        if scope.region_wide:
            return self
        return self.filter(id__in=scope.municipality_ids | scope.school_municipality_ids)


class Municipality(models.Model):
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="municipalities", verbose_name="регион")
    code = models.CharField("код", max_length=32, unique=True, help_text="Код ФИС ОКО, например reg22_m010")
    name = models.CharField("наименование", max_length=200)
    kind = models.CharField("вид", max_length=16, choices=MunicipalityKind.choices, default=MunicipalityKind.DISTRICT)

    objects = MunicipalityQuerySet.as_manager()

    class Meta:
        verbose_name = "муниципалитет"
        verbose_name_plural = "муниципалитеты"
        ordering = ["name"]

    def __str__(self):
        return self.name


class OrganizationQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Regional bodies are visible to everyone signed in; schools and МОУО by scope."""
        scope = scope_for(user)
        if scope.region_wide:
            return self
        if scope.is_empty:
            return self.none()
        return self.filter(
            Q(municipality__isnull=True)
            | Q(municipality_id__in=scope.municipality_ids)
            | Q(id__in=scope.school_ids | scope.organization_ids)
            | Q(kind=OrgKind.MUNICIPAL_OFFICE, municipality_id__in=scope.school_municipality_ids)
        )

    def schools(self):
        return self.filter(kind=OrgKind.SCHOOL)

    def by_school_codes(self, codes) -> dict[str, "Organization"]:
        """Schools for ФИС ОКО logins; sch220206 and edu220206 name the same school."""
        numbers = {code: fisoko_number(code) for code in codes}
        found = {o.fisoko_number: o for o in self.filter(fisoko_number__in=[n for n in numbers.values() if n])}
        return {code: found[number] for code, number in numbers.items() if number in found}


class Organization(models.Model):
    """Any actor of РСОКО: ministry, ИРО, РЦОКО, МОУО, a school or a public body."""

    kind = models.CharField("вид", max_length=16, choices=OrgKind.choices, db_index=True)
    code = models.CharField("код", max_length=32, unique=True, help_text="Для ОО — логин ФИС ОКО (sch…/edu…)")
    fisoko_number = models.PositiveIntegerField("номер ФИС ОКО", null=True, blank=True, unique=True, editable=False)
    short_name = models.CharField("краткое наименование", max_length=255)
    full_name = models.TextField("полное наименование", blank=True)
    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="organizations",
        verbose_name="муниципалитет",
    )
    settlement_type = models.CharField("тип поселения", max_length=8, choices=SettlementType.choices, blank=True)
    level_noo = models.BooleanField("НОО (1–4)", default=False)
    level_ooo = models.BooleanField("ООО (5–9)", default=False)
    level_soo = models.BooleanField("СОО (10–11)", default=False)
    address = models.CharField("адрес", max_length=300, blank=True)
    head_name = models.CharField("руководитель", max_length=200, blank=True)
    email = models.EmailField("эл. почта", blank=True)
    phone = models.CharField("телефон", max_length=64, blank=True)
    website = models.URLField("сайт", blank=True)
    is_active = models.BooleanField("действует", default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = OrganizationQuerySet.as_manager()

    class Meta:
        verbose_name = "организация"
        verbose_name_plural = "организации"
        ordering = ["short_name"]
        indexes = [models.Index(fields=["kind", "municipality"])]
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind__in=[OrgKind.SCHOOL, OrgKind.MUNICIPAL_OFFICE]) | Q(municipality__isnull=False),
                name="school_and_mouo_have_municipality",
                violation_error_message="Для ОО и МОУО укажите муниципалитет.",
            )
        ]

    def __str__(self):
        return self.short_name

    def derive_fisoko_number(self) -> None:
        self.fisoko_number = fisoko_number(self.code) if self.kind == OrgKind.SCHOOL else None

    def clean(self):
        self.derive_fisoko_number()  # before uniqueness is validated

    def save(self, *args, **kwargs):
        # The number is derived from the code, never typed: keep it in step on every save.
        self.derive_fisoko_number()
        super().save(*args, **kwargs)

    @property
    def kind_short(self) -> str:
        return ORG_KIND_SHORT[OrgKind(self.kind)]

    @property
    def is_school(self) -> bool:
        return self.kind == OrgKind.SCHOOL

    @property
    def levels_display(self) -> str:
        flags = [(self.level_noo, "НОО"), (self.level_ooo, "ООО"), (self.level_soo, "СОО")]
        return ", ".join(name for on, name in flags if on)


class MembershipQuerySet(models.QuerySet):
    def visible_to(self, user):
        scope = scope_for(user)
        if scope.can("users.manage"):
            return self
        return self.filter(user=user)


class Membership(models.Model):
    """A person's role in an organization; a user may hold several."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="memberships", verbose_name="организация"
    )
    role = models.CharField("роль", max_length=32, choices=Role.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        verbose_name = "членство"
        verbose_name_plural = "членства"
        constraints = [models.UniqueConstraint(fields=["user", "organization", "role"], name="unique_membership")]

    def __str__(self):
        return f"{self.user} — {self.get_role_display()} ({self.organization})"


class ApiTokenQuerySet(models.QuerySet):
    def active(self):
        from django.utils import timezone

        return self.filter(revoked_at__isnull=True, expires_at__gt=timezone.now())


class ApiToken(models.Model):
    """An API key of an account (rsoko.orgs.tokens). Only the key's SHA-256 digest is stored: the key is shown once,
    when the ministry issues it, and a copy of the database authenticates nobody. It expires and can be revoked."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    digest = models.CharField(max_length=64, unique=True)
    prefix = models.CharField("начало ключа", max_length=8)  # to tell tokens apart on the user's page
    created_at = models.DateTimeField("выпущен", auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+")
    expires_at = models.DateTimeField("действует до")
    revoked_at = models.DateTimeField("отозван", null=True, blank=True)
    last_used_at = models.DateTimeField("последнее обращение", null=True, blank=True)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        verbose_name = "токен API"
        verbose_name_plural = "токены API"

    def __str__(self):
        return f"{self.prefix}… ({self.user})"
