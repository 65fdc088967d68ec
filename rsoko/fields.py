"""Model fields the project needs beyond Django's own."""
import json

from django.db import models


class TextJSONField(models.JSONField):
    """JSON kept as written: PostgreSQL's `json` type, not `jsonb` (SQLite stores text either way).

    For large derived or bulk-loaded values that are only ever written whole and read whole (a pupil's task
    scores, a statistic row's figures): `jsonb` rebuilds each value into a binary tree on every COPY and back
    into text on every read, which measured 2.7 times the cost of COPY with `json` and 4 times the read
    (`bench/region_archive.py`). The price is that PostgreSQL has no equality, containment or ordering on
    `json` values: filter or order by a key only through `KT()` (its text) and a cast."""

    description = "JSON (stored as text)"

    def db_type(self, connection):
        return "json" if connection.vendor == "postgresql" else super().db_type(connection)

    def from_db_value(self, value, expression, connection):
        # psycopg2 decodes `json` columns itself (jsonb it leaves to Django): such a value is ready
        if value is None or not isinstance(value, str):
            return value
        return super().from_db_value(value, expression, connection)

