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
    assert [v[0] for v in values[2:7]] == ["'+7 900", "'@sum", "'\tтаб", "-12", "текст <&> "]
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
