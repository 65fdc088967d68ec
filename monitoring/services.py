"""Writes of the monitoring: recomputing and freezing indicator values, catalog edits, form answers."""
from datetime import date

import pandas as pd
from django.db import transaction
from django.utils import timezone

from rsoko.audit.models import AuditAction
from rsoko.audit.services import audit_record, audited_delete, audited_save, snapshot
from rsoko.orgs.models import Municipality

from . import geo, periods
from .choices import FormAudience
from .api.caching import values_changed
from .models import (FormAnswer, FormAnswerChange, Indicator, IndicatorValue, MonitoringForm, MunicipalityMap,
                     RussiaValue)
from .formulas import FormulaError, evaluate, parse_formula
from .registry import BY_CODE
from .sources import sources_for


class FormAnswerError(Exception):
    """A value that cannot be accepted, with a Russian message naming the indicator."""


def value_key(level: str, municipality_id, school_id) -> str:
    if level == "school":
        return f"s{int(school_id)}"
    if level == "municipality":
        return f"m{int(municipality_id)}"
    return "region"


def clean(value):
    return None if value is None or pd.isna(value) else float(value)


def value_objects(indicator: Indicator, period: str, frame: pd.DataFrame) -> list[IndicatorValue]:
    objects = []
    for row in frame.itertuples(index=False):
        if row.level not in indicator.levels:
            continue
        if row.level == "municipality" and pd.isna(row.municipality_id):
            continue
        school = None if row.level != "school" or pd.isna(row.school_id) else int(row.school_id)
        municipality = None if row.level == "region" or pd.isna(row.municipality_id) else int(row.municipality_id)
        objects.append(IndicatorValue(
            indicator=indicator, period=period, level=row.level, municipality_id=municipality, organization_id=school,
            key=value_key(row.level, municipality, school), value=clean(row.value), numerator=clean(row.numerator),
            denominator=clean(row.denominator)))
    return objects


def period_is_frozen(period: str) -> bool:
    return IndicatorValue.objects.filter(period=period, frozen=True).exists()


def lock_period(period: str) -> None:
    """Two refreshes of one period (two workers finishing recomputes together) take turns: otherwise each
    deletes what it sees and both insert the same values (duplicate key on PostgreSQL). Held until commit."""
    connection = transaction.get_connection()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", [f"monitoring.period_recompute:{period}"])


@transaction.atomic
def period_recompute(*, period: str, today: date | None = None) -> int:
    """Replaces the computed values of one period (skipped, returning 0, once the period is frozen)."""
    lock_period(period)
    if period_is_frozen(period):
        return 0
    today = today or timezone.localdate()
    quarterly = periods.is_quarter(period)
    indicators = [i for i in Indicator.objects.filter(is_builtin=True, is_manual=False, is_active=True)
                  if (i.periodicity == "quarter") == quarterly and i.code in BY_CODE]
    sources = sources_for(periods.year_of(period), min(today, periods.quarter_end(period)) if quarterly else today)
    objects = []
    for indicator in indicators:
        objects += value_objects(indicator, period, BY_CODE[indicator.code].compute(sources))
    objects += formula_values(period, quarterly, objects)
    IndicatorValue.objects.filter(period=period, is_manual=False).delete()
    IndicatorValue.objects.bulk_create(objects, batch_size=2000)
    transaction.on_commit(values_changed)
    return len(objects)


def formula_values(period: str, quarterly: bool, computed: list[IndicatorValue]) -> list[IndicatorValue]:
    """The region's formula indicators, group by group, from the values just computed and the manual ones."""
    formulas = [i for i in Indicator.objects.filter(is_active=True).exclude(formula="").order_by("id")
                if (i.periodicity == "quarter") == quarterly]
    if not formulas:
        return []
    by_key: dict[str, dict] = {}
    groups: dict[str, IndicatorValue] = {}
    codes = dict(Indicator.objects.values_list("id", "code"))
    manual = IndicatorValue.objects.filter(period=period, is_manual=True)
    for value in [*computed, *manual]:
        by_key.setdefault(value.key, {})[codes[value.indicator_id]] = value.value
        groups.setdefault(value.key, value)
    out = []
    for indicator in formulas:
        for key, known in by_key.items():
            group = groups[key]
            if group.level not in indicator.levels:
                continue
            result = evaluate(indicator.formula, known)
            known[indicator.code] = result  # a later formula may use this one
            out.append(IndicatorValue(indicator=indicator, period=period, level=group.level, key=key,
                                      municipality_id=group.municipality_id, organization_id=group.organization_id,
                                      value=result))
    return out


def indicators_refresh(period: str | None = None, *, today: date | None = None) -> dict:
    """Recomputes the given period, or the current year and quarter: called after analytics
    recomputation and roadmap status changes, and by the beat task."""
    today = today or timezone.localdate()
    targets = [period] if period else list(periods.current(today))
    return {p: period_recompute(period=p, today=today) for p in targets}


@transaction.atomic
def quarter_freeze(*, period: str, today: date | None = None) -> int:
    """Computes the quarter one last time and freezes its values: they never change afterwards."""
    if not period_is_frozen(period):
        period_recompute(period=period, today=today)
    IndicatorValue.objects.filter(period=period, frozen=False).update(frozen=True)
    transaction.on_commit(values_changed)
    return IndicatorValue.objects.filter(period=period).count()


def previous_quarter_freeze(*, today: date | None = None) -> str:
    """Run by beat at the start of a quarter: freezes the quarter that has just ended."""
    today = today or timezone.localdate()
    period = periods.previous(periods.quarter_of(today))
    quarter_freeze(period=period, today=periods.quarter_end(period))
    return period


@transaction.atomic
def indicator_update(*, indicator: Indicator, actor, name: str, target: float | None, is_active: bool,
                     is_key: bool) -> Indicator:
    before = snapshot(indicator)
    indicator.name, indicator.target, indicator.is_active, indicator.is_key = name, target, is_active, is_key
    indicator.save()
    transaction.on_commit(values_changed)
    audit_record(actor=actor, action=AuditAction.UPDATE, instance=indicator, before=before, source="форма")
    return indicator


class IndicatorCreateError(Exception):
    """The new indicator cannot be added; the message is in Russian and names the field."""


def formula_codes(formula: str, periodicity: str) -> set[str]:
    """The codes a formula uses, checked against the catalogue and the indicator's periodicity."""
    catalogue = dict(Indicator.objects.values_list("code", "periodicity"))
    try:
        codes = parse_formula(formula, set(catalogue))
    except FormulaError as error:
        raise IndicatorCreateError(f"Формула: {error}") from None
    other = sorted(code for code in codes if catalogue[code] != periodicity)
    if other:
        raise IndicatorCreateError(f"Формула: показатели {', '.join(other)} считаются с другой периодичностью, "
                                   "чем новый показатель.")
    return codes


@transaction.atomic
def indicator_create(*, actor, code: str, name: str, mechanism: str, unit: str, direction: str, levels: list[str],
                     periodicity: str, target: float | None = None, formula: str = "", source: str = "",
                     value_kind: str = "percent", min_value: float | None = None,
                     max_value: float | None = None) -> Indicator:
    """The ministry's own indicator: a formula over the catalogue, or (no formula) one collected by forms."""
    if Indicator.objects.filter(code=code).exists():
        raise IndicatorCreateError(f"Код: показатель с кодом «{code}» уже есть в каталоге.")
    if formula:
        codes = formula_codes(formula, periodicity)
        source = source or f"формула: {formula} ({', '.join(sorted(codes))})"
    indicator = Indicator.objects.create(
        code=code, name=name, mechanism=mechanism, unit=unit, direction=direction, levels=levels,
        periodicity=periodicity, target=target, formula=formula, source=source or "форма мониторинга",
        is_builtin=False, is_manual=not formula, value_kind=value_kind, min_value=min_value, max_value=max_value,
        order=1000 + Indicator.objects.count(), created_by=actor if actor and actor.pk else None)
    audit_record(actor=actor, action=AuditAction.CREATE, instance=indicator, before=None, source="каталог показателей")
    transaction.on_commit(values_changed)
    return indicator


def check_value(indicator: Indicator, raw) -> float:
    """The value as a number within the indicator's range, or a Russian message naming the indicator."""
    text = str(raw).strip().replace(",", ".").replace("\u00a0", "").replace(" ", "")
    try:
        value = float(text)
    except ValueError:
        raise FormAnswerError(f"«{indicator.name}»: «{raw}» — не число.") from None
    if value != value or value in (float("inf"), float("-inf")):
        raise FormAnswerError(f"«{indicator.name}»: «{raw}» — не число.")
    if indicator.value_kind == "integer" and value != int(value):
        raise FormAnswerError(f"«{indicator.name}»: нужно целое число, получено {raw}.")
    if indicator.min_value is not None and value < indicator.min_value:
        raise FormAnswerError(f"«{indicator.name}»: значение {raw} меньше допустимого ({indicator.min_value:g}).")
    if indicator.max_value is not None and value > indicator.max_value:
        raise FormAnswerError(f"«{indicator.name}»: значение {raw} больше допустимого ({indicator.max_value:g}).")
    return value


def form_fill(*, form: MonitoringForm, organization, actor, values: dict) -> list[FormAnswer]:
    """Stores an organization's answers (all or nothing), keeps the history, and writes the values."""
    indicators = {i.code: i for i in form.indicators.all()}
    errors, checked = [], {}
    for code, raw in values.items():
        if code not in indicators:
            errors.append(f"Показатель {code} не входит в форму.")
        elif raw is not None and str(raw).strip() != "":
            try:
                checked[code] = check_value(indicators[code], raw)
            except FormAnswerError as error:
                errors.append(str(error))
    if errors:
        raise FormAnswerError(" ".join(errors))
    with transaction.atomic():
        answers = [answer_save(form=form, organization=organization, indicator=indicators[code], value=value,
                               actor=actor) for code, value in checked.items()]
        if form.municipality_id is None:
            for code in checked:
                manual_region_store(indicator=indicators[code], period=form.period)
        return answers


def answer_save(*, form, organization, indicator, value: float, actor) -> FormAnswer:
    answer = FormAnswer.objects.filter(form=form, organization=organization, indicator=indicator).first()
    before = answer.value if answer else None
    if answer is None:
        answer = FormAnswer(form=form, organization=organization, indicator=indicator)
    answer.value, answer.updated_by = value, actor
    answer.save()
    if before != value:
        FormAnswerChange.objects.create(answer=answer, value_before=before, value_after=value, actor=actor,
                                        actor_name=getattr(actor, "username", "") or "система")
    if form.municipality_id is None:  # a МОУО's own form collects for the municipality, not for the indicators
        manual_value_store(indicator=indicator, period=form.period, organization=organization, value=value)
        transaction.on_commit(values_changed)
    return answer


def manual_value_store(*, indicator, period: str, organization, value: float) -> None:
    """A school's answer is its school value; a МОУО's answer is its municipality's value."""
    level = "school" if organization.kind == "school" else "municipality"
    key = value_key(level, organization.municipality_id, organization.id)
    IndicatorValue.objects.filter(indicator=indicator, period=period, key=key, frozen=False).delete()
    if not IndicatorValue.objects.filter(indicator=indicator, period=period, key=key).exists():
        IndicatorValue.objects.create(
            indicator=indicator, period=period, level=level, municipality_id=organization.municipality_id,
            organization_id=organization.id if level == "school" else None, key=key, value=value, is_manual=True)


def manual_region_store(*, indicator, period: str) -> None:
    """The region's value of a manual indicator: the mean of the municipalities' answers."""
    if "region" not in indicator.levels or period_is_frozen(period):
        return
    answers = list(IndicatorValue.objects.filter(indicator=indicator, period=period, level="municipality")
                   .values_list("value", flat=True))
    answers = [a for a in answers if a is not None]
    IndicatorValue.objects.update_or_create(
        indicator=indicator, period=period, key="region",
        defaults={"level": "region", "is_manual": True, "denominator": len(answers),
                  "value": sum(answers) / len(answers) if answers else None})


def form_create(*, title: str, period: str, deadline: date, audience: str = FormAudience.SCHOOLS, indicators, actor,
                municipality=None) -> MonitoringForm:
    """A form of the ministry, or (with `municipality`) a МОУО's own form, which only that municipality's schools
    fill."""
    periods.parse(period)
    if municipality is not None:
        audience = FormAudience.SCHOOLS
    form = MonitoringForm.objects.create(title=title, period=period, deadline=deadline, audience=audience,
                                         created_by=actor, municipality=municipality)
    form.indicators.set(indicators)
    audit_record(actor=actor, action=AuditAction.CREATE, instance=form, before=None, source="форма")
    return form


@transaction.atomic
def russia_value_save(*, actor, indicator: Indicator, period: str, value: float, source: str = "") -> RussiaValue:
    """Enters (or corrects) an indicator's value for Russia in a period."""
    return audited_save(RussiaValue, actor=actor, key={"indicator": indicator, "period": period},
                        values={"value": value, "source": source, "entered_by": actor}, source="форма")


@transaction.atomic
def russia_value_delete(*, actor, figure: RussiaValue) -> None:
    audited_delete(actor=actor, instance=figure, source="форма")


class MapUploadError(Exception):
    """The boundaries file was refused; the Russian message says what is wrong."""


@transaction.atomic
def map_upload(*, actor, filename: str, raw: bytes) -> MunicipalityMap:
    """Checks a GeoJSON of the region's municipalities, matches its features and makes it the map in use."""
    try:
        features = geo.read(raw)
    except geo.GeoJSONError as error:
        raise MapUploadError(str(error)) from None
    result = geo.match(features, list(Municipality.objects.values_list("id", "name", "code")))
    if not result.features:
        shown = ", ".join(f"«{name}»" for name in result.unmatched[:5])
        raise MapUploadError(f"Ни один объект файла не сопоставлен с муниципалитетами реестра (в файле: {shown}…). "
                             "Проверьте, что в свойствах указаны названия или коды муниципалитетов ФИС ОКО.")
    # Every upload is a row of its own (who, when, which file): the history without copying boundaries to the audit.
    return MunicipalityMap.objects.create(
        geojson={"type": "FeatureCollection", "features": result.features}, filename=filename[:255],
        unmatched=result.unmatched, uploaded_by=actor)
