"""A corpus of bad files: each gets its Russian message naming row/column/value, and nothing is stored."""
import io
import zipfile

import pytest

from assessments.models import ParticipantResult, QuarantinedRow, ResultBatch, ResultVersion, Task
from assessments.services import ImportRejected, results_import
from rsoko.audit.models import AuditEntry

from .factories import EXPORT_HEAD, csv_bytes, export_rows, procedure_with_tasks, template_rows, xlsx_bytes

MODELS = [ResultBatch, ResultVersion, ParticipantResult, QuarantinedRow, Task, AuditEntry]


def counts():
    return [model.objects.count() for model in MODELS]


def ok(school, code="1"):
    return (school, code, [1, 1, 2, 2])


def with_dtd(data: bytes) -> bytes:
    """The same workbook whose workbook.xml declares an entity (billion-laughs style trick)."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            content = source.read(item.filename)
            if item.filename == "xl/workbook.xml":
                declaration = b'<!DOCTYPE w [<!ENTITY a "aaaaaaaaaa">]>'
                content = content.replace(b"?>", b"?>" + declaration, 1) if b"?>" in content else declaration + content
            target.writestr(item, content)
    return out.getvalue()


def zip_bomb(data: bytes) -> bytes:
    out = io.BytesIO(data)
    with zipfile.ZipFile(out, "a", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/media/filler.bin", b"\0" * (30 * 1024 * 1024))
    return out.getvalue()


def corpus(w):
    a1, b1 = w.school_a1.code, w.school_b1.code
    good = template_rows([ok(a1, "1"), ok(a1, "2")])
    export_good = export_rows(a1, [("11", ["1", "1", "2", "2"], "4", "м", "а")])
    return [
        ("unknown school", "r.xlsx", xlsx_bytes(template_rows([ok("sch123456")])),
         "Строка 2, столбец «Код ОО»: школа «sch123456» не найдена в реестре организаций."),
        ("score above max", "r.xlsx", xlsx_bytes(template_rows([(a1, "1", [5, 1, 2, 2])])),
         "Строка 2, столбец «1 (1б)»: балл «5» больше максимального за задание № 1 (1)."),
        ("negative score", "r.xlsx", xlsx_bytes(template_rows([(a1, "1", [1, -1, 2, 2])])),
         "Строка 2, столбец «2 (1б)»: отрицательный балл «-1»."),
        ("text score", "r.xlsx", xlsx_bytes(template_rows([(a1, "1", [1, 1, "два", 2])])),
         "Строка 2, столбец «3 (2б)»: «два» — не число"),
        ("fraction", "r.xlsx", xlsx_bytes(template_rows([(a1, "1", [1, 1, "1.5", 2])])),
         "Строка 2, столбец «3 (2б)»: дробный балл «1.5»"),
        ("duplicate code", "r.xlsx", xlsx_bytes(template_rows([ok(a1, "7"), ok(a1, "8"), ok(a1, "7")])),
         "Строка 4, столбец «Код участника»: код участника «7» повторяется в этой школе"),
        ("empty code", "r.xlsx", xlsx_bytes(template_rows([ok(a1, "")])),
         "Строка 2, столбец «Код участника»: не указан код участника."),
        ("missing variant column", "r.xlsx", xlsx_bytes([[c for c in row if c != "вариант"] for row in
                                                         [EXPORT_HEAD + ["балл за 1"], [a1, "р", "1", "1", "4", "м", "а", "1"]]]),
         "Нет обязательного столбца «Вариант»"),
        ("missing code column", "r.xlsx", xlsx_bytes([EXPORT_HEAD[:3] + EXPORT_HEAD[4:] + ["балл за 1"]]),
         "Нет обязательного столбца «Код обучающегося»"),
        ("task count", "r.xlsx", xlsx_bytes(template_rows([(a1, "1", [1, 1, 2])], labels=("1", "2", "3"), maxima=(1, 1, 2))),
         "В файле 3 столбцов с баллами за задания, а в спецификации процедуры 4 заданий"),
        ("export task count", "r.xlsx", xlsx_bytes(export_rows(a1, [("1", ["1", "1", "2", "2", "0"], "4", "м", "а")], tasks=5)),
         "В файле 5 столбцов с баллами за задания"),
        ("export gap", "r.xlsx", xlsx_bytes([[c.replace("балл за 3", "балл за 5") for c in export_good[0]]] + export_good[1:]),
         "Столбцы «балл за N» должны идти без пропусков"),
        ("max differs", "r.xlsx", xlsx_bytes(template_rows([ok(a1)], maxima=(1, 1, 2, 3))),
         "Столбец «4 (3б)»: в заголовке максимум 3 б., а в спецификации задания № 4 — 2 б."),
        ("empty file", "r.xlsx", b"", "Файл «r.xlsx» пуст."),
        ("header only", "r.xlsx", xlsx_bytes(template_rows([])), "не содержит ни одной строки с результатами"),
        ("blank workbook", "r.xlsx", xlsx_bytes([["", ""], ["", ""]]), "не содержит данных"),
        ("unknown table", "r.xlsx", xlsx_bytes([["Фрукт", "Цена"], ["яблоко", "3"]]), "не похож на файл результатов"),
        ("wrong extension", "r.pdf", xlsx_bytes(good), "неподдерживаемый тип"),
        ("renamed binary", "r.xlsx", b"\x89PNG\r\n\x1a\n" + b"\x00" * 100, "не является книгой Excel"),
        ("xlsx named csv", "r.csv", xlsx_bytes(good), "содержит двоичные данные"),
        ("broken zip", "r.xlsx", b"PK\x03\x04" + b"garbage" * 50, "повреждён"),
        ("zip bomb", "r.xlsx", zip_bomb(xlsx_bytes(good)), "zip-бомбу"),
        ("xml entity", "r.xlsx", with_dtd(xlsx_bytes(good)), "DTD"),
        ("cp1251 csv, unknown school", "r.csv",
         csv_bytes(template_rows([ok(a1), ok("sch555555")]), encoding="cp1251"),
         "Строка 3, столбец «Код ОО»: школа «sch555555» не найдена"),
        ("bom csv, negative", "r.csv", csv_bytes(template_rows([(a1, "1", [1, 1, -2, 2])]), bom=True),
         "Строка 2, столбец «3 (2б)»: отрицательный балл «-2»."),
        ("comma csv, above max", "r.csv",
         csv_bytes(template_rows([ok(a1, "1"), (a1, "2", [1, 1, 2, 9])]), delimiter=","),
         "Строка 3, столбец «4 (2б)»: балл «9» больше максимального"),
        ("cp1251 export, text", "r.csv",
         csv_bytes(export_rows(a1, [("1", ["1", "1", "два", "2"], "4", "м", "а")]), encoding="cp1251"),
         "Строка 2, столбец «балл за 3»: «два» — не число"),
        ("other municipality (as coordinator)", "r.xlsx", xlsx_bytes(template_rows([ok(a1), ok(b1, "2")])),
         f"Строка 3, столбец «Код ОО»: школа «{b1}» вне вашей зоны ответственности"),
    ]


@pytest.fixture
def procedure(world):
    return procedure_with_tasks()


@pytest.mark.parametrize("index", range(28))
def test_bad_file_is_refused_with_its_message_and_nothing_changes(index, world, procedure, settings):
    name, filename, data, expected = corpus(world)[index]
    before = counts()
    with pytest.raises(ImportRejected) as caught:
        results_import(actor=world.user("coordinator"), procedure=procedure, filename=filename, data=data, mode="strict")
    text = caught.value.report_text()
    assert expected in text, f"{name}: {text}"
    assert counts() == before, name


def test_the_corpus_has_every_rule(world):
    assert len(corpus(world)) >= 28


def test_oversize_file_is_refused(world, procedure, settings):
    settings.UPLOAD_MAX_MB = 1
    data = csv_bytes(template_rows([ok(world.school_a1.code, str(i)) for i in range(60000)]))
    before = counts()
    with pytest.raises(ImportRejected, match="слишком большой"):
        results_import(actor=None, procedure=procedure, filename="big.csv", data=data)
    assert counts() == before


def test_file_errors_refuse_even_in_quarantine_mode(world, procedure):
    data = xlsx_bytes(template_rows([ok(world.school_a1.code)], maxima=(1, 1, 2, 3)))
    before = counts()
    with pytest.raises(ImportRejected, match="в заголовке максимум 3"):
        results_import(actor=None, procedure=procedure, filename="r.xlsx", data=data, mode="quarantine")
    assert counts() == before


def test_export_needs_a_task_specification(world):
    procedure = procedure_with_tasks("VPR-2021-RU-4", subject="RU", maxima=())
    data = xlsx_bytes(export_rows(world.school_a1.code, [("1", ["1"], "4", "м", "а")], tasks=1))
    with pytest.raises(ImportRejected, match="нет спецификации заданий"):
        results_import(actor=None, procedure=procedure, filename="r.xlsx", data=data)
    assert not Task.objects.filter(procedure=procedure).exists()


def test_a_role_without_upload_right_is_refused(world, procedure):
    data = xlsx_bytes(template_rows([ok(world.school_a1.code)]))
    with pytest.raises(ImportRejected, match="нет права загружать"):
        results_import(actor=world.user("school_head"), procedure=procedure, filename="r.xlsx", data=data)
    assert not ResultBatch.objects.exists()
