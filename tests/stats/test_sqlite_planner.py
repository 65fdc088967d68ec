"""SQLite (demo, benches) gets table statistics once its statistic rows exist, so its planner reads a procedure's
rows through the (procedure, form, level) index rather than every row of a municipality."""
from django.db import connection
import pytest

from assessments.stats.apps import sqlite_planner_statistics

from assessments.stats.models import Form, Level, StatisticRow

from .factories import make_procedure

pytestmark = [pytest.mark.django_db,
              pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's planner only")]


def plan(sql):
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN QUERY PLAN " + sql)
        return " ".join(str(row[-1]) for row in cursor.fetchall())


def test_a_connection_analyses_the_statistic_rows_once_they_exist(world):
    procedures = [make_procedure(code=f"VPR-2021-MA-{n}") for n in range(20)]
    StatisticRow.objects.bulk_create([
        StatisticRow(procedure=p, form=form, level=Level.MUNICIPALITY, municipality=m)
        for p in procedures for form in Form.values for m in (world.mun_a, world.mun_b)])
    procedure = procedures[0]
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS sqlite_stat1")
    sqlite_planner_statistics(sender=None, connection=connection)
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM sqlite_stat1 WHERE tbl = 'stats_statisticrow'")
        assert cursor.fetchone()[0] > 0
    query = (f"SELECT * FROM stats_statisticrow WHERE level = 'municipality' AND municipality_id = "
             f"{world.mun_a.pk} AND procedure_id = {procedure.pk} AND form IN ('marks', 'tasks')")
    assert "procedu" in plan(query)
