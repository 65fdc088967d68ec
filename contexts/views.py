"""Pages of the context of schools: the list with the ministry's criteria, and one school beside its peers."""
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from rsoko.exports import page_export
from rsoko.orgs.access import scope_for
from rsoko.orgs.models import Organization
from rsoko.orgs.views_mixins import capability_required

from . import selectors, services
from .forms import ContextForm, RuleForm
from .models import ContextRule, SchoolContext


@capability_required("context.view")
def context_list(request):
    contexts = SchoolContext.objects.visible_to(request.user).select_related("school__municipality")
    only_difficult = request.GET.get("difficult") == "1"
    if only_difficult:
        contexts = contexts.filter(difficult=True)
    group = request.GET.get("group", "")
    if group.isdigit() and len(group) <= 2:
        contexts = contexts.filter(peer_group=int(group))
    export = page_export(request, {"contexts": lambda: selectors.contexts_table(contexts)})
    if export is not None:
        return export
    can_manage = scope_for(request.user).can("context.manage")
    return render(request, "contexts/context_list.html", {
        "contexts": contexts, "only_difficult": only_difficult, "group": group if group.isdigit() else "",
        "can_manage": can_manage, "rule_form": RuleForm(instance=ContextRule.current()) if can_manage else None})


@require_POST
@capability_required("context.manage")
def rule_edit(request):
    form = RuleForm(request.POST, instance=ContextRule.current())
    if form.is_valid():
        services.rule_update(actor=request.user, **{k: form.cleaned_data[k] for k in form.Meta.fields})
        messages.success(request, "Критерии сохранены, признаки и группы пересчитаны.")
        return redirect("contexts:context_list")
    contexts = SchoolContext.objects.visible_to(request.user).select_related("school__municipality")
    return render(request, "contexts/context_list.html", {"contexts": contexts, "can_manage": True,
                                                          "rule_form": form}, status=200)


@capability_required("context.view")
def context_detail(request, code):
    area = scope_for(request.user, "context.view")  # the registry may reach further (an API membership)
    schools = Organization.objects.visible_to(request.user).filter(kind="school").filter(area.organizations_q())
    school = get_object_or_404(schools, code=code)
    context = SchoolContext.objects.visible_to(request.user).filter(school=school).first()
    if context is None and not scope_for(request.user).can("context.manage"):
        context = SchoolContext(school=school)
    can_manage = scope_for(request.user).can("context.manage")
    form = ContextForm(request.POST or None, instance=context) if can_manage else None
    if request.method == "POST":
        if not can_manage:
            raise PermissionDenied("Недостаточно прав для этого действия.")
        if form.is_valid():
            services.context_update(school=school, actor=request.user,
                                    **{k: form.cleaned_data[k] for k in form.Meta.fields})
            messages.success(request, "Контекст сохранён.")
            return redirect("contexts:context_detail", code=school.code)
    year, rows = selectors.peer_rows(context) if context and context.pk else (None, [])
    return render(request, "contexts/context_detail.html", {"school": school, "context": context, "form": form,
                                                            "year": year, "rows": rows})
