"""Model fields the project needs beyond Django's own."""
from django.db import models


class TextJSONField(models.JSONField):
    """JSON kept as written: PostgreSQL's `json` type, not `jsonb` (SQLite stores text either way).

    For large derived or bulk-loaded values that are only ever written whole and read whole (a pupil's task
    scores, a statistic row's figures): `jsonb` rebuilds each value into a binary tree on every COPY and back
    into text on every read: on 500,000 stored results, COPY took 2.7 times as long as with `json` and reading
    the scores back as text 4 times (bench/RESULTS.md, runs 21–23). The price: PostgreSQL has no equality,
    containment or ordering on `json` values; filter or order by a key only through `KT()` (its text) and a cast."""

    description = "JSON (stored as text)"

    def db_type(self, connection):
        return "json" if connection.vendor == "postgresql" else super().db_type(connection)

    def from_db_value(self, value, expression, connection):
        # psycopg2 decodes `json` columns itself (jsonb it leaves to Django): such a value is ready
        if value is None or not isinstance(value, str):
            return value
        return super().from_db_value(value, expression, connection)
