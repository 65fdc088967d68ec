from django.http import JsonResponse
from django.shortcuts import get_object_or_404
from django.utils.module_loading import import_string
from django.views.generic import DetailView, ListView

from rsoko.exports import Column, Table, TableExportMixin, page_export, requested_export, table_response
from rsoko.orgs.views_mixins import ScopedQuerysetMixin, capability_required

from .models import Job


class JobListView(ScopedQuerysetMixin, TableExportMixin, ListView):
    capability = "jobs.view"
    model = Job
    template_name = "jobs/job_list.html"
    paginate_by = 50

    def export_table(self, jobs) -> Table:
        columns = [Column("title", "Задание", width=50), Column("status", "Состояние", width=14),
                   Column("stage", "Этап", width=30), Column("percent", "%", "int", 6),
                   Column("created", "Создано", "date", 20), Column("author", "Автор", width=18),
                   Column("error", "Причина ошибки", width=60)]
        rows = ({"title": j.title, "status": j.get_status_display(), "stage": j.stage, "percent": j.percent,
                 "created": j.created_at, "author": str(j.created_by or "система"), "error": j.error}
                for j in jobs.select_related("created_by").iterator(chunk_size=2000))
        return Table("Фоновые задания", columns, rows, filename="zadaniya")


class JobDetailView(ScopedQuerysetMixin, DetailView):
    """The job's progress and result; ?export=xlsx|csv — its error text, a line a row (every row error of an
    import the page only summarises)."""

    capability = "jobs.view"
    model = Job
    template_name = "jobs/job_detail.html"

    def render_to_response(self, context, **kwargs):
        """A job whose result is a table (the archive's per-file report) exports that table; any other job its
        error text, a line a row (every row error of an import the page only summarises)."""
        builder = RESULT_TABLES.get(self.object.kind)
        if builder is not None and self.object.result:
            exported = page_export(self.request, {"files": lambda: import_string(builder)(self.object.result)})
            if exported is not None:
                return exported
        export = requested_export(self.request)
        if export:
            return table_response(error_table(self.object), export, self.request.user)
        return super().render_to_response(context, **kwargs)


RESULT_TABLES = {"archive_import": "assessments.archive.report_table"}


def error_table(job: Job) -> Table:
    """«Строка 12, столбец «3 (2б)»: …» split into its row, column and message."""
    from assessments.importing.error_summary import ROW_MESSAGE

    def rows():
        for line in job.error.splitlines():
            match = ROW_MESSAGE.match(line)
            yield ({"row": int(match["row"]), "column": match["column"], "message": match["text"]} if match
                   else {"row": None, "column": "", "message": line})

    columns = [Column("row", "Строка", "int", 8), Column("column", "Столбец", width=24),
               Column("message", "Ошибка", width=90)]
    return Table(f"Ошибки задания: {job.title}", columns, rows(), filename=f"oshibki-zadaniya-{job.pk}")


def job_state(job: Job) -> dict:
    return {
        "id": job.id, "status": job.status, "status_display": job.get_status_display(), "stage": job.stage,
        "percent": job.percent, "finished": job.is_finished, "error": job.error, "result": job.result,
    }


@capability_required("jobs.view")
def job_status_view(request, pk):
    """Polled by the job page every second or two."""
    job = get_object_or_404(Job.objects.visible_to(request.user), pk=pk)
    return JsonResponse(job_state(job))
