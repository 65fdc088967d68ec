"""Pages of the fieldwork app. Reads through selectors (scoped, out of scope → 404), writes through services."""
from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from assessments.models import Procedure
from rsoko.exports import page_export, requested_export, table_response
from rsoko.orgs.access import scope_for
from rsoko.orgs.models import Organization
from rsoko.orgs.views_mixins import capability_required

from . import exports, forms, selectors, services
from .choices import VIOLATION_LABELS, CampaignKind, CampaignStatus
from .expert_import import COLUMNS
from .filtersets import ExpertFilterSet
from .models import Campaign, ObserverAssignment, ObserverPhoto

def refuse(request, error: services.FieldworkError) -> None:
    for message in error.errors[:50]:
        messages.error(request, message)


# --- expert bank -------------------------------------------------------------------------------------------

@capability_required("fieldwork.bank_view")
def expert_list(request):
    filterset = ExpertFilterSet(request.GET, queryset=selectors.experts_for(request.user).order_by("full_name", "id"))
    exported = page_export(request, {"experts": lambda: expert_table(request, filterset.qs)})
    if exported:
        return exported
    page = Paginator(filterset.qs, 50).get_page(request.GET.get("page"))
    experts = list(page.object_list)
    return render(request, "fieldwork/expert_list.html", {
        "filter": filterset, "page_obj": page, "is_paginated": page.has_other_pages(),
        "rows": zip(experts, selectors.expert_rows(request.user, experts)),
        "contacts": selectors.can_see_contacts(request.user),
        "can_manage": scope_for(request.user).can("fieldwork.manage"),
    })


@capability_required("fieldwork.bank_view")
def expert_detail(request, pk):
    expert = get_object_or_404(selectors.experts_for(request.user), pk=pk)
    return render(request, "fieldwork/expert_detail.html", {
        "expert": expert, "contacts": selectors.can_see_contacts(request.user),
        "trainings": expert.trainings.all(), "periods": expert.availability.all(),
        "conflicts": expert.conflicts.select_related("organization"),
    })


def expert_table(request, experts):
    return exports.expert_table(selectors.expert_rows(request.user, experts), selectors.can_see_contacts(request.user))


@capability_required("fieldwork.bank_view")
def expert_export(request):
    """The older address of the bank's xlsx: the same file as the list page's ?export=xlsx."""
    filterset = ExpertFilterSet(request.GET, queryset=selectors.experts_for(request.user).order_by("full_name", "id"))
    return table_response(expert_table(request, filterset.qs), "xlsx", request.user)


@capability_required("fieldwork.manage")
def expert_import(request):
    form = forms.ExpertImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            counts = services.expert_bank_import(name=upload.name, data=upload.read(), actor=request.user)
        except services.FieldworkError as exc:
            refuse(request, exc)
        else:
            messages.success(request, f"Банк экспертов загружен: новых {counts['created']}, "
                                      f"обновлено {counts['updated']}.")
            return redirect("fieldwork:expert_list")
    return render(request, "fieldwork/expert_import.html", {"form": form, "columns": COLUMNS.values()})


# --- campaigns ---------------------------------------------------------------------------------------------

@capability_required("fieldwork.view_results")
def campaign_list(request):
    exported = page_export(request,
                           {"campaigns": lambda: exports.campaign_list_table(selectors.campaigns_for(request.user))})
    if exported:
        return exported
    return render(request, "fieldwork/campaign_list.html", {
        "campaigns": selectors.campaigns_for(request.user),
        "can_manage": scope_for(request.user).can("fieldwork.manage"),
    })


@capability_required("fieldwork.manage")
def campaign_create(request):
    form = forms.CampaignForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        campaign = services.campaign_create(procedure=data.pop("procedure"), title=data.pop("title"),
                                            actor=request.user, **data)
        messages.success(request, "Кампания создана: выберите школы.")
        return redirect("fieldwork:campaign_detail", campaign.pk)
    return render(request, "fieldwork/campaign_form.html", {"form": form})


def visible_campaign(request, pk) -> Campaign:
    return get_object_or_404(selectors.campaigns_for(request.user), pk=pk)


@capability_required("fieldwork.view_results")
def campaign_detail(request, pk):
    campaign = visible_campaign(request, pk)
    exported = page_export(request, {"results": lambda: results_table(request, campaign, requested_export(request))})
    if exported:
        return exported
    can_manage = scope_for(request.user).can("fieldwork.manage")
    context = {"campaign": campaign, "results": selectors.campaign_results(request.user, campaign),
               "can_manage": can_manage, "is_cross": campaign.kind == CampaignKind.CROSS}
    if can_manage and campaign.status == CampaignStatus.PLANNED:
        context.update(manual_form=forms.ManualSchoolsForm(campaign=campaign), random_form=forms.RandomSchoolsForm(),
                       draw_form=forms.DrawForm(), pair_form=forms.PairForm(),
                       flagged_count=len(services.flagged_participating_school_ids(campaign.procedure)))
    if can_manage:
        context["progress"] = campaign.works.aggregate(
            total=Count("id"), final=Count("id", filter=Q(final_primary__isnull=False)),
            third=Count("id", filter=Q(third_called=True)))
        context["waiting_third"] = selectors.works_waiting_for_third(campaign)
    return render(request, "fieldwork/campaign_detail.html", context)


def managed_campaign(request, pk) -> Campaign:
    return get_object_or_404(Campaign.objects.visible_to(request.user), pk=pk)


@require_POST
@capability_required("fieldwork.manage")
def campaign_schools(request, pk):
    campaign = managed_campaign(request, pk)
    try:
        if request.POST.get("how") == "signs":
            added = services.campaign_add_flagged_schools(campaign=campaign)
            messages.success(request, f"Добавлено школ с признаками необъективности: {added}.")
        elif request.POST.get("how") == "random":
            form = forms.RandomSchoolsForm(request.POST)
            if not form.is_valid():
                raise services.FieldworkError("Укажите, сколько школ отобрать (целое число от 1).")
            chosen = services.campaign_add_random_schools(campaign=campaign, size=form.cleaned_data["size"],
                                                          seed=form.cleaned_data["seed"])
            messages.success(request, f"Случайно отобрано школ: {len(chosen)}.")
        else:
            form = forms.ManualSchoolsForm(request.POST, campaign=campaign)
            if not form.is_valid():
                raise services.FieldworkError("Выберите хотя бы одну школу из участников процедуры.")
            added = services.campaign_add_schools(campaign=campaign,
                                                  school_ids=[s.id for s in form.cleaned_data["schools"]])
            messages.success(request, f"Добавлено школ: {added}.")
    except services.FieldworkError as exc:
        refuse(request, exc)
    return redirect("fieldwork:campaign_detail", campaign.pk)


@require_POST
@capability_required("fieldwork.manage")
def campaign_pair(request, pk):
    campaign = managed_campaign(request, pk)
    form = forms.PairForm(request.POST)
    try:
        if not form.is_valid():
            raise services.FieldworkError("Выберите, как составлять пары.")
        services.campaign_pair_schools(campaign=campaign, within_municipality=form.cleaned_data["mode"] == "within",
                                       seed=form.cleaned_data["seed"])
        messages.success(request, "Пары школ составлены (без повторения пар прошлого года).")
    except services.FieldworkError as exc:
        refuse(request, exc)
    return redirect("fieldwork:campaign_detail", campaign.pk)


@require_POST
@capability_required("fieldwork.manage")
def campaign_draw(request, pk):
    campaign = managed_campaign(request, pk)
    form = forms.DrawForm(request.POST)
    try:
        if not form.is_valid():
            raise services.FieldworkError("Зерно — целое неотрицательное число.")
        count = services.campaign_draw(campaign=campaign, seed=form.cleaned_data["seed"], actor=request.user)
        campaign.refresh_from_db()
        messages.success(request, f"Отобрано работ: {count}. Зерно отбора: {campaign.seed}.")
    except services.FieldworkError as exc:
        refuse(request, exc)
    return redirect("fieldwork:campaign_detail", campaign.pk)


@require_POST
@capability_required("fieldwork.manage")
def campaign_assign(request, pk):
    campaign = managed_campaign(request, pk)
    try:
        count = services.campaign_assign(campaign=campaign, actor=request.user)
        messages.success(request, f"Назначено проверок: {count}.")
    except services.FieldworkError as exc:
        refuse(request, exc)
    return redirect("fieldwork:campaign_detail", campaign.pk)


@capability_required("fieldwork.manage")
def campaign_works(request, pk):
    campaign = managed_campaign(request, pk)
    works = selectors.campaign_works_for_manager(campaign)
    return page_export(request, {"works": lambda: exports.works_table(campaign, works)}) or render(
        request, "fieldwork/campaign_works.html", {"campaign": campaign, "works": works})


def results_table(request, campaign: Campaign, fmt: str):
    """The campaign page's per-school results as a table; handing them out is logged."""
    services.export_record(actor=request.user, campaign=campaign, what="результаты перепроверки", fmt=fmt,
                           source="fieldwork.campaign_export")
    return exports.campaign_results_table(campaign, selectors.campaign_results(request.user, campaign))


@capability_required("fieldwork.view_results")
def campaign_export(request, pk):
    """The older address of the results' xlsx: the same file as the campaign page's ?export=xlsx."""
    return table_response(results_table(request, visible_campaign(request, pk), "xlsx"), "xlsx", request.user)


# --- an expert's own works ---------------------------------------------------------------------------------

@capability_required("fieldwork.expert_work")
def my_works(request):
    assignments = list(selectors.assignments_for(request.user))
    return render(request, "fieldwork/my_works.html", {
        "assignments": assignments, "campaigns": selectors.expert_campaigns(request.user),
        "linked": hasattr(request.user, "expert_profile"),
    })


def task_labels(campaign: Campaign, width: int) -> list[str]:
    labels = list(campaign.procedure.tasks.order_by("position").values_list("label", flat=True))
    return labels or [str(i) for i in range(1, width + 1)]


@capability_required("fieldwork.expert_work")
def assignment_check(request, pk):
    assignment = get_object_or_404(selectors.assignments_for(request.user), pk=pk)
    work = assignment.work
    campaign = work.campaign
    criteria = selectors.task_criteria(campaign, len(work.school_scores))
    values = assignment.scores or [""] * len(criteria)
    if request.method == "POST":
        values = [request.POST.get(f"task_{i}", "") for i in range(len(criteria))]
        try:
            services.assignment_submit(assignment=assignment, scores=values, actor=request.user)
        except services.FieldworkError as exc:
            refuse(request, exc)
        else:
            messages.success(request, f"Баллы за работу {work.participant_code} сохранены.")
            return redirect("fieldwork:my_works")
    return render(request, "fieldwork/assignment_check.html", {
        "assignment": assignment, "work": work, "campaign": campaign,
        "tasks": list(zip(range(len(criteria)), criteria, values)), "locked": work.is_final,
    })


def expert_campaign(request, pk) -> Campaign:
    return get_object_or_404(selectors.expert_campaigns(request.user), pk=pk)


@capability_required("fieldwork.expert_work")
def my_template(request, pk):
    campaign = expert_campaign(request, pk)
    assignments = selectors.assignments_for(request.user).filter(work__campaign=campaign)
    width = len(assignments[0].work.school_scores) if assignments else 0
    services.export_record(actor=request.user, campaign=campaign, what="бланк баллов эксперта",
                           source="fieldwork.expert_template")
    return table_response(exports.scores_template_table(campaign, task_labels(campaign, width), assignments),
                          "xlsx", request.user)


@require_POST
@capability_required("fieldwork.expert_work")
def my_upload(request, pk):
    campaign = expert_campaign(request, pk)
    upload = request.FILES.get("file")
    try:
        if upload is None:
            raise services.FieldworkError("Выберите заполненный бланк баллов (xlsx).")
        count = services.expert_scores_import(user=request.user, campaign=campaign, name=upload.name,
                                              data=upload.read())
        messages.success(request, f"Загружены баллы за работ: {count}.")
    except services.FieldworkError as exc:
        refuse(request, exc)
    return redirect("fieldwork:my_works")


# --- observers ---------------------------------------------------------------------------------------------

@capability_required("observers.list")
def observer_list(request):
    exported = page_export(request,
                           {"observers": lambda: exports.observer_table(selectors.observers_for(request.user))})
    if exported:
        return exported
    return render(request, "fieldwork/observer_list.html", {
        "assignments": selectors.observers_for(request.user)[:500],
        "can_manage": scope_for(request.user).can("observers.manage"),
    })


def schools_for(user):
    return Organization.objects.visible_to(user).schools().order_by("short_name")


@capability_required("observers.manage")
def observer_create(request):
    form = forms.ObserverAssignmentForm(request.POST or None, schools=schools_for(request.user))
    if request.method == "POST" and form.is_valid():
        try:
            services.observer_assign(actor=request.user, **form.cleaned_data)
        except services.FieldworkError as exc:
            form.add_error("school", str(exc))
        else:
            messages.success(request, "Наблюдатель направлен.")
            return redirect("fieldwork:observer_list")
    return render(request, "fieldwork/observer_form.html", {"form": form})


def may_write_report(user, assignment: ObserverAssignment) -> bool:
    """The observer itself, or a manager entering a (public) observer's report for a school in scope."""
    return assignment.user_id == user.id or scope_for(user).can("observers.manage")


@capability_required("observers.list")
def observer_detail(request, pk):
    assignment = get_object_or_404(selectors.observers_for(request.user), pk=pk)
    report = getattr(assignment, "report", None)
    return render(request, "fieldwork/observer_detail.html", {
        "assignment": assignment, "report": report,
        "violations": [VIOLATION_LABELS[v] for v in report.violations] if report else [],
        "photos": report.photos.all() if report else [],
        "can_write": scope_for(request.user).can("observers.report") and may_write_report(request.user, assignment),
    })


@capability_required("observers.report")
def observer_report(request, pk):
    assignment = get_object_or_404(selectors.observers_for(request.user), pk=pk)
    if not may_write_report(request.user, assignment):
        raise Http404
    report = getattr(assignment, "report", None)
    initial = {"violations": report.violations, "text": report.text} if report else None
    form = forms.ObserverReportForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.observer_report_save(assignment=assignment, violations=form.cleaned_data["violations"],
                                          text=form.cleaned_data["text"], photos=form.cleaned_data["photos"],
                                          actor=request.user)
        except services.FieldworkError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "Отчёт наблюдателя сохранён.")
            return redirect("fieldwork:observer_detail", assignment.pk)
    return render(request, "fieldwork/observer_report.html", {"form": form, "assignment": assignment})


@capability_required("observers.list")
def observer_photo(request, pk):
    photo = get_object_or_404(ObserverPhoto, pk=pk, report__assignment__in=selectors.observers_for(request.user))
    return FileResponse(photo.file.open("rb"), content_type=photo.content_type)


# --- the controlled sample ---------------------------------------------------------------------------------

@capability_required("observers.view")
def controlled_index(request):
    procedures = Procedure.objects.visible_to(request.user).select_related("kind", "subject").annotate(
        participants=Count("participations", distinct=True),
        controlled=Count("participations", filter=~Q(participations__control=""), distinct=True))
    exported = page_export(request, {"procedures": lambda: exports.controlled_index_table(procedures)})
    if exported:
        return exported
    return render(request, "fieldwork/controlled_index.html", {"procedures": procedures})


@capability_required("observers.view")
def controlled_detail(request, pk):
    procedure = get_object_or_404(Procedure.objects.visible_to(request.user), pk=pk)
    participations = selectors.controlled_sample(procedure, request.user)
    exported = page_export(request, {
        "schools": lambda: exports.controlled_sample_table(procedure, participations),
        "figures": lambda: exports.controlled_figures_table(procedure, selectors.region_figures(procedure)),
    })
    if exported:
        return exported
    return render(request, "fieldwork/controlled_detail.html", {
        "procedure": procedure, "participations": participations, "figures": selectors.region_figures(procedure),
        "can_manage": scope_for(request.user).can("fieldwork.manage"),
        "control_choices": forms.ControlForm.base_fields["control"].choices,
    })


@require_POST
@capability_required("fieldwork.manage")
def controlled_set(request, pk):
    procedure = get_object_or_404(Procedure.objects.visible_to(request.user), pk=pk)
    form = forms.ControlForm(request.POST)
    if form.is_valid():
        school = get_object_or_404(Organization.objects.schools(), pk=form.cleaned_data["school"])
        services.controlled_sample_set(procedure=procedure, school=school, control=form.cleaned_data["control"],
                                       actor=request.user)
        messages.success(request, f"Контроль для «{school.short_name}» сохранён.")
    else:
        messages.error(request, "Неверный вид контроля.")
    return redirect("fieldwork:controlled_detail", procedure.pk)
