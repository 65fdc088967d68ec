"""Writes to the registry and to memberships. Every change leaves an audit entry."""
from dataclasses import asdict, dataclass, field
from pathlib import Path
import re

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from rsoko.audit.models import AuditAction
from rsoko.audit.services import audit_record, snapshot
from rsoko.tables import TableFileError, read_table_file

from .access import forget_scope
from .choices import ROLE_ORG_KINDS, OrgKind, Role
from .models import Membership, Municipality, Organization, Region
from .registry_import import RegistryFile, municipality_key, parse_registry, region_number


class RegistryImportError(Exception):
    """The file was refused; `errors` lists every problem, each naming its row and column."""

    def __init__(self, errors: list[str]):
        super().__init__("; ".join(errors[:3]))
        self.errors = errors


LAYOUT_NAMES = {"template": "таблица реестра портала", "fisoko": "протокол ФИС ОКО",
                "fisoko_context": "форма ФИС ОКО «Сбор контекстных данных об ОО»", "logins": "список логинов ФИС ОКО"}


@dataclass
class RegistryImportReport:
    layout: str
    region: str = ""
    municipalities_created: list[str] = field(default_factory=list)
    municipalities_updated: list[str] = field(default_factory=list)
    municipalities_matched: list[str] = field(default_factory=list)  # found by name under another code
    organizations_created: list[str] = field(default_factory=list)
    organizations_updated: list[str] = field(default_factory=list)
    unchanged: int = 0
    rows_skipped: list[str] = field(default_factory=list)  # each names sheet, row and column
    warnings: list[str] = field(default_factory=list)

    def as_dict(self) -> dict:
        return asdict(self)

    def summary(self) -> str:
        text = (
            f"Муниципалитетов: создано {len(self.municipalities_created)}, обновлено {len(self.municipalities_updated)}; "
            f"организаций: создано {len(self.organizations_created)}, обновлено {len(self.organizations_updated)}; "
            f"без изменений: {self.unchanged}."
        )
        if self.rows_skipped:
            text += (f" Строк с ошибками — {len(self.rows_skipped)}: они не загружены, остальные загружены "
                     "(исправьте их и загрузите файл ещё раз).")
        return text


def save_with_audit(instance, *, actor, source: str, before: dict | None) -> None:
    instance.full_clean()
    instance.save()
    action = AuditAction.CREATE if before is None else AuditAction.UPDATE
    audit_record(actor=actor, action=action, instance=instance, before=before, source=source)


def organization_save(*, actor, organization: Organization, source: str = "веб") -> Organization:
    """Creates or updates an organization, recording what changed."""
    before = None
    if organization.pk:
        before = snapshot(Organization.objects.get(pk=organization.pk))
    with transaction.atomic():
        save_with_audit(organization, actor=actor, source=source, before=before)
    return organization


def membership_add(*, actor, user, organization: Organization, role: str, source: str = "веб") -> Membership:
    allowed = ROLE_ORG_KINDS[Role(role)]
    if organization.kind not in allowed:
        raise ValidationError(
            f"Роль «{Role(role).label}» не может быть назначена в организации вида "
            f"«{OrgKind(organization.kind).label}»."
        )
    with transaction.atomic():
        membership, created = Membership.objects.get_or_create(user=user, organization=organization, role=role)
        if created:
            audit_record(actor=actor, action=AuditAction.CREATE, instance=membership, before=None, source=source)
    forget_scope(user)
    return membership


def membership_remove(*, actor, membership: Membership, source: str = "веб") -> None:
    with transaction.atomic():
        before = snapshot(membership)
        audit_record(actor=actor, action=AuditAction.DELETE, instance=membership, before=before, source=source)
        membership.delete()
    forget_scope(membership.user)


def user_create(*, actor, username: str, password: str, full_name: str = "", email: str = "", source: str = "веб"):
    """A portal account; roles come from memberships, never from Django's staff flags."""
    User = get_user_model()
    first, _, last = full_name.partition(" ")
    user = User(username=username, email=email, first_name=first[:150], last_name=last[:150])
    user.set_password(password)
    with transaction.atomic():
        user.full_clean()
        user.save()
        audit_record(actor=actor, action=AuditAction.CREATE, instance=user, before=None, source=source)
    return user


def api_token_issue(*, actor, user, days: int | None = None) -> str:
    """Revokes the account's tokens and issues a new one; returns the key, which is stored only as a digest."""
    from datetime import timedelta

    from .models import ApiToken
    from .tokens import default_expiry, new_key, token_digest

    key = new_key()
    expires_at = timezone.now() + timedelta(days=days) if days else default_expiry()
    with transaction.atomic():
        api_token_revoke(actor=actor, user=user)
        token = ApiToken.objects.create(user=user, digest=token_digest(key), prefix=key[:8], created_by=actor,
                                        expires_at=expires_at)
        audit_record(actor=actor, action=AuditAction.CREATE, instance=token, before=None, source="выпуск токена API")
    return key


def api_token_revoke(*, actor, user) -> int:
    """Revokes every token of the account at once; returns how many were in force."""
    from .models import ApiToken

    with transaction.atomic():
        tokens = list(ApiToken.objects.filter(user=user).active().select_for_update())
        for token in tokens:
            before = snapshot(token)
            token.revoked_at = timezone.now()
            token.save(update_fields=["revoked_at"])
            audit_record(actor=actor, action=AuditAction.UPDATE, instance=token, before=before, source="отзыв токена API")
    return len(tokens)


def region_for_import(parsed: RegistryFile) -> Region:
    region = Region.objects.order_by("id").first()
    if region:
        return region
    code, name = parsed.region or ("00", settings.REGION_NAME)
    return Region.objects.create(code=code, name=name or settings.REGION_NAME)


def file_region(parsed: RegistryFile) -> tuple[str, str] | None:
    """The region the file belongs to: its region column, else the region number in ФИС ОКО municipality codes."""
    if parsed.region and region_number(parsed.region[0]):
        return region_number(parsed.region[0]), parsed.region[1]
    numbers = {region_number(code) for code, record in parsed.municipalities.items() if record.has_code} - {""}
    return (numbers.pop(), "") if len(numbers) == 1 else None


def region_mismatch(parsed: RegistryFile) -> str | None:
    """A Russian message when the file is another region's than the one the portal keeps."""
    region = Region.objects.order_by("id").first()
    theirs = file_region(parsed)
    if region is None or theirs is None or region.code == "00" or region_number(region.code) in ("", theirs[0]):
        return None
    named = f" «{theirs[1]}»" if theirs[1] else ""
    return (f"Файл относится к другому региону: в нём код региона {theirs[0]}{named}, а портал ведёт регион "
            f"{region.code} «{region.name}». Ничего не записано. Если файл нужен здесь намеренно, загрузите его ещё раз "
            "с подтверждением «файл другого региона» (в команде — параметр --other-region).")


def municipalities_by_name(region: Region) -> dict[str, Municipality]:
    return {municipality_key(m.name): m for m in Municipality.objects.filter(region=region).order_by("id")}


GENERATED_CODE = re.compile(r"^reg\w*_n\d{3,}$")


def is_generated_code(code: str) -> bool:
    return bool(GENERATED_CODE.match(code))


def new_municipality_code(region: Region, taken: set[str]) -> str:
    """A code for a municipality known only by name (a login list): reg<NN>_n001, _n002…"""
    prefix = f"reg{region_number(region.code) or region.code}_n"
    numbers = [int(code[len(prefix):]) for code in taken if code.startswith(prefix) and code[len(prefix):].isdigit()]
    return f"{prefix}{max(numbers, default=0) + 1:03d}"


def apply_municipalities(parsed: RegistryFile, region: Region, actor, source, report) -> dict[str, Municipality]:
    """Each file municipality → a portal one: by code, else by normalised name (no duplicates), else created."""
    existing = {m.code: m for m in Municipality.objects.filter(code__in=parsed.municipalities)}
    by_name = municipalities_by_name(region)
    taken = set(Municipality.objects.values_list("code", flat=True))
    resolved = {}
    for code, record in parsed.municipalities.items():
        municipality = existing.get(code) or by_name.get(municipality_key(record.name))
        before = snapshot(municipality) if municipality else None
        if municipality is None:
            new_code = code if record.has_code else new_municipality_code(region, taken)
            municipality = Municipality(region=region, code=new_code, name=record.name, kind=record.kind)
            taken.add(new_code)
            report.municipalities_created.append(new_code)
        elif municipality.code != code and record.has_code and is_generated_code(municipality.code):
            municipality.code = code  # known by name until now: it takes ФИС ОКО's code
            report.municipalities_updated.append(code)
        elif municipality.code != code and record.has_code:
            report.municipalities_matched.append(f"{code} → {municipality.code} «{municipality.name}»")
            resolved[code] = municipality
            continue
        elif record.name != municipality.name and record.name != code and record.has_code:
            municipality.name = record.name
            report.municipalities_updated.append(code)
        else:
            report.unchanged += 1
            resolved[code] = municipality
            continue
        save_with_audit(municipality, actor=actor, source=source, before=before)
        by_name[municipality_key(municipality.name)] = resolved[code] = municipality
    return resolved


def apply_organizations(parsed: RegistryFile, municipalities, actor, source, report) -> None:
    """Row by row, each in its own savepoint: a record the database refuses is reported and the rest go on."""
    existing = {o.code: o for o in Organization.objects.filter(code__in=parsed.organizations)}
    existing |= Organization.objects.by_school_codes(set(parsed.organizations) - set(existing))
    for code, record in parsed.organizations.items():
        organization = existing.get(code)
        problem = missing_for_new(record) if organization is None else None
        if problem:
            report.rows_skipped.append(problem)
            continue
        before = snapshot(organization) if organization else None
        organization = organization or Organization(code=code, kind=record.kind)
        if record.short_name:
            organization.short_name = record.short_name
        if record.municipality_code:
            organization.municipality = municipalities[record.municipality_code]
        for name, value in record.values.items():
            setattr(organization, name, value)
        if before is not None and snapshot(organization) == before:
            report.unchanged += 1
            continue
        try:
            with transaction.atomic():
                save_with_audit(organization, actor=actor, source=source, before=before)
        except ValidationError as exc:
            where = record.where or f"Код «{code}»"
            report.rows_skipped.append(f"{where}: запись не прошла проверку — {'; '.join(exc.messages)}")
            continue
        (report.organizations_created if before is None else report.organizations_updated).append(code)


def missing_for_new(record) -> str | None:
    where = record.where or f"Код «{record.code}»"
    if not record.short_name:
        return f"{where}: школы «{record.code}» нет в реестре, а её наименование в строке не указано — не создана."
    if record.kind in {OrgKind.SCHOOL, OrgKind.MUNICIPAL_OFFICE} and not record.municipality_code:
        return f"{where}: школы «{record.code}» нет в реестре, а муниципалитет в строке не указан — не создана."
    return None


def registry_import(*, actor, parsed: RegistryFile, source: str, other_region: bool = False) -> RegistryImportReport:
    """Applies a parsed registry file in one transaction; rows with problems are reported and left out.

    The file is refused as a whole only when it cannot be read, belongs to another region (unless confirmed)
    or has no good row at all."""
    if parsed.file_errors:
        raise RegistryImportError(parsed.file_errors)
    if parsed.errors and not parsed.organizations:
        raise RegistryImportError(parsed.errors)
    mismatch = None if other_region else region_mismatch(parsed)
    if mismatch:
        raise RegistryImportError([mismatch])
    report = RegistryImportReport(layout=LAYOUT_NAMES.get(parsed.layout, parsed.layout), rows_skipped=list(parsed.errors),
                                  warnings=list(parsed.warnings))
    try:
        with transaction.atomic():
            region = region_for_import(parsed)
            report.region = region.name
            municipalities = apply_municipalities(parsed, region, actor, source, report)
            apply_organizations(parsed, municipalities, actor, source, report)
    except ValidationError as exc:
        raise RegistryImportError([f"Запись не прошла проверку: {message}" for message in exc.messages]) from None
    return report


def registry_import_file(*, actor, name: str, data: bytes, source: str, other_region: bool = False) -> RegistryImportReport:
    try:
        sheets = read_table_file(name, data, limit_bytes=settings.UPLOAD_MAX_MB * 1024 * 1024)
    except TableFileError as exc:
        raise RegistryImportError([str(exc)]) from None
    return registry_import(actor=actor, parsed=parse_registry(sheets), source=source, other_region=other_region)


def registry_import_job(job, progress) -> dict:
    """Job handler: the registry file uploaded through the web page."""
    from rsoko.jobs.services import JobError

    progress("Чтение файла", 10)
    with job.input_file.open("rb") as stream:
        data = stream.read()
    progress("Проверка и запись", 40)
    try:
        report = registry_import_file(
            actor=job.created_by, name=Path(job.params.get("filename", job.input_file.name)).name, data=data,
            source="загрузка реестра", other_region=bool(job.params.get("other_region")),
        )
    except RegistryImportError as exc:
        raise JobError("\n".join(exc.errors[:200])) from None
    return report.as_dict() | {"summary": report.summary()}
