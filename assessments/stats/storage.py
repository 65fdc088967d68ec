"""Writing many precomputed rows at once: COPY on PostgreSQL, bulk_create elsewhere.

bulk_create renders one huge parameterised INSERT, which costs more than the analytics themselves for a
large region; COPY streams the same rows as text.
"""
import io
import json

from django.db import connection

COPY_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def copy_value(value) -> str:
    if value is None:
        return "\\N"
    if isinstance(value, bool):
        return "t" if value else "f"
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False, separators=(",", ":")).translate(COPY_ESCAPES)
    return str(value).translate(COPY_ESCAPES)


def store_objects(model, objects: list) -> None:
    """Inserts unsaved model instances (no ids needed back) in one COPY, or bulk_create off PostgreSQL."""
    if not objects:
        return
    if connection.vendor != "postgresql":
        model.objects.bulk_create(objects, batch_size=2000)
        return
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    lines = ("\t".join(copy_value(getattr(obj, f.attname)) for f in fields) for obj in objects)
    buffer = io.StringIO("\n".join(lines) + "\n")
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    with connection.cursor() as cursor:
        cursor.cursor.copy_expert(f"COPY {model._meta.db_table} ({columns}) FROM STDIN", buffer)
