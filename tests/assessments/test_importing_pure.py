"""The pure layer: recognising layouts and checking rows, on tiny in-memory sheets (no database)."""
import pytest

from assessments.importing import PROTOCOL, QUARANTINE_COLUMN, LayoutError, SpecTask, check_table, recognise
from rsoko.tables import Sheet

PROTOCOL_HEAD = ["Пользователь", "Код региона", "Регион", "Муниципалитет", "Школа", "Дата загрузки", "Код", "Вариант",
                 "1(1) (1б)", "1(2) (1б)", "2 (2б)", "Наименование класса", "Пол",
                 "Отметка за предыдущий триместр/ четверть/полугодие", "Итого баллов"]


def protocol_sheets(*rows):
    school = ["edu223185", "22", "reg220000 | Край", "reg22_m010 | Район", "edu223185 | МКОУ СОШ", "04.03.2022"]
    classes = Sheet("Классы", [["Пользователь", "Школа"], ["edu223185", "edu223185 | МКОУ СОШ"]])
    return [classes, Sheet("Протокол", [PROTOCOL_HEAD] + [school + list(r) for r in rows])]


def spec():
    return [SpecTask(1, "1(1)", 1), SpecTask(2, "1(2)", 1), SpecTask(3, "2", 2)]


def test_protocol_header_gives_labels_and_maxima():
    raw = recognise(protocol_sheets(["1001", "1", "1", "0", "2", "А", "м", "4", "3"]))
    assert raw.format == PROTOCOL and raw.sheet == "Протокол"
    assert [(t.label, t.max_score) for t in raw.tasks] == [("1(1)", 1), ("1(2)", 1), ("2", 2)]
    assert raw.frame["row"].tolist() == [2] and not raw.fixes


def test_dirty_values_become_states():
    raw = recognise(protocol_sheets(
        ["1001", "1", "X", "Х", "2", "нет", "М", "нет отметки", "2"],
        ["1002", "2", "не пройд.", "", "1", "а", "ж", "5", "1"],
        ["1003", "отсутствовал", "", "", "", "", "", "", "0"],
    ))
    checked = check_table(raw, spec(), {"edu223185": 7}, None)
    assert checked.errors == []
    assert checked.scores.tolist() == [[0, 0, 2], [0, 0, 1], [0, 0, 0]]
    assert checked.not_attempted.tolist() == [[True, True, False], [True, True, False], [False, False, False]]
    valid = checked.valid
    assert valid["status"].tolist() == ["present", "present", "absent"]
    assert valid["class_name"].tolist() == ["", "А", ""] and valid["sex"].tolist() == ["м", "ж", ""]
    assert valid["journal_mark"].tolist()[1] == 5 and valid["journal_mark"].isna().tolist() == [True, False, True]
    assert any("Пустых ячеек" in w for w in checked.warnings)


def test_school_outside_the_allowed_set_is_a_row_error():
    raw = recognise(protocol_sheets(["1001", "1", "1", "1", "2", "", "м", "4", "4"]))
    checked = check_table(raw, spec(), {"edu223185": 7}, allowed_school_ids={8})
    assert len(checked.rejected) == 1 and "вне вашей зоны ответственности" in checked.rejected["reasons"][0][0]


def test_name_columns_are_dropped_and_quarantine_column_marks_fixes():
    head = ["Код ОО", "Код участника", "Фамилия", "Вариант", "1 (1б)", QUARANTINE_COLUMN]
    raw = recognise([Sheet("Лист1", [head, ["sch1", "1", "Иванов", "1", "1", "ошибка"]])])
    assert "Фамилия" not in raw.header and QUARANTINE_COLUMN not in raw.header
    assert raw.cells.tolist() == [["sch1", "1", "1", "1"]] and raw.fixes
    assert any("«Фамилия» похож на имена" in w for w in raw.warnings)


def test_unknown_table_is_refused():
    with pytest.raises(LayoutError, match="не похож на файл результатов"):
        recognise([Sheet("Лист1", [["a", "b"], ["1", "2"]])], "x.xlsx")


def test_duplicate_codes_count_per_school_even_for_unknown_schools():
    head = ["Код ОО", "Код участника", "Вариант", "1 (1б)"]
    rows = [head, ["sch1", "1", "1", "1"], ["sch2", "1", "1", "1"], ["sch3", "1", "1", "1"], ["sch3", "1", "1", "0"]]
    checked = check_table(recognise([Sheet("Лист1", rows)]), [SpecTask(1, "1", 1)], {"sch1": 5}, None)
    duplicates = [m for m in checked.errors if "повторяется" in m]
    assert duplicates == ["Строка 4, столбец «Код участника»: код участника «1» повторяется в этой школе: "
                          "у каждого участника должен быть свой код.",
                          "Строка 5, столбец «Код участника»: код участника «1» повторяется в этой школе: "
                          "у каждого участника должен быть свой код."]
