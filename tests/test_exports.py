"""Exports: the same rows as the page, formulas neutralised, pupil-level exports logged."""
import io

from openpyxl import load_workbook

from rsoko.audit.models import AuditEntry
from rsoko.exports import Column, Table, neutralise, table_response


def test_cells_that_look_like_formulas_become_text():
    assert neutralise("=HYPERLINK(\"http://x\")") == "'=HYPERLINK(\"http://x\")"
    assert neutralise("+7 900") == "'+7 900"
    assert neutralise("@SUM(A1)") == "'@SUM(A1)"
    assert neutralise("\tcmd") == "'\tcmd"
    # One rule for every export (OWASP CSV injection): any *string* starting with = + - @ tab CR, number-like text
    # included — an exception for "harmless negative numbers" is where «-2+3» slipped through. Real numbers are
    # not strings: they stay numbers and are written as number cells.
    assert neutralise("-5") == "'-5" and neutralise("+7") == "'+7" and neutralise("-2+3") == "'-2+3"
    assert neutralise("\rcmd") == "'\rcmd"
    assert neutralise("Школа") == "Школа"
    assert neutralise(12) == 12 and neutralise(-5) == -5 and neutralise(-2.5) == -2.5


def test_the_formula_rule_can_be_undone_for_a_file_that_comes_back():
    from rsoko.exports import unneutralise

    for value in ("=1+1", "-5", "+7 900", "@x", "\tx"):
        assert unneutralise(neutralise(value)) == value
    assert unneutralise("'Школа") == "'Школа"  # an apostrophe the person typed stays
    assert unneutralise(3) == 3


def test_column_titles_are_neutralised_too(db):
    table = Table("Т", [Column("a", "=cmd|' /C calc'!A0")], [{"a": "x"}])
    assert read_xlsx(table_response(table, "xlsx"))[0] == ["'=cmd|' /C calc'!A0"]
    text = b"".join(table_response(table, "csv").streaming_content).decode()
    assert text.startswith("\ufeff'=cmd")


def read_xlsx(response):
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    return [list(row) for row in book.active.iter_rows(values_only=True)]


def test_the_registry_export_has_the_rows_the_user_sees_and_no_others(world, client_for):
    response = client_for("coordinator").get("/registry/organizations/?kind=school&export=xlsx")
    rows = read_xlsx(response)
    assert rows[0][:2] == ["Код", "Краткое наименование"]
    assert [row[0] for row in rows[1:]] == ["sch990001", "sch990002"]


def test_the_csv_export_has_a_bom_and_semicolons(world, client_for):
    response = client_for("ministry").get("/registry/organizations/?export=csv&kind=school")
    text = b"".join(response.streaming_content).decode("utf-8")
    assert text.startswith("\ufeffКод;Краткое наименование")
    assert text.count("\n") == 4


def test_a_malicious_name_is_exported_as_text(world, client_for):
    world.school_a1.short_name = "=cmd|' /C calc'!A0"
    world.school_a1.save()
    rows = read_xlsx(client_for("ministry").get("/registry/organizations/?kind=school&export=xlsx"))
    assert "'=cmd|' /C calc'!A0" in [row[1] for row in rows]


def test_pupil_level_exports_are_logged(db, django_user_model):
    user = django_user_model.objects.create_user("analyst", password="x")
    table = Table("Результаты", [Column("code", "Код")], [{"code": "1001"}], filename="pupils", personal_data=True)
    table_response(table, "xlsx", user)
    entry = AuditEntry.objects.get(action="export")
    assert entry.actor == user and entry.after["format"] == "xlsx"


def test_the_audit_log_and_the_jobs_list_export_their_rows(world, client_for):
    client = client_for("ministry")
    client.post(f"/registry/users/{world.user('expert').pk}/memberships/",
                {"organization": world.institute.pk, "role": "methodologist"})
    audit = read_xlsx(client.get("/audit/?export=xlsx"))
    assert audit[0][:3] == ["Когда", "Кто", "Действие"] and any(row[1] == "ministry" for row in audit[1:])
    jobs = b"".join(client.get("/jobs/?export=csv").streaming_content).decode()
    assert jobs.startswith("\ufeffЗадание;Состояние")
