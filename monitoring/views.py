"""Pages of the monitoring: dashboards (ministry, municipality, school), the catalog, forms."""
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from assessments.stats import services as stats_services
from assessments.stats.models import RussiaMarks
from rsoko.exports import page_export, table_response
from rsoko.orgs.access import scope_for
from rsoko.orgs.models import Municipality, Organization
from rsoko.orgs.views_mixins import capability_required

from . import charts, geo, periods, selectors, services
from .forms import IndicatorCreateForm, IndicatorEditForm, MonitoringFormForm, RussiaMarksForm, RussiaValueForm
from .models import FormAnswerChange, Indicator, IndicatorValue, MonitoringForm, RussiaValue
from .tasks import refresh

EXPORTS = {"xlsx", "csv"}


def chosen_period(request) -> str:
    period = request.GET.get("period") or str(timezone.localdate().year)
    try:
        periods.parse(period)
    except ValueError:
        raise Http404("Неизвестный период")
    return period


def export_or_render(request, template: str, context: dict, tables: dict):
    export, name = request.GET.get("export"), request.GET.get("table")
    if export in EXPORTS and name in tables:
        return table_response(tables[name], export, request.user)
    return render(request, template, {**context, "charts": True})


@capability_required("indicators.view")
def dashboard(request):
    """One address for everyone: the dashboard follows the user's scope."""
    scope = scope_for(request.user)
    if not scope.region_wide and scope.school_ids and not scope.municipality_ids:
        return school_dashboard(request, Organization.objects.select_related("municipality")
                                .get(pk=min(scope.school_ids)))
    if not scope.region_wide and scope.municipality_ids:
        return municipality_dashboard(request, Municipality.objects.get(pk=min(scope.municipality_ids)))
    return ministry_dashboard(request)


def ministry_dashboard(request):
    period = chosen_period(request)
    user = request.user
    indicators = selectors.active_indicators()
    key = selectors.key_indicators("region", indicators)
    region_rows = {r["code"]: r for r in selectors.indicator_rows(user, organization=None, period=period,
                                                                  indicators=indicators)}
    trends = selectors.region_trends(user, key)
    cards = []
    for indicator in key:
        row = region_rows.get(indicator.code)
        if row is None:
            continue
        cards.append({**row, "change": selectors.change_state(row, row["value"], row["previous_value"]),
                      "target_met": selectors.target_met(row),
                      "spark": charts.sparkline(trends.get(indicator.id, []))})
    area_key = selectors.key_indicators("municipality", indicators)
    sort = next((i for i in area_key if i.code == request.GET.get("sort")), area_key[0] if area_key else None)
    rows = selectors.sort_rows(selectors.side_by_side(user, "municipality", selectors.municipalities(), period,
                                                      area_key), sort)
    table = selectors.side_by_side_table(rows, area_key, "Муниципалитет", "Муниципалитеты", "monitoring-municipalities")
    chart = charts.groups_bar(rows, sort.code, sort.name, region_rows.get(sort.code, {}).get("value")) if sort else None
    context = {"period": period, "period_label": periods.label(period), "cards": cards, "rows": rows,
               "indicators": area_key, "sort": sort, "chart": chart, "chart_height": charts.bar_height(len(rows)),
               "alerts": selectors.alerts_for(user, year=periods.year_of(period)),
               "all_rows": list(region_rows.values())}
    return export_or_render(request, "monitoring/dashboard_ministry.html", context, {"municipalities": table})


def municipality_dashboard(request, municipality):
    period = chosen_period(request)
    user = request.user
    groups = [selectors.municipality_group(municipality), selectors.REGION]
    indicators = selectors.active_indicators()
    rows = selectors.comparison_rows(user, groups, period, indicators)
    school_key = selectors.key_indicators("school", indicators)
    sort = next((i for i in school_key if i.code == request.GET.get("sort")), None)
    schools = selectors.sort_rows(selectors.side_by_side(user, "school", selectors.schools_of(municipality.id), period,
                                                         school_key), sort)
    tables = {"comparison": selectors.comparison_table(rows, groups, "Муниципалитет и регион"),
              "schools": selectors.side_by_side_table(schools, school_key, "ОО", "ОО муниципалитета",
                                                      "monitoring-schools")}
    context = {"period": period, "period_label": periods.label(period), "municipality": municipality,
               "groups": groups, "rows": rows, "schools": schools, "indicators": school_key, "sort": sort,
               "chart_parts": charts.comparison_parts(rows, [g.title for g in groups]),
               "alerts": selectors.alerts_for(user, municipality_id=municipality.id, year=periods.year_of(period))}
    return export_or_render(request, "monitoring/dashboard_municipality.html", context, tables)


def school_dashboard(request, school):
    period = chosen_period(request)
    groups = [selectors.group_of(school), selectors.municipality_group(school.municipality), selectors.REGION]
    rows = selectors.comparison_rows(request.user, groups, period, selectors.active_indicators())
    context = {"period": period, "period_label": periods.label(period), "school": school, "groups": groups,
               "rows": rows, "chart_parts": charts.comparison_parts(rows, [g.title for g in groups])}
    return export_or_render(request, "monitoring/dashboard_school.html", context,
                            {"comparison": selectors.comparison_table(rows, groups, "ОО, муниципалитет и регион")})


@capability_required("indicators.view")
def indicator_list(request):
    indicators = Indicator.objects.visible_to(request.user).order_by("mechanism", "order", "code")
    table = selectors.catalog_table(indicators)
    if request.GET.get("export") in EXPORTS:
        return table_response(table, request.GET["export"], request.user)
    return render(request, "monitoring/indicator_list.html", {
        "indicators": indicators, "table": table, "mechanisms": selectors.catalogue_by_mechanism(indicators)})


@capability_required("indicators.manage")
def indicator_create(request):
    form = IndicatorCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = {k: form.cleaned_data[k] for k in form.Meta.fields}
        indicator = services.indicator_create(actor=request.user, **data)
        messages.success(request, f"Показатель «{indicator.name}» добавлен в каталог.")
        return redirect("monitoring:indicator_detail", code=indicator.code)
    return render(request, "monitoring/indicator_create.html", {"form": form})


@capability_required("indicators.view")
def indicator_detail(request, code):
    indicator = get_object_or_404(Indicator.objects.visible_to(request.user), code=code)
    default = str(timezone.localdate().year) if indicator.periodicity == "year" \
        else periods.quarter_of(timezone.localdate())
    period = request.GET.get("period") or default
    level = request.GET.get("level") if request.GET.get("level") in indicator.levels else \
        ("municipality" if "municipality" in indicator.levels else indicator.levels[0])
    table = selectors.values_table(indicator, request.user, period, level)
    rows = [{"title": r["organization"] or r["municipality"], "v": r["value"]} for r in table.rows]
    region = IndicatorValue.objects.visible_to(request.user).filter(indicator=indicator, period=period,
                                                                    level="region").first()
    chart = charts.groups_bar(selectors.sort_rows([{**r, indicator.code: r["v"]} for r in rows], indicator),
                              indicator.code, indicator.unit, region.value if region else None) if rows else None
    dynamics = selectors.indicator_dynamics(request.user, indicator, selectors.own_groups(request.user, indicator))
    dynamics_table = selectors.dynamics_table(indicator, dynamics)
    context = {"indicator": indicator, "period": period, "level": level, "table": table, "chart": chart,
               "dynamics_chart": charts.dynamics_lines(dynamics, indicator.unit) if dynamics["periods"] else None,
               "dynamics_table": dynamics_table,
               "chart_height": charts.bar_height(len(rows)),
               "region": region, "known_periods": IndicatorValue.objects.filter(indicator=indicator)
               .values_list("period", flat=True).distinct().order_by("-period")[:12]}
    return export_or_render(request, "monitoring/indicator_detail.html", context,
                            {"values": table, "dynamics": dynamics_table})


@capability_required("indicators.manage")
def indicator_edit(request, code):
    indicator = get_object_or_404(Indicator, code=code)
    form = IndicatorEditForm(request.POST or None, instance=Indicator.objects.get(pk=indicator.pk))
    if request.method == "POST" and form.is_valid():
        services.indicator_update(indicator=indicator, actor=request.user, **{
            k: form.cleaned_data[k] for k in ("name", "target", "is_active", "is_key")})
        messages.success(request, "Показатель сохранён.")
        return redirect("monitoring:indicator_detail", code=indicator.code)
    return render(request, "monitoring/indicator_edit.html", {"indicator": indicator, "form": form})


@require_POST
@capability_required("indicators.manage")
def refresh_values(request):
    refresh.delay(request.POST.get("period") or None)
    messages.success(request, "Пересчёт показателей запущен.")
    return redirect("monitoring:dashboard")


@capability_required("monitoring.forms")
def form_list(request):
    forms_ = MonitoringForm.objects.visible_to(request.user).select_related("municipality") \
        .prefetch_related("indicators")
    return page_export(request, {"forms": lambda: selectors.form_list_table(forms_)}) or render(
        request, "monitoring/form_list.html", {"forms": forms_, "may_create": selectors.may_create_forms(request.user)})


@capability_required("monitoring.forms")
def form_create(request):
    """The ministry's form for МОУО and/or schools; a МОУО's own form for the schools of its municipality."""
    if not selectors.may_create_forms(request.user):
        raise PermissionDenied("Недостаточно прав для этой страницы.")
    office = None if scope_for(request.user).can("indicators.manage") else selectors.own_office(request.user)
    form = MonitoringFormForm(request.POST or None, municipality=office.municipality if office else None)
    if request.method == "POST" and form.is_valid():
        created = services.form_create(actor=request.user, municipality=form.municipality, **form.cleaned_data)
        messages.success(request, "Форма мониторинга создана.")
        return redirect("monitoring:form_detail", pk=created.pk)
    return render(request, "monitoring/form_create.html", {"form": form})


@capability_required("monitoring.forms")
def form_detail(request, pk):
    """The ministry (and a МОУО for its own forms) sees who has filled the form and the answers; a filler fills it."""
    form = get_object_or_404(MonitoringForm.objects.visible_to(request.user).select_related("municipality"), pk=pk)
    if selectors.reads_answers(request.user, form):
        return page_export(request, {
            "status": lambda: selectors.form_status_table(form),
            "answers": lambda: selectors.form_answers_table(form),
        }) or render(request, "monitoring/form_status.html", {
            "mform": form, "table": selectors.form_status_table(form), "answers": selectors.form_answers_table(form)})
    return form_fill_page(request, form)


def form_fill_page(request, form):
    organization = selectors.filler_organization(request.user, form)
    if organization is None:
        raise Http404
    indicators = list(form.indicators.all())
    error = None
    if request.method == "POST":
        values = {i.code: request.POST.get(i.code, "") for i in indicators}
        try:
            services.form_fill(form=form, organization=organization, actor=request.user, values=values)
            messages.success(request, "Значения сохранены.")
            return redirect("monitoring:form_detail", pk=form.pk)
        except services.FormAnswerError as exc:
            error = str(exc)
    current = {a.indicator_id: a.value for a in form.answers.filter(organization=organization)}
    history = FormAnswerChange.objects.filter(answer__form=form, answer__organization=organization) \
        .select_related("answer__indicator")[:50]
    fields = [{"indicator": i, "value": request.POST.get(i.code) if error else current.get(i.id)} for i in indicators]
    return render(request, "monitoring/form_fill.html", {"mform": form, "organization": organization,
                                                         "fields": fields, "error": error, "history": history,
                                                         "late": timezone.localdate() > form.deadline})


# ---- Russia's figures: the federal benchmark entered by the ministry ----

@capability_required("indicators.manage")
def russia_figures(request):
    which = request.POST.get("form") if request.method == "POST" else None
    value_form = RussiaValueForm(request.POST if which == "value" else None, prefix="value")
    marks_form = RussiaMarksForm(request.POST if which == "marks" else None, prefix="marks")
    if which == "value" and value_form.is_valid():
        services.russia_value_save(actor=request.user, **value_form.cleaned_data)
        messages.success(request, "Значение по России сохранено.")
        return redirect("monitoring:russia_figures")
    if which == "marks" and marks_form.is_valid():
        stats_services.russia_marks_save(actor=request.user, **marks_form.cleaned_data)
        messages.success(request, "Распределение отметок по России сохранено.")
        return redirect("monitoring:russia_figures")
    values, marks = selectors.russia_values(), selectors.russia_marks()
    exported = page_export(request, {"values": lambda: selectors.russia_values_table(values),
                                     "marks": lambda: selectors.russia_marks_table(marks)})
    return exported or render(request, "monitoring/russia_figures.html", {
        "value_form": value_form, "marks_form": marks_form, "values": values, "marks": marks})


def figure_delete(request, model, remove, pk: int, done: str):
    remove(actor=request.user, figure=get_object_or_404(model, pk=pk))
    messages.success(request, done)
    return redirect("monitoring:russia_figures")


@require_POST
@capability_required("indicators.manage")
def russia_value_delete(request, pk):
    return figure_delete(request, RussiaValue, services.russia_value_delete, pk, "Значение по России удалено.")


@require_POST
@capability_required("indicators.manage")
def russia_marks_delete(request, pk):
    return figure_delete(request, RussiaMarks, stats_services.russia_marks_delete, pk,
                         "Распределение отметок по России удалено.")


# ---- the map of the region's municipalities ----

@capability_required("indicators.view")
def municipality_map(request):
    """A choropleth of any municipal indicator on the uploaded boundaries, or a tile grid when there are none."""
    period = chosen_period(request)
    indicators = selectors.map_indicators()
    key = selectors.key_indicators("municipality", indicators)
    indicator = next((i for i in indicators if i.code == request.GET.get("indicator")),
                     (key or indicators or [None])[0])
    context = {"period": period, "period_label": periods.label(period), "indicators": indicators,
               "indicator": indicator, "geo_map": selectors.current_map()}
    if indicator is None:
        return render(request, "monitoring/map.html", context)
    rows = selectors.side_by_side(request.user, "municipality", selectors.municipalities(), period, [indicator])
    bounds = charts.value_range([r[indicator.code] for r in rows])
    context.update(
        ranked=selectors.sort_rows(rows, indicator),
        tiles=[{**r, "color": charts.tile_color(r[indicator.code], bounds, indicator.direction)} for r in rows],
        bounds=bounds, scale=charts.SCALE,  # the legend runs from worse to better whatever the direction
        chart=charts.choropleth(rows, indicator.code, indicator.name, indicator.direction)
        if context["geo_map"] else None)
    table = selectors.side_by_side_table(context["ranked"], [indicator], "Муниципалитет", "Карта",
                                         f"karta-{indicator.code}")
    return export_or_render(request, "monitoring/map.html", context, {"map": table})


@capability_required("indicators.manage")
def map_upload(request):
    error = None
    if request.method == "POST":
        upload = request.FILES.get("file")
        if upload is None:
            error = "Выберите файл GeoJSON с границами муниципалитетов."
        else:
            try:
                geo_map = services.map_upload(actor=request.user, filename=upload.name, raw=upload.read(geo.MAX_BYTES + 1))
            except services.MapUploadError as exc:
                error = str(exc)
            else:
                messages.success(request, f"Границы загружены: сопоставлено муниципалитетов — "
                                          f"{len(geo_map.geojson['features'])}.")
                return redirect("monitoring:map_upload")
    geo_map = selectors.current_map()
    matched = {f["properties"]["rsoko_id"] for f in geo_map.geojson["features"]} if geo_map else set()
    return render(request, "monitoring/map_upload.html", {
        "error": error, "geo_map": geo_map, "matched_count": len(matched),
        "missing": Municipality.objects.exclude(pk__in=matched).order_by("name") if geo_map else []})
