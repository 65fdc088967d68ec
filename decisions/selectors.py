"""Reads of management decisions: the register and the effect page (one read path for pages and the API)."""
from __future__ import annotations

from dataclasses import dataclass
import re

import pandas as pd

from monitoring.models import Indicator, IndicatorValue
from rsoko.orgs.choices import OrgKind
from rsoko.orgs.models import Organization
from rsoko.typography import number, points, signed, significant

from .effect import Estimate, difference_in_differences
from .models import Decision

YEAR = re.compile(r"^20\d\d$")


class PeriodError(ValueError):
    """A period parameter that is not a year; the message is in Russian."""


def default_periods(decision: Decision) -> tuple[str, str]:
    """Before: the school year the decision was taken after (results of spring); after: the next one."""
    year = decision.order_date.year if decision.order_date.month >= 7 else decision.order_date.year - 1
    return str(year), str(year + 1)


def chosen_periods(decision: Decision, before: str | None, after: str | None) -> tuple[str, str]:
    default_before, default_after = default_periods(decision)
    before, after = (before or default_before).strip(), (after or default_after).strip()
    for name, value in (("«До»", before), ("«После»", after)):
        if not YEAR.match(value):
            raise PeriodError(f"{name}: нужен год из четырёх цифр (например, {default_before}).")
    if after <= before:
        raise PeriodError("«После» должен быть позже, чем «До».")
    return before, after


def unit_level(indicator: Indicator) -> str:
    return "school" if "school" in indicator.levels else "municipality"


def treated_keys(decision: Decision, level: str) -> set[str]:
    schools = set(decision.schools.values_list("id", flat=True))
    municipalities = set(decision.municipalities.values_list("id", flat=True))
    if level == "school":
        schools |= set(Organization.objects.filter(kind=OrgKind.SCHOOL, municipality_id__in=municipalities)
                       .values_list("id", flat=True))
        return {f"s{pk}" for pk in schools}
    municipalities |= set(decision.schools.values_list("municipality_id", flat=True))
    return {f"m{pk}" for pk in municipalities}


def units_frame(decision: Decision, indicator: Indicator, before: str, after: str) -> pd.DataFrame:
    """One row per unit of the indicator's finest level: treated or not, value before and after."""
    level = unit_level(indicator)
    rows = IndicatorValue.objects.filter(indicator=indicator, level=level, period__in=[before, after]) \
        .values_list("key", "period", "value")
    data = pd.DataFrame(list(rows), columns=["key", "period", "value"])
    if data.empty:
        return pd.DataFrame(columns=["key", "treated", "before", "after"])
    wide = data.pivot_table(index="key", columns="period", values="value", aggfunc="first")
    wide = wide.reindex(columns=[before, after]).rename(columns={before: "before", after: "after"}).reset_index()
    wide["treated"] = wide["key"].isin(treated_keys(decision, level))
    return wide


@dataclass
class EffectRow:
    indicator: Indicator
    level: str
    estimate: Estimate | None

    @property
    def improved(self) -> bool | None:
        """Whether the difference is an improvement in the indicator's direction (None: not significant)."""
        if self.estimate is None or not self.estimate.significant:
            return None
        return (self.estimate.did > 0) == (self.indicator.direction == "higher")

    @property
    def reading(self) -> str:
        e = self.estimate
        if e is None:
            return ("Недостаточно данных: нужны значения «до» и «после» хотя бы у двух затронутых и двух "
                    "сравнимых незатронутых единиц.")
        size = points(e.did) if self.indicator.unit == "%" else f"{number(abs(e.did))} {self.indicator.unit}"
        interval = f"95 % интервал от {signed(e.ci_low)} до {signed(e.ci_high)}"
        if not e.significant:
            return f"Разница {signed(e.did)} не отличима от нуля ({interval}, p = {significant(e.p_value)})."
        word = "Улучшение" if self.improved else "Ухудшение"
        return (f"{word} на {size} относительно сравнимых {'ОО' if self.level == 'school' else 'муниципалитетов'}, "
                f"не затронутых решением ({interval}, p = {significant(e.p_value)}).")


def decision_effect(decision: Decision, before: str, after: str) -> list[EffectRow]:
    """The indicators the decision aims to move, each with its difference-in-differences estimate."""
    rows = []
    for indicator in decision.indicators.order_by("mechanism", "order", "code"):
        frame = units_frame(decision, indicator, before, after)
        estimate = difference_in_differences(frame) if not frame.empty else None
        rows.append(EffectRow(indicator, unit_level(indicator), estimate))
    return rows


def effect_payload(decision: Decision, before: str, after: str) -> list[dict]:
    """The effect rows as plain data: the API and the page's export read the same figures."""
    out = []
    for row in decision_effect(decision, before, after):
        e = row.estimate
        out.append({
            "indicator": row.indicator.code, "indicator_name": row.indicator.name, "unit": row.indicator.unit,
            "direction": row.indicator.direction, "level": row.level, "before": before, "after": after,
            "treated_n": e.treated_n if e else 0, "control_n": e.control_n if e else 0,
            "treated_before": e.treated_before if e else None, "treated_after": e.treated_after if e else None,
            "control_before": e.control_before if e else None, "control_after": e.control_after if e else None,
            "did": e.did if e else None, "se": e.se if e else None, "ci_low": e.ci_low if e else None,
            "ci_high": e.ci_high if e else None, "p_value": e.p_value if e else None,
            "significant": e.significant if e else False, "improved": row.improved,
            "common_support": e.common_support if e else None, "reading": row.reading,
        })
    return out


# ---- consequences for flagged schools -------------------------------------------------------------------

def flagged_schools(year: int, user=None) -> dict[int, str]:
    """Schools with an evaluated official sign or on the federal list in the year → the reason in words."""
    from assessments.stats.models import FederalMark, ObjectivityCriterion, ObjectivitySign

    official = set(ObjectivityCriterion.objects.filter(is_official=True).values_list("code", flat=True))
    signs = ObjectivitySign.objects.filter(year=year, flagged=True, evaluated=True)
    federal = FederalMark.objects.filter(year=year)
    if user is not None:
        signs, federal = signs.visible_to(user), federal.visible_to(user)
    reasons: dict[int, list[str]] = {}
    for school_id, criterion in signs.values_list("school_id", "criterion").distinct():
        reasons.setdefault(school_id, []).append(
            f"признак {criterion}" + ("" if criterion in official else " (региональный)"))
    for school_id, markers in federal.values_list("school_id", "markers"):
        reasons.setdefault(school_id, []).append(f"федеральный перечень ({markers})")
    return {school: "; ".join(sorted(set(parts))) for school, parts in reasons.items()}


def assign_rows(user, year: int) -> list[dict]:
    """The flagged schools the user sees, with the consequences they already have for the year."""
    from .models import Case

    reasons = flagged_schools(year, user)
    schools = Organization.objects.filter(pk__in=reasons).select_related("municipality").order_by(
        "municipality__name", "short_name")
    existing: dict[int, list[str]] = {}
    for case in Case.objects.filter(year=year, school_id__in=reasons):
        existing.setdefault(case.school_id, []).append(case.get_kind_display())
    return [{"school": s, "reason": reasons[s.pk], "cases": existing.get(s.pk, [])} for s in schools]


def school_cases(user, school) -> list:
    """A school's consequences with their history, as its page and the quarterly report show them."""
    from .models import Case

    return list(Case.objects.visible_to(user).filter(school=school).prefetch_related("events")
                .order_by("-year", "kind"))


# ---- tables for Excel and CSV (the pages' rows, one read path) -----------------------------------------

def decisions_table(decisions) -> "Table":
    from rsoko.exports import Column, Table

    columns = [Column("order_number", "№ приказа", width=12), Column("order_date", "Дата", "date", 12),
               Column("title", "Решение", width=60), Column("owner", "Принял", width=30),
               Column("mechanism", "Механизм", width=10), Column("indicators", "Показатели", width=60)]
    rows = [{"order_number": d.order_number, "order_date": d.order_date, "title": d.title,
             "owner": d.owner.short_name, "mechanism": d.mechanism,
             "indicators": "; ".join(i.name for i in d.indicators.all())} for d in decisions]
    return Table("Управленческие решения", columns, rows, filename="resheniya")


def effect_table(decision: Decision, before: str, after: str) -> "Table":
    from rsoko.exports import Column, Table

    columns = [Column("indicator_name", "Показатель", width=50), Column("level", "Единицы", width=14),
               Column("treated_n", "Затронуто", "int", 10), Column("treated_before", f"Затронутые, {before}", "number"),
               Column("treated_after", f"Затронутые, {after}", "number"), Column("control_n", "Сравнимых", "int", 10),
               Column("control_before", f"Сравнимые, {before}", "number"),
               Column("control_after", f"Сравнимые, {after}", "number"), Column("did", "Эффект", "number"),
               Column("ci_low", "95 % интервал: от", "number"), Column("ci_high", "95 % интервал: до", "number"),
               Column("p_value", "p", "number"), Column("reading", "Вывод", width=80)]
    rows = [{**row, "level": "ОО" if row["level"] == "school" else "муниципалитеты"}
            for row in effect_payload(decision, before, after)]
    return Table(f"Эффект решения № {decision.order_number}", columns, rows, filename=f"effekt-{decision.pk}")


def cases_table(cases) -> "Table":
    from rsoko.exports import Column, Table

    columns = [Column("school", "ОО", width=40), Column("municipality", "Муниципалитет", width=30),
               Column("year", "Год признаков", "int", 10), Column("reason", "Основание", width=50),
               Column("kind", "Последствие", width=36), Column("due", "Срок", "date", 12),
               Column("status", "Состояние", width=14), Column("result", "Итог", width=30)]
    rows = [{"school": c.school.short_name, "municipality": c.school.municipality.name if c.school.municipality else "",
             "year": c.year, "reason": c.reason, "kind": c.get_kind_display(), "due": c.due,
             "status": c.get_status_display(), "result": c.get_result_display() if c.result else ""} for c in cases]
    return Table("Последствия для ОО с признаками", columns, rows, filename="posledstviya")
