"""Pages of the register of management decisions and of a decision's effect."""
from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render

from rsoko.orgs.access import scope_for
from rsoko.orgs.views_mixins import capability_required

from . import selectors, services
from .forms import DecisionForm
from .models import Decision


@capability_required("decisions.view")
def decision_list(request):
    decisions = Decision.objects.visible_to(request.user).select_related("owner").prefetch_related("indicators")
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
    rows = selectors.decision_effect(decision, before, after)
    return render(request, "decisions/decision_detail.html", {
        "decision": decision, "rows": rows, "before": before, "after": after, "period_error": error,
        "schools": decision.schools.visible_to(request.user).order_by("short_name"),
        "municipalities": decision.municipalities.order_by("name"),
        "measures": decision.measures.visible_to(request.user).select_related("roadmap")})
