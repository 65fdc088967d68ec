"""Reads of the context: the list, and a school beside its comparable group and the region."""
from monitoring.models import IndicatorValue

from .models import SchoolContext

PEER_INDICATORS = ["vpr_mean_pct", "vpr_quality", "oge_mean_pct"]


def latest_year() -> str | None:
    periods = IndicatorValue.objects.filter(indicator__code__in=PEER_INDICATORS, level="school") \
        .exclude(period__contains="Q").values_list("period", flat=True).distinct()
    return max(periods, default=None)


def peer_rows(context: SchoolContext) -> tuple[str | None, list[dict]]:
    """The school's results beside the mean of its comparable group and the region (same year)."""
    year = latest_year()
    if year is None:
        return None, []
    peers = set(SchoolContext.objects.filter(peer_group=context.peer_group).values_list("school_id", flat=True)) \
        if context.peer_group else set()
    rows = []
    for code in PEER_INDICATORS:
        values = IndicatorValue.objects.filter(indicator__code=code, period=year)
        school = values.filter(key=f"s{context.school_id}").first()
        group = [v for v in values.filter(level="school", organization_id__in=peers).values_list("value", flat=True)
                 if v is not None]
        region = values.filter(key="region").first()
        if school is None and region is None:
            continue
        rows.append({"indicator": (school or region).indicator, "school": school.value if school else None,
                     "group": sum(group) / len(group) if group else None, "group_n": len(group),
                     "region": region.value if region else None})
    return year, rows


def contexts_table(contexts):
    from rsoko.exports import Column, Table

    columns = [Column("school", "ОО", width=40), Column("code", "Код ОО", width=12),
               Column("municipality", "Муниципалитет", width=30), Column("pupils", "Обучающихся", "int", 12),
               Column("russian_second_share", "Русский не родной, %", "number", 14),
               Column("low_income_share", "Малообеспеченные, %", "number", 14),
               Column("difficult", "Сложные условия", width=10), Column("reasons", "Основания", width=60),
               Column("peer_group", "Группа", "int", 8)]
    rows = [{"school": c.school.short_name, "code": c.school.code, "municipality": c.school.municipality.name,
             "pupils": c.pupils, "russian_second_share": c.russian_second_share,
             "low_income_share": c.low_income_share, "difficult": "да" if c.difficult else "нет",
             "reasons": c.difficult_reasons, "peer_group": c.peer_group} for c in contexts]
    return Table("Контекст школ", columns, rows, filename="kontekst-shkol")
