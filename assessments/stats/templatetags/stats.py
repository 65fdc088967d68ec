from django import template

from rsoko import typography

register = template.Library()


@register.filter
def pct(value) -> str:
    """A percentage's figure (the column head says «%»): 42.857 → «42,9»; missing (None, or "" for a group with no
    data in the user's area) → «—»."""
    return fixed(value, 1)


@register.filter
def num(value) -> str:
    """A figure as short as it is exact: 7.50 → «7,5», 12000 → «12 000»; missing → «—»."""
    return typography.trimmed(value, 2)


@register.filter
def fixed(value, digits=1) -> str:
    """A column of figures with one number of decimals, so they line up: 7.62 → «7,6», 50 → «50,0»; missing → «—»."""
    value = typography.as_number(value)
    return typography.number(float(value), int(digits)) if value is not None else "—"


@register.filter
def counted(value, forms: str) -> str:
    """A count with its noun in the right Russian form: {{ n|counted:"школа,школы,школ" }} → «24 школы», «1 000 школ»."""
    count = typography.as_number(value)
    return "—" if count is None else typography.counted(int(count), *forms.split(","))


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
