from django import template

from rsoko import typography

register = template.Library()


@register.filter
def num(value, digits=1):
    return typography.number(typography.as_number(value), int(digits))


@register.filter
def num_half_up(value, digits=1):
    return typography.number_half_up(value, int(digits))


@register.filter
def pct(value, digits=1):
    return typography.percent(typography.as_number(value), int(digits))


@register.filter(is_safe=True)
def typeset(value):
    """Safe in, safe out: a joined list arrives escaped already and must not be escaped twice («&amp;lt;»)."""
    return typography.typeset(str(value or ""))


@register.filter
def cell(row, column):
    """A table cell printed the Russian way (percent and numbers with a decimal comma)."""
    value = row.get(column.key)
    if column.kind == "percent":
        return typography.number(value, 1)
    if column.kind == "number":
        return typography.number(value, 2)
    if column.kind == "int":
        return typography.number(value, 0)
    return typography.typeset(str(value)) if value not in (None, "") else ""


@register.filter
def get(mapping, key):
    return mapping.get(key) if mapping else None
