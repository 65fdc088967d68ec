from django.http import JsonResponse
from django.shortcuts import get_object_or_404
from django.views.generic import DetailView, ListView

from rsoko.orgs.views_mixins import ScopedQuerysetMixin, capability_required

from .models import Job


class JobListView(ScopedQuerysetMixin, ListView):
    capability = "jobs.view"
    model = Job
    template_name = "jobs/job_list.html"
    paginate_by = 50


class JobDetailView(ScopedQuerysetMixin, DetailView):
    capability = "jobs.view"
    model = Job
    template_name = "jobs/job_detail.html"


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
