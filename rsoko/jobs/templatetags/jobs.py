from django import template

register = template.Library()

RESULT_LABELS = {
    "layout": "Формат файла", "region": "Регион", "unchanged": "Без изменений",
    "municipalities_created": "Создано муниципалитетов", "municipalities_updated": "Обновлено муниципалитетов",
    "organizations_created": "Создано организаций", "organizations_updated": "Обновлено организаций",
}


@register.filter
def result_label(key: str) -> str:
    return RESULT_LABELS.get(key, key)


@register.filter
def result_value(value) -> str:
    """A job result value in one line: lists as their count and first items."""
    if isinstance(value, list):
        shown = ", ".join(str(item) for item in value[:12])
        return f"{len(value)}" + (f": {shown}" if value else "") + (" …" if len(value) > 12 else "")
    if isinstance(value, dict):
        return "; ".join(f"{k}: {v}" for k, v in value.items())
    return str(value)


@register.filter
def first_line(text) -> str:
    return str(text or "").split("\n", 1)[0]
