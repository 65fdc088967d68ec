"""Reading the expert bank from an xlsx table: every row checked first, errors named by Excel row and column.

Pure parsing: the caller passes the lookups (subjects, organizations, users) and writes nothing unless the
whole file is valid.
"""
from dataclasses import dataclass, field
from datetime import date, datetime
import re

from django.core.validators import validate_email
from django.core.exceptions import ValidationError

from rsoko.tables import Sheet, excel_row

from .choices import Qualification

COLUMNS = {
    "code": "Код эксперта",
    "full_name": "ФИО",
    "subjects": "Предметы",
    "qualification": "Квалификационная категория",
    "position": "Должность",
    "organization": "Место работы (код ОО)",
    "phone": "Телефон",
    "email": "Эл. почта",
    "course": "Курс повышения квалификации",
    "course_date": "Дата окончания курса",
    "certificate": "№ удостоверения",
    "available_from": "Доступен с",
    "available_to": "Доступен по",
    "conflicts": "Конфликт интересов (коды ОО)",
    "username": "Логин на портале",
}
REQUIRED = ("code", "full_name", "subjects")
QUALIFICATIONS = {"высшая": Qualification.HIGHEST, "первая": Qualification.FIRST, "без категории": Qualification.NONE,
                  "": Qualification.NONE, "нет": Qualification.NONE}
LIST_SPLIT = re.compile(r"[;,]\s*")


@dataclass
class ExpertRow:
    row: int
    code: str
    full_name: str
    subject_ids: list[int]
    qualification: str
    position: str
    organization_id: int | None
    phone: str
    email: str
    course: str
    course_date: date | None
    certificate: str
    available_from: date | None
    available_to: date | None
    conflict_ids: list[int]
    user_id: int | None


@dataclass
class Lookups:
    subjects: dict[str, int]  # lower-case code or name → id
    organizations: dict[str, int]  # code (lower-case) → id
    users: dict[str, int]  # username → id of users holding the expert role


@dataclass
class ParsedBank:
    rows: list[ExpertRow] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


def parse_date(text: str) -> date:
    text = text.strip()
    for pattern in ("%d.%m.%Y", "%Y-%m-%d"):
        try:
            return datetime.strptime(text[:10], pattern).date()
        except ValueError:
            continue
    raise ValueError


def parse_bank(sheets: list[Sheet], lookups: Lookups) -> ParsedBank:
    parsed = ParsedBank()
    sheet = sheets[0]
    header = [cell.strip().lower() for cell in (sheet.rows[0] if sheet.rows else [])]
    positions = {key: header.index(title.lower()) for key, title in COLUMNS.items() if title.lower() in header}
    missing = [COLUMNS[key] for key in REQUIRED if key not in positions]
    if missing:
        parsed.errors.append(f"Лист «{sheet.name}»: нет обязательных столбцов: {', '.join(missing)}.")
        return parsed
    seen: dict[str, int] = {}
    for index, cells in enumerate(sheet.rows[1:]):
        if not any(cell.strip() for cell in cells):
            continue
        values = {key: (cells[pos].strip() if pos < len(cells) else "") for key, pos in positions.items()}
        row = excel_row(index)
        expert = _parse_row(row, values, lookups, parsed.errors)
        if expert is None:
            continue
        if expert.code in seen:
            parsed.errors.append(f"Строка {row}, столбец «{COLUMNS['code']}»: код {expert.code} уже встречался "
                                 f"в строке {seen[expert.code]}.")
            continue
        seen[expert.code] = row
        parsed.rows.append(expert)
    if not parsed.rows and not parsed.errors:
        parsed.errors.append("В файле нет ни одного эксперта.")
    return parsed


def _parse_row(row: int, values: dict, lookups: Lookups, errors: list) -> ExpertRow | None:
    problems: list[str] = []

    def fail(key: str, message: str) -> None:
        problems.append(f"Строка {row}, столбец «{COLUMNS[key]}»: {message}")

    for key in REQUIRED:
        if not values.get(key):
            fail(key, "значение обязательно.")
    subject_ids = []
    for name in filter(None, LIST_SPLIT.split(values.get("subjects", ""))):
        if name.lower() in lookups.subjects:
            subject_ids.append(lookups.subjects[name.lower()])
        else:
            fail("subjects", f"предмет «{name}» не найден в справочнике.")
    qualification = QUALIFICATIONS.get(values.get("qualification", "").lower())
    if qualification is None:
        fail("qualification", "ожидается «высшая», «первая» или «без категории».")
    organization_id = _organization(values.get("organization", ""), lookups, "organization", fail)
    conflict_ids = [_organization(code, lookups, "conflicts", fail)
                    for code in filter(None, LIST_SPLIT.split(values.get("conflicts", "")))]
    email = values.get("email", "")
    if email:
        try:
            validate_email(email)
        except ValidationError:
            fail("email", f"«{email}» не похоже на адрес эл. почты.")
    dates = {key: _date(values.get(key, ""), key, fail) for key in ("course_date", "available_from", "available_to")}
    if bool(dates["available_from"]) != bool(dates["available_to"]):
        fail("available_to", "укажите обе даты периода доступности или ни одной.")
    elif dates["available_from"] and dates["available_to"] < dates["available_from"]:
        fail("available_to", "дата окончания периода раньше даты начала.")
    username = values.get("username", "")
    user_id = lookups.users.get(username) if username else None
    if username and user_id is None:
        fail("username", f"пользователь «{username}» с ролью «Эксперт» не найден.")
    if values.get("certificate") and not values.get("course"):
        fail("course", "указано удостоверение, но не указан курс.")
    if problems:
        errors.extend(problems)
        return None
    return ExpertRow(
        row=row, code=values["code"], full_name=values["full_name"], subject_ids=subject_ids,
        qualification=qualification, position=values.get("position", ""), organization_id=organization_id,
        phone=values.get("phone", ""), email=email, course=values.get("course", ""),
        course_date=dates["course_date"], certificate=values.get("certificate", ""),
        available_from=dates["available_from"], available_to=dates["available_to"],
        conflict_ids=[c for c in conflict_ids if c], user_id=user_id,
    )


def _organization(code: str, lookups: Lookups, key: str, fail) -> int | None:
    if not code:
        return None
    found = lookups.organizations.get(code.lower())
    if found is None:
        fail(key, f"организация с кодом «{code}» не найдена в реестре.")
    return found


def _date(text: str, key: str, fail) -> date | None:
    if not text:
        return None
    try:
        return parse_date(text)
    except ValueError:
        fail(key, f"«{text}» — не дата (ожидается ДД.ММ.ГГГГ).")
        return None
