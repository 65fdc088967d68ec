from django import template

from rsoko import typography

register = template.Library()


@register.filter
def pct(value) -> str:
    """42.857 → «42,9»; missing → «—» (also a key the stored data lacks, which a template resolves to "")."""
    if value in (None, ""):
        return "—"
    return f"{float(value):.1f}".replace(".", ",")


@register.filter
def num(value) -> str:
    if value is None:
        return "—"
    return f"{float(value):.2f}".rstrip("0").rstrip(".").replace(".", ",") if isinstance(value, float) else str(value)


@register.filter
def fixed(value, digits=1) -> str:
    """A column of figures with one number of decimals, so they line up: 7.62 → «7,6», 50 → «50,0»; missing → «—»."""
    if value in (None, ""):
        return "—"
    return typography.number(float(value), int(digits))


@register.filter
def typeset(text) -> str:
    """Russian typography for a sentence shown on a page: a formula («p = 0,63») or «по 4» never breaks apart."""
    return typography.typeset(str(text or ""))


@register.filter
def cell(row: dict, column) -> str:
    value = row.get(column.key)
    if column.kind == "percent":
        return pct(value)
    if column.kind == "number":
        return num(value)
    return "—" if value in (None, "") else value


@register.filter
def get(mapping, key):
    return mapping.get(key) if mapping else None


@register.filter
def criterion_title(code: str) -> str:
    from assessments.stats.selectors import CRITERION_TITLES

    return CRITERION_TITLES.get(code, code)
