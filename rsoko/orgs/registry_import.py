"""Parsing registry files into plain records. No database access here: services apply the records.

Two layouts are recognised by their header:
- the portal's registry table («Код», «Краткое наименование», «Муниципалитет», …);
- any ФИС ОКО file with «Муниципалитет» and «Школа» columns holding «код | наименование»
  (the electronic protocol's sheets «Протокол» and «Классы»).
"""
from dataclasses import dataclass, field
import re

from rsoko.tables import Sheet, excel_row

from .choices import MunicipalityKind, OrgKind, SettlementType
from .models import FISOKO_CODE

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


@dataclass
class MunicipalityRecord:
    code: str
    name: str
    kind: str = MunicipalityKind.DISTRICT


@dataclass
class OrganizationRecord:
    code: str
    kind: str
    short_name: str
    municipality_code: str | None
    values: dict = field(default_factory=dict)  # optional fields present in the file


@dataclass
class RegistryFile:
    layout: str
    region: tuple[str, str] | None = None
    municipalities: dict[str, MunicipalityRecord] = field(default_factory=dict)
    organizations: dict[str, OrganizationRecord] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)


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
    parsed = RegistryFile(layout="unknown")
    parsed.errors.append(
        "Не распознан формат реестра: нужна строка заголовка со столбцами «Код» и «Краткое наименование» "
        "(шаблон реестра) или «Муниципалитет» и «Школа» (протокол ФИС ОКО)."
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
    if school is None or not FISOKO_CODE.match(school[0]):
        parsed.errors.append(f"Лист «{sheet}», строка {row_number}, столбец «Школа»: "
                             f"ожидается «sch…/edu… | наименование», получено «{cell('школа')}».")
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
    elif kind == OrgKind.SCHOOL and not FISOKO_CODE.match(code):
        parsed.errors.append(f"{where}, столбец «Код»: «{values['code']}» — код ОО должен иметь вид sch123456 или edu123456.")
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
