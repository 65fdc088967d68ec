"""A region loaded the way a ministry would load it from the real ФИС ОКО files in ../shared/data: the registry
from the protocol, procedures, codifiers, the protocol and the regional export imported as results (with their
recomputation), and one person per role. Used by the layout sweep; absent files → None."""
import os
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# Next to the repository, as everywhere in the tests; RSOKO_SHARED_DATA points elsewhere (a worktree, a CI cache).
DATA = Path(os.environ.get("RSOKO_SHARED_DATA") or ROOT.parent / "shared" / "data")
PROTOCOL = DATA / "fisoko_protocol_vpr2022_bio11.xlsx"
EXPORT = DATA / "fisoko_export_vpr2021_geo10.xlsx"
CODIFIERS = {"VPR-2021-GEO-10": DATA / "codifier_vpr2021_geo10.xlsx", "VPR-2021-MA-4": DATA / "codifier_vpr2021_ma4.xlsx"}
FILES = [PROTOCOL, EXPORT, *CODIFIERS.values()]
PASSWORD = "correct-horse-battery-staple"


def real_files_present() -> bool:
    return all(path.exists() for path in FILES)


def procedure(code: str, subject: str, grade: int, year: int):
    from assessments.catalog.services import procedure_create
    from assessments.models import ProcedureKind, Subject

    return procedure_create(actor=None, kind=ProcedureKind.objects.get(slug="VPR"), year=year,
                            subject=Subject.objects.get(code=subject), grade=grade, code=code, source="тест")


def export_schools() -> None:
    """The export's schools the protocol's registry lacks, in municipalities by the export's names."""
    from python_calamine import CalamineWorkbook

    from rsoko.orgs.choices import OrgKind
    from rsoko.orgs.models import Municipality, Organization, Region

    region = Region.objects.first()
    rows = CalamineWorkbook.from_path(str(EXPORT)).get_sheet_by_name("Sheet").to_python()[1:]
    known = Organization.objects.schools().by_school_codes({str(row[0]).strip().lower() for row in rows})
    for login, municipality_name, *_ in rows:
        login = str(login).strip()
        if login.lower() in known or Organization.objects.filter(code__iexact=login).exists():
            continue
        municipality = Municipality.objects.filter(name=municipality_name).first() or Municipality.objects.create(
            region=region, name=municipality_name, code=f"reg{region.code}_x{Municipality.objects.count():03d}")
        Organization.objects.create(kind=OrgKind.SCHOOL, code=login, short_name=f"ОО {login}", full_name=f"ОО {login}",
                                    municipality=municipality)


def people():
    """The four personas: the ministry, the coordinator and the head of the school with the most pupils, an expert."""
    from django.db.models import Count

    from assessments.models import ParticipantResult
    from rsoko.orgs.choices import OrgKind, Role
    from rsoko.orgs.models import Organization
    from tests.factories import OrganizationFactory, user_with_role

    biggest = (ParticipantResult.objects.values("school").annotate(n=Count("id")).order_by("-n", "school"))[0]["school"]
    school = Organization.objects.get(pk=biggest)
    office = Organization.objects.filter(kind=OrgKind.MUNICIPAL_OFFICE, municipality=school.municipality).first() or \
        OrganizationFactory(kind=OrgKind.MUNICIPAL_OFFICE, municipality=school.municipality, code="MOUO-REAL",
                            short_name=f"МОУО: {school.municipality.name}")
    ministry = OrganizationFactory(kind=OrgKind.MINISTRY, code="MIN", short_name="Министерство")
    institute = OrganizationFactory(kind=OrgKind.INSTITUTE, code="IRO", short_name="ИРО")
    users = {"ministry": user_with_role("ministry", Role.MINISTRY_STAFF, ministry),
             "coordinator": user_with_role("coordinator", Role.MUNICIPAL_COORDINATOR, office),
             "school_head": user_with_role("school_head", Role.SCHOOL_HEAD, school),
             "expert": user_with_role("expert", Role.EXPERT, institute)}
    for user in users.values():
        user.set_password(PASSWORD)
        user.save()
    return users


def load_real_region() -> dict:
    """Runs every step through the portal's own services (as the pages and commands do)."""
    from django.conf import settings

    from assessments.catalog.services import codifier_import
    from assessments.services import results_import
    from rsoko.orgs.services import registry_import_file

    registry_import_file(actor=None, name=PROTOCOL.name, data=PROTOCOL.read_bytes(), source="тест")
    export_schools()
    procedures = {"VPR-2022-BI-11": procedure("VPR-2022-BI-11", "BI", 11, 2022),
                  "VPR-2021-GEO-10": procedure("VPR-2021-GEO-10", "GEO", 10, 2021),
                  "VPR-2021-MA-4": procedure("VPR-2021-MA-4", "MA", 4, 2021)}
    for code, path in CODIFIERS.items():
        codifier_import(actor=None, procedure=procedures[code], filename=path.name, data=path.read_bytes(),
                        limit_bytes=settings.UPLOAD_MAX_MB * 1024 * 1024, source="тест")
    for code, path in (("VPR-2022-BI-11", PROTOCOL), ("VPR-2021-GEO-10", EXPORT)):
        results_import(actor=None, procedure=procedures[code], filename=path.name, data=path.read_bytes())
    return people()
