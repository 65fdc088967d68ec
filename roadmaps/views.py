"""Roadmap pages. Reads go through selectors (scoped: out of scope → 404), writes through services."""
from pathlib import PurePath
import uuid

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from rsoko.audit.services import audit_record
from rsoko.exports import requested_export, table_response
from rsoko.orgs.access import scope_for
from rsoko.orgs.choices import OrgKind
from rsoko.orgs.models import Organization
from rsoko.orgs.views_mixins import capability_required

from . import forms, selectors, services
from .choices import ExecutionStatus, RoadmapLevel
from .deadlines import KIND_LABELS
from . import exports
from .models import ExecutorAlias, Roadmap

IMPORT_SESSION_KEY = "roadmaps_import"


def visible_roadmap(user, pk) -> Roadmap:
    return get_object_or_404(selectors.roadmaps_for(user), pk=pk)


@capability_required("roadmaps.view")
def roadmap_list(request):
    roadmaps = list(selectors.roadmaps_for(request.user).order_by("is_template", "level", "-period_first_year", "title"))
    level = request.GET.get("level", "")
    if level in RoadmapLevel.values:
        roadmaps = [r for r in roadmaps if r.level == level]
    if fmt := requested_export(request):
        return table_response(exports.roadmap_list_table(roadmaps), fmt, request.user)
    return render(request, "roadmaps/roadmap_list.html", {
        "roadmaps": roadmaps, "levels": RoadmapLevel.choices, "level": level,
        "rounds": selectors.rounds_for(request.user)[:10],
    })


@capability_required("roadmaps.view")
def roadmap_detail(request, pk):
    roadmap = visible_roadmap(request.user, pk)
    rows = selectors.document_rows(roadmap, request.user)
    if fmt := requested_export(request):
        return document_response(request, roadmap, rows, fmt)
    scope = scope_for(request.user)
    return render(request, "roadmaps/roadmap_detail.html", {
        "roadmap": roadmap, "rows": rows, "counts": selectors.status_counts(rows),
        "has_results": any(row.item.expected_result for row in rows),
        "statuses": ExecutionStatus.choices, "rounds": roadmap.rounds.all(),
        "round_form": forms.RoundForm(), "can_manage": scope.can("roadmaps.manage"),
        "copy_form": forms.CopyForm(schools=schools_for_copy(request.user))
        if roadmap.is_template and scope_for(request.user).can("roadmaps.import") else None,
        "reportable": {a.pk for row in rows for a in row.assignments if services.can_report(request.user, a)},
    })


@capability_required("roadmaps.view")
def roadmap_timeline(request, pk):
    roadmap = visible_roadmap(request.user, pk)
    months, bars, start = selectors.timeline(roadmap, request.user)
    return render(request, "roadmaps/roadmap_timeline.html", {
        "roadmap": roadmap, "months": months, "bars": bars, "dated": [b for b in bars if not b.undated],
        "undated": [b for b in bars if b.undated], "kind_labels": KIND_LABELS,
    })


def document_response(request, roadmap, rows, fmt: str):
    audit_record(actor=request.user, action="export", instance=roadmap, before=None, source=f"выгрузка {fmt}")
    return table_response(exports.document_table(roadmap, rows), fmt, request.user)


@capability_required("roadmaps.view")
def roadmap_export(request, pk):
    """The older address of the document's xlsx (bookmarks, links in letters): the same file as ?export=xlsx."""
    roadmap = visible_roadmap(request.user, pk)
    return document_response(request, roadmap, selectors.document_rows(roadmap, request.user), "xlsx")


# ---- import with a preview ----------------------------------------------------------------------------------

def stored_upload(request):
    data = request.session.get(IMPORT_SESSION_KEY)
    if not data or not default_storage.exists(data["path"]):
        return None, None
    with default_storage.open(data["path"], "rb") as handle:
        return data, handle.read()


@capability_required("roadmaps.import")
def roadmap_import(request):
    """Step 1: upload and see the parsed deadlines and matched executors; step 2 (confirm) saves."""
    form = forms.ImportForm(request.POST or None, request.FILES or None, user=request.user)
    preview = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        data = upload.read()
        owner = form.cleaned_data["owner"]
        try:
            services.check_import_scope(request.user, form.cleaned_data["level"], owner)
            preview = services.roadmap_import_preview(name=upload.name, data=data, level=form.cleaned_data["level"],
                                                      owner=owner)
        except services.RoadmapImportError as exc:
            form.add_error("file", str(exc))
        else:
            suffix = PurePath(upload.name).suffix.lower()[:8]
            path = default_storage.save(f"roadmaps/imports/{uuid.uuid4().hex}{suffix}", ContentFile(data))
            request.session[IMPORT_SESSION_KEY] = {
                "path": path, "name": upload.name, "level": form.cleaned_data["level"],
                "owner": preview.owner.pk, "title": form.cleaned_data["title"],
            }
    return render(request, "roadmaps/roadmap_import.html", {
        "form": form, "preview": preview, "report": preview.report() if preview else None,
    })


@require_POST
@capability_required("roadmaps.import")
def roadmap_import_confirm(request):
    stored, data = stored_upload(request)
    if stored is None:
        messages.error(request, "Сначала загрузите файл и проверьте разбор.")
        return redirect("roadmaps:roadmap_import")
    try:
        owner = Organization.objects.get(pk=stored["owner"])
        services.check_import_scope(request.user, stored["level"], owner)
        preview = services.roadmap_import_preview(name=stored["name"], data=data, level=stored["level"],
                                                  owner=owner)
        roadmap = services.roadmap_import(preview=preview, actor=request.user, title=stored["title"])
    except services.RoadmapImportError as exc:
        messages.error(request, str(exc))
        return redirect("roadmaps:roadmap_import")
    finally:
        default_storage.delete(stored["path"])
        request.session.pop(IMPORT_SESSION_KEY, None)
    messages.success(request, f"Дорожная карта загружена: {roadmap.items.count()} пунктов.")
    return redirect("roadmaps:roadmap_detail", pk=roadmap.pk)


# ---- execution ---------------------------------------------------------------------------------------------

@capability_required("roadmaps.report")
def my_items(request):
    scope = scope_for(request.user, "roadmaps.report")
    assignments = (selectors.assignments_for(request.user).filter(organization_id__in=scope.organization_ids)
                   .exclude(item__roadmap__is_template=True)
                   .order_by("-item__roadmap__period_first_year", "item__roadmap_id", "item__position", "organization_id"))
    status = request.GET.get("status", "")
    if status in ExecutionStatus.values:
        assignments = assignments.filter(status=status)
    if fmt := requested_export(request):
        return table_response(exports.my_items_table(assignments), fmt, request.user)
    return render(request, "roadmaps/my_items.html", {
        "assignments": assignments[:500], "statuses": ExecutionStatus.choices, "status": status,
        "several_orgs": len(scope.organization_ids) > 1,
    })


@capability_required("roadmaps.view")
def assignment_detail(request, pk):
    assignment = get_object_or_404(selectors.assignments_for(request.user), pk=pk)
    allowed = services.can_report(request.user, assignment)
    form = forms.StatusForm(request.POST or None, request.FILES or None,
                            initial={"status": assignment.status, "comment": assignment.comment, "link": assignment.link})
    if request.method == "POST":
        if not allowed:
            raise PermissionDenied("Сообщать о ходе исполнения может только исполнитель пункта.")
        if form.is_valid():
            services.assignment_set_status(assignment=assignment, actor=request.user, source="форма",
                                           **form.cleaned_data)
            messages.success(request, "Статус сохранён.")
            return redirect("roadmaps:assignment_detail", pk=assignment.pk)
    return render(request, "roadmaps/assignment_detail.html", {
        "assignment": assignment, "item": assignment.item, "form": form if allowed else None,
        "history": assignment.history.select_related("actor"),
    })


# ---- reporting rounds ------------------------------------------------------------------------------------------

@require_POST
@capability_required("roadmaps.manage")
def round_create(request, pk):
    roadmap = visible_roadmap(request.user, pk)
    form = forms.RoundForm(request.POST)
    if form.is_valid():
        if roadmap.rounds.filter(as_of=form.cleaned_data["as_of"]).exists():
            messages.error(request, "Отчётный период на эту дату уже есть.")
        else:
            services.round_create(roadmap=roadmap, **form.cleaned_data)
            messages.success(request, "Отчётный период создан: муниципалитеты увидят его на странице отчёта.")
    else:
        messages.error(request, "Период не создан: " + "; ".join(e for errs in form.errors.values() for e in errs))
    return redirect("roadmaps:roadmap_detail", pk=roadmap.pk)


@capability_required("roadmaps.view")
def round_detail(request, pk):
    reporting_round = get_object_or_404(selectors.rounds_for(request.user), pk=pk)
    office = selectors.reporting_office(request.user, reporting_round)
    data = selectors.consolidated(reporting_round, request.user)
    if fmt := requested_export(request):
        return table_response(exports.round_table(reporting_round, data), fmt, request.user)
    return render(request, "roadmaps/round_detail.html", {
        "round": reporting_round, "roadmap": reporting_round.roadmap, "data": data, "office": office,
        "submit_form": forms.SubmitForm() if office else None,
        "own_submission": reporting_round.submissions.filter(organization=office).first() if office else None,
    })


@require_POST
@capability_required("roadmaps.report")
def round_submit(request, pk):
    reporting_round = get_object_or_404(selectors.rounds_for(request.user), pk=pk)
    office = selectors.reporting_office(request.user, reporting_round)
    if office is None:
        raise PermissionDenied("Отчёт представляет муниципальный орган управления образованием, которому даны пункты.")
    form = forms.SubmitForm(request.POST)
    if form.is_valid():
        services.round_submit(reporting_round=reporting_round, organization=office, actor=request.user,
                              comment=form.cleaned_data["comment"])
        messages.success(request, "Отчёт представлен в министерство.")
    return redirect("roadmaps:round_detail", pk=reporting_round.pk)


# ---- executors' aliases ------------------------------------------------------------------------------------------

@capability_required("roadmaps.manage")
def alias_list(request):
    form = forms.AliasForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        alias = form.save()
        audit_record(actor=request.user, action="create", instance=alias, before=None, source="сокращения исполнителей")
        messages.success(request, f"Сокращение «{alias.phrase}» добавлено. Сопоставьте исполнителей заново в картах.")
        return redirect("roadmaps:alias_list")
    if fmt := requested_export(request):
        return table_response(exports.alias_table(selectors.aliases()), fmt, request.user)
    return render(request, "roadmaps/alias_list.html", {
        "aliases": selectors.aliases(), "form": form, "unmatched": selectors.unmatched_executors(),
    })


@capability_required("roadmaps.manage")
def alias_edit(request, pk):
    alias = get_object_or_404(ExecutorAlias, pk=pk)
    form = forms.AliasForm(request.POST or None, instance=alias)
    if request.method == "POST":
        if request.POST.get("delete"):
            audit_record(actor=request.user, action="delete", instance=alias, before=None, source="сокращения исполнителей")
            alias.delete()
            messages.success(request, "Сокращение удалено.")
            return redirect("roadmaps:alias_list")
        if form.is_valid():
            form.save()
            messages.success(request, "Сокращение сохранено.")
            return redirect("roadmaps:alias_list")
    return render(request, "roadmaps/alias_edit.html", {"form": form, "alias": alias})


@require_POST
@capability_required("roadmaps.manage")
def roadmap_publish(request, pk):
    """The ministry publishes an approved roadmap on the public site, or withdraws it."""
    roadmap = visible_roadmap(request.user, pk)
    try:
        services.roadmap_set_public(roadmap=roadmap, is_public=request.POST.get("public") == "1", actor=request.user)
    except ValueError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, "Опубликована на открытых страницах." if roadmap.is_public else "Снята с публикации.")
    return redirect("roadmaps:roadmap_detail", pk=roadmap.pk)


@require_POST
@capability_required("roadmaps.manage")
def roadmap_rematch(request, pk):
    roadmap = visible_roadmap(request.user, pk)
    count = services.roadmap_rematch_executors(roadmap=roadmap)
    messages.success(request, f"Исполнители сопоставлены заново по таблице сокращений: {count} пунктов.")
    return redirect("roadmaps:roadmap_detail", pk=roadmap.pk)


# ---- templates for ШНОР and links of items ---------------------------------------------------------------------------

def schools_for_copy(user):
    """The schools a support roadmap may be made for: any for the ministry, its municipality's for a МОУО."""
    area = scope_for(user, "roadmaps.import")
    return Organization.objects.visible_to(user).filter(area.organizations_q()) \
        .filter(kind=OrgKind.SCHOOL, is_active=True).order_by("short_name")


@require_POST
@capability_required("roadmaps.import")  # a МОУО makes the support roadmaps of its own schools (ШНОР) too
def roadmap_copy(request, pk):
    template = get_object_or_404(selectors.roadmaps_for(request.user), pk=pk, is_template=True)
    form = forms.CopyForm(request.POST, schools=schools_for_copy(request.user))
    if not form.is_valid():
        messages.error(request, "Выберите школу.")
        return redirect("roadmaps:roadmap_detail", pk=template.pk)
    copy = services.roadmap_copy_for_school(template=template, school=form.cleaned_data["school"], actor=request.user)
    messages.success(request, f"Создана дорожная карта поддержки для {copy.owner}.")
    return redirect("roadmaps:roadmap_detail", pk=copy.pk)


@capability_required("roadmaps.manage")
def item_links(request, pk):
    item = get_object_or_404(selectors.items_for(request.user).select_related("roadmap"), pk=pk)
    form = forms.ItemLinksForm(request.POST or None, instance=item)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "Связи пункта сохранены.")
        return redirect("roadmaps:roadmap_detail", pk=item.roadmap_id)
    return render(request, "roadmaps/item_links.html", {"form": form, "item": item})
