"""Codifier tables in the ФИС ОКО layout become a variant's tasks through the same parser as a procedure's
specification (its rules are tested in tests/assessments/catalog); nothing is written when any row is wrong."""
import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

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
    assert variant.tasks.get(label="3").kt_codes == "1, 2.2, 4"  # repeated rows of one task merged


def test_import_with_errors_writes_nothing_and_shows_them(world, client_for):
    variant = make_variant(world.user("methodologist"), tasks=5)
    upload = SimpleUploadedFile("codifier.xlsx", xlsx([HEADER, ROWS[0], ["2", "2", "", "", "Б", "", "", "много"]]))
    response = client_for("methodologist").post(f"/kim/{variant.pk}/tasks/import/", {"file": upload})
    assert response.status_code == 400
    assert "Строка 3, столбец H («Максимальный балл за выполнение задания»): «много»" in response.content.decode()
    assert variant.tasks.count() == 5


def test_a_file_that_is_not_a_table_is_refused(world, client_for):
    variant = make_variant(world.user("methodologist"), tasks=2)
    upload = SimpleUploadedFile("codifier.xlsx", b"not a workbook")
    response = client_for("methodologist").post(f"/kim/{variant.pk}/tasks/import/", {"file": upload})
    assert response.status_code == 400 and "не является книгой Excel" in response.content.decode()
    assert variant.tasks.count() == 2


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
