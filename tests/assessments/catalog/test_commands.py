"""add_procedure and import_codifier on the command line."""
import json

from django.core.management import call_command
from django.core.management.base import CommandError
import pytest

from assessments.models import Procedure

from .factories import CODIFIER_HEADER, ProcedureFactory, xlsx_bytes


def add(*args):
    call_command("add_procedure", *args)


def test_add_procedure_creates_the_instance_with_its_scale(db):
    add("--kind", "ВПР", "--year", "2021", "--subject", "Математика", "--grade", "4", "--scale", "6,10,15", "--max", "20")
    procedure = Procedure.objects.get(code="VPR-2021-MA-4")
    assert (procedure.max_score, procedure.scale.boundaries) == (20, {"3": 6, "4": 10, "5": 15})


def test_kind_by_slug_and_subject_by_code_in_any_case(db):
    add("--kind", "vpr", "--year", "2021", "--subject", "ma", "--grade", "5")
    add("--kind", "впр", "--year", "2021", "--subject", "математика", "--grade", "5")
    assert set(Procedure.objects.values_list("code", flat=True)) == {"VPR-2021-MA-5", "VPR-2021-MA-5-2"}


@pytest.mark.parametrize("args, message", [
    (["--kind", "ВРП", "--year", "2021", "--subject", "MA"], "Вид процедуры «ВРП» не найден"),
    (["--kind", "ВПР", "--year", "2021", "--subject", "Матем"], "Предмет «Матем» не найден"),
    (["--kind", "ВПР", "--year", "21", "--subject", "MA"], "Год 21 вне допустимого диапазона"),
    (["--kind", "ВПР", "--year", "2021", "--subject", "MA", "--grade", "12"], "допустимы классы с 1 по 11"),
    (["--kind", "ВПР", "--year", "2021", "--subject", "MA", "--scale", "6,10,15"], "укажите максимальный"),
    (["--kind", "ВПР", "--year", "2021", "--subject", "MA", "--scale", "6,10", "--max", "20"], "три целых числа"),
    (["--kind", "ВПР", "--year", "2021", "--subject", "MA", "--scale", "6,10,25", "--max", "20"],
     "Отметка «5» начинается с 25 баллов"),
    (["--kind", "ВПР", "--year", "2021", "--subject", "MA", "--code", "плохой код"], "только латинские буквы"),
])
def test_add_procedure_errors_are_clear_and_nothing_is_created(db, args, message):
    with pytest.raises(CommandError, match=message):
        add(*args)
    assert not Procedure.objects.exists()


def test_a_taken_code_is_refused(db):
    ProcedureFactory(code="VPR-2021-MA-4")
    with pytest.raises(CommandError, match="Код «VPR-2021-MA-4» уже занят"):
        add("--code", "VPR-2021-MA-4", "--kind", "ВПР", "--year", "2021", "--subject", "MA", "--grade", "4")


def test_import_codifier_prints_json(db, tmp_path, capsys):
    procedure = ProcedureFactory()
    path = tmp_path / "codifier.xlsx"
    path.write_bytes(xlsx_bytes([CODIFIER_HEADER, ["1", 1, "", "", "Б", "1", "1", 1], ["2", 2, "", "", "П", "2", "2", 2]]))
    call_command("import_codifier", str(path), "--procedure", procedure.code, "--json")
    payload = json.loads(capsys.readouterr().out)
    assert payload["ok"] and payload["max_score"] == 3 and [t["label"] for t in payload["tasks"]] == ["1", "2"]


def test_import_codifier_errors(db, tmp_path):
    with pytest.raises(CommandError, match="не найден"):
        call_command("import_codifier", str(tmp_path / "none.xlsx"), "--procedure", "X")
    path = tmp_path / "codifier.xlsx"
    path.write_bytes(xlsx_bytes([CODIFIER_HEADER, ["1", 1, "", "", "Б", "1", "1", "много"]]))
    with pytest.raises(CommandError, match="Процедура с кодом «X» не найдена"):
        call_command("import_codifier", str(path), "--procedure", "X")
    procedure = ProcedureFactory()
    with pytest.raises(CommandError, match="Строка 2, столбец H"):
        call_command("import_codifier", str(path), "--procedure", procedure.code)
