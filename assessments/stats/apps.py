from django.apps import AppConfig
from django.db.backends.signals import connection_created


def sqlite_planner_statistics(sender, connection, **kwargs):
    """SQLite (the demo and the benches) keeps no table statistics until ANALYZE: without them its planner read a
    procedure's rows of one municipality through the (municipality, form) index — every procedure's rows — and
    not the (procedure, form, level) one, 0.3 s of a 36-procedure quarterly report. So a connection that finds the
    statistic rows never analysed analyses a sample of them (analysis_limit; PRAGMA optimize cannot be asked to do
    this on SQLite before 3.46)."""
    if connection.vendor != "sqlite":
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM sqlite_master WHERE name = 'sqlite_stat1'")
        if cursor.fetchone():
            cursor.execute("SELECT 1 FROM sqlite_stat1 WHERE tbl = 'stats_statisticrow'")
            if cursor.fetchone():
                return
        cursor.execute("SELECT 1 FROM sqlite_master WHERE name = 'stats_statisticrow'")
        if cursor.fetchone():
            cursor.execute("PRAGMA analysis_limit=400")
            cursor.execute("ANALYZE")


class StatsConfig(AppConfig):
    name = "assessments.stats"
    label = "stats"
    verbose_name = "Аналитика результатов"

    def ready(self):
        connection_created.connect(sqlite_planner_statistics, dispatch_uid="stats.sqlite_planner_statistics")
