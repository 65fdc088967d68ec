"""Re-uploads make new versions (one active, history kept) and record what changed by participant code."""
import pytest

from assessments.models import ParticipantResult, ResultVersion
from assessments.services import results_import

from .factories import procedure_with_tasks, template_rows, xlsx_bytes


@pytest.fixture
def procedure(world):
    return procedure_with_tasks(boundaries={"3": 2, "4": 4, "5": 6})


def upload(procedure, pupils, actor=None, **kwargs):
    return results_import(actor=actor, procedure=procedure, filename="r.xlsx", data=xlsx_bytes(template_rows(pupils)),
                          **kwargs)


def test_reupload_supersedes_and_records_the_diff(world, procedure):
    a1 = world.school_a1.code
    upload(procedure, [(a1, "1", [1, 1, 2, 2]), (a1, "2", [0, 0, 1, 0]), (a1, "3", None)])
    upload(procedure, [(a1, "1", [1, 0, 2, 2]), (a1, "2", [0, 0, 1, 0]), (a1, "4", [1, 1, 1, 1])])
    versions = list(ResultVersion.objects.filter(procedure=procedure, school=world.school_a1).order_by("number"))
    assert [(v.number, v.is_active) for v in versions] == [(1, False), (2, True)]
    changes = versions[1].changes
    assert (changes["added_codes"], changes["removed_codes"], changes["changed_codes"]) == (["4"], ["3"], ["1"])
    assert changes["previous"] == 1 and changes["mode"] == "replace"
    assert ParticipantResult.objects.active().filter(procedure=procedure).count() == 3
    assert ParticipantResult.objects.filter(procedure=procedure).count() == 6  # history stays


def test_other_schools_keep_their_versions(world, procedure):
    upload(procedure, [(world.school_a1.code, "1", [1, 1, 2, 2]), (world.school_a2.code, "1", [1, 1, 2, 2])])
    upload(procedure, [(world.school_a1.code, "1", [0, 0, 0, 0])])
    active = dict(ResultVersion.objects.active().values_list("school__code", "number"))
    assert active == {world.school_a1.code: 2, world.school_a2.code: 1}


def test_marks_come_from_the_scale_and_absent_pupils_have_none(world, procedure):
    a1 = world.school_a1.code
    upload(procedure, [(a1, "1", [1, 1, 2, 2]), (a1, "2", [0, 0, 1, 0]), (a1, "3", None), (a1, "4", [1, 1, 1, 0])])
    marks = dict(ParticipantResult.objects.values_list("participant_code", "mark"))
    assert marks == {"1": 5, "2": 2, "3": None, "4": 3}
    absent = ParticipantResult.objects.get(participant_code="3")
    assert absent.status == "absent" and absent.primary_score is None and absent.task_scores == []


def test_not_attempted_is_kept_apart_from_zero(world, procedure):
    a1 = world.school_a1.code
    upload(procedure, [(a1, "1", ["X", "х", "не пройд.", 0])])
    pupil = ParticipantResult.objects.get()
    assert pupil.task_scores == [0, 0, 0, 0] and pupil.not_attempted == [1, 2, 3] and pupil.primary_score == 0


def test_dirty_spellings_are_normalised(world, procedure):
    rows = template_rows([(world.school_a1.code, "1", [1, 1, 2, 2])])
    rows[1][2:5] = ["нет", "М", "нет отметки"]
    rows.append([world.school_a1.code, "2", "а", "ж", "5", "2", "1", "1", "1", "1"])
    rows[0].append("ФИО")
    rows[1].append("Иванов Иван")
    rows[2].append("Петров Пётр")
    report = results_import(actor=None, procedure=procedure, filename="r.xlsx", data=xlsx_bytes(rows))
    values = {p.participant_code: (p.class_name, p.sex, p.journal_mark) for p in ParticipantResult.objects.all()}
    assert values == {"1": ("", "м", None), "2": ("А", "ж", 5)}
    assert any("«ФИО» похож на имена" in w for w in report.warning_messages)
    assert "Иванов" not in str(list(ParticipantResult.objects.values()))


def test_stated_total_differing_from_sum_is_a_warning_and_the_sum_wins(world):
    from .factories import export_rows

    procedure = procedure_with_tasks("VPR-2021-MA-5", grade=5)
    rows = export_rows(world.school_a1.code, [("1", ["1", "1", "2", "2"], "4", "м", "а")])
    rows[1][8] = "3"
    report = results_import(actor=None, procedure=procedure, filename="r.xlsx", data=xlsx_bytes(rows))
    assert ParticipantResult.objects.get().primary_score == 6
    assert any("указано 3, сумма 6" in w for w in report.warning_messages)


def test_codes_with_backslashes_tabs_and_quotes_are_stored_as_written(world, procedure):
    """PostgreSQL's COPY text format needs escaping; SQLite's bulk path must agree."""
    rows = template_rows([(world.school_a1.code, "A\\1", [1, 1, 2, 2]), (world.school_a1.code, 'B"2', [0, 0, 0, 0])])
    rows[1][2] = "4\\Б"
    upload_rows = xlsx_bytes(rows)
    results_import(actor=None, procedure=procedure, filename="r.xlsx", data=upload_rows)
    stored = dict(ParticipantResult.objects.values_list("participant_code", "class_name"))
    assert stored == {"A\\1": "4\\Б", 'B"2': "4А"}
    assert ParticipantResult.objects.get(participant_code="A\\1").task_scores == [1, 1, 2, 2]
