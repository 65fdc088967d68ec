"""Word and Excel tables import like the text; bad files are refused with a Russian message; export is safe."""
from io import BytesIO
import zipfile

from openpyxl import Workbook, load_workbook
import pytest

from rsoko.exports import neutralise
from roadmaps.importing import parse_docx, parse_text
from roadmaps.services import RoadmapImportError, read_roadmap_file

from .factories import roadmap_world

HEADER = ["№ п/п", "Мероприятия", "Сроки", "Ответственные исполнители"]
ROWS = [["1.", "Раздел первый", "", ""], ["1.1.", "Анализ ВПР", "Март-апрель 2021 г.", "Департамент, РЦОКО"],
        ["", "(продолжение)", "", ""], ["1.2.", "Совещание", "в течение года", "МОУО"]]


def xlsx_bytes() -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append(["ДОРОЖНАЯ КАРТА на 2021 год"])
    sheet.append([])
    sheet.append(HEADER)
    for row in ROWS:
        sheet.append(row)
    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def docx_bytes(rows=None) -> bytes:
    W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'

    def tr(cells):
        return "<w:tr>" + "".join(f"<w:tc><w:p><w:r><w:t>{c}</w:t></w:r></w:p></w:tc>" for c in cells) + "</w:tr>"

    # the header's first cell spans two columns, as in real orders
    header = ('<w:tr><w:tc><w:tcPr><w:gridSpan w:val="2"/></w:tcPr><w:p><w:r><w:t>Мероприятия</w:t></w:r></w:p></w:tc>'
              + "".join(f"<w:tc><w:p><w:r><w:t>{c}</w:t></w:r></w:p></w:tc>" for c in HEADER[2:]) + "</w:tr>")
    body = (f'<w:document {W}><w:body><w:p><w:r><w:t>ПРИКАЗ</w:t></w:r></w:p><w:p><w:r><w:t>№ 77</w:t></w:r></w:p>'
            f'<w:p><w:r><w:t>План мероприятий на 2020/2021 учебный год</w:t></w:r></w:p>'
            f'<w:tbl>{header}{"".join(tr(r) for r in (rows or ROWS))}</w:tbl></w:body></w:document>')
    buffer = BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", body)
    return buffer.getvalue()


def test_an_excel_roadmap_is_read_like_the_text(db):
    document = read_roadmap_file("map.xlsx", xlsx_bytes())
    assert [r.number for r in document.rows] == ["1.", "1.1.", "1.2."]
    assert document.rows[1].measure == "Анализ ВПР (продолжение)"
    assert document.period.first_year == 2021
    assert document.deadlines[1].end.isoformat() == "2021-04-30"


def test_a_word_roadmap_is_read_with_its_merged_header(db):
    document = parse_docx(docx_bytes())
    assert [r.number for r in document.rows] == ["1.", "1.1.", "1.2."]
    assert document.order_number == "77"
    assert document.period.academic and document.period.first_year == 2020
    assert document.rows[2].executors == "МОУО"


def test_word_xml_with_an_entity_declaration_is_refused(db):
    evil = BytesIO()
    with zipfile.ZipFile(evil, "w") as archive:
        archive.writestr("word/document.xml", '<!DOCTYPE x [<!ENTITY a "aaaa">]><x>&a;</x>')
    with pytest.raises(RoadmapImportError, match="недопустимую разметку"):
        read_roadmap_file("evil.docx", evil.getvalue())


@pytest.mark.parametrize("name,data,message", [
    ("map.txt", "просто текст без таблицы".encode(), "не найдена таблица"),
    ("map.txt", "Мероприятия\tСроки\tОтветственные\nбез номера\tмарт\tМОУО\n".encode(), "ни одного пронумерованного"),
    ("map.pdf", b"%PDF-1.4", "неподдерживаемый тип"),
    ("map.docx", b"not a zip", "не является документом Word"),
    ("map.txt", b"", "пуст"),
])
def test_bad_files_are_refused_with_a_russian_message(db, name, data, message):
    with pytest.raises(RoadmapImportError, match=message):
        read_roadmap_file(name, data)


def test_markup_is_stripped_from_cells():
    document = parse_text("№\tМероприятия\tСроки\tОтветственные\n<b>3.</b>\t<b>Раздел</b>\t\t\n"
                          "3.1.\t<p>Текст &laquo;в кавычках&raquo;</p>\tавгуст\tОО\n")
    assert [(r.number, r.measure) for r in document.rows] == [("3.", "Раздел"), ("3.1.", "Текст «в кавычках»")]


# The roadmap export uses the portal's one rule (rsoko.exports.neutralise): every *string* starting with
# = + - @ tab CR is neutralised, number-like text included («+7» and «-5» are text in the document, and a
# "harmless number" exception is where payloads like «-2+3» slip through); real numbers stay number cells.
@pytest.mark.parametrize("value,expected", [
    ("=HYPERLINK(\"x\")", "'=HYPERLINK(\"x\")"), ("+7", "'+7"), ("-5", "'-5"), ("-организация", "'-организация"),
    ("@SUM(A1)", "'@SUM(A1)"), ("\tA", "'\tA"), ("Анализ", "Анализ"), (12, 12), (-5, -5), (None, None),
])
def test_formula_injection_is_neutralised(value, expected):
    assert neutralise(value) == expected


def export_rows(response) -> list[list]:
    sheet = load_workbook(BytesIO(b"".join(response.streaming_content))).active
    return [[c.value for c in row] for row in sheet.iter_rows()]


def test_the_export_is_laid_out_like_the_document(world, client_for):
    rm = roadmap_world(world)
    item = rm.regional.items.get(number="1.1.")
    item.measure = "=1+1 не формула"
    item.save()
    rows = export_rows(client_for("ministry").get(f"/roadmaps/{rm.regional.pk}/export.xlsx"))
    assert rows[0][:4] == ["№", "Мероприятие", "Срок (как в документе)", "Вид срока"]
    numbers = [row[0] for row in rows[1:7]]
    assert numbers == ["1.", "1.1.", "1.2.", "1.3.", "2.", "2.1."]
    assert rows[2][1] == "'=1+1 не формула"
    assert rm.regional.title in [row[0] for row in rows[7:]]  # the title and the order follow the rows


def test_the_document_page_exports_the_same_file_and_csv(world, client_for):
    rm = roadmap_world(world)
    client = client_for("ministry")
    page = client.get(f"/roadmaps/{rm.regional.pk}/")
    assert b"export=xlsx" in page.content
    assert export_rows(client.get(f"/roadmaps/{rm.regional.pk}/?export=xlsx"))[:7] == \
        export_rows(client.get(f"/roadmaps/{rm.regional.pk}/export.xlsx"))[:7]
    csv_text = b"".join(client.get(f"/roadmaps/{rm.regional.pk}/?export=csv").streaming_content).decode()
    assert csv_text.startswith("\ufeff№;Мероприятие")


def test_a_fake_excel_file_is_refused_naming_the_file_once(db):
    with pytest.raises(RoadmapImportError) as error:
        read_roadmap_file("map.xlsx", b"plain text, not a workbook")
    assert str(error.value).count("map.xlsx") == 1
