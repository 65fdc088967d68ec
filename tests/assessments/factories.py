"""Procedures and results files built in tests (never copies of the real samples)."""
import csv
import io

from openpyxl import Workbook

from assessments.models import Procedure, ProcedureKind, Scale, Subject, Task


def procedure_with_tasks(code="VPR-2021-MA-4", *, maxima=(1, 1, 2, 2), labels=None, boundaries=None, grade=4,
                         subject="MA", kind="VPR", year=2021) -> Procedure:
    procedure = Procedure.objects.create(
        code=code, kind=ProcedureKind.objects.get(slug=kind), year=year, subject=Subject.objects.get(code=subject),
        grade=grade, max_score=sum(maxima) if maxima else None,
    )
    labels = labels or [str(i) for i in range(1, len(maxima) + 1)]
    Task.objects.bulk_create([Task(procedure=procedure, position=i, label=label, max_score=m)
                              for i, (label, m) in enumerate(zip(labels, maxima), start=1)])
    if boundaries is not None:
        Scale.objects.create(procedure=procedure, boundaries=boundaries)
    return procedure


EXPORT_HEAD = ["логин школы", "регион", "номер обучающегося", "код обучающегося",
               "отметка за предыдущую четверть/триместр", "пол", "класс", "вариант", "всего баллов"]


def export_rows(school_code, pupils, *, tasks=4, start=1):
    """pupils: list of (code, scores list or None for absent, journal, sex, class)."""
    header = EXPORT_HEAD + [f"балл за {i}" for i in range(1, tasks + 1)] + ["Учебник"]
    rows = [header]
    for n, (code, scores, journal, sex, klass) in enumerate(pupils, start=start):
        if scores is None:
            rows.append([school_code, "р-н", str(n), code, "", "", "", "отсутствовал", ""] + [""] * tasks + [""])
        else:
            total = sum(int(s) for s in scores if str(s).lstrip("-").isdigit())
            rows.append([school_code, "р-н", str(n), code, journal, sex, klass, "1", str(total)] + list(scores) + ["Учебник"])
    return rows


TEMPLATE_HEAD = ["Код ОО", "Код участника", "Класс", "Пол", "Отметка в журнале", "Вариант"]


def template_rows(pupils, *, labels=("1", "2", "3", "4"), maxima=(1, 1, 2, 2)):
    """pupils: list of (school, code, scores or None)."""
    header = TEMPLATE_HEAD + [f"{label} ({m}б)" for label, m in zip(labels, maxima)]
    rows = [header]
    for school, code, scores in pupils:
        if scores is None:
            rows.append([school, code, "", "", "", "отсутствовал"] + [""] * len(labels))
        else:
            rows.append([school, code, "4А", "м", "4", "1"] + [str(s) for s in scores])
    return rows


def xlsx_bytes(rows, title="Лист1") -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = title
    for row in rows:
        sheet.append(list(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def csv_bytes(rows, *, delimiter=";", encoding="utf-8", bom=False) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter, lineterminator="\n").writerows(rows)
    data = buffer.getvalue().encode(encoding)
    return (b"\xef\xbb\xbf" + data) if bom else data


# The 2020 regional export as ФИС ОКО gave it: Latin technical headers, task positions «a-N-grade».
EXPORT_2020_HEAD = ["groups", "user", "code", "otc", "var-1", "sum"]


def export_2020_rows(school_code, pupils, *, tasks=4):
    """pupils: list of (code, scores list or None for absent, journal, class)."""
    rows = [EXPORT_2020_HEAD + [f"a-{i}-grade" for i in range(1, tasks + 1)]]
    for code, scores, journal, klass in pupils:
        if scores is None:
            rows.append([klass, school_code, code, journal, "отсутствовал", ""] + [""] * tasks)
        else:
            total = sum(int(s) for s in scores if str(s).lstrip("-").isdigit())
            rows.append([klass, school_code, code, journal, "2", str(total)] + [str(s) for s in scores])
    return rows


def zip_bytes(files: dict[str, bytes]) -> bytes:
    """A zip archive of the given files (name inside the archive → content)."""
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return buffer.getvalue()
