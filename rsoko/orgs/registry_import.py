"""Parsing registry files into plain records. No database access here: services apply the records.

Four layouts are recognised by their header:
- the portal's registry table («Код», «Краткое наименование», «Муниципалитет», …);
- any ФИС ОКО file with «Муниципалитет» and «Школа» columns holding «код | наименование»
  (the electronic protocol's sheets «Протокол» and «Классы»);
- ФИС ОКО's form «Сбор контекстных данных об ОО» («логин», «Код региона», «Название ОО», «Полное наименование ОО
  согласно Уставу», «Адрес ОО…», «ФИО директора…», the level columns, «Где расположена Ваша образовательная
  организация?» …);
- a plain list of logins («логин», «имя» or «наименование», a district column).
A row with a problem is reported (sheet, row, column) and left out; the other rows load. Only a problem of the
whole file (an unknown header) refuses it.
"""
from dataclasses import dataclass, field
import re

from rsoko.tables import Sheet, excel_row

from .choices import MunicipalityKind, OrgKind, SettlementType
from .models import FISOKO_LOGIN

KIND_WORDS = {
    "оо": OrgKind.SCHOOL, "школа": OrgKind.SCHOOL, "общеобразовательная организация": OrgKind.SCHOOL,
    "моуо": OrgKind.MUNICIPAL_OFFICE, "уо": OrgKind.MUNICIPAL_OFFICE,
    "министерство": OrgKind.MINISTRY, "департамент": OrgKind.MINISTRY,
    "иро": OrgKind.INSTITUTE, "рцоко": OrgKind.ASSESSMENT_CENTRE, "цоко": OrgKind.ASSESSMENT_CENTRE,
    "общественная организация": OrgKind.PUBLIC_BODY, "общественная": OrgKind.PUBLIC_BODY,
}
SETTLEMENT_WORDS = {
    "город": SettlementType.CITY, "городская": SettlementType.CITY, "г": SettlementType.CITY,
    "село": SettlementType.RURAL, "сельская": SettlementType.RURAL, "сельская местность": SettlementType.RURAL,
    "сельская местность ": SettlementType.RURAL, "с": SettlementType.RURAL,
}
TEMPLATE_COLUMNS = {
    "код": "code", "вид": "kind", "краткое наименование": "short_name", "полное наименование": "full_name",
    "код муниципалитета": "municipality_code", "муниципалитет": "municipality_name",
    "тип поселения": "settlement_type", "уровни": "levels", "адрес": "address", "руководитель": "head_name",
    "эл. почта": "email", "телефон": "phone", "сайт": "website",
}
CODE_AND_NAME = re.compile(r"^\s*([^|]+?)\s*\|\s*(.+?)\s*$")
NAME_ONLY = "name:"
LOGIN_MESSAGE = "логин ФИС ОКО — латинские буквы и цифры (sch123456, edu123456, ksh123456)"


@dataclass
class MunicipalityRecord:
    code: str  # the ФИС ОКО code; a name-only file gives «name:<key>» until the service finds or creates it
    name: str
    kind: str = MunicipalityKind.DISTRICT

    @property
    def has_code(self) -> bool:
        return not self.code.startswith(NAME_ONLY)


@dataclass
class OrganizationRecord:
    code: str
    kind: str
    short_name: str
    municipality_code: str | None
    values: dict = field(default_factory=dict)  # optional fields present in the file
    where: str = ""  # «Лист …, строка …» for messages the service adds (a new school without a municipality)


@dataclass
class RegistryFile:
    layout: str
    region: tuple[str, str] | None = None
    municipalities: dict[str, MunicipalityRecord] = field(default_factory=dict)
    organizations: dict[str, OrganizationRecord] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)  # rows left out, each naming sheet, row and column
    file_errors: list[str] = field(default_factory=list)  # the whole file is refused
    warnings: list[str] = field(default_factory=list)


def municipality_kind(name: str) -> str:
    lowered = name.lower()
    if "городской округ" in lowered or lowered.startswith("город") or lowered.startswith("г."):
        return MunicipalityKind.URBAN_DISTRICT
    if "муниципальный округ" in lowered:
        return MunicipalityKind.OKRUG
    return MunicipalityKind.DISTRICT


def normalise_header(cell: str) -> str:
    return re.sub(r"\s+", " ", cell).strip().lower()


def split_code_name(value: str) -> tuple[str, str] | None:
    match = CODE_AND_NAME.match(value or "")
    return (match.group(1), match.group(2)) if match else None


def parse_registry(sheets: list[Sheet]) -> RegistryFile:
    for sheet in sheets:
        if not sheet.rows:
            continue
        header = [normalise_header(cell) for cell in sheet.rows[0]]
        if "муниципалитет" in header and "школа" in header:
            return parse_fisoko_sheets(sheets)
        if "код" in header and "краткое наименование" in header:
            return parse_template(sheet, header)
    for sheet in sheets:
        for index, row in enumerate(sheet.rows[:10]):
            header = [normalise_header(str(cell)) for cell in row]
            layout = login_table_layout(header)
            if layout:
                return parse_login_table(sheet, index, header, layout)
    parsed = RegistryFile(layout="unknown")
    parsed.file_errors.append(
        "Не распознан формат реестра: нужна строка заголовка со столбцами «Код» и «Краткое наименование» "
        "(шаблон реестра), «Муниципалитет» и «Школа» (протокол ФИС ОКО), «логин» и «Название ОО» (форма ФИС ОКО "
        "«Сбор контекстных данных об ОО») или «логин» и «имя»/«наименование» (список логинов)."
    )
    return parsed


def parse_fisoko_sheets(sheets: list[Sheet]) -> RegistryFile:
    """Schools and municipalities named in every sheet that has «Муниципалитет» and «Школа»."""
    parsed = RegistryFile(layout="fisoko")
    for sheet in sheets:
        if not sheet.rows:
            continue
        header = [normalise_header(cell) for cell in sheet.rows[0]]
        if "муниципалитет" not in header or "школа" not in header:
            continue
        columns = {name: header.index(name) for name in ("муниципалитет", "школа", "регион") if name in header}
        for index, row in enumerate(sheet.rows[1:]):
            parse_fisoko_row(parsed, sheet.name, excel_row(index), row, columns)
    return parsed


def parse_fisoko_row(parsed: RegistryFile, sheet: str, row_number: int, row: list[str], columns: dict) -> None:
    cell = lambda name: row[columns[name]] if name in columns and columns[name] < len(row) else ""  # noqa: E731
    if not any(row):
        return
    if "регион" in columns and parsed.region is None:
        region = split_code_name(cell("регион"))
        if region:
            parsed.region = (re.sub(r"\D", "", region[0])[:2] or region[0], region[1])
    municipality, school = split_code_name(cell("муниципалитет")), split_code_name(cell("школа"))
    if municipality is None:
        parsed.errors.append(f"Лист «{sheet}», строка {row_number}, столбец «Муниципалитет»: "
                             f"ожидается «код | наименование», получено «{cell('муниципалитет')}».")
        return
    if school is None or not FISOKO_LOGIN.match(school[0]):
        parsed.errors.append(f"Лист «{sheet}», строка {row_number}, столбец «Школа»: "
                             f"ожидается «логин | наименование» ({LOGIN_MESSAGE}), получено «{cell('школа')}».")
        return
    mun_code, mun_name = municipality
    parsed.municipalities.setdefault(mun_code, MunicipalityRecord(mun_code, mun_name, municipality_kind(mun_name)))
    code = school[0].lower()
    parsed.organizations.setdefault(code, OrganizationRecord(code, OrgKind.SCHOOL, school[1], mun_code))


def parse_template(sheet: Sheet, header: list[str]) -> RegistryFile:
    parsed = RegistryFile(layout="template")
    columns = {TEMPLATE_COLUMNS[name]: i for i, name in enumerate(header) if name in TEMPLATE_COLUMNS}
    for index, row in enumerate(sheet.rows[1:]):
        if any(row):
            parse_template_row(parsed, sheet.name, excel_row(index), row, columns)
    return parsed


def parse_template_row(parsed: RegistryFile, sheet: str, row_number: int, row: list[str], columns: dict) -> None:
    values = {key: (row[i].strip() if i < len(row) else "") for key, i in columns.items()}
    where = f"Лист «{sheet}», строка {row_number}"
    errors_before = len(parsed.errors)
    kind = KIND_WORDS.get(values.get("kind", "").lower(), None) if values.get("kind") else OrgKind.SCHOOL
    if kind is None:
        parsed.errors.append(f"{where}, столбец «Вид»: неизвестный вид организации «{values['kind']}» "
                             "(допустимо: ОО, МОУО, Министерство, ИРО, РЦОКО, Общественная).")
    code = values.get("code", "").lower()
    if not code:
        parsed.errors.append(f"{where}, столбец «Код»: не заполнен.")
    elif kind == OrgKind.SCHOOL and not FISOKO_LOGIN.match(code):
        parsed.errors.append(f"{where}, столбец «Код»: «{values['code']}» — код ОО должен иметь вид логина ФИС ОКО: "
                             f"{LOGIN_MESSAGE}.")
    elif code in parsed.organizations:
        parsed.errors.append(f"{where}, столбец «Код»: код «{values['code']}» повторяется в файле.")
    if not values.get("short_name"):
        parsed.errors.append(f"{where}, столбец «Краткое наименование»: не заполнено.")
    mun_code = values.get("municipality_code") or None
    if kind in {OrgKind.SCHOOL, OrgKind.MUNICIPAL_OFFICE} and not mun_code:
        parsed.errors.append(f"{where}, столбец «Код муниципалитета»: обязателен для ОО и МОУО.")
    settlement = values.get("settlement_type", "").lower().rstrip(".")
    if settlement and settlement not in SETTLEMENT_WORDS:
        parsed.errors.append(f"{where}, столбец «Тип поселения»: «{values['settlement_type']}» — "
                             "укажите «город» или «сельская местность».")
    if len(parsed.errors) > errors_before:
        return
    if mun_code:
        mun_name = values.get("municipality_name") or mun_code
        parsed.municipalities.setdefault(mun_code, MunicipalityRecord(mun_code, mun_name, municipality_kind(mun_name)))
    parsed.organizations[code] = OrganizationRecord(code, kind, values["short_name"], mun_code, optional_values(values))


def optional_values(values: dict) -> dict:
    extra = {key: values[key] for key in ("full_name", "address", "head_name", "email", "phone", "website") if values.get(key)}
    settlement = values.get("settlement_type", "").lower().rstrip(".")
    if settlement:
        extra["settlement_type"] = SETTLEMENT_WORDS[settlement]
    if values.get("levels"):
        levels = values["levels"].upper()
        extra.update(level_noo="НОО" in levels, level_ooo="ООО" in levels, level_soo="СОО" in levels)
    return extra


# ---------------------------------------------------------------- ФИС ОКО login tables

CONTEXT, LOGINS = "fisoko_context", "logins"
LEVEL_COLUMNS = {"начальное общее образование": "level_noo", "основное общее образование": "level_ooo",
                 "среднее общее образование": "level_soo"}
NO_WORDS = {"", "нет", "0", "-", "—", "false", "не реализуется"}
MUNICIPALITY_GENERIC = {"муниципальный", "муниципальное", "муниципального", "образование", "мо"}
MUNICIPALITY_ABBREVIATIONS = {"р-н": "район", "м.р.": "район", "мр": "район", "г.": "город", "г": "город",
                              "го": "городской округ", "г.о.": "городской округ", "м.о.": "муниципальный округ"}
# (field, test on the normalised header); the first column passing a test is taken, each column once.
LOGIN_COLUMNS = [
    ("login", lambda h: h == "логин" or h.startswith("логин ")),
    ("region_code", lambda h: h == "код региона"),
    ("region_name", lambda h: h in {"регион", "наименование региона", "субъект рф"}),
    ("full_name", lambda h: h.startswith("полное наименование")),
    ("short_name", lambda h: h in {"название оо", "наименование оо", "краткое наименование оо", "краткое наименование",
                                   "имя", "наименование", "название", "название школы", "наименование школы"}),
    ("head_name", lambda h: h.startswith(("фио директора", "фио руководителя", "руководитель"))),
    ("email", lambda h: h.startswith(("адрес электронной почты", "электронная почта", "e-mail", "email"))),
    ("address", lambda h: h.startswith(("адрес оо", "фактический адрес", "юридический адрес")) or h == "адрес"),
    ("phone", lambda h: h.startswith(("телефон", "контактный телефон"))),
    ("settlement", lambda h: h.startswith("где расположена")),
    *[(name, lambda h, title=title: h.startswith(title)) for title, name in LEVEL_COLUMNS.items()],
    ("municipality", lambda h: h.startswith(("муниципал", "район", "наименование муниципал", "городской округ"))
     or h in {"мо", "мсу", "моуо"}),
]
LIMITS = {"short_name": 255, "address": 300, "head_name": 200, "phone": 64}


def municipality_key(name: str) -> str:
    """One spelling of a municipality's name: «Ельцовский муниципальный район», «Ельцовский р-н» → «ельцовский район»."""
    text = re.sub(r"[«»\"'“”()]", " ", str(name).lower().replace("ё", "е"))
    words = [MUNICIPALITY_ABBREVIATIONS.get(word, word) for word in text.split()]
    return " ".join(word for word in words if word not in MUNICIPALITY_GENERIC)


def region_number(value: str) -> str:
    """«22», «22.0», «reg220000», «22 | Алтайский край» → «22» (regions are numbered 1–99)."""
    text = str(value).split("|")[0].strip().lower()
    if text.startswith("reg"):
        digits = re.sub(r"\D", "", text)[:2]
    else:
        digits = re.sub(r"\.0+$", "", text)
        digits = digits if digits.isdigit() else ""
    return str(int(digits)) if digits else ""


def login_table_layout(header: list[str]) -> str | None:
    has = lambda name: any(test(h) for h in header for field_name, test in LOGIN_COLUMNS if field_name == name)  # noqa: E731
    if not has("login"):
        return None
    if has("settlement") or has("full_name") or "название оо" in header:
        return CONTEXT
    return LOGINS if has("short_name") else None


def locate_login_columns(header: list[str]) -> dict[str, int]:
    columns, taken = {}, set()
    for name, test in LOGIN_COLUMNS:
        index = next((i for i, h in enumerate(header) if i not in taken and test(h)), None)
        if index is not None:
            columns[name] = index
            taken.add(index)
    return columns


def parse_login_table(sheet: Sheet, header_index: int, header: list[str], layout: str) -> RegistryFile:
    parsed = RegistryFile(layout=layout)
    columns = locate_login_columns(header)
    titles = {name: str(sheet.rows[header_index][i]).strip() for name, i in columns.items()}
    for index, row in enumerate(sheet.rows[header_index + 1:]):
        cells = {name: str(row[i]).strip() if i < len(row) and row[i] is not None else "" for name, i in columns.items()}
        if any(cells.values()):
            parse_login_row(parsed, f"Лист «{sheet.name}», строка {excel_row(index, header_index + 1)}", cells, titles)
    return parsed


def parse_login_row(parsed: RegistryFile, where: str, cells: dict, titles: dict) -> None:
    login = cells.get("login", "").lower()
    column = f"столбец «{titles['login']}»"
    if not login:
        parsed.errors.append(f"{where}, {column}: не заполнен логин ОО.")
        return
    if not FISOKO_LOGIN.match(login):
        parsed.errors.append(f"{where}, {column}: «{cells['login']}» — не логин ФИС ОКО ({LOGIN_MESSAGE}).")
        return
    if login in parsed.organizations:
        parsed.errors.append(f"{where}, {column}: логин «{cells['login']}» повторяется в файле; загружена первая строка.")
        return
    if not row_region_agrees(parsed, where, cells, titles):
        return
    municipality_code = municipality_from_cell(parsed, cells.get("municipality", ""))
    values = login_row_values(parsed, where, cells, titles)
    parsed.organizations[login] = OrganizationRecord(login, OrgKind.SCHOOL, cells.get("short_name", "")[:255],
                                                     municipality_code, values, where)


def row_region_agrees(parsed: RegistryFile, where: str, cells: dict, titles: dict) -> bool:
    """The first region code of the file is the file's; a row of another region is left out."""
    number = region_number(cells.get("region_code", ""))
    if not number:
        return True
    if parsed.region is None:
        parsed.region = (number, cells.get("region_name", "").split("|")[-1].strip())
        return True
    if number != parsed.region[0]:
        parsed.errors.append(f"{where}, столбец «{titles['region_code']}»: код региона {number}, а в первых строках "
                             f"файла — {parsed.region[0]}; строка другого региона не загружена.")
        return False
    return True


def municipality_from_cell(parsed: RegistryFile, value: str) -> str | None:
    """«reg22_m010 | Ельцовский район» gives a code; a bare name is matched by name in the service."""
    if not value:
        return None
    coded = split_code_name(value)
    code, name = coded if coded else (NAME_ONLY + municipality_key(value), value.strip())
    parsed.municipalities.setdefault(code, MunicipalityRecord(code, name, municipality_kind(name)))
    return code


def login_row_values(parsed: RegistryFile, where: str, cells: dict, titles: dict) -> dict:
    values = {name: cells[name][:LIMITS.get(name, 10_000)]
              for name in ("full_name", "address", "head_name", "email", "phone") if cells.get(name)}
    for name in LEVEL_COLUMNS.values():
        if name in cells:
            values[name] = cells[name].lower() not in NO_WORDS
    settlement = cells.get("settlement", "")
    if settlement:
        kind = settlement_from_answer(settlement)
        if kind:
            values["settlement_type"] = kind
        else:
            parsed.warnings.append(f"{where}, столбец «{titles['settlement']}»: «{settlement}» — тип поселения не "
                                   "распознан (ожидается город или сельская местность), оставлен прежним.")
    return values


def settlement_from_answer(answer: str) -> str | None:
    """The context form's «Где расположена…» answers: «В сельской местности», «В городе», «В посёлке городского типа»."""
    text = answer.lower().replace("ё", "е")
    if "городского типа" in text or "пгт" in text or "город" in text:
        return SettlementType.CITY
    if "сел" in text or "деревн" in text or "станиц" in text or "аул" in text:
        return SettlementType.RURAL
    return None
