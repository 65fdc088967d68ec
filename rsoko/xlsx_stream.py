"""A true streaming xlsx: the workbook's zip is produced piece by piece while rows are read, so the first bytes
leave at once and memory stays flat however many rows there are.

openpyxl (write-only) is used for ordinary tables; it assembles the zip only at the end, which for 200 000 rows
keeps the user waiting for tens of seconds before the download starts. Here the sheet XML (inline strings, one
bold header style, column widths, a frozen header) is written by hand into a `zipfile` opened on a
non-seekable sink (zip data descriptors), and each filled chunk is yielded to the HTTP response.
"""
import math
import numbers
import zipfile
from datetime import date, datetime
from decimal import Decimal
from typing import Iterable, Iterator
from xml.sax.saxutils import escape

from openpyxl.utils import get_column_letter

CHUNK = 256 * 1024
# Characters XML 1.0 forbids: a cell holding one would make Excel refuse the file.
ILLEGAL = dict.fromkeys([*range(0, 9), 11, 12, *range(14, 32)])

CONTENT_TYPES = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">
<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>
<Default Extension="xml" ContentType="application/xml"/>
<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>
<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>
<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>
</Types>"""
ROOT_RELS = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>
</Relationships>"""
WORKBOOK_RELS = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>
<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>
</Relationships>"""
# Styles: 0 — plain, 1 — bold header on a light fill, 2 — date and time, 3 — number with one decimal, 4 — date.
STYLES = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">
<numFmts count="2"><numFmt numFmtId="164" formatCode="dd.mm.yyyy hh:mm"/><numFmt numFmtId="165" formatCode="dd.mm.yyyy"/></numFmts>
<fonts count="2"><font><sz val="11"/><name val="Calibri"/></font><font><b/><sz val="11"/><name val="Calibri"/></font></fonts>
<fills count="3"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill>
<fill><patternFill patternType="solid"><fgColor rgb="FFE8EEF6"/></patternFill></fill></fills>
<borders count="1"><border/></borders>
<cellStyleXfs count="1"><xf/></cellStyleXfs>
<cellXfs count="5"><xf/><xf fontId="1" fillId="2" applyFont="1" applyFill="1" applyAlignment="1"><alignment wrapText="1" vertical="top"/></xf>
<xf numFmtId="164" applyNumberFormat="1"/><xf numFmtId="2" applyNumberFormat="1"/><xf numFmtId="165" applyNumberFormat="1"/></cellXfs>
<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>
</styleSheet>"""


def workbook_xml(title: str) -> str:
    return ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
            'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
            f'<sheets><sheet name="{escape(sheet_title(title), {chr(34): "&quot;"})}" sheetId="1" r:id="rId1"/></sheets></workbook>')


def sheet_title(title: str) -> str:
    for char in '[]:*?/\\':
        title = title.replace(char, " ")
    return title[:31] or "Таблица"


class Sink:
    """A write-only, non-seekable file: zipfile then writes data descriptors instead of seeking back."""

    def __init__(self):
        self.parts: list[bytes] = []
        self.size = 0

    def write(self, data: bytes) -> int:
        self.parts.append(bytes(data))
        self.size += len(data)
        return len(data)

    def flush(self):
        pass

    def take(self) -> bytes:
        data, self.parts, self.size = b"".join(self.parts), [], 0
        return data


EXCEL_EPOCH = datetime(1899, 12, 30)


def cell_xml(ref: str, value) -> str:
    if value is None or value == "":
        return ""
    if isinstance(value, bool):
        return f'<c r="{ref}" t="b"><v>{int(value)}</v></c>'
    if isinstance(value, numbers.Integral):
        value = int(value)  # numpy and Decimal numbers are number cells too, not their repr as text
    elif isinstance(value, (numbers.Real, Decimal)):
        value = float(value)
    if isinstance(value, float) and not math.isfinite(value):
        return ""  # NaN (pandas' "no value") has no number cell: Excel would call the file damaged
    if isinstance(value, (int, float)):
        return f'<c r="{ref}"><v>{value!r}</v></c>'
    if isinstance(value, (datetime, date)):
        moment = value if isinstance(value, datetime) else datetime(value.year, value.month, value.day)
        serial = (moment.replace(tzinfo=None) - EXCEL_EPOCH).total_seconds() / 86400
        style = 2 if isinstance(value, datetime) else 4  # a plain date shows no 00:00
        return f'<c r="{ref}" s="{style}"><v>{serial!r}</v></c>'
    text = escape(str(value).translate(ILLEGAL))
    return f'<c r="{ref}" t="inlineStr"><is><t xml:space="preserve">{text}</t></is></c>'


def row_xml(number: int, letters: list[str], values: Iterable, style: int = 0) -> str:
    styled = f' s="{style}"' if style else ""
    cells = []
    for letter, value in zip(letters, values):
        ref = f"{letter}{number}"
        xml = cell_xml(ref, value)
        if style and xml:
            xml = xml.replace(f'<c r="{ref}"', f'<c r="{ref}"{styled}', 1)
        cells.append(xml)
    return f'<row r="{number}">{"".join(cells)}</row>'


def stream_xlsx(title: str, headers: list[str], widths: list[int], rows: Iterable[list], notes=()) -> Iterator[bytes]:
    """Yields the bytes of an xlsx workbook with one sheet: a bold header row, then `rows` (lists of values)."""
    sink = Sink()
    letters = [get_column_letter(i) for i in range(1, len(headers) + 1)]
    with zipfile.ZipFile(sink, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=5) as book:
        for name, text in (("[Content_Types].xml", CONTENT_TYPES), ("_rels/.rels", ROOT_RELS),
                           ("xl/_rels/workbook.xml.rels", WORKBOOK_RELS), ("xl/styles.xml", STYLES),
                           ("xl/workbook.xml", workbook_xml(title))):
            book.writestr(name, text)
        with book.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            cols = "".join(f'<col min="{i}" max="{i}" width="{w}" customWidth="1"/>' for i, w in enumerate(widths, 1))
            sheet.write(('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
                         '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
                         '<sheetViews><sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" '
                         f'state="frozen"/></sheetView></sheetViews><cols>{cols}</cols><sheetData>').encode())
            sheet.write(row_xml(1, letters, headers, style=1).encode())
            number, buffer = 1, []
            for values in rows:
                number += 1
                buffer.append(row_xml(number, letters, values))
                if len(buffer) >= 500:
                    sheet.write("".join(buffer).encode())
                    buffer = []
                    if sink.size >= CHUNK:
                        yield sink.take()
            for note in notes:
                number += 2
                buffer.append(row_xml(number, letters, [note]))
            sheet.write(("".join(buffer) + "</sheetData></worksheet>").encode())
    yield sink.take()
