"""Writing many precomputed rows at once: COPY on PostgreSQL, bulk_create elsewhere.

bulk_create renders one huge parameterised INSERT, which costs more than the analytics themselves for a
large region; COPY streams the same rows as text.
"""
import io

from django.db import connection
import orjson

COPY_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def escaped(text: str) -> str:
    """COPY's text format escapes backslash, tab and line breaks; most values have none, so look first."""
    if "\\" in text or "\t" in text or "\n" in text or "\r" in text:
        return text.translate(COPY_ESCAPES)
    return text


def copy_value(value) -> str:
    if value is None:
        return "\\N"
    if isinstance(value, bool):
        return "t" if value else "f"
    if isinstance(value, (dict, list)):
        # orjson: the JSON of a large region's statistics is most of the cost of storing them. Its output has
        # no raw tab or line break (they are escaped inside strings), only backslashes to double.
        return json_text(value)
    if isinstance(value, int):
        return str(value)
    return escaped(str(value))


def store_objects(model, objects: list) -> None:
    """Inserts unsaved model instances (no ids needed back) in one COPY, or bulk_create off PostgreSQL."""
    if not objects:
        return
    if connection.vendor != "postgresql":
        model.objects.bulk_create(objects, batch_size=2000)
        return
    names = [f.attname for f in model._meta.concrete_fields if not f.primary_key]
    store_rows(model, names, ([getattr(obj, name) for name in names] for obj in objects))


def json_text(value) -> str:
    text = orjson.dumps(value).decode()
    return text.replace("\\", "\\\\") if "\\" in text else text


def copy_column(values: tuple) -> list[str]:
    """One column as COPY text, the same as copy_value of each value; a column holds one kind of value (ids,
    codes, flags, JSON), so the kind is told once per column instead of once per value."""
    kinds = set(map(type, values))
    if kinds <= {int, type(None)}:
        return ["\\N" if value is None else str(value) for value in values]
    if kinds == {bool}:
        return ["t" if value else "f" for value in values]
    if kinds <= {dict, list}:
        return [json_text(value) for value in values]
    if kinds == {str}:
        return [escaped(value) for value in values]
    return [copy_value(value) for value in values]


def copy_text(rows) -> str:
    """Rows (value lists of one width) as COPY's text: rendered column by column."""
    columns = [copy_column(values) for values in zip(*rows)]
    lines = ["\t".join(cells) for cells in zip(*columns)]
    return "\n".join(lines) + "\n" if lines else ""


def store_rows(model, names: list[str], rows) -> None:
    """Inserts rows given as value lists in the order of `names` (every concrete field but the id): no model
    instance is built on PostgreSQL, where a region's statistics are hundreds of thousands of rows."""
    if connection.vendor != "postgresql":
        model.objects.bulk_create([model(**dict(zip(names, row))) for row in rows], batch_size=2000)
        return
    text = copy_text(rows)
    if not text:
        return
    columns = ", ".join(connection.ops.quote_name(model._meta.get_field(name).column) for name in names)
    with connection.cursor() as cursor:
        cursor.cursor.copy_expert(f"COPY {model._meta.db_table} ({columns}) FROM STDIN", io.StringIO(text))
