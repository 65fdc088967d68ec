"""Pages of the register of management decisions and of a decision's effect."""
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from rsoko.exports import page_export
from rsoko.orgs.access import scope_for
from rsoko.orgs.views_mixins import capability_required

from . import selectors, services
from .forms import CaseAssignForm, CaseUpdateForm, DecisionForm
from .models import Decision


@capability_required("decisions.view")
def decision_list(request):
    decisions = Decision.objects.visible_to(request.user).select_related("owner").prefetch_related("indicators")
    export = page_export(request, {"decisions": lambda: selectors.decisions_table(decisions)})
    if export is not None:
        return export
    return render(request, "decisions/decision_list.html", {
        "decisions": decisions, "can_manage": scope_for(request.user).can("decisions.manage")})


@capability_required("decisions.manage")
def decision_create(request):
    form = DecisionForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            decision = services.decision_create(actor=request.user, **{k: data[k] for k in form.Meta.fields})
        except services.DecisionError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "Решение внесено в реестр.")
            return redirect("decisions:decision_detail", pk=decision.pk)
    return render(request, "decisions/decision_form.html", {"form": form})


@capability_required("decisions.view")
def decision_detail(request, pk):
    decision = get_object_or_404(Decision.objects.visible_to(request.user).select_related("owner"), pk=pk)
    error, rows = "", []
    try:
        before, after = selectors.chosen_periods(decision, request.GET.get("before"), request.GET.get("after"))
    except selectors.PeriodError as exc:
        error = str(exc)
        before, after = selectors.default_periods(decision)
    export = page_export(request, {"effect": lambda: selectors.effect_table(decision, before, after)})
    if export is not None:
        return export
    rows = selectors.decision_effect(decision, before, after)
    return render(request, "decisions/decision_detail.html", {
        "decision": decision, "rows": rows, "before": before, "after": after, "period_error": error,
        "schools": decision.schools.visible_to(request.user).order_by("short_name"),
        "municipalities": decision.municipalities.order_by("name"),
        "measures": decision.measures.visible_to(request.user).select_related("roadmap")})


# ---- consequences for flagged schools -------------------------------------------------------------------

def year_param(request) -> tuple[int, str]:
    """The year of signs from ?year=, or last year; a bad value is explained, not a 500."""
    from django.utils import timezone

    default = timezone.localdate().year - (0 if timezone.localdate().month >= 6 else 1)
    raw = request.GET.get("year", "")
    if not raw:
        return default, ""
    if len(raw) == 4 and raw.isdigit() and raw.startswith("20"):
        return int(raw), ""
    return default, f"Год: «{raw[:20]}» — не год; показан {default}."


@capability_required("cases.view")
def case_list(request):
    from .models import Case

    year, error = year_param(request)
    cases = Case.objects.visible_to(request.user).filter(year=year).select_related("school__municipality")
    export = page_export(request, {"cases": lambda: selectors.cases_table(cases)})
    if export is not None:
        return export
    return render(request, "decisions/case_list.html", {
        "cases": cases, "year": year, "year_error": error,
        "can_assign": scope_for(request.user).can("cases.assign")})


@capability_required("cases.assign")
def case_assign(request):
    year, error = year_param(request)
    rows = selectors.assign_rows(request.user, year)
    form = CaseAssignForm(request.POST or None, school_ids=[r["school"].pk for r in rows])
    if request.method == "POST" and form.is_valid():
        try:
            created, skipped = services.cases_assign(
                actor=request.user, year=year, kind=form.cleaned_data["kind"], due=form.cleaned_data["due"],
                schools=list(form.cleaned_data["schools"]))
        except services.DecisionError as exc:
            form.add_error(None, str(exc))
        else:
            note = f" Уже назначено раньше: {len(skipped)}." if skipped else ""
            messages.success(request, f"Назначено ОО: {len(created)}.{note}")
            return redirect(f"{reverse('decisions:case_list')}?year={year}")
    return render(request, "decisions/case_assign.html", {"rows": rows, "form": form, "year": year,
                                                          "year_error": error})


@capability_required("cases.view")
def case_detail(request, pk):
    from .models import Case

    case = get_object_or_404(Case.objects.visible_to(request.user).select_related("school", "decision"), pk=pk)
    can_update = scope_for(request.user).can("cases.update")
    form = CaseUpdateForm(request.POST or None, initial={"status": case.status, "result": case.result})
    if request.method == "POST":
        if not can_update:
            raise PermissionDenied("Недостаточно прав для этого действия.")
        if form.is_valid():
            try:
                services.case_update(case=case, actor=request.user, **form.cleaned_data)
            except services.DecisionError as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, "Состояние сохранено.")
                return redirect("decisions:case_detail", pk=case.pk)
    return render(request, "decisions/case_detail.html", {"case": case, "form": form, "can_update": can_update,
                                                          "events": case.events.all()})
