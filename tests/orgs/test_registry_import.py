"""Importing the registry: the portal's table, ФИС ОКО protocols, idempotency, row/column errors."""
from pathlib import Path
import io
import json

from django.core.management import call_command
from django.core.management.base import CommandError
import openpyxl
import pytest

from rsoko.audit.models import AuditEntry
from rsoko.orgs.models import Municipality, Organization
from rsoko.orgs.services import RegistryImportError, registry_import_file

SHARED_PROTOCOL = Path(__file__).resolve().parents[2].parent / "shared/data/fisoko_protocol_vpr2022_bio11.xlsx"


def xlsx(rows, sheet="Протокол") -> bytes:
    book = openpyxl.Workbook()
    book.active.title = sheet
    for row in rows:
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


PROTOCOL_HEADER = ["Пользователь", "Код региона", "Регион", "Муниципалитет", "Школа", "Код"]


def protocol_rows():
    return [
        PROTOCOL_HEADER,
        ["edu223185", 22, "reg220000 | Алтайский край", "reg22_m010 | Ельцовский муниципальный район",
         "edu223185 | МКОУ Мартыновская СОШ", 1001],
        ["edu223185", 22, "reg220000 | Алтайский край", "reg22_m010 | Ельцовский муниципальный район",
         "edu223185 | МКОУ Мартыновская СОШ", 1002],
        ["sch220206", 22, "reg220000 | Алтайский край", "reg22_m016 | Каменский муниципальный район",
         "sch220206 | МБОУ «Гимназия № 1»", 1003],
    ]


def test_a_protocol_creates_its_municipalities_and_schools(db):
    report = registry_import_file(actor=None, name="p.xlsx", data=xlsx(protocol_rows()), source="тест")
    assert sorted(report.municipalities_created) == ["reg22_m010", "reg22_m016"]
    assert sorted(report.organizations_created) == ["edu223185", "sch220206"]
    school = Organization.objects.get(code="edu223185")
    assert school.municipality.name == "Ельцовский муниципальный район"
    assert school.fisoko_number == 223185


def test_a_second_import_changes_nothing_and_says_so(db):
    data = xlsx(protocol_rows())
    registry_import_file(actor=None, name="p.xlsx", data=data, source="тест")
    entries = AuditEntry.objects.count()
    again = registry_import_file(actor=None, name="p.xlsx", data=data, source="тест")
    assert again.organizations_created == again.organizations_updated == []
    assert again.municipalities_created == []
    assert again.unchanged == 4
    assert AuditEntry.objects.count() == entries


def test_sch_and_edu_prefixes_with_the_same_number_are_one_school(db):
    registry_import_file(actor=None, name="p.xlsx", data=xlsx(protocol_rows()), source="тест")
    rows = [PROTOCOL_HEADER, ["", 22, "", "reg22_m016 | Каменский муниципальный район", "edu220206 | Гимназия № 1 (новое)", 1]]
    report = registry_import_file(actor=None, name="p.xlsx", data=xlsx(rows), source="тест")
    assert report.organizations_updated == ["edu220206"]
    assert Organization.objects.filter(fisoko_number=220206).count() == 1
    assert Organization.objects.get(fisoko_number=220206).short_name == "Гимназия № 1 (новое)"


def test_a_bad_row_is_reported_by_sheet_row_and_column_and_the_good_rows_load(db):
    rows = protocol_rows() + [["x", 22, "", "без разделителя", "edu1 | школа", 1]]
    report = registry_import_file(actor=None, name="p.xlsx", data=xlsx(rows), source="тест")
    assert report.rows_skipped == [
        "Лист «Протокол», строка 5, столбец «Муниципалитет»: ожидается «код | наименование», получено «без разделителя»."
    ]
    assert sorted(report.organizations_created) == ["edu223185", "sch220206"]
    assert "Строк с ошибками — 1: они не загружены, остальные загружены" in report.summary()


def test_a_file_of_bad_rows_only_is_refused_and_nothing_is_written(db):
    rows = [PROTOCOL_HEADER, ["x", 22, "", "без разделителя", "edu1 | школа", 1]]
    with pytest.raises(RegistryImportError) as error:
        registry_import_file(actor=None, name="p.xlsx", data=xlsx(rows), source="тест")
    assert "строка 2, столбец «Муниципалитет»" in error.value.errors[0]
    assert not Organization.objects.exists() and not Municipality.objects.exists()


TEMPLATE_HEADER = "Код;Вид;Краткое наименование;Код муниципалитета;Муниципалитет;Тип поселения;Уровни\n"


def test_the_registry_template_in_cp1251_csv_creates_schools_with_their_attributes(db):
    text = TEMPLATE_HEADER + "sch990500;ОО;Школа с. Липовка;reg99_m001;Липовский район;сельская местность;НОО, ООО\n"
    registry_import_file(actor=None, name="r.csv", data=text.encode("cp1251"), source="тест")
    school = Organization.objects.get(code="sch990500")
    assert (school.settlement_type, school.level_noo, school.level_ooo, school.level_soo) == ("rural", True, True, False)


@pytest.mark.parametrize(
    "line, message",
    [
        ("sch990500;Лицей;Л;reg99_m001;Р;;", "строка 2, столбец «Вид»: неизвестный вид организации «Лицей»"),
        ("xyz;ОО;Школа;reg99_m001;Р;;", "строка 2, столбец «Код»: «xyz» — код ОО должен иметь вид"),
        ("sch990500;ОО;;reg99_m001;Р;;", "строка 2, столбец «Краткое наименование»: не заполнено"),
        ("sch990500;ОО;Школа;;;;", "строка 2, столбец «Код муниципалитета»: обязателен для ОО и МОУО"),
        ("sch990500;ОО;Школа;reg99_m001;Р;деревня;", "строка 2, столбец «Тип поселения»: «деревня»"),
    ],
)
def test_template_errors_name_the_row_and_column(db, line, message):
    with pytest.raises(RegistryImportError) as error:
        registry_import_file(actor=None, name="r.csv", data=(TEMPLATE_HEADER + line).encode(), source="тест")
    assert message in error.value.errors[0]
    assert not Organization.objects.exists()


def test_a_duplicate_code_in_the_file_is_reported_and_the_first_row_kept(db):
    text = TEMPLATE_HEADER + "sch990500;ОО;А;reg99_m001;Р;;\nsch990500;ОО;Б;reg99_m001;Р;;\n"
    report = registry_import_file(actor=None, name="r.csv", data=text.encode(), source="тест")
    assert "строка 3, столбец «Код»: код «sch990500» повторяется" in report.rows_skipped[0]
    assert Organization.objects.get(code="sch990500").short_name == "А"


def test_an_unrecognised_header_is_explained(db):
    with pytest.raises(RegistryImportError) as error:
        registry_import_file(actor=None, name="r.csv", data="a;b\n1;2\n".encode(), source="тест")
    assert "Не распознан формат реестра" in error.value.errors[0]


def test_the_command_prints_json_and_refuses_a_missing_file(db, tmp_path, capsys):
    path = tmp_path / "p.xlsx"
    path.write_bytes(xlsx(protocol_rows()))
    call_command("import_registry", str(path), "--json")
    report = json.loads(capsys.readouterr().out)
    assert len(report["organizations_created"]) == 2
    with pytest.raises(CommandError, match="Файл не найден"):
        call_command("import_registry", str(tmp_path / "none.xlsx"))


@pytest.mark.skipif(not SHARED_PROTOCOL.exists(), reason="../shared/data is not beside the project")
def test_the_real_protocol_gives_59_municipalities_and_164_schools(db):
    report = registry_import_file(actor=None, name=SHARED_PROTOCOL.name, data=SHARED_PROTOCOL.read_bytes(), source="тест")
    assert len(report.municipalities_created) == 59
    assert len(report.organizations_created) == 164
    assert report.region == "Алтайский край"
    again = registry_import_file(actor=None, name=SHARED_PROTOCOL.name, data=SHARED_PROTOCOL.read_bytes(), source="тест")
    assert again.organizations_created == [] and again.organizations_updated == []
