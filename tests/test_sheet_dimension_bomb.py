"""A sheet whose cells lie far apart must be refused before calamine builds its dense grid (issue 16, item 1).

A 5 KB xlsx with A1 and XFD1000 grew a worker by ~600 MB; A1 and XFD1048576 would kill it. Every upload reads
through rsoko.tables.read_table_file, so the bound lives there.
"""
import io
import subprocess
import sys
import time
import zipfile
from pathlib import Path

from openpyxl import Workbook
import pytest

from rsoko import xlsx_extent
from rsoko.tables import TableFileError, read_table_file

LIMIT = 50 * 1024 * 1024
ROOT = Path(__file__).resolve().parents[1]


def two_cells(far: str) -> bytes:
    book = Workbook()
    book.active["A1"] = "код"
    book.active[far] = "x"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def rewritten(data: bytes, sheet_data: bytes | None = None, dimension: bytes | None = None) -> bytes:
    """The same book with the first sheet's <sheetData> and/or <dimension> replaced (as an attacker would)."""
    source, out = zipfile.ZipFile(io.BytesIO(data)), io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            content = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                if sheet_data is not None:
                    start, end = content.index(b"<sheetData>"), content.index(b"</sheetData>") + len(b"</sheetData>")
                    content = content[:start] + b"<sheetData>" + sheet_data + b"</sheetData>" + content[end:]
                if dimension is not None:
                    head, _, tail = content.partition(b"<dimension ref=")
                    content = head + b'<dimension ref="' + dimension + b'"' + tail.split(b'"', 2)[2]
            target.writestr(item.filename, content)
    return out.getvalue()


def inline(reference: str | None, text: str = "x", quote: str = '"') -> str:
    ref = f" r={quote}{reference}{quote}" if reference else ""
    return f'<c{ref} t="inlineStr"><is><t>{text}</t></is></c>'


def refusal(name: str, data: bytes) -> str:
    with pytest.raises(TableFileError) as refused:
        read_table_file(name, data, limit_bytes=LIMIT)
    return str(refused.value)


def test_a1_and_xfd1000_is_refused_quickly_in_russian():
    data = two_cells("XFD1000")
    assert len(data) < 6 * 1024
    started = time.perf_counter()
    message = refusal("бомба.xlsx", data)
    assert time.perf_counter() - started < 1.0
    assert message.startswith("Файл «бомба.xlsx», лист «Sheet»:")
    assert "XFD1000" in message and "16\u202f384\u202f000 ячеек" in message
    assert "Удалите строки и столбцы за пределами данных" in message


def test_a_lying_dimension_does_not_hide_the_far_cell():
    """The declared <dimension> says A1:B2; the cells still reach XFD1000."""
    message = refusal("ложь.xlsx", rewritten(two_cells("XFD1000"), dimension=b"A1:B2"))
    assert "таблица доходит до ячейки XFD1000" in message and "заполнено лишь 2" in message


def test_the_last_cell_of_a_sheet_is_refused():
    message = refusal("b.xlsx", rewritten(two_cells("XFD1048576"), dimension=b"A1:B2"))
    assert "XFD1048576" in message


def test_a_declared_huge_dimension_is_refused_by_itself():
    message = refusal("d.xlsx", rewritten(two_cells("B2"), dimension=b"A1:XFD1048576"))
    assert "в описании листа объявлен диапазон до ячейки XFD1048576" in message


@pytest.mark.parametrize("sheet_data", [
    # cells without references follow their left neighbour; a row without one follows the row above
    ("<row r='1'>" + inline(None) * 300 + "</row><row r='900000'>" + inline(None) + "</row>"),
    # references written as XML allows but not as Excel writes them: single quotes, a tab, lower case
    ("<row r='1'>" + inline("A1", quote="'") + "</row><row r='2'><c\tr = \"xfd900000\" t=\"inlineStr\">"
     "<is><t>x</t></is></c></row>"),
    # a far cell in a tag with a namespace prefix
    ('<row r="1">' + inline("A1") + '</row><row r="2"><x:c xmlns:x="http://schemas.openxmlformats.org/'
     'spreadsheetml/2006/main" r="XFD2000" t="inlineStr"><x:is><x:t>y</x:t></x:is></x:c></row>'),
], ids=["no references", "unusual references", "prefixed tag"])
def test_cells_placed_without_plain_references_are_measured_exactly(sheet_data):
    message = refusal("r.xlsx", rewritten(two_cells("B2"), sheet_data=sheet_data.encode()))
    assert "почти весь лист пуст" in message


def test_a_dense_sheet_and_a_small_sparse_one_are_read():
    book = Workbook()
    sheet = book.active
    for row in range(1, 301):
        sheet.append([f"sch{row:04d}", row] + list(range(30)))
    sheet["AZ900"] = "примечание"  # 900 × 52 cells, mostly empty: small enough to accept whatever its shape
    buffer = io.BytesIO()
    book.save(buffer)
    [read] = read_table_file("ok.xlsx", buffer.getvalue(), limit_bytes=LIMIT)
    assert (len(read.rows), len(read.rows[0])) == (900, 52)
    assert read.rows[0][:3] == ["sch0001", "1", "0"]


@pytest.mark.parametrize("dimension", [None, b"A1:B2"], ids=["declared", "declared too small"])
def test_a_sparse_grid_over_a_million_cells_is_refused_whatever_it_declares(dimension):
    """26 × 50,000 = 1.3 M cells with 2 filled: the filled cells are counted on the way when the declared size is
    over the floor, in a second pass when the sheet only turns out that large."""
    data = two_cells("Z50000")
    message = refusal("s.xlsx", rewritten(data, dimension=dimension) if dimension else data)
    assert "почти весь лист пуст" in message and "заполнено лишь 2" in message


def test_a_filled_grid_over_a_million_cells_declared_small_is_read():
    """40,000 × 26 cells, 15 % filled, declaring A1:B2: the second count finds enough cells."""
    rows = "".join(f'<row r="{r}">' + "".join(inline(f"{c}{r}", "1") for c in "ABCD")
                   + (inline("Z1", "край") if r == 1 else "") + "</row>" for r in range(1, 40_001))
    data = rewritten(two_cells("B2"), sheet_data=rows.encode(), dimension=b"A1:B2")
    [read] = read_table_file("ok.xlsx", data, limit_bytes=LIMIT)
    assert (len(read.rows), len(read.rows[0])) == (40_000, 26)


def test_the_exact_and_the_fast_scan_agree():
    rows = (f'<row r="{r}">' + "".join(inline(f"{c}{r}", str(r)) for c in "ACE") + "</row>" for r in range(1, 50))
    data = rewritten(two_cells("B2"), sheet_data="".join(rows).encode())
    archive = zipfile.ZipFile(io.BytesIO(data))
    member = archive.getinfo("xl/worksheets/sheet1.xml")
    fast, exact = xlsx_extent.Extent(), xlsx_extent.Extent()
    assert all(xlsx_extent.scan_fast(piece, fast, count_filled=True) for piece in xlsx_extent.chunks(archive, member))
    xlsx_extent.scan_exact(archive, member, exact)
    assert fast == exact == xlsx_extent.Extent(rows=49, columns=5, filled=147)


def test_refusing_the_bomb_keeps_the_worker_small(tmp_path):
    """Peak memory of a fresh interpreter reading the bomb: ~600 MB more before the bound, a few MB after."""
    bomb = tmp_path / "bomb.xlsx"
    bomb.write_bytes(two_cells("XFD1000"))
    script = (
        "import resource, sys\n"
        "from rsoko.tables import TableFileError, read_table_file\n"
        "before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss\n"
        "try:\n"
        f"    read_table_file('bomb.xlsx', open(sys.argv[1], 'rb').read(), limit_bytes={LIMIT})\n"
        "except TableFileError:\n"
        "    pass\n"
        "print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before)\n"
    )
    grown_kb = int(subprocess.run([sys.executable, "-c", script, str(bomb)], cwd=ROOT, capture_output=True,
                                  text=True, check=True).stdout)
    assert grown_kb < 50 * 1024


def test_a_cell_reference_beyond_its_row_tag_is_found():
    """Row tags say 1 and 2; the second cell's own reference puts it at row 900 000 (calamine follows the cell)."""
    sheet_data = '<row r="1">' + inline("A1") + '</row><row r="2">' + inline("B2") + inline("C900000") + "</row>"
    message = refusal("r.xlsx", rewritten(two_cells("B2"), sheet_data=sheet_data.encode()))
    assert "C900000" in message and "почти весь лист пуст" in message


def test_lower_case_or_zero_padded_references_are_measured():
    for far in ("xfd5000", "XFD0005000"):
        sheet_data = '<row r="1">' + inline("A1") + f'<c r="{far}" t="inlineStr"><is><t>x</t></is></c></row>'
        assert "XFD5000" in refusal("r.xlsx", rewritten(two_cells("B2"), sheet_data=sheet_data.encode()))


# ---------------------------------------------------------------- Excel 97–2003 (.xls)

def xls_book(cells, sheets=("Лист1",)) -> bytes:
    import xlwt

    book = xlwt.Workbook()
    pages = [book.add_sheet(name) for name in sheets]
    for page, row, column, value in cells:
        pages[page].write(row, column, value)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_an_xls_with_cells_at_opposite_corners_is_refused_before_the_grid_is_built():
    bomb = xls_book([(0, 0, 0, "код"), (0, 65535, 255, "x")])
    assert len(bomb) < 10_000
    started = time.perf_counter()
    with pytest.raises(TableFileError) as refused:
        read_table_file("bomb.xls", bomb, limit_bytes=LIMIT)
    assert time.perf_counter() - started < 1
    assert "лист «№ 1»" in str(refused.value) and "IV65536" in str(refused.value)


def test_the_second_sheet_of_an_xls_is_measured_too():
    bomb = xls_book([(0, 0, 0, "код"), (1, 0, 0, "код"), (1, 65535, 255, "x")], sheets=("Данные", "Классы"))
    with pytest.raises(TableFileError, match="№ 2"):
        read_table_file("bomb.xls", bomb, limit_bytes=LIMIT)


def test_an_ordinary_xls_still_reads():
    rows = [(0, 0, 0, "логин"), (0, 0, 1, "имя")] + [(0, r, c, f"{r}-{c}") for r in range(1, 200) for c in range(2)]
    sheets = read_table_file("registry.xls", xls_book(rows), limit_bytes=LIMIT)
    assert sheets[0].rows[0] == ["логин", "имя"] and len(sheets[0].rows) == 200


def test_an_xls_that_is_not_an_ole_book_is_a_russian_error():
    with pytest.raises(TableFileError, match="Excel 97–2003"):
        read_table_file("broken.xls", xlsx_extent_magic_only(), limit_bytes=LIMIT)


def xlsx_extent_magic_only() -> bytes:
    return b"\xd0\xcf\x11\xe0" + b"\x00" * 600


def test_reading_a_head_leaves_the_grid_alone_and_reading_the_whole_file_refuses_it():
    """Recognising an archive's file reads its first rows from the sheet XML without building the grid, so it
    skips measuring it; the same file read whole (the import itself) is refused as before."""
    data = two_cells("XFD1000")
    head = read_table_file("бомба.xlsx", data, limit_bytes=LIMIT, head_rows=5)
    assert head[0].rows[0][0] == "код"
    assert "XFD1000" in refusal("бомба.xlsx", data)


def test_a_head_that_falls_back_to_calamine_measures_the_grid_first(monkeypatch):
    from rsoko import tables

    def unusual(data, rows):
        raise ValueError("a workbook the head reader does not know")

    monkeypatch.setattr(tables, "xlsx_head", unusual)
    with pytest.raises(TableFileError) as refused:
        read_table_file("бомба.xlsx", two_cells("XFD1000"), limit_bytes=LIMIT, head_rows=5)
    assert "XFD1000" in str(refused.value)
    small = read_table_file("малый.xlsx", two_cells("C3"), limit_bytes=LIMIT, head_rows=5)
    assert small[0].rows[0][0] == "код"
