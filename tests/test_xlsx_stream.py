"""The streamed xlsx: opens in openpyxl, neutralises formulas, and starts before the rows are all read."""
import io
import warnings
from datetime import datetime

from openpyxl import load_workbook

from rsoko.exports import Column, Table, xlsx_chunks


def table(rows):
    columns = [Column("name", "Название"), Column("n", "Число", "int"), Column("pct", "Доля, %", "percent"),
               Column("at", "Когда", "date")]
    return Table("Проверка: [лист]/1", columns, rows, notes=["=примечание"])


def test_the_streamed_workbook_reads_back_with_neutralised_formulas():
    rows = [{"name": "=HYPERLINK(\"http://x\")", "n": 5, "pct": 12.345, "at": datetime(2026, 7, 1, 9, 30)},
            {"name": "+7 900", "n": None, "pct": None, "at": None}, {"name": "@sum", "n": -3}, {"name": "\tтаб"},
            {"name": "-12"}, {"name": "текст <&> \x01"}]
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a missing default style would warn
        book = load_workbook(io.BytesIO(b"".join(xlsx_chunks(table(rows)))))
    sheet = book.active
    assert sheet.title == "Проверка   лист  1"
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    assert values[0] == ["Название", "Число", "Доля, %", "Когда"] and sheet["A1"].font.b
    assert values[1] == ["'=HYPERLINK(\"http://x\")", 5, 12.3, datetime(2026, 7, 1, 9, 30)]
    # «-12» is text in the row, so the one formula rule neutralises it (a number would have been a number cell)
    assert [v[0] for v in values[2:7]] == ["'+7 900", "'@sum", "'\tтаб", "'-12", "текст <&> "]
    assert values[-1][0] == "'=примечание"
    assert sheet.freeze_panes == "A2"


def test_the_first_bytes_leave_before_all_rows_are_read():
    consumed = []

    def rows():
        for n in range(200_000):
            consumed.append(n)
            yield {"name": f"строка {n}", "n": n}

    first = next(iter(xlsx_chunks(table(rows))))
    assert first.startswith(b"PK") and len(consumed) < 200_000


def test_numbers_of_any_kind_are_number_cells_and_nan_is_empty():
    from datetime import date
    from decimal import Decimal

    import numpy as np

    rows = [{"name": "a", "n": np.int64(7), "pct": Decimal("12.5"), "at": date(2026, 5, 4)},
            {"name": "b", "n": float("nan"), "pct": np.float64(3.26)}]
    sheet = load_workbook(io.BytesIO(b"".join(xlsx_chunks(table(rows))))).active
    assert [c.value for c in sheet[2]] == ["a", 7, 12.5, datetime(2026, 5, 4)]
    assert sheet["D2"].number_format == "dd.mm.yyyy"  # a date without 00:00
    assert [c.value for c in sheet[3]][:3] == ["b", None, 3.3]
