"""Excel exports (openpyxl). Every text cell is neutralised against formula injection by the portal's rule."""
import io

from openpyxl import Workbook
from openpyxl.styles import Font

from rsoko.exports import neutralise

EXPERT_HEADERS = [("code", "Код эксперта"), ("full_name", "ФИО"), ("subjects", "Предметы"),
                  ("qualification", "Квалификация"), ("position", "Должность"), ("organization", "Место работы"),
                  ("municipality", "Муниципалитет"), ("phone", "Телефон"), ("email", "Эл. почта")]


def workbook_bytes(title: str, headers: list[str], rows) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = title[:31]
    sheet.append([neutralise(h) for h in headers])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append([neutralise(value) for value in row])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def experts_xlsx(rows: list[dict], with_contacts: bool) -> bytes:
    headers = [(k, t) for k, t in EXPERT_HEADERS if with_contacts or k not in ("phone", "email")]
    return workbook_bytes("Эксперты", [t for _, t in headers], ([row.get(k, "") for k, _ in headers] for row in rows))


def campaign_results_xlsx(results: list[dict]) -> bytes:
    headers = ["Код ОО", "ОО", "Муниципалитет", "Проверяющая ОО", "Отобрано работ", "Проверено",
               "Изменена отметка, %", "Средний сдвиг (школа − эксперты)", "Направление",
               "Работ с расхождением выше порога", "Признак перепроверки", "Пояснение"]
    rows = []
    for item in results:
        member, sign = item["member"], item["sign"]
        rows.append([
            member.school.code, member.school.short_name, str(member.school.municipality or ""),
            member.checker_school.short_name if member.checker_school else "", item["drawn"], item["checked"],
            item["changed_share"], item["mean_shift"], item["direction"], item["discrepant"],
            ("выявлен" if sign["flagged"] else "не выявлен") if sign else "", sign["explanation"] if sign else "",
        ])
    return workbook_bytes("Результаты перепроверки", headers, rows)


def scores_template_xlsx(labels: list[str], assignments) -> bytes:
    """The expert's score sheet for one campaign: one row per assigned work, codes only."""
    headers = ["№ назначения", "Код участника"] + [f"Задание {label}" for label in labels]
    rows = ([a.pk, a.work.participant_code] + (a.scores or [""] * len(labels)) for a in assignments)
    return workbook_bytes("Баллы эксперта", headers, rows)
