"""Kits change between years: a codifier belongs to its year, a file whose header maxima differ from the codifier
says so and offers its own specification, and a codifier of another kit is a file error, not silent bias."""
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError
import pytest

from assessments.catalog.services import codifier_import
from assessments.models import ParticipantResult, QuarantinedRow, ResultBatch
from assessments.services import ImportRejected, results_import

from .catalog.factories import CODIFIER_HEADER
from .factories import export_2020_rows, export_rows, procedure_with_tasks, xlsx_bytes

LIMIT = 10 * 1024 * 1024
# The electronic protocol's columns as ФИС ОКО gives them (sheet «Протокол»), before the task columns.
PROTOCOL_HEAD = ["Пользователь", "Код региона", "Регион", "Муниципалитет", "Школа", "Дата загрузки", "Код", "Вариант"]
PROTOCOL_TAIL = ["Наименование класса", "Пол", "Отметка за предыдущий триместр/ четверть/полугодие", "Итого баллов"]


def protocol_2022(school, pupils, *, tasks=(("1", 1), ("2", 1), ("3", 2), ("4", 3), ("5", 1))) -> bytes:
    """A 2022 protocol of a changed kit: five tasks worth 8 points, where 2021's codifier had four worth 6."""
    rows = [PROTOCOL_HEAD + [f"{label} ({m}б)" for label, m in tasks] + PROTOCOL_TAIL]
    for code, scores in pupils:
        rows.append([school, "99", "reg990000 | Тестовая область", "reg99_m001 | Альфинский район",
                     f"{school} | Школа", "20.04.2022 10:00:00", code, "1", *map(str, scores), "4а", "м", "4",
                     str(sum(scores))])
    return xlsx_bytes(rows, title="Протокол")


def codifier(maxima) -> bytes:
    return xlsx_bytes([CODIFIER_HEADER] + [[str(i), i, "Умение", "Блок", "Б", "1", "1.1", m]
                                           for i, m in enumerate(maxima, start=1)])


@pytest.mark.django_db
def test_a_header_that_differs_from_the_codifier_says_so_and_offers_its_own_spec(world):
    procedure = procedure_with_tasks("VPR-2022-MA-4", year=2022)  # 2021's kit: 4 tasks, 1+1+2+2
    data = protocol_2022(world.school_a1.code, [("1001", [1, 0, 2, 3, 1]), ("1002", [0, 1, 1, 2, 0])])
    with pytest.raises(ImportRejected) as refused:
        results_import(actor=None, procedure=procedure, filename="vpr2022_ma4.xlsx", data=data)
    assert refused.value.header_spec_offered and refused.value.summary()["header_spec_offered"]
    text = refused.value.report_text()
    assert "В файле 5 столбцов с баллами за задания, а в спецификации процедуры 4 заданий" in text
    assert ("Задания в заголовке файла (5 на 8 б.) не совпадают со спецификацией по кодификатору процедуры "
            "VPR-2022-MA-4 (2022 г.): 4 на 6 б.") in text
    assert "«Взять спецификацию из заголовка файла»" in text and not ResultBatch.objects.exists()

    report = results_import(actor=None, procedure=procedure, filename="vpr2022_ma4.xlsx", data=data,
                            use_header_spec=True)
    assert report.stored == 2
    assert list(procedure.tasks.values_list("label", "max_score")) == [("1", 1), ("2", 1), ("3", 2), ("4", 3), ("5", 1)]
    procedure.refresh_from_db()
    assert procedure.max_score == 8
    assert report.warning_messages[0].startswith("Спецификация процедуры VPR-2022-MA-4 заменена заданиями из заголовка")
    assert ParticipantResult.objects.get(participant_code="1001").primary_score == 7


@pytest.mark.django_db
def test_the_header_spec_never_replaces_a_spec_results_were_loaded_with(world):
    procedure = procedure_with_tasks("VPR-2022-MA-4", year=2022)
    first = export_rows(world.school_b1.code, [("1", ["1", "1", "2", "2"], "4", "м", "а")])
    results_import(actor=None, procedure=procedure, filename="export.xlsx", data=xlsx_bytes(first))
    data = protocol_2022(world.school_a1.code, [("1001", [1, 0, 2, 3, 1])])
    with pytest.raises(ImportRejected, match="уже загружены результаты по спецификации кодификатора"):
        results_import(actor=None, procedure=procedure, filename="p.xlsx", data=data, use_header_spec=True)
    assert procedure.tasks.count() == 4


@pytest.mark.django_db
def test_the_command_offers_and_takes_the_header_spec(world, tmp_path):
    procedure = procedure_with_tasks("VPR-2022-MA-4", year=2022)
    path = tmp_path / "p.xlsx"
    path.write_bytes(protocol_2022(world.school_a1.code, [("1001", [1, 0, 2, 3, 1])]))
    with pytest.raises(CommandError, match="--header-spec"):
        call_command("import_results", str(path), "--procedure", procedure.code)
    call_command("import_results", str(path), "--procedure", procedure.code, "--header-spec")
    assert procedure.tasks.count() == 5


@pytest.mark.django_db
def test_a_codifier_belongs_to_its_year(world, tmp_path):
    procedure = procedure_with_tasks("VPR-2020-MA-4", year=2020, maxima=())
    with pytest.raises(ValidationError) as refused:
        codifier_import(actor=None, procedure=procedure, filename="codifier_vpr2021_ma4.xlsx",
                        data=codifier([1, 1, 2, 2]), limit_bytes=LIMIT)
    assert ("Кодификатор «codifier_vpr2021_ma4.xlsx» относится к 2021 году, а процедура VPR-2020-MA-4 — к 2020"
            in refused.value.messages[0])
    assert not procedure.tasks.exists()
    codifier_import(actor=None, procedure=procedure, filename="codifier_vpr2020_ma4.xlsx", data=codifier([2, 1, 1]),
                    limit_bytes=LIMIT)
    assert list(procedure.tasks.values_list("max_score", flat=True)) == [2, 1, 1]
    path = tmp_path / "codifier_vpr2021_ma4.xlsx"
    path.write_bytes(codifier([1, 1, 2, 2]))
    with pytest.raises(CommandError, match="--any-year"):
        call_command("import_codifier", str(path), "--procedure", procedure.code)
    call_command("import_codifier", str(path), "--procedure", procedure.code, "--any-year")
    assert procedure.tasks.count() == 4


@pytest.mark.django_db
def test_each_year_loads_with_its_own_kit(world):
    """2020 (3 tasks, 2+1+1), 2021 (4 tasks, 1+1+2+2) and 2022 (5 tasks from the protocol header) side by side."""
    school = world.school_a1.code
    y2020 = procedure_with_tasks("VPR-2020-MA-4", year=2020, maxima=(2, 1, 1))
    y2021 = procedure_with_tasks("VPR-2021-MA-4", year=2021)
    y2022 = procedure_with_tasks("VPR-2022-MA-4", year=2022, maxima=())
    results_import(actor=None, procedure=y2020, filename="vpr2020.xlsx",
                   data=xlsx_bytes(export_2020_rows(school, [("1", [2, 1, 0], "5", "4а")], tasks=3)))
    results_import(actor=None, procedure=y2021, filename="vpr2021.xlsx",
                   data=xlsx_bytes(export_rows(school, [("1", ["1", "1", "2", "1"], "5", "м", "4а")])))
    results_import(actor=None, procedure=y2022, filename="vpr2022.xlsx",
                   data=protocol_2022(school, [("1", [1, 1, 2, 3, 1])]))
    scores = dict(ParticipantResult.objects.values_list("procedure__year", "primary_score"))
    assert scores == {2020: 3, 2021: 5, 2022: 8}
    assert [y.tasks.count() for y in (y2020, y2021, y2022)] == [3, 4, 5]


def pupils(count, above):
    """`count` pupils of a 4-task export; the first `above` score 2 on task 2, whose codifier maximum is 1."""
    return [(str(n), ["1", "2" if n <= above else "1", "2", "2"], "4", "м", "а") for n in range(1, count + 1)]


@pytest.mark.django_db
def test_a_codifier_of_another_kit_refuses_the_file_naming_the_column_and_the_codifier(world):
    procedure = procedure_with_tasks("VPR-2021-MA-4")
    data = xlsx_bytes(export_rows(world.school_a1.code, pupils(40, above=21)))
    with pytest.raises(ImportRejected) as refused:
        results_import(actor=None, procedure=procedure, filename="export.xlsx", data=data)
    assert refused.value.errors == [
        "Столбец «балл за 2»: балл выше максимума задания № 2 (1 б. по кодификатору процедуры VPR-2021-MA-4 "
        "(2021 г.)) у 52,5 % участников (21 из 40). Столько ошибок — признак кодификатора другого комплекта (другого "
        "года), а не опечаток: файл не загружен, иначе все показатели считались бы только по остальным участникам. "
        "Проверьте, что кодификатор процедуры того же года, что и файл, и загрузите файл снова."]
    assert not ResultBatch.objects.exists() and not QuarantinedRow.objects.exists()


@pytest.mark.django_db
def test_a_few_typos_above_the_maximum_are_quarantined_as_before(world):
    procedure = procedure_with_tasks("VPR-2021-MA-4")
    data = xlsx_bytes(export_rows(world.school_a1.code, pupils(40, above=2)))
    report = results_import(actor=None, procedure=procedure, filename="export.xlsx", data=data)
    assert (report.stored, report.quarantined) == (38, 2)


@pytest.mark.django_db
def test_the_codifier_form_refuses_another_year_unless_ticked(world, client_for):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    procedure = procedure_with_tasks("VPR-2020-MA-4", year=2020, maxima=())
    client = client_for("centre")
    url = reverse("catalog:codifier_upload", args=[procedure.code])

    def upload(**extra):
        data = {"file": SimpleUploadedFile("codifier_vpr2021_ma4.xlsx", codifier([1, 1, 2, 2])), **extra}
        return client.post(url, data, follow=True).content.decode()

    page = upload()
    assert "относится к 2021 году, а процедура VPR-2020-MA-4 — к 2020" in page and not procedure.tasks.exists()
    assert "Кодификатор другого года подходит" in page
    upload(any_year="on")
    assert procedure.tasks.count() == 4
