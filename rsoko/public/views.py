"""Public pages: no sign-in, their own layout, cached for a few minutes per URL (query string included)."""
from itertools import groupby

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.views.decorators.cache import cache_page
from django.views.decorators.http import require_GET

from assessments.models import Procedure

from . import selectors
from .forms import MONTHS, CalendarFilterForm


def public_page(view):
    """No sign-in, GET only, cached per full URL: the decorators every public page shares."""
    return login_not_required(cache_page(settings.PUBLIC_CACHE_SECONDS, key_prefix="public")(require_GET(view)))


@public_page
def index_view(request):
    year = selectors.current_year()
    upcoming = [selectors.calendar_entry(p) for p in selectors.calendar_procedures(year=year)[:8]]
    return render(request, "public/index.html", {
        "year": year, "upcoming": upcoming, "roadmaps": selectors.public_roadmaps()[:5],
        "finished_count": selectors.finished_procedures(year=year).count(),
    })


@public_page
def calendar_view(request):
    form = CalendarFilterForm(request.GET or None, years=selectors.calendar_years())
    filters = form.filters(selectors.current_year())
    entries = [selectors.calendar_entry(p) for p in selectors.calendar_procedures(**filters)]
    months = [(MONTHS[month - 1], list(items))
              for month, items in groupby(entries, key=lambda e: e["date_start"].month)]
    return render(request, "public/calendar.html", {
        "form": form, "filters": filters, "months": months, "count": len(entries),
        "query": request.GET.urlencode(),
    })


@public_page
def results_view(request):
    year = selectors.current_year()
    procedures = [selectors.calendar_entry(p) for p in selectors.finished_procedures().order_by("-year", "kind__order")]
    return render(request, "public/results.html", {"procedures": procedures, "year": year})


@public_page
def procedure_results_view(request, code):
    procedure = selectors.finished_procedures().filter(code=code).first()
    if procedure is None:
        raise Http404("Результаты этой процедуры не опубликованы.")
    municipalities = selectors.municipality_results(procedure)
    return render(request, "public/procedure_results.html", {
        "procedure": selectors.calendar_entry(procedure),
        "region": selectors.region_results(procedure),
        "municipalities": municipalities,
        "municipalities_hidden": any(row["suppressed"] for row in municipalities),
    })


@public_page
def objectivity_view(request):
    """The latest computed year unless ?year= asks for another one (linkable)."""
    years = selectors.objectivity_years()
    requested = request.GET.get("year", "")
    year = int(requested) if requested.isdigit() and int(requested) in years else (years[-1] if years else selectors.current_year())
    return render(request, "public/objectivity.html", {
        "year": year, "years": years, "index": selectors.objectivity_index(year=year),
    })


@public_page
def roadmap_list_view(request):
    return render(request, "public/roadmap_list.html", {"roadmaps": selectors.public_roadmaps()})


@public_page
def roadmap_detail_view(request, pk):
    roadmap = get_object_or_404(selectors.public_roadmaps(), pk=pk)
    return render(request, "public/roadmap_detail.html", {
        "roadmap": roadmap, "items": selectors.public_roadmap_items(roadmap),
    })


def procedure_link(procedure: Procedure) -> str:
    """Finished procedures link to their results, the others to their place in the calendar."""
    if procedure.status in selectors.FINISHED_STATUSES:
        return reverse("public:procedure_results", args=[procedure.code])
    return f"{reverse('public:calendar')}?year={procedure.date_start.year}#p-{procedure.code}"
