"""Codifier tables in the ФИС ОКО layout become a variant's tasks; repeated rows of one task merge;
errors name the Excel row and column, and nothing is written when any row is wrong."""
import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from assessments.kimbank.codifier import CodifierError, parse_codifier
from rsoko.tables import Sheet
from tests.kimbank.factories import make_variant

HEADER = ["№ КИМ", "№", "Умения, виды деятельности", "Блоки ПООП НОО: выпускник научится", "Уровень сложности",
          "Код КЭС", "Код КТ", "Максимальный балл за выполнение задания"]
ROWS = [
    ["1", "1", "Арифметика", "Выполнять сложение", "Б", "2", "2.1", "1"],
    ["3", "2", "Задачи", "Решать задачи", "Б", "1", "1", "2"],
    ["3", "2", "Задачи", "Решать задачи", "Б", "1", "2.2", "2"],
    ["3", "2", "Задачи", "Решать задачи", "Б", "1", "4", "2"],
    ["5.1", "3", "Геометрия", "Строить фигуры", "П", "3.1", "5", "1"],
]


def test_repeated_rows_merge_into_one_task():
    tasks = parse_codifier(Sheet("Лист1", [HEADER, *ROWS]))
    assert [(t["position"], t["label"], t["max_score"]) for t in tasks] == [(1, "1", 1), (2, "3", 2), (3, "5.1", 1)]
    assert tasks[1]["kt_codes"] == "1, 2.2, 4"
    assert tasks[1]["kes_codes"] == "1"
    assert tasks[2]["level"] == "П"


def test_the_real_header_spelling_is_accepted():
    header = ["№ по КИМу", *HEADER[1:]]
    assert len(parse_codifier(Sheet("Лист1", [header, *ROWS]))) == 3


@pytest.mark.parametrize("row, message", [
    (["1", "x", "", "", "Б", "", "", "1"], "Строка 2, столбец «№»"),
    (["1", "1", "", "", "Б", "", "", "0"], "Строка 2, столбец «Максимальный балл»"),
    (["1", "1", "", "", "Q", "", "", "1"], "Строка 2, столбец «Уровень сложности»"),
    (["", "1", "", "", "Б", "", "", "1"], "Строка 2, столбец «№ КИМ»"),
])
def test_bad_cells_name_row_and_column(row, message):
    with pytest.raises(CodifierError) as caught:
        parse_codifier(Sheet("Лист1", [HEADER, row]))
    assert message in caught.value.errors[0]


def test_one_task_with_two_maxima_is_an_error():
    rows = [ROWS[1], [*ROWS[2][:7], "3"]]
    with pytest.raises(CodifierError, match="Строка 3: задание № 2"):
        parse_codifier(Sheet("Лист1", [HEADER, *rows]))


def test_missing_columns_are_named():
    with pytest.raises(CodifierError, match="«Максимальный балл»"):
        parse_codifier(Sheet("Лист1", [HEADER[:7], ROWS[0][:7]]))


def test_an_empty_table_is_an_error():
    with pytest.raises(CodifierError, match="нет ни одного задания"):
        parse_codifier(Sheet("Лист1", [HEADER, ["", "", ""]]))


def xlsx(rows) -> bytes:
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_import_page_replaces_the_codifier(world, client_for):
    variant = make_variant(world.user("methodologist"), tasks=5)
    upload = SimpleUploadedFile("codifier.xlsx", xlsx([HEADER, *ROWS]))
    response = client_for("methodologist").post(f"/kim/{variant.pk}/tasks/import/", {"file": upload})
    assert response.status_code == 302
    assert list(variant.tasks.values_list("label", flat=True)) == ["1", "3", "5.1"]


def test_import_with_errors_writes_nothing_and_shows_them(world, client_for):
    variant = make_variant(world.user("methodologist"), tasks=5)
    upload = SimpleUploadedFile("codifier.xlsx", xlsx([HEADER, ROWS[0], ["2", "2", "", "", "Б", "", "", "много"]]))
    response = client_for("methodologist").post(f"/kim/{variant.pk}/tasks/import/", {"file": upload})
    assert response.status_code == 400
    assert "Строка 3, столбец «Максимальный балл»" in response.content.decode()
    assert variant.tasks.count() == 5


def test_a_file_that_is_not_a_table_is_refused(world, client_for):
    variant = make_variant(world.user("methodologist"), tasks=2)
    upload = SimpleUploadedFile("codifier.xlsx", b"not a workbook")
    response = client_for("methodologist").post(f"/kim/{variant.pk}/tasks/import/", {"file": upload})
    assert response.status_code == 400 and "не является книгой Excel" in response.content.decode()
    assert variant.tasks.count() == 2


def test_the_real_ma4_codifier_when_present():
    from pathlib import Path

    from rsoko.tables import read_table_file

    path = Path(__file__).resolve().parents[2] / ".." / "shared" / "data" / "codifier_vpr2021_ma4.xlsx"
    if not path.exists():
        pytest.skip("sample data not available")
    sheets = read_table_file(path.name, path.read_bytes(), limit_bytes=10**8)
    tasks = parse_codifier(sheets[0])
    assert tasks[0]["position"] == 1
    assert sum(t["max_score"] for t in tasks) == 20  # ВПР-2021 математика 4: max 20
    assert len({t["position"] for t in tasks}) == len(tasks)


def test_formset_saves_tasks_and_refuses_duplicate_positions(world, client_for):
    variant = make_variant(world.user("methodologist"), tasks=0)
    client = client_for("methodologist")
    data = {"tasks-TOTAL_FORMS": "3", "tasks-INITIAL_FORMS": "0"}
    for i, (position, label, top) in enumerate([(1, "1", 1), (1, "2", 2)]):
        data.update({f"tasks-{i}-position": position, f"tasks-{i}-label": label, f"tasks-{i}-max_score": top})
    response = client.post(f"/kim/{variant.pk}/tasks/", data)
    assert response.status_code == 200 and "повторяются: 1" in response.content.decode()
    data["tasks-1-position"] = 2
    assert client.post(f"/kim/{variant.pk}/tasks/", data).status_code == 302
    assert list(variant.tasks.values_list("position", "label", "max_score")) == [(1, "1", 1), (2, "2", 2)]
