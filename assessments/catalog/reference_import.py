"""Loading official scales from a table the ministry keeps (ФИОКО's recommendations of a year, typed or copied):
one row per kind, year, subject and grade. The shipped data (official_scales.py) holds only confirmed figures;
this is how a region adds the rest without waiting for a release. Each row needs its source: a scale nobody can
trace is not official. A bad row is reported by row and column and the others load.
"""
from dataclasses import dataclass, field
import re

from django.db import transaction

from rsoko.audit.models import AuditAction
from rsoko.audit.services import audit_record, snapshot
from rsoko.tables import Sheet

from ..models import ReferenceScale
from ..scales import check_boundaries
from .selectors import kind_by_name, subject_by_name

COLUMNS = {"вид": "kind", "год": "year", "предмет": "subject", "класс": "grade", "максимальный балл": "max_score",
           "максимум": "max_score", "«3» с": "3", "3": "3", "«4» с": "4", "4": "4", "«5» с": "5", "5": "5",
           "источник": "source"}
REQUIRED = {"kind": "Вид", "year": "Год", "subject": "Предмет", "max_score": "Максимальный балл", "3": "«3» с",
            "4": "«4» с", "5": "«5» с", "source": "Источник"}


@dataclass
class ReferenceImportReport:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: int = 0
    rows_skipped: list[str] = field(default_factory=list)
    file_errors: list[str] = field(default_factory=list)

    def summary(self) -> str:
        text = (f"Эталонных шкал: добавлено {len(self.created)}, обновлено {len(self.updated)}, "
                f"без изменений {self.unchanged}.")
        return text + (f" Строк с ошибками — {len(self.rows_skipped)}: они не загружены." if self.rows_skipped else "")


def header_key(cell) -> str:
    return re.sub(r"\s+", " ", str(cell)).strip().lower().replace('"', "").replace("ё", "е")


def whole(text: str) -> int | None:
    text = str(text).strip()
    text = text[:-2] if text.endswith(".0") else text
    return int(text) if text.isdigit() else None


def parse_row(where: str, cells: dict) -> tuple[dict | None, list[str]]:
    errors = [f"{where}, столбец «{title}»: не заполнен." for key, title in REQUIRED.items() if not cells.get(key)]
    if errors:
        return None, errors
    kind, subject = kind_by_name(cells["kind"]), subject_by_name(cells["subject"])
    if kind is None:
        errors.append(f"{where}, столбец «Вид»: вид процедуры «{cells['kind']}» не найден.")
    if subject is None:
        errors.append(f"{where}, столбец «Предмет»: предмет «{cells['subject']}» не найден.")
    numbers = {key: whole(cells.get(key, "")) for key in ("year", "grade", "max_score", "3", "4", "5")}
    for key in ("year", "max_score", "3", "4", "5"):
        if numbers[key] is None:
            errors.append(f"{where}, столбец «{REQUIRED[key]}»: «{cells[key]}» — не целое число.")
    if cells.get("grade") and numbers["grade"] is None:
        errors.append(f"{where}, столбец «Класс»: «{cells['grade']}» — не целое число.")
    if errors:
        return None, errors
    boundaries = {mark: numbers[mark] for mark in ("3", "4", "5")}
    errors += [f"{where}: {message}" for message in check_boundaries(boundaries, numbers["max_score"])]
    if errors:
        return None, errors
    return {"kind": kind, "subject": subject, "grade": numbers["grade"], "year": numbers["year"],
            "max_score": numbers["max_score"], "boundaries": boundaries, "source": cells["source"][:300]}, []


def parse_reference_table(sheets: list[Sheet]) -> tuple[list[tuple[str, dict]], ReferenceImportReport]:
    report = ReferenceImportReport()
    for sheet in sheets:
        for index, row in enumerate(sheet.rows[:10]):
            columns = {COLUMNS[header_key(c)]: i for i, c in enumerate(row) if header_key(c) in COLUMNS}
            if {"kind", "year", "subject", "3"} <= set(columns):
                return parse_rows(sheet, index, columns, report), report
    report.file_errors.append("Не найдена строка заголовка: нужны столбцы «Вид», «Год», «Предмет», «Класс», "
                              "«Максимальный балл», ««3» с», ««4» с», ««5» с» и «Источник».")
    return [], report


def parse_rows(sheet: Sheet, header_index: int, columns: dict, report) -> list[tuple[str, dict]]:
    parsed = []
    for offset, row in enumerate(sheet.rows[header_index + 1:]):
        cells = {key: str(row[i]).strip() if i < len(row) else "" for key, i in columns.items()}
        if not any(cells.values()):
            continue
        where = f"Лист «{sheet.name}», строка {header_index + offset + 2}"
        values, errors = parse_row(where, cells)
        report.rows_skipped += errors
        if values:
            parsed.append((where, values))
    return parsed


def reference_scales_import(*, actor, sheets: list[Sheet], source: str) -> ReferenceImportReport:
    rows, report = parse_reference_table(sheets)
    with transaction.atomic():
        for _where, values in rows:
            keys = {name: values[name] for name in ("kind", "subject", "grade", "year")}
            scale = ReferenceScale.objects.filter(**keys).first()
            before = snapshot(scale) if scale else None
            scale = scale or ReferenceScale(**keys)
            for name in ("max_score", "boundaries", "source"):
                setattr(scale, name, values[name])
            label = f"{values['kind'].code}-{values['year']} {values['subject'].code}-{values['grade'] or ''}".rstrip("-")
            if before is not None and snapshot(scale) == before:
                report.unchanged += 1
                continue
            scale.conditions = scale.conditions or []
            scale.save()
            audit_record(actor=actor, action=AuditAction.CREATE if before is None else AuditAction.UPDATE,
                         instance=scale, before=before, source=source)
            (report.created if before is None else report.updated).append(label)
    return report
