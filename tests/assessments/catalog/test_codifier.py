"""Codifier files: real ФИС ОКО codifiers when available, hand-built ones for every rule."""
from pathlib import Path

from django.core.exceptions import ValidationError
import pytest

from assessments.catalog.services import codifier_import, procedure_tasks_replace, procedure_update
from assessments.codifier import CodifierError, TaskSpec, parse_codifier_rows
from assessments.models import ParticipantResult, ResultBatch, ResultVersion
from rsoko.audit.models import AuditEntry

from .factories import CODIFIER_HEADER, ProcedureFactory, add_tasks, subject, xlsx_bytes

SHARED_DATA = Path(__file__).resolve().parents[3].parent / "shared" / "data"
LIMIT = 10 * 1024 * 1024
real_data = pytest.mark.skipif(not SHARED_DATA.is_dir(), reason="../shared/data is absent")


def row(label, position, max_score, level="Б", kes="1", kt="1.1", skill="Умение", block="Блок"):
    return [label, position, skill, block, level, kes, kt, max_score]


@real_data
def test_real_math_4_codifier_gives_15_tasks_worth_20_points(db):
    procedure = ProcedureFactory()
    data = (SHARED_DATA / "codifier_vpr2021_ma4.xlsx").read_bytes()
    tasks = codifier_import(actor=None, procedure=procedure, filename="ma4.xlsx", data=data, limit_bytes=LIMIT)
    assert [t.label for t in tasks] == ["1", "2", "3", "4", "5.1", "5.2", "6.1", "6.2", "7", "8", "9.1", "9.2",
                                        "10", "11", "12"]
    assert sum(t.max_score for t in tasks) == 20
    procedure.refresh_from_db()
    assert procedure.max_score == 20
    third = procedure.tasks.get(label="3")
    assert third.kes_codes == "1, 2, 4" and third.kt_codes == "1, 2.2, 4" and third.max_score == 2
    assert procedure.tasks.get(label="10").level == "П"


@real_data
def test_real_geography_10_codifier_gives_18_tasks_by_position(db):
    procedure = ProcedureFactory(subject=subject("GEO"), grade=10, code="VPR-2021-GEO-10")
    data = (SHARED_DATA / "codifier_vpr2021_geo10.xlsx").read_bytes()
    tasks = codifier_import(actor=None, procedure=procedure, filename="geo10.xlsx", data=data, limit_bytes=LIMIT)
    assert len(tasks) == 18
    assert [(t.position, t.label) for t in tasks[-2:]] == [(17, "17К1"), (18, "17К2")]


def test_repeated_rows_merge_into_one_task_with_joined_codes():
    rows = [CODIFIER_HEADER, row("1", "1", "1"), row("2", "2", "2", kes="2.1", kt="3"),
            row("2", "2", "2", kes="2.2", kt="3"), row("2", "2", "2", kes="2.1", kt="4")]
    tasks = parse_codifier_rows([[str(c) for c in r] for r in rows])
    assert tasks == [
        TaskSpec(1, "1", 1, "Б", "Умение", "Блок", "1", "1.1"),
        TaskSpec(2, "2", 2, "Б", "Умение", "Блок", "2.1, 2.2", "3, 4"),
    ]
    assert tasks[1].rows == [3, 4, 5]


def test_conflicting_max_in_repeated_rows_names_the_rows():
    rows = [CODIFIER_HEADER, row("1", "1", "1"), row("2", "2", "2"), row("2", "2", "3")]
    with pytest.raises(CodifierError) as caught:
        parse_codifier_rows([[str(c) for c in r] for r in rows])
    assert caught.value.errors == [
        "Задание № 2: разный максимальный балл в строках одного задания (строка 3: 2, строка 4: 3)."
    ]


def test_bad_cells_are_reported_with_row_and_column():
    rows = [CODIFIER_HEADER, row("1", "1", "два"), row("2", "x", "1"), row("3", "3", "1", level="Z")]
    with pytest.raises(CodifierError) as caught:
        parse_codifier_rows([[str(c) for c in r] for r in rows])
    errors = caught.value.errors
    assert errors[0].startswith("Строка 2, столбец H («Максимальный балл за выполнение задания»): «два»")
    assert errors[1].startswith("Строка 3, столбец B («№»): «x»")
    assert errors[2] == "Строка 4, столбец E («Уровень сложности»): «Z» — уровень сложности должен быть Б, П или В."


def test_gaps_in_positions_and_repeated_labels_are_refused():
    rows = [CODIFIER_HEADER, row("1", "1", "1"), row("1", "3", "1")]
    with pytest.raises(CodifierError) as caught:
        parse_codifier_rows([[str(c) for c in r] for r in rows])
    assert "пропущены 2" in caught.value.errors[0]
    assert "«1» повторяется у заданий № 1 (строки 2) и № 3 (строки 3)" in caught.value.errors[1]


def test_missing_columns_and_missing_header_are_explained():
    with pytest.raises(CodifierError, match="Не найдена строка заголовка"):
        parse_codifier_rows([["Задание", "Балл"], ["1", "1"]])
    with pytest.raises(CodifierError) as caught:
        parse_codifier_rows([["№", "Максимальный балл"], ["1", "1"]])
    assert caught.value.errors == ["Нет обязательного столбца «№ КИМ»."]


def test_a_bad_file_leaves_the_old_specification_untouched(db):
    procedure = ProcedureFactory()
    add_tasks(procedure, {"1": 1, "2": 2})
    bad = xlsx_bytes([CODIFIER_HEADER, row("1", 1, 1), row("2", 2, 0)])
    with pytest.raises(ValidationError) as caught:
        codifier_import(actor=None, procedure=procedure, filename="k.xlsx", data=bad, limit_bytes=LIMIT)
    assert "Строка 3, столбец H" in caught.value.messages[0]
    assert list(procedure.tasks.values_list("label", "max_score")) == [("1", 1), ("2", 2)]


def test_a_non_table_file_is_refused_in_russian(db):
    procedure = ProcedureFactory()
    with pytest.raises(ValidationError, match="неподдерживаемый тип"):
        codifier_import(actor=None, procedure=procedure, filename="k.pdf", data=b"%PDF", limit_bytes=LIMIT)


def test_replacing_the_specification_is_audited(db):
    procedure = ProcedureFactory()
    good = xlsx_bytes([CODIFIER_HEADER, row("1", 1, 1), row("2", 2, 2)])
    codifier_import(actor=None, procedure=procedure, filename="k.xlsx", data=good, limit_bytes=LIMIT)
    entry = AuditEntry.objects.get(model="assessments.procedure", object_id=str(procedure.pk))
    assert entry.before["tasks"] == [] and [t["label"] for t in entry.after["tasks"]] == ["1", "2"]


def store_one_result(procedure, school):
    batch = ResultBatch.objects.create(procedure=procedure, filename="f.xlsx", format="template", mode="strict")
    version = ResultVersion.objects.create(batch=batch, procedure=procedure, school=school, number=1)
    ParticipantResult.objects.create(version=version, procedure=procedure, school=school, participant_code="1")


def test_with_results_only_texts_may_change(world):
    procedure = ProcedureFactory()
    add_tasks(procedure, {"1": 1, "2": 2})
    store_one_result(procedure, world.school_a1)
    same_shape = [TaskSpec(1, "1", 1, skill="уточнено"), TaskSpec(2, "2", 2)]
    procedure_tasks_replace(actor=None, procedure=procedure, specs=same_shape)
    assert procedure.tasks.get(position=1).skill == "уточнено"
    with pytest.raises(ValidationError, match="уже загружены результаты"):
        procedure_tasks_replace(actor=None, procedure=procedure, specs=[TaskSpec(1, "1", 1), TaskSpec(2, "2", 3)])
    assert procedure.tasks.get(position=2).max_score == 2


def test_kind_subject_grade_and_year_stay_once_results_exist(world):
    procedure = ProcedureFactory()
    store_one_result(procedure, world.school_a1)
    procedure_update(actor=None, procedure=procedure, title="Весна 2021")
    with pytest.raises(ValidationError, match="нельзя изменить класс"):
        procedure_update(actor=None, procedure=procedure, grade=5)


def test_a_cp1251_csv_codifier_with_a_title_row_is_read(db):
    procedure = ProcedureFactory()
    lines = ["Кодификатор ВПР 2021;;;;;;;", ";".join(CODIFIER_HEADER), "1;1;Умение;Блок;б;1.1;2;1", "1;1;Умение;Блок;Б;1.2;2;1",
             "2;2;;;П;3;4;2"]
    data = "\r\n".join(lines).encode("cp1251")
    tasks = codifier_import(actor=None, procedure=procedure, filename="k.csv", data=data, limit_bytes=LIMIT)
    assert [(t.label, t.max_score, t.level, t.kes_codes) for t in tasks] == [("1", 1, "Б", "1.1, 1.2"), ("2", 2, "П", "3")]
