"""The portal's results template: header contract, input checks, instruction, CSV encoding."""
import io

from openpyxl import load_workbook
import pytest

from assessments.models import ProcedureSchool
from assessments.upload_template import TemplateTask, template_csv, template_header, template_xlsx

from .factories import ProcedureFactory, add_tasks

TASKS = [TemplateTask("1", 1), TemplateTask("9.1", 2), TemplateTask("17К1", 3)]


def test_header_follows_the_contract_exactly():
    assert template_header(TASKS) == ["Код ОО", "Код участника", "Класс", "Пол", "Отметка в журнале", "Вариант",
                                      "1 (1б)", "9.1 (2б)", "17К1 (3б)"]


def test_csv_is_utf8_with_bom_and_semicolons():
    data = template_csv(TASKS)
    assert data.startswith(b"\xef\xbb\xbf")
    assert data[3:].decode("utf-8") == "Код ОО;Код участника;Класс;Пол;Отметка в журнале;Вариант;1 (1б);9.1 (2б);17К1 (3б)\r\n"


def validations_by_column(sheet) -> dict[str, object]:
    found = {}
    for validation in sheet.data_validations.dataValidation:
        for cell_range in validation.sqref.ranges:
            found[cell_range.coord.split(":")[0].rstrip("0123456789")] = validation
    return found


def lists(workbook) -> dict[str, list[str]]:
    sheet = workbook["Списки"]
    columns = {}
    for column in sheet.iter_cols(values_only=True):
        columns[column[0]] = [value for value in column[1:] if value is not None]
    return columns


def test_xlsx_carries_lists_and_score_limits():
    content = template_xlsx(title="ВПР", tasks=TASKS, school_codes=["sch990001", "sch990002"], variants=["1", "2"])
    workbook = load_workbook(io.BytesIO(content))
    assert workbook.sheetnames == ["Результаты", "Списки", "Инструкция"]
    assert workbook["Списки"].sheet_state == "hidden"
    sheet = workbook["Результаты"]
    assert [c.value for c in sheet[1]] == template_header(TASKS)
    checks = validations_by_column(sheet)
    assert set(checks) == {"A", "D", "E", "F", "G", "H", "I"}
    assert checks["A"].type == "list" and checks["A"].formula1 == "='Списки'!$A$2:$A$3"
    assert lists(workbook) == {"Код ОО": ["sch990001", "sch990002"], "Пол": ["м", "ж"],
                               "Отметка в журнале": ["2", "3", "4", "5", "нет отметки"],
                               "Вариант": ["1", "2", "отсутствовал"]}
    assert (checks["H"].type, checks["H"].operator, checks["H"].formula1, checks["H"].formula2) == ("whole", "between", "0", "2")
    assert checks["I"].formula2 == "3"
    instruction = [row[0] for row in workbook["Инструкция"].iter_rows(values_only=True) if row[0]]
    assert any("«Пол» — «м» или «ж»" in line for line in instruction)
    assert any("Всего заданий: 3, максимальный первичный балл: 6" in line for line in instruction)


def test_without_variants_the_variant_column_is_free():
    workbook = load_workbook(io.BytesIO(template_xlsx(title="ОГЭ", tasks=TASKS, school_codes=[], variants=[])))
    assert "F" not in validations_by_column(workbook["Результаты"])


@pytest.fixture
def procedure(world):
    procedure = ProcedureFactory(variants=["1", "2"])
    add_tasks(procedure, {"1": 1, "9.1": 2})
    for school in (world.school_a1, world.school_a2, world.school_b1):
        ProcedureSchool.objects.create(procedure=procedure, school=school)
    return procedure


def school_list(response) -> list[str]:
    return lists(load_workbook(io.BytesIO(response.content)))["Код ОО"]


def test_the_school_list_is_what_the_user_may_upload_for(procedure, client_for):
    response = client_for("coordinator").get(f"/procedures/{procedure.code}/template.xlsx")
    assert response.status_code == 200
    assert response["Content-Disposition"] == f'attachment; filename="template_{procedure.code}.xlsx"'
    assert school_list(response) == ["sch990001", "sch990002"]
    assert school_list(client_for("centre").get(f"/procedures/{procedure.code}/template.xlsx")) == [
        "sch990001", "sch990002", "sch990003"]


def test_csv_download_and_no_template_without_tasks(procedure, client_for):
    client = client_for("ministry")
    response = client.get(f"/procedures/{procedure.code}/template.csv")
    assert response.content.decode("utf-8-sig").startswith("Код ОО;Код участника;Класс;Пол;Отметка в журнале;Вариант;1 (1б);9.1 (2б)")
    empty = ProcedureFactory(code="VPR-2021-MA-5", grade=5)
    response = client.get(f"/procedures/{empty.code}/template.xlsx", follow=True)
    assert "Шаблон появится после загрузки спецификации заданий." in response.content.decode()
