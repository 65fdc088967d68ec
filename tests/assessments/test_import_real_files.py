"""The real ФИС ОКО samples (../shared/data) import completely; skipped cleanly when they are absent."""
from pathlib import Path

import pytest
from python_calamine import CalamineWorkbook

from assessments.choices import ParticipantStatus, ProcedureStatus
from assessments.models import ParticipantResult, Procedure, ProcedureKind, ResultVersion, Subject, Task
from assessments.services import results_import
from rsoko.orgs.models import Organization
from rsoko.orgs.services import registry_import_file
from tests.factories import MunicipalityFactory, SchoolFactory

DATA = Path(__file__).resolve().parents[2].parent / "shared" / "data"
PROTOCOL = DATA / "fisoko_protocol_vpr2022_bio11.xlsx"
EXPORT = DATA / "fisoko_export_vpr2021_geo10.xlsx"
CODIFIER = DATA / "codifier_vpr2021_geo10.xlsx"

pytestmark = pytest.mark.skipif(not PROTOCOL.exists() or not EXPORT.exists(), reason="no ../shared/data samples")


def new_procedure(code, subject, grade, year):
    return Procedure.objects.create(code=code, kind=ProcedureKind.objects.get(slug="VPR"), year=year,
                                    subject=Subject.objects.get(code=subject), grade=grade)


def tasks_from_codifier(procedure, path):
    """The codifier repeats a task per content element: one Task per «№» (position)."""
    rows = CalamineWorkbook.from_path(str(path)).get_sheet_by_name("Лист1").to_python()[1:]
    seen = {}
    for label, position, _skill, _block, level, _kes, _kt, max_score, *_ in rows:
        seen.setdefault(int(float(position)), (str(label), int(float(max_score)), str(level)))
    Task.objects.bulk_create([Task(procedure=procedure, position=p, label=l, max_score=m, level=lv)
                              for p, (l, m, lv) in sorted(seen.items())])


@pytest.mark.django_db
def test_protocol_imports_all_pupils_and_creates_the_task_specification(django_capture_on_commit_callbacks):
    data = PROTOCOL.read_bytes()
    registry_import_file(actor=None, name=PROTOCOL.name, data=data, source="тест")
    procedure = new_procedure("VPR-2022-BI-11", "BI", 11, 2022)
    with django_capture_on_commit_callbacks(execute=True):
        report = results_import(actor=None, procedure=procedure, filename=PROTOCOL.name, data=data)
    assert report.rows == 1884 and report.stored == 1884 and report.quarantined == 0
    assert report.absent == 169 == ParticipantResult.objects.filter(status=ParticipantStatus.ABSENT).count()
    assert report.schools == 164 == ResultVersion.objects.filter(procedure=procedure, is_active=True).count()
    assert list(procedure.tasks.values_list("label", "max_score")[:3]) == [("1(1)", 1), ("1(2)", 1), ("2(1)", 2)]
    assert procedure.tasks.count() == 22
    assert any("Итого баллов" in w for w in report.warning_messages)  # 745 stated totals differ from the sum
    first = ParticipantResult.objects.get(school__code="edu223185", participant_code="1001")
    assert first.primary_score == 21 and first.sex == "м" and first.journal_mark == 4 and first.class_name == ""
    with_x = ParticipantResult.objects.exclude(not_attempted=[]).first()
    assert with_x.not_attempted and all(with_x.task_scores[p - 1] == 0 for p in with_x.not_attempted)
    procedure.refresh_from_db()
    assert procedure.status == ProcedureStatus.LOADED


@pytest.mark.django_db
def test_regional_export_imports_with_the_codifier_maxima():
    data = EXPORT.read_bytes()
    rows = CalamineWorkbook.from_path(str(EXPORT)).get_sheet_by_name("Sheet").to_python()[1:]
    municipalities = {}
    for login, municipality, *_ in rows:
        if not Organization.objects.filter(code=login).exists():
            mun = municipalities.setdefault(municipality, MunicipalityFactory(name=municipality))
            SchoolFactory(code=login, municipality=mun)
    procedure = new_procedure("VPR-2021-GEO-10", "GEO", 10, 2021)
    tasks_from_codifier(procedure, CODIFIER)
    assert procedure.tasks.count() == 18
    report = results_import(actor=None, procedure=procedure, filename=EXPORT.name, data=data)
    assert (report.rows, report.stored, report.absent, report.quarantined, report.errors) == (1161, 1161, 122, 0, 0)
    assert report.mode == "quarantine"  # the default for the regional export
    pupil = ParticipantResult.objects.get(school__code="sch220206", participant_code="20001")
    assert pupil.primary_score == 14 and len(pupil.task_scores) == 18 and pupil.journal_mark == 5
    not_passed = ParticipantResult.objects.filter(not_attempted__isnull=False).exclude(not_attempted=[]).count()
    assert not_passed > 100
