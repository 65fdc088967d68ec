"""Reading uploaded tables (xlsx, xls, csv) safely and fast.

Every upload passes the same gate before any parsing: a known file type whose bytes agree with its
name, a size limit, an xlsx whose parts cannot expand past a bound (zip bomb) and whose XML carries
no document type declarations (entity expansion tricks). Then cells come back as strings, exactly
as the user sees them in Excel, so normalisation rules live in one place: the importers.
"""
from dataclasses import dataclass
import csv
import html
import io
import itertools
import re
import zipfile

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import iterparse
from python_calamine import CalamineWorkbook
import pandas as pd

from rsoko import xlsx_extent
from rsoko.typography import number, plural

XLSX_MAGIC = b"PK\x03\x04"
XLS_MAGIC = b"\xd0\xcf\x11\xe0"
MAX_EXPANDED_BYTES = 1024 * 1024 * 1024  # 1 GiB of XML inside one xlsx is far beyond any real protocol
MAX_COMPRESSION_RATIO = 200
CSV_DELIMITERS = ";,\t"


class TableFileError(Exception):
    """The file cannot be read at all; the message is in Russian and shown to the user."""


@dataclass
class Sheet:
    name: str
    rows: list[list[str]]  # every cell as text; the first row is usually the header


def cell_text(value) -> str:
    """Excel cells as the user sees them: 12.0 → '12', None → ''."""
    if value is None:
        return ""
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, bool):
        return "ИСТИНА" if value else "ЛОЖЬ"
    return str(value).strip()


def row_text(row: list) -> list[str]:
    """cell_text for a whole row; text cells (most of them) take the short path: this loop is the hot one."""
    return [v.strip() if type(v) is str else cell_text(v) for v in row]


def file_kind(name: str, head: bytes) -> str:
    suffix = name.lower().rsplit(".", 1)[-1] if "." in name else ""
    if suffix not in {"xlsx", "xls", "csv"}:
        raise TableFileError(
            f"Файл «{name}»: неподдерживаемый тип. Загрузите таблицу Excel (.xlsx, .xls) или CSV (.csv)."
        )
    if suffix == "xlsx" and not head.startswith(XLSX_MAGIC):
        raise TableFileError(f"Файл «{name}» назван .xlsx, но не является книгой Excel. Сохраните его заново в Excel.")
    if suffix == "xls" and not head.startswith(XLS_MAGIC):
        raise TableFileError(f"Файл «{name}» назван .xls, но не является книгой Excel 97–2003.")
    if suffix == "csv" and (head.startswith(XLSX_MAGIC) or head.startswith(XLS_MAGIC) or b"\x00" in head):
        raise TableFileError(f"Файл «{name}» назван .csv, но содержит двоичные данные, а не текст.")
    return suffix


def check_size(name: str, size: int, limit_bytes: int) -> None:
    if size == 0:
        raise TableFileError(f"Файл «{name}» пуст.")
    if size > limit_bytes:
        raise TableFileError(
            f"Файл «{name}» слишком большой: {size / 1048576:.1f} МБ при допустимых {limit_bytes / 1048576:.0f} МБ."
        )


def check_xlsx_container(name: str, data: bytes, *, grids: bool = True) -> None:
    """Refuses zip bombs and XML with document type declarations before calamine sees the file.

    `grids=False` leaves out measuring the sheets' grids (a scan of every sheet's whole XML, as long as a third
    of calamine's own read): reading a file's head does not build the grid, and `read_workbook` measures them
    before it falls back to calamine."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        raise TableFileError(f"Файл «{name}» повреждён: не удаётся открыть книгу Excel.") from None
    with archive:
        members = archive.infolist()
        expanded = sum(member.file_size for member in members)
        compressed = max(1, sum(member.compress_size for member in members))
        if expanded > MAX_EXPANDED_BYTES or expanded / compressed > MAX_COMPRESSION_RATIO:
            raise TableFileError(
                f"Файл «{name}» отклонён: при распаковке он занял бы {expanded / 1048576:.0f} МБ "
                "(подозрение на «zip-бомбу»)."
            )
        for member in members:
            if member.filename.endswith((".xml", ".rels")):
                check_xml_prolog(name, archive, member)
        if grids:
            check_sheet_grids(name, archive, members)


def check_sheet_grids(name: str, archive: zipfile.ZipFile, members: list[zipfile.ZipInfo]) -> None:
    """Every XML part is measured as a sheet (calamine follows the book's own links, so no part is trusted
    by its name): a grid too big or mostly empty is refused before calamine allocates it."""
    for member in members:
        if not member.filename.endswith(".xml"):
            continue
        try:
            xlsx_extent.check_sheet_part(archive, member)
        except xlsx_extent.SheetTooLarge as too_large:
            sheet = xlsx_extent.sheet_names_by_part(archive).get(member.filename, member.filename)
            raise TableFileError(sheet_too_large_message(name, sheet, too_large)) from None
        except TableFileError:
            raise
        except Exception:
            raise TableFileError(f"Файл «{name}» повреждён: часть {member.filename} не читается как XML.") from None


def check_xls_grid(name: str, data: bytes) -> None:
    try:
        xlsx_extent.check_xls_book(data)
    except xlsx_extent.SheetTooLarge as too_large:
        raise TableFileError(sheet_too_large_message(name, f"№ {too_large.sheet_number}", too_large)) from None
    except Exception:
        raise TableFileError(f"Файл «{name}» повреждён: книга Excel 97–2003 не читается.") from None


def sheet_too_large_message(name: str, sheet: str, too_large: "xlsx_extent.SheetTooLarge") -> str:
    extent = too_large.extent
    corner = f"{xlsx_extent.column_letters(extent.columns)}{extent.rows}"
    size = (f"{number(extent.rows)} {plural(extent.rows, 'строка', 'строки', 'строк')} × {number(extent.columns)} "
            f"{plural(extent.columns, 'столбец', 'столбца', 'столбцов')}, {number(extent.cells)} "
            f"{plural(extent.cells, 'ячейка', 'ячейки', 'ячеек')}")
    if too_large.declared:
        reason = f"в описании листа объявлен диапазон до ячейки {corner} ({size})"
    elif extent.filled * xlsx_extent.MIN_FILLED_SHARE < extent.cells:
        reason = (f"таблица доходит до ячейки {corner} ({size}), а заполнено лишь {number(extent.filled)}: "
                  "почти весь лист пуст")
    else:
        reason = f"таблица доходит до ячейки {corner} ({size})"
    return (f"Файл «{name}», лист «{sheet}»: {reason}. Допустимо не больше {number(xlsx_extent.MAX_SHEET_CELLS)} "
            "ячеек, и заполненной должна быть хотя бы десятая часть. Удалите строки и столбцы за пределами данных "
            "(и их оформление) и сохраните файл заново.")


def check_xml_prolog(name: str, archive: zipfile.ZipFile, member: zipfile.ZipInfo) -> None:
    """A DTD can only stand before the root element: parse up to the root with DTDs forbidden."""
    try:
        with archive.open(member) as stream:
            for _event, _element in iterparse(stream, events=("start",), forbid_dtd=True):
                break
    except DefusedXmlException:
        raise TableFileError(
            f"Файл «{name}» отклонён: часть {member.filename} содержит объявление DTD/сущностей XML, "
            "недопустимое в книгах Excel."
        ) from None
    except Exception:
        raise TableFileError(f"Файл «{name}» повреждён: часть {member.filename} не читается как XML.") from None


XLSX_HEAD_BYTES = 1024 * 1024  # decompressed sheet XML read for a head: far more than 40 rows of any results file
HEAD_CELL = re.compile(r'<c\b([^>]*?)(?:/>|>(.*?)</c>)', re.S)
HEAD_ROW = re.compile(r'<row\b[^>]*>(.*?)</row>', re.S)


def xml_attributes(text: str) -> dict[str, str]:
    return dict(re.findall(r'([\w:]+)="([^"]*)"', text))


def xlsx_head(data: bytes, rows: int) -> list[Sheet]:
    """The first rows of every sheet of an xlsx without parsing the whole sheet (calamine parses it all): the
    beginning of each sheet's XML is inflated and read. Shared strings are read only up to the last one used."""
    archive = zipfile.ZipFile(io.BytesIO(data))
    book = archive.read("xl/workbook.xml").decode("utf-8")
    rels = archive.read("xl/_rels/workbook.xml.rels").decode("utf-8")
    targets = {a.get("Id"): a.get("Target", "") for a in map(xml_attributes, re.findall(r"<Relationship\b([^>]*)/?>", rels))}
    sheets, wanted = [], []
    for attributes in map(xml_attributes, re.findall(r"<sheet\b([^>]*)/?>", book)):
        target = targets[attributes["r:id"]].lstrip("/")
        path = target if target.startswith("xl/") else f"xl/{target}"
        with archive.open(path) as stream:
            text = stream.read(XLSX_HEAD_BYTES).decode("utf-8", errors="ignore")
        cells = [[(xml_attributes(a), body or "") for a, body in HEAD_CELL.findall(row.group(1))]
                 for row in itertools.islice(HEAD_ROW.finditer(text), rows)]
        wanted += [int(re.search(r"<v>(\d+)</v>", body).group(1)) for row in cells for a, body in row
                   if a.get("t") == "s" and "<v>" in body]
        sheets.append((xml_text(attributes.get("name", "")), cells))
    strings = shared_strings(archive, max(wanted, default=-1))
    return [Sheet(name, padded([head_row(row, strings) for row in cells])) for name, cells in sheets]


def padded(rows: list[list[str]]) -> list[list[str]]:
    """Rows as wide as the widest, as calamine gives them."""
    width = max(map(len, rows), default=0)
    return [row + [""] * (width - len(row)) for row in rows]


def xml_text(raw: str) -> str:
    """Text as an XML parser gives it: line ends normalised, entities and character references resolved."""
    return html.unescape(raw.replace("\r\n", "\n").replace("\r", "\n"))


def shared_strings(archive: zipfile.ZipFile, last: int) -> list[str]:
    if last < 0:
        return []
    strings, text = [], ""
    with archive.open("xl/sharedStrings.xml") as stream:
        while len(strings) <= last:
            chunk = stream.read(256 * 1024)
            text += chunk.decode("utf-8", errors="ignore") if chunk else ""
            end = text.rfind("</si>")
            if end >= 0:
                strings += [cell_xml_text(si) for si in re.findall(r"<si>(.*?)</si>", text[:end + 5], re.S)]
                text = text[end + 5:]
            if not chunk:
                break
    return strings


def cell_xml_text(body: str) -> str:
    return xml_text("".join(re.findall(r"<t\b[^>]*>(.*?)</t>", body, re.S)))


def head_row(cells, strings: list[str]) -> list[str]:
    row = []
    for attributes, body in cells:
        column = column_index(attributes.get("r", "")) if attributes.get("r") else len(row)
        row += [""] * (column - len(row))
        kind, value = attributes.get("t", "n"), re.search(r"<v>(.*?)</v>", body, re.S)
        if kind == "s":
            text = strings[int(value.group(1))] if value else ""
        elif kind == "inlineStr":
            text = cell_xml_text(body)
        elif kind == "b":
            text = cell_text(value is not None and value.group(1) == "1")
        elif value is None:
            text = ""
        elif kind in ("str", "e"):
            text = xml_text(value.group(1))
        else:
            text = cell_text(float(value.group(1)))
        row.append(text.strip())
    return row


def column_index(reference: str) -> int:
    number = 0
    for letter in re.match(r"[A-Z]*", reference).group(0):
        number = number * 26 + ord(letter) - 64
    return number - 1


def read_workbook(name: str, data: bytes, head_rows: int | None = None) -> list[Sheet]:
    """The sheets as text; with `head_rows`, an xlsx's container has been checked without its grids (see
    read_table_file), so they are measured here before calamine parses the book."""
    if head_rows and data.startswith(XLSX_MAGIC):
        try:
            return xlsx_head(data, head_rows)
        except Exception:  # an unusual workbook: calamine reads it below (slower: it parses whole sheets)
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                check_sheet_grids(name, archive, archive.infolist())
    try:
        workbook = CalamineWorkbook.from_filelike(io.BytesIO(data))
        sheets = []
        for sheet_name in workbook.sheet_names:
            sheet = workbook.get_sheet_by_name(sheet_name)
            raw = sheet.to_python(skip_empty_area=False, nrows=head_rows) if head_rows else sheet.to_python(
                skip_empty_area=False)
            sheets.append(Sheet(sheet_name, [row_text(row) for row in raw]))
        return sheets
    except TableFileError:
        raise
    except Exception:
        raise TableFileError(f"Файл «{name}» повреждён или защищён паролем: не удаётся прочитать листы.") from None


def decode_text(name: str, data: bytes) -> str:
    """Russian CSV comes in UTF-8 (with or without BOM) or in cp1251."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="strict")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1251")
    except UnicodeDecodeError:
        raise TableFileError(f"Файл «{name}»: не удалось определить кодировку (ожидается UTF-8 или Windows-1251).") from None


def sniff_delimiter(first_line: str) -> str:
    counts = {delimiter: first_line.count(delimiter) for delimiter in CSV_DELIMITERS}
    best = max(counts, key=counts.get)
    return best if counts[best] else ";"


def strip_column(column: pd.Series):
    """str.strip once per distinct value: columns of a results file repeat few values."""
    codes, uniques = pd.factorize(column, use_na_sentinel=False)
    stripped = pd.Series(uniques, dtype=object).str.strip().to_numpy(dtype=object)
    return stripped[codes]


def read_csv_text(name: str, text: str) -> list[Sheet]:
    first_line = text.split("\n", 1)[0]
    frame = pd.read_csv(
        io.StringIO(text),
        sep=sniff_delimiter(first_line),
        dtype=str,
        keep_default_na=False,
        header=None,
        quoting=csv.QUOTE_MINIMAL,
        skip_blank_lines=False,
        engine="c",
    )
    rows = pd.DataFrame({c: strip_column(frame[c]) for c in frame.columns}).values.tolist() if len(frame) else []
    return [Sheet(name.rsplit(".", 1)[0], rows)]


def csv_head(data: bytes, rows: int) -> bytes:
    """The first bytes of a CSV, cut after a line break (never inside a multi-byte letter)."""
    chunk = data[:rows * 4096]
    return chunk[:chunk.rfind(b"\n") + 1] or chunk


def read_table_file(name: str, data: bytes, *, limit_bytes: int, head_rows: int | None = None) -> list[Sheet]:
    """All sheets of an uploaded xlsx/xls/csv, every cell as text. Raises TableFileError in Russian.

    `head_rows` reads only the first rows of each sheet (enough to tell what the file is)."""
    check_size(name, len(data), limit_bytes)
    kind = file_kind(name, data[:8])
    if kind == "xlsx":
        check_xlsx_container(name, data, grids=not head_rows)
    if kind == "xls":
        check_xls_grid(name, data)
    if kind in {"xlsx", "xls"}:
        sheets = read_workbook(name, data, head_rows)
    else:
        try:
            text = decode_text(name, csv_head(data, head_rows) if head_rows else data)
            sheets = read_csv_text(name, "\n".join(text.split("\n")[:head_rows]) if head_rows else text)
        except pd.errors.ParserError as exc:
            raise TableFileError(f"Файл «{name}»: строки CSV имеют разное число столбцов ({exc}).") from None
    if not any(any(cell for cell in row) for sheet in sheets for row in sheet.rows):
        raise TableFileError(f"Файл «{name}» не содержит данных.")
    return sheets


def excel_row(index: int, header_row: int = 1) -> int:
    """The row number the user sees in Excel for the index-th data row after the header."""
    return header_row + 1 + index
