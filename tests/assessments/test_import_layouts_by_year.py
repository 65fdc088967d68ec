"""Every results layout since 2020 is recognised: the 2020 export (user, code, a-N-grade), 2021 and 2022."""
import pytest

from assessments.importing import EXPORT, EXPORT_2020, PROTOCOL, LayoutError, recognise
from assessments.models import ParticipantResult, ResultBatch
from assessments.services import ImportRejected, results_import
from rsoko.tables import Sheet

from .factories import export_2020_rows, export_rows, procedure_with_tasks, xlsx_bytes
from .test_importing_pure import protocol_sheets


def test_the_2020_export_is_recognised_beside_the_later_layouts():
    raw = recognise([Sheet("Sheet1", export_2020_rows("sch220206", [("20001", [1, 0, 2, "X"], "5", "4а")]))])
    assert raw.format == EXPORT_2020
    assert [t.position for t in raw.tasks] == [1, 2, 3, 4] and all(t.max_score is None for t in raw.tasks)
    first = raw.frame.iloc[0]
    assert (first["school"], first["participant"], first["class_name"], first["journal_mark"], first["variant"],
            first["total"], first["t3"]) == ("sch220206", "20001", "4а", "5", "2", "3", "2")
    later = recognise([Sheet("Sheet", export_rows("sch220206", [("20001", ["1", "0", "2", "0"], "5", "ж", "НЕТ")]))])
    assert later.format == EXPORT
    assert recognise(protocol_sheets(["1001", "1", "1", "0", "2", "А", "м", "4", "3"])).format == PROTOCOL


def test_2020_task_columns_are_put_in_position_order_and_gaps_are_named():
    rows = export_2020_rows("sch220206", [("1", [1, 0, 2], "5", "4а")], tasks=3)
    rows[0][6], rows[0][8] = rows[0][8], rows[0][6]  # a-3-grade before a-1-grade
    rows[1][6], rows[1][8] = rows[1][8], rows[1][6]
    raw = recognise([Sheet("Sheet1", rows)])
    assert raw.frame.iloc[0][["t1", "t2", "t3"]].tolist() == ["1", "0", "2"]
    gap = export_2020_rows("sch220206", [("1", [1, 0, 2], "5", "4а")], tasks=3)
    gap[0][7] = "a-5-grade"
    assert any("«a-N-grade»" in e and "1, 3, 5" in e for e in recognise([Sheet("S", gap)]).errors)


def test_an_unknown_header_names_the_2020_columns_too():
    with pytest.raises(LayoutError) as refused:
        recognise([Sheet("S", [["user", "code", "score 1"], ["sch1", "1", "1"]])], "r.xlsx")
    assert "a-1-grade" in refused.value.errors[0]


@pytest.mark.django_db
def test_a_2020_export_loads_with_the_codifier_maxima_and_quarantines_by_default(world):
    procedure = procedure_with_tasks("VPR-2020-MA-4", year=2020)
    code = world.school_a1.code
    data = xlsx_bytes(export_2020_rows(code, [
        ("1", [1, 1, 2, 2], "5", "4а"), ("2", [1, "X", 0, 1], "нет", "4б"), ("3", None, "", "4а"),
        ("4", [1, 1, 3, 2], "4", "4а"),  # 3 on a 2-point task: quarantined, the rest stored
    ]), title="Sheet1")
    report = results_import(actor=None, procedure=procedure, filename="vpr2020_ma4.xlsx", data=data)
    assert (report.rows, report.stored, report.absent, report.quarantined) == (4, 3, 1, 1)
    assert report.format == "региональная выгрузка ФИС ОКО (формат 2020 года)" and report.mode == "quarantine"
    assert ResultBatch.objects.get().format == EXPORT_2020
    pupil = ParticipantResult.objects.get(participant_code="2")
    assert (pupil.primary_score, pupil.journal_mark, pupil.class_name, pupil.not_attempted) == (2, None, "4Б", [2])
    assert "a-3-grade" in report.error_messages[0]


@pytest.mark.django_db
def test_a_2020_export_without_a_codifier_is_refused_with_the_reason(world):
    procedure = procedure_with_tasks("VPR-2020-MA-4", year=2020, maxima=())
    data = xlsx_bytes(export_2020_rows(world.school_a1.code, [("1", [1, 1, 2, 2], "5", "4а")]))
    with pytest.raises(ImportRejected) as refused:
        results_import(actor=None, procedure=procedure, filename="r.xlsx", data=data)
    assert "нет спецификации заданий" in refused.value.errors[0]
