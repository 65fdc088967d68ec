"""The grid an xlsx sheet would become, measured on its XML before calamine builds it.

calamine turns a sheet into a dense rectangle from A1 to the farthest cell holding a value: a 5 KB file with
A1 and XFD1000 becomes 16 million cells (≈ 600 MB in a worker), A1 and XFD1048576 would need terabytes. So
every sheet part is scanned first, as calamine would place its cells (a cell's own reference wins; a cell
without one follows its left neighbour, a row without one follows the row above), and a grid that is too big
overall, or much bigger than the cells actually filled, is refused. The declared `<dimension>` is held to the
same overall bound.

Two scans: a fast one by regular expressions for sheets where every cell carries a plain `r="A1"`
reference (what Excel, LibreOffice, openpyxl and ФИС ОКО write), and an exact streaming XML parse for the rest.
"""
from dataclasses import dataclass
import re
import zipfile

from defusedxml.ElementTree import iterparse

MAX_SHEET_CELLS = 15_000_000  # a filled sheet this large would not fit the upload size limit anyway
SPARSE_GRID_FLOOR = 1_000_000  # any shape up to this many cells (≈ 40 MB at worst) is accepted
MIN_FILLED_SHARE = 10  # a bigger grid must have at least one cell in ten filled
CHUNK_BYTES = 8 * 1024 * 1024

CELL_COLUMN = re.compile(rb'<c r="([A-Z]+)[0-9]+"')
CELL_ROW = re.compile(rb'<c r="[A-Z]+([0-9]+)"')
ROW_NUMBER = re.compile(rb'<row r="([0-9]+)"')
CELL_WITHOUT_PLAIN_REFERENCE = re.compile(rb'<c(?! r="[A-Z]+[0-9]+"|o|f)')
PREFIXED_TAG = re.compile(rb"<[\w.-]+:(?:c|row)[\s/>]")
PREFIX_HINT = re.compile(rb":(?:c |c>|row)")
DIMENSION = re.compile(rb'<dimension\s+ref\s*=\s*["\']([A-Za-z]*)([0-9]*)(?::([A-Za-z]*)([0-9]*))?["\']')
REFERENCE = re.compile(r"([A-Za-z]*)([0-9]*)")


@dataclass
class Extent:
    rows: int = 0
    columns: int = 0
    filled: int = 0

    @property
    def cells(self) -> int:
        return self.rows * self.columns

    def widen(self, rows: int, columns: int) -> None:
        self.rows, self.columns = max(self.rows, rows), max(self.columns, columns)


class SheetTooLarge(Exception):
    def __init__(self, extent: Extent, declared: bool):
        super().__init__(f"{extent.rows}×{extent.columns}")
        self.extent, self.declared = extent, declared


def column_number(letters: str | bytes) -> int:
    """'A' → 1, 'XFD' → 16384; case as calamine reads it."""
    number = 0
    for letter in letters.upper() if isinstance(letters, str) else letters.decode("ascii").upper():
        number = number * 26 + ord(letter) - 64
    return number


def column_letters(number: int) -> str:
    letters = ""
    while number > 0:
        number, rest = divmod(number - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def check_grid(extent: Extent) -> None:
    too_sparse = extent.cells > SPARSE_GRID_FLOOR and extent.filled * MIN_FILLED_SHARE < extent.cells
    if extent.cells > MAX_SHEET_CELLS or too_sparse:
        raise SheetTooLarge(extent, declared=False)


def check_declared(head: bytes) -> Extent:
    """`<dimension ref="A1:XFD1048576"/>` stands before the data: a sheet claiming a huge grid is refused at once.
    Returns the declared extent (empty when there is none)."""
    found = DIMENSION.search(head)
    if not found:
        return Extent()
    end_letters, end_digits = (found.group(3), found.group(4)) if found.group(3) is not None else found.group(1, 2)
    declared = Extent(int(end_digits or 0), column_number(end_letters or b""))
    if declared.cells > MAX_SHEET_CELLS:
        raise SheetTooLarge(declared, declared=True)
    return declared


def chunks(archive: zipfile.ZipFile, member: zipfile.ZipInfo):
    """The part's bytes in pieces cut just before a '<', so no tag is split between two pieces."""
    rest = b""
    with archive.open(member) as stream:
        while piece := stream.read(CHUNK_BYTES):
            piece = rest + piece
            cut = piece.rfind(b"<")
            if cut <= 0:
                rest = piece
                continue
            yield piece[:cut]
            rest = piece[cut:]
    if rest:
        yield rest


def scan_fast(piece: bytes, extent: Extent, *, count_filled: bool) -> bool:
    """For a piece whose every cell tag starts with a plain r="A1" (rows then do not matter) and has no
    namespace prefix. Empty styled cells (`<c r="Z9" s="3"/>`) count towards the grid: the bound errs on
    the safe side. Returns False when the piece is not of that kind.

    Listing every reference costs as much as calamine's own read, so the far corner is guessed from the last row
    tag and the first cells, and one search per axis looks for any reference beyond it; only when one is found
    are the references of that axis listed. The filled cells are counted only when asked (see check_sheet_part)."""
    # one search for the three hints (three `in` scans cost a quarter of this function); a false alarm only costs
    # the exact scan below
    if PREFIX_HINT.search(piece) and PREFIXED_TAG.search(piece):
        return False
    last_row = ROW_NUMBER.match(piece, max(piece.rfind(b'<row r="'), 0))
    rows = max(extent.rows, int(last_row.group(1)) if last_row else 0)
    columns = max([extent.columns, *map(column_number, set(CELL_COLUMN.findall(piece[:65536])))])
    # One pass over the cell tags: a tag without a plain reference (<co…>, <cf…> are other elements), or a
    # reference beyond the guessed corner. Listing the references is for such pieces only.
    beyond = re.compile(rb'<c(?:(?! r="|o|f)| r="(?:(?![A-Z]+[0-9]+")|[A-Z]+0*' + greater_than(str(rows), DIGITS)
                        + b'"|' + greater_than(column_letters(columns), LETTERS) + b"[0-9]))")
    if beyond.search(piece):
        if CELL_WITHOUT_PLAIN_REFERENCE.search(piece):
            return False
        rows = max([rows, *map(int, set(CELL_ROW.findall(piece)))])
        columns = max([columns, *map(column_number, set(CELL_COLUMN.findall(piece)))])
    if count_filled:
        extent.filled += filled_cells(piece)
    extent.widen(rows, columns)
    return True


def filled_cells(piece: bytes) -> int:
    return piece.count(b"</c>")


DIGITS, LETTERS = "0123456789", "ABCDEFGHIJKLMNOPQRSTUVWXYZ"


def greater_than(text: str, alphabet: str) -> bytes:
    """A pattern for the numerals (digits, or column letters) that stand above `text`: longer ones, or as long
    and greater at the first difference. Digits may carry leading zeros before it (calamine reads «A007» as 7)."""
    text = text.lstrip("0") if alphabet == DIGITS else text
    first = alphabet[1:] if alphabet == DIGITS else alphabet
    options = [f"[{first}][{alphabet}]{{{len(text)},}}"]
    for position, symbol in enumerate(text):
        above = alphabet[alphabet.index(symbol) + 1:]
        if above:
            options.append(f"{text[:position]}[{above}][{alphabet}]{{{len(text) - position - 1}}}")
    return f"(?:{'|'.join(options)})".encode()


def scan_exact(archive: zipfile.ZipFile, member: zipfile.ZipInfo, extent: Extent) -> None:
    """Places every cell as calamine does; slower, for sheets written without plain references."""
    row, column, value_seen = 0, 0, False
    with archive.open(member) as stream:
        for event, element in iterparse(stream, events=("start", "end"), forbid_dtd=True):
            tag = element.tag.rsplit("}", 1)[-1]
            reference = next((v for k, v in element.attrib.items() if k.rsplit("}", 1)[-1] == "r"), None)
            if event == "start" and tag == "row":
                row, column = (int(reference) if reference and reference.isdigit() else row + 1), 0
            elif event == "start" and tag == "c":
                letters, digits = REFERENCE.match(reference or "").groups()
                column = column_number(letters) if letters else column + 1
                row = int(digits) if digits else row
                value_seen = False
            elif event == "end" and tag in {"v", "is", "f"}:
                value_seen = value_seen or bool(element.text) or len(element) > 0
            elif event == "end" and tag == "c":
                if value_seen:
                    extent.filled += 1
                    extent.widen(row, column)
                check_grid(extent)
            if event == "end" and tag in {"c", "row"}:
                element.clear()


def check_sheet_part(archive: zipfile.ZipFile, member: zipfile.ZipInfo) -> None:
    """Raises SheetTooLarge when the part, read as a sheet, would make a grid too big or too empty.

    The filled cells matter only for a grid over SPARSE_GRID_FLOOR: they are counted on the way when the declared
    dimension says the sheet is that large, and in a second pass when the sheet turns out larger than it said
    (counting costs a sixth of the scan, and most sheets are smaller than the floor)."""
    extent, counted = Extent(), False
    for index, piece in enumerate(chunks(archive, member)):
        if index == 0:
            counted = check_declared(piece).cells > SPARSE_GRID_FLOOR
        if b"<c" not in piece and b":c" not in piece:
            continue
        if not scan_fast(piece, extent, count_filled=counted):
            extent, counted = Extent(), True
            scan_exact(archive, member, extent)
            break
    if extent.cells > SPARSE_GRID_FLOOR and not counted:
        extent.filled = sum(map(filled_cells, chunks(archive, member)))
    check_grid(extent)


def sheet_names_by_part(archive: zipfile.ZipFile) -> dict[str, str]:
    """'xl/worksheets/sheet1.xml' → 'Лист1', to name the sheet in a message; {} when the book is unusual."""
    from defusedxml.ElementTree import fromstring

    try:
        relations = fromstring(archive.read("xl/_rels/workbook.xml.rels"))
        targets = {rel.get("Id"): rel.get("Target", "") for rel in relations}
        sheets = [e for e in fromstring(archive.read("xl/workbook.xml")).iter() if e.tag.endswith("}sheet")]
        return {
            target.lstrip("/") if target.startswith("/") else f"xl/{target}": sheet.get("name", "")
            for sheet in sheets
            for key, value in sheet.attrib.items() if key.endswith("}id") and (target := targets.get(value))
        }
    except Exception:  # the names only decorate the message; calamine judges the book itself
        return {}


# ---------------------------------------------------------------- Excel 97–2003 (.xls, BIFF8)
# Cell records of a BIFF worksheet start with the cell's row and column (two little-endian words); MULRK and
# MULBLANK hold a run of cells whose last column ends the record. calamine builds the grid from these.
BIFF_CELLS = {0x0006, 0x00FD, 0x0201, 0x0203, 0x0204, 0x0205, 0x027E, 0x00D6}
BIFF_RUNS = {0x00BD, 0x00BE}
BIFF_BOF, BIFF_EOF = 0x0809, 0x000A


def xls_sheet_extents(workbook_stream: bytes) -> list[Extent]:
    """The grid each worksheet of a BIFF8 book would become (its farthest cell), in the book's order."""
    extents, current, offset, end = [], None, 0, len(workbook_stream)
    while offset + 4 <= end:
        kind = int.from_bytes(workbook_stream[offset:offset + 2], "little")
        length = int.from_bytes(workbook_stream[offset + 2:offset + 4], "little")
        body = workbook_stream[offset + 4:offset + 4 + length]
        offset += 4 + length
        if kind == BIFF_BOF:
            current = Extent()
        elif kind == BIFF_EOF and current is not None:
            extents.append(current)
            current = None
        elif current is not None and len(body) >= 4 and kind in BIFF_CELLS | BIFF_RUNS:
            row, first = int.from_bytes(body[0:2], "little"), int.from_bytes(body[2:4], "little")
            last = int.from_bytes(body[-2:], "little") if kind in BIFF_RUNS and len(body) >= 6 else first
            current.widen(row + 1, max(first, last) + 1)
            current.filled += 1 if kind in BIFF_CELLS else max(last - first + 1, 1)
    return [extent for extent in extents if extent.cells]


def check_xls_book(data: bytes) -> None:
    """Refuses an .xls whose worksheet grid is too big or mostly empty, before calamine allocates it;
    the SheetTooLarge raised carries the worksheet's number (`sheet_number`, from 1)."""
    import olefile

    with olefile.OleFileIO(data) as book:
        stream_name = "Workbook" if book.exists("Workbook") else "Book"
        stream = book.openstream(stream_name).read()
    for number, extent in enumerate(xls_sheet_extents(stream), start=1):
        try:
            check_grid(extent)
        except SheetTooLarge as too_large:
            too_large.sheet_number = number
            raise
