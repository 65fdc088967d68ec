"""Reads of the monitoring: indicator rows for a group, dashboards, tables and alerts.

Everything reads the precomputed `IndicatorValue` rows through `visible_to(user)`, with a fixed number
of queries whatever the number of schools: the dashboards' query bound is asserted in a test.
"""
from dataclasses import dataclass

from django.db.models import Q
from django.urls import reverse

from assessments.models import ResultBatch
from assessments.stats.models import ObjectivitySign, RussiaMarks
from roadmaps.models import Assignment
from rsoko.exports import Column, Table
from rsoko.orgs.access import scope_for
from rsoko.orgs.choices import OrgKind
from rsoko.orgs.models import Municipality, Organization

from . import periods
from .models import Indicator, IndicatorValue, MonitoringForm, MunicipalityMap, RussiaValue
from .sources import reporters_frame


@dataclass(frozen=True)
class Group:
    """The region, a municipality or a school: what a row of values belongs to."""

    level: str
    key: str
    title: str
    municipality_id: int | None = None
    organization_id: int | None = None


REGION = Group("region", "region", "Регион")


def group_of(organization) -> Group:
    """The ministry (or None) stands for the region, a МОУО for its municipality, a school for itself."""
    if organization is None or organization.kind not in (OrgKind.SCHOOL, OrgKind.MUNICIPAL_OFFICE) \
            or organization.municipality_id is None:
        return REGION
    if organization.kind == OrgKind.SCHOOL:
        return Group("school", f"s{organization.id}", organization.short_name, organization.municipality_id,
                     organization.id)
    return Group("municipality", f"m{organization.municipality_id}", str(organization.municipality),
                 organization.municipality_id)


def municipality_group(municipality) -> Group:
    return Group("municipality", f"m{municipality.id}", municipality.name, municipality.id)


def periods_for(period: str) -> tuple[str, str]:
    """The year and quarter periods an overview of `period` reads (a year reads its fourth quarter)."""
    year, quarter = periods.parse(period)
    return str(year), f"{year}Q{quarter or 4}"


def active_indicators():
    return list(Indicator.objects.filter(is_active=True).order_by("mechanism", "order", "code"))


def values_map(user, keys: list[str], period_list: list[str]) -> dict:
    """{(indicator_id, period, key): value} for the groups and periods asked, within the user's scope."""
    rows = IndicatorValue.objects.visible_to(user).filter(key__in=keys, period__in=period_list) \
        .values_list("indicator_id", "period", "key", "value")
    return {(i, p, k): v for i, p, k, v in rows}


def row_period(indicator: Indicator, year_period: str, quarter_period: str) -> str:
    return quarter_period if indicator.periodicity == "quarter" else year_period


def indicator_rows(user, *, organization, period: str, indicators: list[Indicator] | None = None) -> list[dict]:
    """One dict per active indicator for the organization's group (the region for the ministry or None):
    code, name, unit, direction, value, previous_value, target, period, level, mechanism."""
    group = group_of(organization)
    year_period, quarter_period = periods_for(period)
    wanted = [year_period, periods.previous(year_period), quarter_period, periods.previous(quarter_period)]
    values = values_map(user, [group.key], wanted)
    rows = []
    for indicator in active_indicators() if indicators is None else indicators:
        if group.level not in indicator.levels:
            continue
        own = row_period(indicator, year_period, quarter_period)
        rows.append({
            "code": indicator.code, "name": indicator.name, "unit": indicator.unit, "direction": indicator.direction,
            "value": values.get((indicator.id, own, group.key)),
            "previous_value": values.get((indicator.id, periods.previous(own), group.key)),
            "target": indicator.target, "period": own, "level": group.level, "mechanism": indicator.mechanism,
        })
    return rows


def change_state(indicator_or_row, value, previous) -> str:
    """better / worse / same / '' — read with the indicator's direction."""
    if value is None or previous is None or abs(value - previous) < 1e-9:
        return "same" if value is not None and previous is not None else ""
    direction = indicator_or_row["direction"] if isinstance(indicator_or_row, dict) else indicator_or_row.direction
    return "better" if (value > previous) == (direction == "higher") else "worse"


def target_met(row) -> bool | None:
    if row["value"] is None or row["target"] is None:
        return None
    return row["value"] >= row["target"] if row["direction"] == "higher" else row["value"] <= row["target"]


# ---- comparison of groups (the school and municipality dashboards) ----

def comparison_rows(user, groups: list[Group], period: str, indicators: list[Indicator]) -> list[dict]:
    """Each indicator's value for each group side by side, the first group's change and target."""
    year_period, quarter_period = periods_for(period)
    wanted = [year_period, periods.previous(year_period), quarter_period, periods.previous(quarter_period)]
    values = values_map(user, [g.key for g in groups], wanted)
    first = groups[0]
    rows = []
    for indicator in indicators:
        if first.level not in indicator.levels:
            continue
        own = row_period(indicator, year_period, quarter_period)
        row = {"code": indicator.code, "name": indicator.name, "unit": indicator.unit, "direction": indicator.direction,
               "target": indicator.target, "period": own, "mechanism": indicator.mechanism,
               "value": values.get((indicator.id, own, first.key)),
               "previous_value": values.get((indicator.id, periods.previous(own), first.key))}
        for index, group in enumerate(groups):
            row[f"g{index}"] = values.get((indicator.id, own, group.key))
        row["change"] = change_state(row, row["value"], row["previous_value"])
        row["target_met"] = target_met(row)
        rows.append(row)
    return rows


def comparison_table(rows: list[dict], groups: list[Group], title: str) -> Table:
    columns = [Column("mechanism", "Механизм", width=10), Column("name", "Показатель", width=60),
               Column("unit", "Ед.", width=8)]
    columns += [Column(f"g{i}", g.title, "number", width=18) for i, g in enumerate(groups)]
    columns += [Column("previous_value", "Прошлый период", "number"), Column("target", "Цель", "number"),
                Column("period", "Период", width=10)]
    return Table(title=title, columns=columns, rows=rows, filename="monitoring-comparison")


# ---- groups side by side (the ministry's municipalities, the coordinator's schools) ----

def key_indicators(level: str, indicators: list[Indicator]) -> list[Indicator]:
    return [i for i in indicators if i.is_key and level in i.levels]


def side_by_side(user, level: str, members: list[Group], period: str, indicators: list[Indicator]) -> list[dict]:
    """One row per municipality (or school) with the key indicators as columns (codes as keys)."""
    year_period, quarter_period = periods_for(period)
    values = values_map(user, [m.key for m in members], [year_period, quarter_period])
    rows = []
    for member in members:
        row = {"key": member.key, "title": member.title, "id": member.organization_id or member.municipality_id}
        for indicator in indicators:
            row[indicator.code] = values.get((indicator.id, row_period(indicator, year_period, quarter_period),
                                              member.key))
        rows.append(row)
    return rows


def sort_rows(rows: list[dict], indicator: Indicator | None) -> list[dict]:
    """Best first by the chosen indicator (its direction decides), empty values last."""
    if indicator is None:
        return sorted(rows, key=lambda r: r["title"])
    sign = -1 if indicator.direction == "higher" else 1
    return sorted(rows, key=lambda r: (r[indicator.code] is None, sign * (r[indicator.code] or 0), r["title"]))


def side_by_side_table(rows, indicators, first_title: str, title: str, filename: str) -> Table:
    columns = [Column("title", first_title, width=40)]
    columns += [Column(i.code, f"{i.name}, {i.unit}", "number", width=18) for i in indicators]
    return Table(title=title, columns=columns, rows=rows, filename=filename)


def municipalities() -> list[Group]:
    return [municipality_group(m) for m in Municipality.objects.order_by("name")]


def schools_of(municipality_id: int) -> list[Group]:
    schools = Organization.objects.filter(kind=OrgKind.SCHOOL, is_active=True, municipality_id=municipality_id) \
        .order_by("short_name").values_list("id", "short_name", "municipality_id")
    return [Group("school", f"s{i}", name, mun, i) for i, name, mun in schools]


def region_trends(user, indicators: list[Indicator]) -> dict[int, list[tuple[str, float]]]:
    """All periods of the region's values of the given indicators, oldest first (for sparklines)."""
    rows = IndicatorValue.objects.visible_to(user).filter(level="region", indicator__in=indicators) \
        .order_by("period").values_list("indicator_id", "period", "value")
    trends: dict[int, list] = {}
    for indicator_id, period, value in rows:
        trends.setdefault(indicator_id, []).append((period, value))
    return trends


# ---- dynamics over every period held ----

def own_groups(user, indicator: Indicator) -> list[Group]:
    """The region and the user's own municipalities and schools, at the levels the indicator has."""
    scope = scope_for(user)
    groups = [REGION] if "region" in indicator.levels else []
    if "municipality" in indicator.levels:
        groups += [municipality_group(m) for m in Municipality.objects.filter(
            pk__in=scope.municipality_ids | scope.school_municipality_ids).order_by("name")]
    if "school" in indicator.levels:
        groups += [group_of(s) for s in Organization.objects.filter(pk__in=scope.school_ids).order_by("short_name")]
    return groups


def indicator_dynamics(user, indicator: Indicator, groups: list[Group]) -> dict:
    """Every period held of the indicator's periodicity, oldest first: each group's values and Russia's
    where the ministry entered them. {"periods": [...], "series": [(title, [value or None, ...]), ...]}."""
    quarterly = indicator.periodicity == "quarter"
    rows = IndicatorValue.objects.visible_to(user).filter(indicator=indicator, key__in=[g.key for g in groups]) \
        .values_list("period", "key", "value")
    values = {(p, k): v for p, k, v in rows if ("Q" in p) == quarterly}
    russia = {p: v for p, v in RussiaValue.objects.filter(indicator=indicator).values_list("period", "value")
              if ("Q" in p) == quarterly}
    held = sorted({p for p, _ in values} | set(russia), key=periods.parse)
    series = [(g.title, [values.get((p, g.key)) for p in held]) for g in groups]
    series = [(title, points) for title, points in series if any(v is not None for v in points)]
    if russia:
        series.append(("Россия", [russia.get(p) for p in held]))
    return {"periods": held, "series": series}


def dynamics_table(indicator: Indicator, dynamics: dict) -> Table:
    columns = [Column("period", "Период", width=20)]
    columns += [Column(f"s{i}", title, "number", width=18) for i, (title, _) in enumerate(dynamics["series"])]
    rows = [{"period": periods.label(p), **{f"s{i}": points[n] for i, (_, points) in enumerate(dynamics["series"])}}
            for n, p in enumerate(dynamics["periods"])]
    return Table(f"Динамика: {indicator.name}"[:31], columns, rows, filename=f"dinamika-{indicator.code}")


def current_map():
    """The boundaries in use: the latest uploaded map, or None (the page then draws a tile grid)."""
    return MunicipalityMap.objects.order_by("-uploaded_at", "-id").first()


def map_indicators() -> list[Indicator]:
    return [i for i in active_indicators() if "municipality" in i.levels]


def russia_values():
    return RussiaValue.objects.select_related("indicator", "entered_by").order_by("indicator__name", "-period")


def russia_marks():
    return RussiaMarks.objects.select_related("procedure", "entered_by").order_by("-procedure__year", "procedure__code")


FIGURE_COLUMNS = [Column("source", "Источник", width=40), Column("entered_by", "Внёс", width=18),
                  Column("entered_at", "Изменено", "date", 18)]


def figure_row(figure) -> dict:
    return {"source": figure.source, "entered_by": str(figure.entered_by or ""), "entered_at": figure.entered_at}


def russia_values_table(values) -> Table:
    columns = [Column("indicator", "Показатель", width=60), Column("period", "Период", width=10),
               Column("value", "Россия", "number"), Column("unit", "Ед."), *FIGURE_COLUMNS]
    rows = ({"indicator": v.indicator.name, "period": v.period, "value": v.value, "unit": v.indicator.unit,
             **figure_row(v)} for v in values)
    return Table("Показатели России", columns, rows, filename="pokazateli-rossii")


def russia_marks_table(marks) -> Table:
    columns = [Column("procedure", "Процедура", width=50)]
    columns += [Column(f"pct_{m}", f"«{m}», %", "percent", 9) for m in "2345"]
    rows = ({"procedure": str(m.procedure), **{f"pct_{k}": getattr(m, f"pct_{k}") for k in "2345"}, **figure_row(m)}
            for m in marks)
    return Table("Отметки по России", [*columns, *FIGURE_COLUMNS], rows, filename="otmetki-rossii")


# ---- alerts ----

@dataclass
class Alert:
    level: str  # warning | danger | info
    text: str
    url: str = ""


def alerts_for(user, *, municipality_id: int | None = None, year: int) -> list[Alert]:
    """New objectivity signs, overdue roadmap items, missing municipal reports, uploads with quarantine.

    An alert is given only to a reader who may open the page it links to (the capability that page requires): the
    dashboard is open to every role, an expert may not open the roadmaps nor the analytics."""
    scope = scope_for(user)
    alerts = []
    if scope.can("results.view"):  # the signs list (stats:sign_list)
        alerts += new_signs_alerts(municipality_id, year)
    if scope.can("roadmaps.view"):  # the roadmaps (roadmaps:roadmap_list)
        alerts += roadmap_alerts(municipality_id)
    if scope.can("results.view"):  # the analytics (stats:procedure_list)
        alerts += quarantine_alerts(municipality_id)
    return alerts


def new_signs_alerts(municipality_id: int | None, year: int) -> list[Alert]:
    area = Q() if municipality_id is None else Q(school__municipality_id=municipality_id)
    this_year = set(ObjectivitySign.objects.filter(area, year=year, flagged=True).values_list("school_id", flat=True)
                    .distinct())
    last_year = set(ObjectivitySign.objects.filter(area, year=year - 1, flagged=True)
                    .values_list("school_id", flat=True).distinct())
    new = this_year - last_year
    if not new:
        return []
    return [Alert("warning", f"Новые признаки необъективности за {year} год, требующие дополнительного "
                             f"анализа: {len(new)} ОО (в прошлом году признаков у них не было).",
                  f"{reverse('stats:sign_list')}?year={year}&flagged=true")]


def roadmap_alerts(municipality_id: int | None) -> list[Alert]:
    alerts = []
    overdue = Assignment.objects.filter(status="overdue")
    if municipality_id is not None:
        overdue = overdue.filter(organization__municipality_id=municipality_id)
    overdue_count = overdue.count()
    if overdue_count:
        alerts.append(Alert("danger", f"Просроченных пунктов дорожных карт: {overdue_count}.",
                            reverse("roadmaps:roadmap_list")))
    reporters = reporters_frame(periods_today())
    if not reporters.empty:
        if municipality_id is not None:
            reporters = reporters[reporters["municipality_id"] == municipality_id]
        missing = int((~reporters["on_time"].astype(bool)).sum())
        if missing:
            alerts.append(Alert("danger", f"Не представили отчёт по дорожной карте в срок (последний отчётный "
                                          f"период): {missing} МОУО.", reverse("roadmaps:roadmap_list")))
    return alerts


def quarantine_alerts(municipality_id: int | None) -> list[Alert]:
    batches = ResultBatch.objects.filter(quarantined__gt=0)
    if municipality_id is not None:
        batches = batches.filter(versions__school__municipality_id=municipality_id).distinct()
    quarantined = batches.count()
    if not quarantined:
        return []
    return [Alert("warning", f"Загрузок результатов со строками в карантине: {quarantined}.",
                  reverse("stats:procedure_list"))]


def periods_today():
    from django.utils import timezone

    return timezone.localdate()


# ---- catalog and forms ----

def catalog_table(indicators) -> Table:
    rows = [{"code": i.code, "name": i.name, "unit": i.unit, "mechanism": i.mechanism,
             "periodicity": i.get_periodicity_display(), "direction": i.get_direction_display(),
             "levels": i.levels_display, "target": i.target, "source": i.source,
             "kind": "ручной (форма)" if i.is_manual else "рассчитывается", "active": "да" if i.is_active else "нет"}
            for i in indicators]
    columns = [Column("code", "Код", width=22), Column("name", "Наименование", width=60), Column("unit", "Ед."),
               Column("mechanism", "Механизм"), Column("periodicity", "Периодичность"),
               Column("direction", "Направленность", width=22), Column("levels", "Уровни", width=24),
               Column("target", "Цель", "number"), Column("kind", "Способ"), Column("active", "Используется"),
               Column("source", "Источник и расчёт", width=70)]
    return Table(title="Показатели мониторинга", columns=columns, rows=rows, filename="indicators")


def values_table(indicator: Indicator, user, period: str, level: str) -> Table:
    rows = IndicatorValue.objects.visible_to(user).filter(indicator=indicator, period=period, level=level) \
        .select_related("municipality", "organization").order_by("municipality__name", "organization__short_name")
    data = [{"municipality": v.municipality.name if v.municipality else "Регион",
             "organization": v.organization.short_name if v.organization else "", "value": v.value,
             "numerator": v.numerator, "denominator": v.denominator, "frozen": "да" if v.frozen else ""} for v in rows]
    columns = [Column("municipality", "Муниципалитет", width=36), Column("organization", "ОО", width=36),
               Column("value", f"Значение, {indicator.unit}", "number"), Column("numerator", "Числитель", "number"),
               Column("denominator", "Знаменатель", "number"), Column("frozen", "Зафиксировано")]
    return Table(title=indicator.name[:31], columns=columns, rows=data, filename=f"indicator-{indicator.code}")


def form_fillers(form: MonitoringForm) -> list[Organization]:
    kinds = {"mouo": [OrgKind.MUNICIPAL_OFFICE], "schools": [OrgKind.SCHOOL],
             "both": [OrgKind.MUNICIPAL_OFFICE, OrgKind.SCHOOL]}[form.audience]
    fillers = Organization.objects.filter(kind__in=kinds, is_active=True)
    if form.municipality_id is not None:
        fillers = fillers.filter(municipality_id=form.municipality_id)
    return list(fillers.select_related("municipality").order_by("municipality__name", "kind", "short_name"))


def reads_answers(user, form: MonitoringForm) -> bool:
    """Who sees the answers (not a filler's own page): the ministry, and a МОУО for its municipality's own forms."""
    if scope_for(user, "indicators.manage").region_wide:
        return True
    return form.municipality_id in scope_for(user, "monitoring.forms_municipal").municipality_ids


def may_create_forms(user) -> bool:
    return scope_for(user).can("indicators.manage") or own_office(user) is not None


def own_office(user) -> Organization | None:
    """The МОУО a coordinator creates its municipality's forms for (the first by code if several)."""
    scope = scope_for(user, "monitoring.forms_municipal")
    if not scope.municipality_ids:
        return None
    return (Organization.objects.filter(kind=OrgKind.MUNICIPAL_OFFICE, is_active=True, id__in=scope.organization_ids)
            .select_related("municipality").order_by("code").first())


def form_answers_table(form: MonitoringForm) -> Table:
    """Every filler's values, a column per indicator (empty: not answered yet)."""
    indicators = list(form.indicators.order_by("mechanism", "order", "code"))
    values: dict[tuple[int, int], float] = {}
    for org_id, indicator_id, value in form.answers.values_list("organization_id", "indicator_id", "value"):
        values[(org_id, indicator_id)] = value
    rows = [{"municipality": org.municipality.name if org.municipality else "", "organization": org.short_name,
             "code": org.code, **{f"i{i.pk}": values.get((org.id, i.pk)) for i in indicators}}
            for org in form_fillers(form)]
    columns = [Column("municipality", "Муниципалитет", width=36), Column("organization", "Организация", width=40),
               Column("code", "Код", width=14)]
    columns += [Column(f"i{i.pk}", f"{i.name}{f', {i.unit}' if i.unit else ''}", "number", 18) for i in indicators]
    return Table(title=f"Ответы: {form.title}", columns=columns, rows=rows, filename=f"monitoring-form-{form.pk}-answers")


def form_status_table(form: MonitoringForm) -> Table:
    """Who has filled the form and who has not (the ministry's view)."""
    needed = form.indicators.count()
    answered: dict[int, tuple[int, object]] = {}
    for org_id, updated in form.answers.values_list("organization_id", "updated_at"):
        count, last = answered.get(org_id, (0, None))
        answered[org_id] = (count + 1, max(filter(None, [last, updated])))
    rows = []
    for org in form_fillers(form):
        count, last = answered.get(org.id, (0, None))
        state = "заполнено" if count >= needed else ("частично" if count else "не заполнено")
        rows.append({"municipality": org.municipality.name if org.municipality else "", "organization": org.short_name,
                     "kind": "МОУО" if org.kind == OrgKind.MUNICIPAL_OFFICE else "ОО", "answered": count,
                     "needed": needed, "state": state, "updated": last.date() if last else None})
    columns = [Column("municipality", "Муниципалитет", width=36), Column("organization", "Организация", width=40),
               Column("kind", "Вид"), Column("answered", "Заполнено показателей", "int"),
               Column("needed", "Всего показателей", "int"), Column("state", "Состояние"),
               Column("updated", "Последнее изменение", "date")]
    return Table(title="Заполнение формы", columns=columns, rows=rows, filename=f"monitoring-form-{form.pk}")


def filler_organization(user, form: MonitoringForm):
    """The organization on whose behalf the user fills the form (their МОУО or their school), or None."""
    scope = scope_for(user)
    kinds = {"mouo": {OrgKind.MUNICIPAL_OFFICE}, "schools": {OrgKind.SCHOOL},
             "both": {OrgKind.MUNICIPAL_OFFICE, OrgKind.SCHOOL}}[form.audience]
    roles = {"municipal_coordinator", "school_head"}
    memberships = user.memberships.filter(role__in=roles, organization__kind__in=kinds, organization__is_active=True)
    if form.municipality_id is not None:  # a municipality's own form: its schools only
        memberships = memberships.filter(organization__municipality_id=form.municipality_id)
    membership = memberships.select_related("organization").order_by("organization__code").first()
    return membership.organization if membership and not scope.is_empty else None


def form_list_table(forms) -> Table:
    """The forms page (scoped by the view): what is filled, for which period, by whom and by when."""
    columns = [Column("title", "Форма", width=50), Column("period", "Период", width=12),
               Column("deadline", "Срок", "date", 12),
               Column("audience", "Заполняют", width=20), Column("indicators", "Показатели", width=80)]
    rows = ({"title": f.title, "period": str(f.period), "deadline": f.deadline, "audience": f.audience_label,
             "indicators": "; ".join(i.name for i in f.indicators.all())} for f in forms)
    return Table("Формы мониторинга", columns, rows, filename="formy-monitoringa")


def catalogue_by_mechanism(indicators) -> list[tuple[str, str, list[Indicator]]]:
    """Every mechanism of the order with its indicators (an empty list shows a gap in the catalogue)."""
    from .choices import Mechanism

    grouped = {value: [] for value in Mechanism.values}
    for indicator in indicators:
        grouped.setdefault(indicator.mechanism, []).append(indicator)
    return [(value, Mechanism(value).label, grouped[value]) for value in Mechanism.values]
