"""A whole ФИС ОКО archive in one go: every layout since 2020, codifiers per year, registry forms, one recomputation."""
import io
import json
import zipfile

from django.core.management import call_command
from django.core.management.base import CommandError
import pytest

from assessments.archive import archive_import
from assessments.importing.archive import ArchiveError, ArchiveFile, Identity, archive_files, identity_from_text
from assessments.models import ParticipantResult, Procedure, QuarantinedRow, ResultBatch, ResultVersion
from assessments.stats.models import StatisticRow
from rsoko.jobs.models import Job

from tests.orgs.test_registry_fisoko_forms import context_file, context_row

from .factories import export_2020_rows, export_rows, xlsx_bytes, zip_bytes
from .test_importing_pure import PROTOCOL_HEAD

CODIFIER_HEAD = ["№ КИМ", "№", "Умения, виды деятельности", "Уровень сложности", "Код КЭС", "Код КТ",
                 "Максимальный балл за выполнение задания"]


def codifier(maxima) -> bytes:
    return xlsx_bytes([CODIFIER_HEAD] + [[str(i), str(i), f"Умение {i}", "Б", "1.1", "2.1", str(m)]
                                         for i, m in enumerate(maxima, start=1)])


def protocol_2022(school_code: str) -> bytes:
    """A 2022 electronic protocol (biology 11): its «Классы» sheet names the textbook «bio11.5 | …»."""
    school = [school_code, "99", "reg990000 | Тестовая область", "reg99_m010 | Ельцовский муниципальный район",
              f"{school_code} | МКОУ Мартыновская СОШ", "04.03.2022 09:28:45"]
    classes = [["Пользователь", "Школа", "Основной учебник по предмету"],
               [school_code, f"{school_code} | МКОУ Мартыновская СОШ", "bio11.5 | 1.3.5.6.5.2 | Пасечник В.В."]]
    rows = [PROTOCOL_HEAD] + [school + [str(1000 + n), "1", "1", "0", "2", "А", "м", "4", "3"] for n in range(1, 6)]
    buffer = io.BytesIO()
    from openpyxl import Workbook
    workbook = Workbook()
    workbook.active.title = "Классы"
    for row in classes:
        workbook.active.append(row)
    sheet = workbook.create_sheet("Протокол")
    for row in rows:
        sheet.append(row)
    workbook.save(buffer)
    return buffer.getvalue()


def region_archive(world) -> dict[str, bytes]:
    """Three years of one region as ФИС ОКО gives them; the 2020 kit of math 4 has 5 tasks, the 2021 kit 4."""
    a1, a2 = world.school_a1.code, world.school_a2.code
    municipality = f"{world.mun_a.code} | {world.mun_a.name}"
    return {
        # the registry form: a boarding school «ksh…» new to the registry, and one bad row reported, not fatal
        "Сбор контекстных данных об ОО.xlsx": context_file(
            context_row("ksh990301", "КГБОУ Школа-интернат № 1", municipality=municipality, region="99"),
            context_row("школа 5", "Без логина", municipality=municipality, region="99")),
        "2020/vpr2020_ma4.xlsx": xlsx_bytes(export_2020_rows(a1, [
            ("1", [1, 1, 2, 2, 1], "5", "4а"), ("2", [1, 0, 0, 1, 0], "3", "4а"), ("3", None, "", "4б"),
            ("4", [1, 1, 3, 2, 1], "4", "4а"),  # 3 on a 2-point task: this row goes to quarantine
        ], tasks=5), title="Sheet1"),
        "2020/codifier_vpr2020_ma4.xlsx": codifier([1, 1, 2, 2, 1]),
        "2021/Кодификатор ВПР 2021 Математика 4 класс.xlsx": codifier([1, 1, 2, 2]),
        "2021/fisoko_export_vpr2021_ma4.xlsx": xlsx_bytes(export_rows(a2, [
            ("21", ["1", "1", "2", "2"], "5", "ж", "4А"), ("22", ["0", "1", "1", "0"], "3", "м", "4А"),
        ]) + export_rows("ksh990301", [("41", ["1", "0", "2", "1"], "4", "м", "4А")])[1:], title="Sheet"),
        "2021/fisoko_export_vpr2021_rus5.xlsx": xlsx_bytes(export_rows(a2, [("31", ["1", "0", "1", "0"], "4", "м", "5А")])),
        "2022/fisoko_protocol_vpr2022_bio11.xlsx": protocol_2022("edu224100"),
        "readme.xlsx": xlsx_bytes([["Содержание архива"], ["три года ВПР"]]),
    }


def as_files(files: dict[str, bytes]) -> list[ArchiveFile]:
    return archive_files(zip_bytes(files), limit_bytes=10 ** 9)


@pytest.mark.parametrize("name, expected", [
    ("fisoko_export_vpr2021_geo10.xlsx", Identity("VPR", 2021, "GEO", 10)),
    ("vpr2020_ma4.xlsx", Identity("VPR", 2020, "MA", 4)),
    ("ВПР 2022 Русский язык 5 класс.xlsx", Identity("VPR", 2022, "RU", 5)),
    ("2021/Обществознание_7кл.csv", Identity(None, 2021, "OBSH", 7)),
    ("codifier_vpr2021_ma4.xlsx", Identity("VPR", 2021, "MA", 4)),
    ("ВПР-2020 окр 4.xlsx", Identity("VPR", 2020, "OKR", 4)),
])
def test_file_names_say_kind_year_subject_and_grade(name, expected):
    assert identity_from_text(name) == expected


class Cp866Name(zipfile.ZipInfo):
    """A member named as Windows archivers write it: cp866 bytes, no UTF-8 flag."""

    def _encodeFilenameFlags(self):
        return self.filename.encode("cp866"), self.flag_bits & ~0x800


def test_a_zip_with_cp866_names_lists_its_tables_only():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(Cp866Name("ВПР 2021 Математика 4.xlsx"), b"data")
        archive.writestr("__MACOSX/._x.xlsx", b"junk")
        archive.writestr("notes.txt", b"text")
    files = archive_files(buffer.getvalue(), limit_bytes=10 ** 6)
    assert [f.name for f in files] == ["ВПР 2021 Математика 4.xlsx"]
    with pytest.raises(ArchiveError, match="zip"):
        archive_files(b"not a zip", limit_bytes=10 ** 6)
    with pytest.raises(ArchiveError, match="больше допустимых"):
        archive_files(buffer.getvalue(), limit_bytes=1)


@pytest.mark.django_db
def test_a_region_archive_loads_every_layout_and_year_with_one_recomputation(world):
    report = archive_import(actor=None, files=as_files(region_archive(world)))
    outcome = {f.name: f for f in report.files}
    assert {name: (f.role, f.status) for name, f in outcome.items()} == {
        "Сбор контекстных данных об ОО.xlsx": ("registry", "quarantined"),
        "2020/vpr2020_ma4.xlsx": ("results", "quarantined"),
        "2020/codifier_vpr2020_ma4.xlsx": ("codifier", "loaded"),
        "2021/Кодификатор ВПР 2021 Математика 4 класс.xlsx": ("codifier", "loaded"),
        "2021/fisoko_export_vpr2021_ma4.xlsx": ("results", "loaded"),
        "2021/fisoko_export_vpr2021_rus5.xlsx": ("results", "refused"),
        "2022/fisoko_protocol_vpr2022_bio11.xlsx": ("results", "loaded"),
        "readme.xlsx": ("", "refused"),
    }
    assert "кодификатор" in outcome["2021/fisoko_export_vpr2021_rus5.xlsx"].message
    assert "не распознан" in outcome["readme.xlsx"].message
    assert "«школа 5» — не логин ФИС ОКО" in outcome["Сбор контекстных данных об ОО.xlsx"].message
    # the boarding school came from the context form and its pupil from the 2021 export
    assert ParticipantResult.objects.get(school__code="ksh990301").participant_code == "41"
    # the kit changed between years: each year's procedure has its own codifier
    kits = {p.code: list(p.tasks.order_by("position").values_list("max_score", flat=True))
            for p in Procedure.objects.filter(subject__code="MA")}
    assert kits == {"VPR-2020-MA-4": [1, 1, 2, 2, 1], "VPR-2021-MA-4": [1, 1, 2, 2]}
    assert sorted(report.procedures_created) == ["VPR-2020-MA-4", "VPR-2021-MA-4", "VPR-2022-BI-11"]
    assert not Procedure.objects.filter(subject__code="RU").exists()  # the refused file left no procedure behind
    assert (outcome["2020/vpr2020_ma4.xlsx"].stored, outcome["2020/vpr2020_ma4.xlsx"].quarantined) == (3, 1)
    # the protocol's school was added to the registry before its results were checked
    assert ParticipantResult.objects.filter(procedure__code="VPR-2022-BI-11", school__code="edu224100").count() == 5
    # one recomputation, at the end, of the procedures whose results changed; no job per file
    assert report.recomputed["procedures"] == 3 and report.recomputed["years"] == [2020, 2021, 2022]
    assert not Job.objects.filter(kind="analytics_recompute").exists()
    assert StatisticRow.objects.filter(procedure__code="VPR-2021-MA-4").exists()


@pytest.mark.django_db
def test_loading_the_same_archive_again_changes_nothing_and_recomputes_nothing(world):
    files = as_files(region_archive(world))
    archive_import(actor=None, files=files)
    counts = (ResultBatch.objects.count(), ResultVersion.objects.count(), QuarantinedRow.objects.count(),
              ParticipantResult.objects.count(), Procedure.objects.count())
    statistics = set(StatisticRow.objects.values_list("id", flat=True))
    again = archive_import(actor=None, files=files)
    assert {f.name: f.status for f in again.files if f.role} == {
        f.name: "refused" if "rus5" in f.name else ("quarantined" if "контекст" in f.name else "unchanged")
        for f in again.files if f.role}  # the registry form's bad row is reported again, nothing else changes
    assert again.recomputed == {} and "Пересчёт не понадобился" in again.summary()
    assert counts == (ResultBatch.objects.count(), ResultVersion.objects.count(), QuarantinedRow.objects.count(),
                      ParticipantResult.objects.count(), Procedure.objects.count())
    assert set(StatisticRow.objects.values_list("id", flat=True)) == statistics


@pytest.mark.django_db
def test_a_changed_file_reloads_only_its_procedure(world):
    files = region_archive(world)
    archive_import(actor=None, files=as_files(files))
    files["2021/fisoko_export_vpr2021_ma4.xlsx"] = xlsx_bytes(export_rows(world.school_a2.code, [
        ("21", ["1", "1", "2", "2"], "5", "ж", "4А"), ("22", ["1", "1", "1", "0"], "4", "м", "4А"),
    ]) + export_rows("ksh990301", [("41", ["1", "0", "2", "1"], "4", "м", "4А")])[1:], title="Sheet")
    report = archive_import(actor=None, files=as_files(files))
    changed = [f.name for f in report.files if f.status == "loaded"]
    assert changed == ["2021/fisoko_export_vpr2021_ma4.xlsx"]
    assert report.recomputed["procedures"] == 1 and report.recomputed["years"] == [2021, 2022]
    version = ResultVersion.objects.get(procedure__code="VPR-2021-MA-4", school=world.school_a2, is_active=True)
    assert (version.number, version.changes["changed_codes"]) == (2, ["22"])


@pytest.mark.django_db
def test_the_command_loads_a_folder_and_prints_the_report(world, tmp_path, capsys):
    for name, data in region_archive(world).items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_bytes(data)
    call_command("import_archive", str(tmp_path), "--json", "--report", str(tmp_path / "report.xlsx"))
    printed = json.loads(capsys.readouterr().out)
    assert printed["counts"] == {"loaded": 4, "quarantined": 2, "refused": 2, "unchanged": 0}
    assert (tmp_path / "report.xlsx").read_bytes().startswith(b"PK")
    with pytest.raises(CommandError, match="Не найден"):
        call_command("import_archive", str(tmp_path / "missing.zip"))


@pytest.mark.django_db
def test_progress_is_reported_per_file_and_for_the_recomputation(world):
    stages = []
    archive_import(actor=None, files=as_files(region_archive(world)), progress=lambda s, p: stages.append((s, p)))
    assert any(s.startswith("Файл 1 из 7: «Сбор контекстных данных об ОО.xlsx» (реестр)") for s, _ in stages)
    assert any(s.startswith("Пересчёт аналитики") for s, _ in stages)
    percents = [p for _, p in stages]
    assert percents == sorted(percents) and percents[-1] == 100


@pytest.mark.django_db
def test_the_web_upload_is_one_job_whose_page_shows_and_exports_the_report(world, client_for,
                                                                           django_capture_on_commit_callbacks):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = client_for("ministry")
    upload = SimpleUploadedFile("ВПР 2020-2022.zip", zip_bytes(region_archive(world)))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/results/archive/", {"archive": upload})
    job = Job.objects.get(kind="archive_import")
    assert response.status_code == 302 and response.url == f"/jobs/{job.pk}/"
    job.refresh_from_db()
    assert job.status == "done" and job.result["counts"]["refused"] == 2
    assert not Job.objects.filter(kind="analytics_recompute").exists()  # recomputed inside the job, once
    page = client.get(f"/jobs/{job.pk}/").content.decode()
    assert "fisoko_protocol_vpr2022_bio11.xlsx" in page and "отклонён" in page and "нет спецификации" in page
    exported = client.get(f"/jobs/{job.pk}/?export=xlsx")
    assert exported.status_code == 200 and exported["Content-Type"].startswith("application/vnd.openxmlformats")
    assert client.get(f"/jobs/{job.pk}/?export=csv").getvalue().decode("utf-8-sig").count("\n") >= 8
    assert client.get(f"/jobs/{job.pk}/?export=xml").status_code == 200  # an unknown format is the page itself
    assert client.get(f"/jobs/{job.pk}/?export=%00").status_code == 400  # a NUL is refused before any view


@pytest.mark.django_db
def test_a_centre_operator_loads_results_but_not_registry_forms(world, client_for):
    from rsoko.orgs.models import Organization

    files = region_archive(world)
    files["реестр ОО.xlsx"] = xlsx_bytes([["Код", "Краткое наименование", "Муниципалитет", "Код муниципалитета"],
                                          ["sch990777", "Новая школа", world.mun_a.name, world.mun_a.code]])
    report = archive_import(actor=world.user("centre"), files=as_files(files))
    outcome = {f.name: f for f in report.files}
    assert outcome["реестр ОО.xlsx"].status == "refused" and "нет права изменять реестр" in outcome["реестр ОО.xlsx"].message
    assert not Organization.objects.filter(code__in=["sch990777", "edu224100", "ksh990301"]).exists()
    export = outcome["2021/fisoko_export_vpr2021_ma4.xlsx"]  # the boarding school is not in the registry
    assert (export.status, export.stored, export.quarantined) == ("quarantined", 2, 1)


@pytest.mark.django_db
def test_a_file_that_is_not_a_zip_is_refused_by_the_form(world, client_for):
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = client_for("ministry").post("/results/archive/", {"archive": SimpleUploadedFile("r.xlsx", b"PK..")})
    assert response.status_code == 200 and "Загрузите zip-архив" in response.content.decode()
    assert not Job.objects.filter(kind="archive_import").exists()


def test_the_head_of_a_workbook_is_read_without_parsing_the_whole_sheet_and_equals_calamine():
    from rsoko.tables import read_table_file

    rows = [["логин школы", "Код", "A&B <c>", "=1+1"], ["sch990001", 1001, 2.5, "строка\r\nвторая"], ["", "", "", ""],
            ["ksh990301", None, 3, "ИТОГО"]] + [[f"sch{n}", n, n / 2, "x"] for n in range(60)]
    data = xlsx_bytes(rows, title="Протокол & итоги")
    head = read_table_file("r.xlsx", data, limit_bytes=10 ** 7, head_rows=10)
    whole = read_table_file("r.xlsx", data, limit_bytes=10 ** 7)
    assert [(s.name, s.rows) for s in head] == [(s.name, s.rows[:10]) for s in whole]


@pytest.mark.django_db
def test_a_new_attempt_of_the_job_skips_stored_files_but_still_recomputes(world):
    from django.core.files.base import ContentFile

    from assessments.archive import archive_import_job

    job = Job.objects.create(kind="archive_import", title="архив", handler="assessments.archive.archive_import_job",
                             attempts=1)
    job.input_file.save("a.zip", ContentFile(zip_bytes(region_archive(world))))
    first = archive_import_job(job, lambda stage, percent: None)
    assert first["recomputed"]["procedures"] == 3
    StatisticRow.objects.all().delete()  # as if the worker was lost before the recomputation committed
    job.attempts = 2
    second = archive_import_job(job, lambda stage, percent: None)
    assert second["counts"]["unchanged"] == 5 and second["recomputed"]["procedures"] == 3
    assert StatisticRow.objects.filter(procedure__code="VPR-2021-MA-4").exists()


@pytest.mark.django_db
def test_uploads_while_a_recomputation_waits_join_it_and_a_running_one_gets_a_successor(world):
    from assessments.services import results_import
    from assessments.stats.services import recompute_job

    from .factories import procedure_with_tasks

    first, second = procedure_with_tasks("VPR-2021-MA-4"), procedure_with_tasks("VPR-2021-RU-4", subject="RU")
    for procedure, code in ((first, "1"), (second, "2")):  # the jobs stay queued: no on_commit runs them here
        results_import(actor=None, procedure=procedure, filename="r.xlsx", data=xlsx_bytes(export_rows(
            world.school_a1.code, [(code, ["1", "0", "2", "1"], "4", "м", "4А")])))
    waiting = Job.objects.get(kind="analytics_recompute")
    assert waiting.params["procedure_ids"] == sorted([first.pk, second.pk]) and waiting.title.endswith("…")
    waiting.status, waiting.attempts = "running", 1
    waiting.save()
    summary = recompute_job(waiting, lambda stage, percent: None)
    assert summary["procedures"] == 2 and StatisticRow.objects.filter(procedure=second).exists()
    results_import(actor=None, procedure=first, filename="r2.xlsx", data=xlsx_bytes(export_rows(
        world.school_a2.code, [("7", ["1", "1", "2", "1"], "5", "ж", "4Б")])))
    assert Job.objects.filter(kind="analytics_recompute").count() == 2  # the running job is not changed under it


def test_cells_name_the_procedure_from_a_title_line_and_the_protocol_but_not_from_a_pupils_textbook():
    from assessments.importing.archive import identity_from_cells

    titled = [["ВПР 2021. Математика, 4 класс"], [], ["логин школы", "код обучающегося", "балл за 1"]]
    assert identity_from_cells(titled) == Identity("VPR", 2021, "MA", 4)
    export = [["логин школы", "вариант", "балл за 1", "Учебник"],
              ["sch220206", "1", "1", "Гладкий Ю.Н. География (базовый уровень) 10 - 11 класс Просвещение"]]
    assert identity_from_cells(export) == Identity()
    protocol = [["Пользователь", "Дата загрузки", "Основной учебник по предмету"],
                ["edu223185", "04.03.2022 09:28:45", "bio11.5 | 1.3.5.6.5.2 | Пасечник В.В."]]
    assert identity_from_cells(protocol) == Identity(None, 2022, "BI", 11)
