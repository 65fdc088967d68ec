"""Issue 17: a file with thousands of bad rows reads as a few problems on the job page; the full list downloads."""
import io

from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from assessments.importing.error_summary import group_row_errors
from rsoko.jobs.models import Job

from .factories import procedure_with_tasks, template_rows, xlsx_bytes


def test_row_errors_are_grouped_by_kind_and_column_with_counts_first_rows_and_schools():
    messages = [f"Строка {n}, столбец «3»: балл «{n % 7 + 3}» больше максимального за задание № 3 (2)."
                for n in range(2, 1502)]
    messages += ["Строка 9, столбец «Логин»: школа «sch1» не найдена в реестре организаций."] * 2
    schools = ["sch2"] * 1000 + ["sch3"] * 500 + [""] * 2
    groups = group_row_errors(messages, schools)
    assert [g["count"] for g in groups] == [1500, 2]
    big = groups[0]
    assert big["problem"] == "балл «…» больше максимального за задание № 3 (2)." and big["column"] == "3"
    assert big["rows"] == [2, 3, 4, 5, 6] and big["more_rows"] == 1495
    assert big["schools"] == [{"school": "sch2", "count": 1000}, {"school": "sch3", "count": 500}]
    assert "кодификатор" in big["advice"]
    assert groups[1]["problem"] == "школа «sch1» не найдена в реестре организаций." and "реестр" in groups[1]["advice"]


def test_the_job_page_of_a_refused_file_groups_its_errors_and_offers_the_full_list(
        world, client_for, django_capture_on_commit_callbacks):
    procedure = procedure_with_tasks()
    # task 4 holds text, not a score (a score over the maximum in most rows is a wrong codifier: a file error)
    pupils = [(world.school_a1.code, str(n), [1, 1, 2, "д"]) for n in range(1, 1201)]
    pupils += [("sch000000", "9999", [1, 1, 1, 1])]
    client = client_for("coordinator")
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/results/upload/", {"procedure": procedure.pk, "mode": "strict",
                                         "file": SimpleUploadedFile("r.xlsx", xlsx_bytes(template_rows(pupils)))})
    job = Job.objects.get(kind="results_import")
    assert job.status == "failed"
    page = client.get(f"/jobs/{job.pk}/").content.decode()
    assert page.count("— не число") == 1  # one group, not 1 200 lines
    assert "1\u202f201" in page and "1\u202f200" in page and "школа «sch000000» не найдена" in page
    assert "Ничего не сохранено" in page and "?export=xlsx" in page
    assert len(page) < 40_000, len(page)
    export = client.get(f"/jobs/{job.pk}/?export=xlsx")
    rows = list(load_workbook(io.BytesIO(b"".join(export.streaming_content))).active.iter_rows(values_only=True))
    assert rows[0] == ("Строка", "Столбец", "Ошибка")
    assert sum(1 for row in rows if row[0] is not None and isinstance(row[0], int)) == 1201
