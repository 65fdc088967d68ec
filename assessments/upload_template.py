"""The portal's own results template (format C) for one procedure: an xlsx with input checks, or a CSV.

Header contract (the upload parser reads exactly this):
«Код ОО» | «Код участника» | «Класс» | «Пол» | «Отметка в журнале» | «Вариант» | «<label> (<max>б)» per task
in position order, e.g. «9.1 (2б)».
"""
from dataclasses import dataclass
import csv
import io

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

FIXED_COLUMNS = ["Код ОО", "Код участника", "Класс", "Пол", "Отметка в журнале", "Вариант"]
SEXES = ["м", "ж"]
JOURNAL_MARKS = ["2", "3", "4", "5", "нет отметки"]
ABSENT = "отсутствовал"
DATA_SHEET, INSTRUCTION_SHEET, LISTS_SHEET = "Результаты", "Инструкция", "Списки"
INPUT_ROWS = 3000  # rows that carry the input checks; a class list is far shorter
HEADER_FILL = PatternFill("solid", fgColor="DCE6F2")


@dataclass(frozen=True)
class TemplateTask:
    label: str
    max_score: int


def task_header(task: TemplateTask) -> str:
    return f"{task.label} ({task.max_score}б)"


def template_header(tasks: list[TemplateTask]) -> list[str]:
    return FIXED_COLUMNS + [task_header(task) for task in tasks]


def template_csv(tasks: list[TemplateTask]) -> bytes:
    """UTF-8 with BOM (Excel opens it as Russian text) and «;» as the separator."""
    stream = io.StringIO()
    csv.writer(stream, delimiter=";", lineterminator="\r\n").writerow(template_header(tasks))
    return "\ufeff".encode("utf-8") + stream.getvalue().encode("utf-8")


def instruction_lines(title: str, tasks: list[TemplateTask], variants: list[str], max_score: int) -> list[str]:
    variant_rule = (
        f"«Вариант» — номер варианта ({', '.join(variants)}) или «{ABSENT}», если участник не писал работу."
        if variants else f"«Вариант» — номер варианта КИМ или «{ABSENT}», если участник не писал работу."
    )
    return [
        f"Шаблон загрузки результатов: {title}",
        "",
        "Как заполнять лист «Результаты»",
        "1. Одна строка — один участник. Заголовок (первую строку) не меняйте: столбцы читаются по названиям.",
        "2. «Код ОО» — логин школы в ФИС ОКО (sch…/edu…), выбирается из списка школ, участвующих в процедуре.",
        "3. «Код участника» — код из протокола; фамилии и имена не указываются (персональные данные не загружаются).",
        "4. «Класс» — как в журнале: 4А, 4Б…",
        "5. «Пол» — «м» или «ж».",
        "6. «Отметка в журнале» — отметка за предыдущую четверть (триместр): 2, 3, 4, 5 или «нет отметки».",
        f"7. {variant_rule} У отсутствовавших баллы за задания не заполняются.",
        f"8. Баллы за задания — целые числа от 0 до максимума, указанного в скобках. Всего заданий: {len(tasks)}, "
        f"максимальный первичный балл: {max_score}.",
        "9. Итоговый балл и отметку считать не нужно: портал вычисляет их по утверждённой шкале.",
        "",
        "Как загрузить",
        "Сохраните файл в формате .xlsx (или .csv в кодировке UTF-8 с разделителем «;») и загрузите его на странице "
        "процедуры. Строки с ошибками будут показаны с номером строки и названием столбца.",
    ]


def add_list(lists_sheet, column: int, title: str, values: list[str]) -> str:
    """Writes a list on the hidden sheet and returns the range a validation refers to."""
    lists_sheet.cell(row=1, column=column, value=title)
    for offset, value in enumerate(values, start=2):
        lists_sheet.cell(row=offset, column=column, value=value)
    letter = get_column_letter(column)
    return f"'{LISTS_SHEET}'!${letter}$2:${letter}${max(2, len(values) + 1)}"


def list_validation(sheet, column: int, source: str, prompt: str) -> None:
    validation = DataValidation(type="list", formula1=f"={source}", allow_blank=True, showErrorMessage=True)
    validation.error, validation.errorTitle = f"Выберите значение из списка. {prompt}", "Недопустимое значение"
    validation.prompt = prompt
    sheet.add_data_validation(validation)
    letter = get_column_letter(column)
    validation.add(f"{letter}2:{letter}{INPUT_ROWS + 1}")


def score_validation(sheet, column: int, task: TemplateTask) -> None:
    validation = DataValidation(
        type="whole", operator="between", formula1="0", formula2=str(task.max_score), allow_blank=True,
        showErrorMessage=True,
    )
    validation.errorTitle = "Недопустимый балл"
    validation.error = f"За задание {task.label} ставится целое число от 0 до {task.max_score}."
    sheet.add_data_validation(validation)
    letter = get_column_letter(column)
    validation.add(f"{letter}2:{letter}{INPUT_ROWS + 1}")


def write_results_sheet(sheet, tasks: list[TemplateTask]) -> None:
    sheet.append(template_header(tasks))
    for cell in sheet[1]:
        cell.font, cell.fill = Font(bold=True), HEADER_FILL
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    widths = [14, 16, 8, 6, 12, 14] + [9] * len(tasks)
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "C2"


def template_xlsx(*, title: str, tasks: list[TemplateTask], school_codes: list[str], variants: list[str]) -> bytes:
    """The workbook: «Результаты» with input checks, «Инструкция», and the hidden «Списки» they draw on."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = DATA_SHEET
    write_results_sheet(sheet, tasks)
    lists = workbook.create_sheet(LISTS_SHEET)
    lists.sheet_state = "hidden"
    list_validation(sheet, 1, add_list(lists, 1, "Код ОО", school_codes), "Код школы из числа участников процедуры.")
    list_validation(sheet, 4, add_list(lists, 2, "Пол", SEXES), "м или ж.")
    list_validation(sheet, 5, add_list(lists, 3, "Отметка в журнале", JOURNAL_MARKS), "2, 3, 4, 5 или «нет отметки».")
    if variants:  # without known variants any number is accepted, so no list is imposed
        list_validation(sheet, 6, add_list(lists, 4, "Вариант", variants + [ABSENT]), "Номер варианта или «отсутствовал».")
    for offset, task in enumerate(tasks):
        score_validation(sheet, len(FIXED_COLUMNS) + 1 + offset, task)
    instruction = workbook.create_sheet(INSTRUCTION_SHEET)
    for line in instruction_lines(title, tasks, variants, sum(t.max_score for t in tasks)):
        instruction.append([line])
    instruction["A1"].font = Font(bold=True, size=13)
    instruction.column_dimensions["A"].width = 120
    stream = io.BytesIO()
    workbook.save(stream)
    return stream.getvalue()
