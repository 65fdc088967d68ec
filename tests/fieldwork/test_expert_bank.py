"""The expert bank: xlsx import (row and column errors, all or nothing) and contacts kept to the centre."""
import io

from openpyxl import Workbook, load_workbook
import pytest

from assessments.fieldwork import services
from assessments.fieldwork.expert_import import COLUMNS
from assessments.fieldwork.models import Expert
from rsoko.audit.models import AuditEntry

from .factories import ExpertFactory

HEADER = list(COLUMNS.values())


def xlsx(rows, header=HEADER) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def row(world, **values):
    base = {"code": "E-001", "full_name": "Смирнова Анна Петровна", "subjects": "Математика, RU",
            "qualification": "высшая", "position": "учитель математики", "organization": world.school_b1.code,
            "phone": "+7 900 123-45-67", "email": "smirnova@example.org", "course": "Оценивание ВПР",
            "course_date": "15.02.2025", "certificate": "ПК-17", "available_from": "01.04.2025",
            "available_to": "30.05.2025", "conflicts": world.school_a1.code, "username": "expert"}
    base.update(values)
    return [base[key] for key in COLUMNS]


def test_a_valid_bank_is_loaded_with_subjects_conflicts_training_availability_and_account(world):
    data = xlsx([row(world), row(world, code="E-002", full_name="Орлов Пётр", username="", conflicts="",
                                  course="", certificate="", course_date="", available_from="", available_to="")])
    assert services.expert_bank_import(name="bank.xlsx", data=data, actor=world.user("centre")) == \
        {"created": 2, "updated": 0}
    expert = Expert.objects.get(code="E-001")
    assert sorted(expert.subjects.values_list("code", flat=True)) == ["MA", "RU"]
    assert expert.organization == world.school_b1 and expert.user == world.user("expert")
    assert list(expert.conflicts.values_list("organization", flat=True)) == [world.school_a1.id]
    assert expert.trainings.get().certificate == "ПК-17"
    assert expert.availability.get().date_to.isoformat() == "2025-05-30"
    assert AuditEntry.objects.filter(model="fieldwork.expert").count() == 2
    # loading again updates, nothing doubles
    assert services.expert_bank_import(name="bank.xlsx", data=data, actor=None) == {"created": 0, "updated": 2}
    assert expert.trainings.count() == 1


def test_errors_name_the_excel_row_and_column_and_nothing_is_written(world):
    data = xlsx([
        row(world),
        row(world, code="E-002", subjects="Алхимия"),
        row(world, code="E-003", organization="sch000000"),
        row(world, code="E-004", email="не-почта", available_from="31.05.2025", available_to="01.05.2025"),
        row(world, code="E-001", username=""),
        row(world, code="E-006", qualification="вторая", course_date="вчера", username="nobody"),
    ])
    with pytest.raises(services.FieldworkError) as caught:
        services.expert_bank_import(name="bank.xlsx", data=data, actor=None)
    errors = "\n".join(caught.value.errors)
    assert "Строка 3, столбец «Предметы»: предмет «Алхимия» не найден" in errors
    assert "Строка 4, столбец «Место работы (код ОО)»: организация с кодом «sch000000» не найдена" in errors
    assert "Строка 5, столбец «Эл. почта»" in errors and "Строка 5, столбец «Доступен по»" in errors
    assert "Строка 6, столбец «Код эксперта»: код E-001 уже встречался в строке 2" in errors
    assert "Строка 7, столбец «Квалификационная категория»" in errors
    assert "Строка 7, столбец «Дата окончания курса»" in errors and "Строка 7, столбец «Логин на портале»" in errors
    assert not Expert.objects.exists()


def test_missing_required_columns_are_named(world):
    data = xlsx([["E-1", "Иванов"]], header=["Код эксперта", "ФИО"])
    with pytest.raises(services.FieldworkError) as caught:
        services.expert_bank_import(name="bank.xlsx", data=data, actor=None)
    assert "нет обязательных столбцов: Предметы" in caught.value.errors[0]


def test_a_file_that_is_not_a_table_is_refused(world):
    with pytest.raises(services.FieldworkError, match="bank.xlsx"):
        services.expert_bank_import(name="bank.xlsx", data=b"not a spreadsheet at all", actor=None)


def test_an_account_linked_to_another_expert_is_refused(world):
    ExpertFactory(code="OLD", user=world.user("expert"))
    with pytest.raises(services.FieldworkError) as caught:
        services.expert_bank_import(name="bank.xlsx", data=xlsx([row(world)]), actor=None)
    assert "уже связана с экспертом OLD" in caught.value.errors[0]


def test_import_page_shows_the_errors(world, client_for):
    client = client_for("centre")
    upload = io.BytesIO(xlsx([row(world, subjects="Алхимия")]))
    upload.name = "bank.xlsx"
    response = client.post("/fieldwork/experts/import/", {"file": upload}, follow=True)
    assert "Строка 2, столбец «Предметы»" in response.content.decode()
    assert not Expert.objects.exists()


@pytest.fixture
def bank(world):
    return ExpertFactory(full_name="Контактов Иван", organization=world.school_a2, phone="+7 999 111-22-33",
                         email="secret@example.org")


@pytest.mark.parametrize("persona", ["centre", "ministry"])
def test_the_centre_and_the_ministry_see_contacts(bank, client_for, persona):
    client = client_for(persona)
    assert "+7 999 111-22-33" in client.get("/fieldwork/experts/").content.decode()
    assert "secret@example.org" in client.get(f"/fieldwork/experts/{bank.pk}/").content.decode()
    assert client.get(f"/api/v1/fieldwork/experts/{bank.pk}/").json()["phone"] == "+7 999 111-22-33"
    sheet = load_workbook(io.BytesIO(b"".join(client.get("/fieldwork/experts/export.xlsx").streaming_content))).active
    assert "'+7 999 111-22-33" in [c.value for c in sheet[2]]  # a leading + is neutralised


@pytest.mark.parametrize("persona", ["methodologist", "coordinator"])
def test_contacts_are_hidden_from_everyone_else(bank, client_for, persona):
    client = client_for(persona)
    for url in ("/fieldwork/experts/", f"/fieldwork/experts/{bank.pk}/", "/api/v1/fieldwork/experts/",
                f"/api/v1/fieldwork/experts/{bank.pk}/", "/fieldwork/experts/export.xlsx"):
        response = client.get(url)
        assert response.status_code == 200, url
        body = b"".join(response.streaming_content) if response.streaming else response.content
        if url.endswith(".xlsx"):
            sheet = load_workbook(io.BytesIO(body)).active
            body = " ".join(str(c.value) for r in sheet.iter_rows() for c in r).encode()
            assert "Контактов Иван" in body.decode()
        assert b"111-22-33" not in body and b"secret@example.org" not in body, url
    assert "phone" not in client.get(f"/api/v1/fieldwork/experts/{bank.pk}/").json()


def test_a_coordinator_sees_only_experts_of_its_municipality(world, bank, client_for):
    outside = ExpertFactory(full_name="Чужой Эксперт", organization=world.school_b1)
    client = client_for("coordinator")
    assert client.get(f"/fieldwork/experts/{outside.pk}/").status_code == 404
    assert "Чужой Эксперт" not in client.get("/fieldwork/experts/").content.decode()


def test_an_expert_outside_any_organization_is_answered_as_the_schema_documents(world, client_for):
    # The same defect the fuzz suite found in other serializers: a missing organization is null, the schema
    # promised a string.
    from tests.openapi_contract import assert_conforms

    expert = ExpertFactory(full_name="Независимый эксперт", organization=None)
    response = client_for("centre").get(f"/api/v1/fieldwork/experts/{expert.pk}/")
    assert response.json()["organization_code"] is None
    assert_conforms(response, "/api/v1/fieldwork/experts/{id}/")
