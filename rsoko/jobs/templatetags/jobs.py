from django import template

register = template.Library()

RESULT_LABELS = {
    "layout": "Формат файла", "region": "Регион", "unchanged": "Без изменений",
    "municipalities_created": "Создано муниципалитетов", "municipalities_updated": "Обновлено муниципалитетов",
    "organizations_created": "Создано организаций", "organizations_updated": "Обновлено организаций",
    "municipalities_matched": "Муниципалитеты, найденные по названию",
    "rows_skipped": "Строки с ошибками (не загружены)", "warnings": "Предупреждения",
}


# Values a result keeps as codes, as a person names them («Формат файла: протокол ФИС ОКО», not «fisoko»).
VALUE_LABELS = {"layout": {"fisoko": "протокол или выгрузка ФИС ОКО (столбцы «Муниципалитет» и «Школа»)",
                           "template": "шаблон реестра портала", "unknown": "не распознан"}}


@register.filter
def result_label(key: str) -> str:
    return RESULT_LABELS.get(key, key)


@register.simple_tag
def result_display(key: str, value) -> str:
    """A result's value under its key: a coded value by its name, lists and dicts in one line."""
    named = VALUE_LABELS.get(key, {})
    return named.get(value, result_value(value)) if isinstance(value, str) else result_value(value)


@register.filter
def result_value(value) -> str:
    """A job result value in one line: lists as their count and first items."""
    if isinstance(value, list):
        shown = ", ".join(str(item) for item in value[:12])
        return f"{len(value)}" + (f": {shown}" if value else "") + (" …" if len(value) > 12 else "")
    if isinstance(value, dict):
        return "; ".join(f"{result_label(k)}: {v}" for k, v in value.items())
    if isinstance(value, bool):
        return "да" if value else "нет"
    return str(value)


@register.filter
def first_line(text) -> str:
    return str(text or "").split("\n", 1)[0]
