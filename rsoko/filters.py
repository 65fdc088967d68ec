"""Filters shared by the apps' filtersets."""
from django import forms
import django_filters
from drf_spectacular.utils import extend_schema_field

# The widest id a database column holds (PostgreSQL bigint, SQLite INTEGER).
MAX_ROW_ID = 2**63 - 1


@extend_schema_field({"type": "integer", "minimum": 1, "maximum": MAX_ROW_ID})
class RowIdFilter(django_filters.NumberFilter):
    """A row id in the query (?roadmap=12): a whole number within the column's range, otherwise 400.

    NumberFilter reads a decimal, so `?roadmap=1e93` reached the database as an integer too large for SQLite
    (a server error) and `?roadmap=1.5` silently matched nothing.
    """

    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", MAX_ROW_ID)
        super().__init__(*args, **kwargs)
