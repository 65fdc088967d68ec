"""Bench: reading a large codifier and generating the results template (plain script, not a test).

Targets: a 2 000-row codifier (a very long one: real files have 50–200 rows) parsed in under 1 s;
the xlsx template for 40 tasks and 1 000 schools written in under 2 s.
Run: /work/main/.venv/bin/python bench/catalog_codifier_and_template.py
"""
import io
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from openpyxl import Workbook  # noqa: E402

from assessments.codifier import parse_codifier  # noqa: E402
from assessments.upload_template import TemplateTask, template_xlsx  # noqa: E402
from rsoko.tables import read_table_file  # noqa: E402

HEADER = ["№ КИМ", "№", "Умения", "Блоки ПООП", "Уровень сложности", "Код КЭС", "Код КТ", "Максимальный балл"]


def codifier_bytes(tasks: int, rows_per_task: int) -> bytes:
    workbook = Workbook()
    workbook.active.append(HEADER)
    for position in range(1, tasks + 1):
        for element in range(rows_per_task):
            workbook.active.append([str(position), position, "Умение " * 10, "Блок " * 10, "Б",
                                    f"{element}.1", f"{element}.2", 1 + position % 3])
    stream = io.BytesIO()
    workbook.save(stream)
    return stream.getvalue()


def measure(label: str, target: float, work) -> None:
    start = time.perf_counter()
    work()
    elapsed = time.perf_counter() - start
    print(f"{label}: {elapsed:.3f} s (цель {target} s, доля от цели {elapsed / target:.2f})")


def main() -> None:
    data = codifier_bytes(tasks=40, rows_per_task=50)
    measure("Кодификатор 2000 строк / 40 заданий", 1.0,
            lambda: parse_codifier(read_table_file("k.xlsx", data, limit_bytes=50 * 1024 * 1024)))
    tasks = [TemplateTask(str(n), 1 + n % 3) for n in range(1, 41)]
    schools = [f"sch99{n:04d}" for n in range(1000)]
    measure("Шаблон xlsx: 40 заданий, 1000 школ", 2.0,
            lambda: template_xlsx(title="ВПР", tasks=tasks, school_codes=schools, variants=["1", "2"]))


if __name__ == "__main__":
    main()
