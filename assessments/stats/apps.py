from django.apps import AppConfig


class StatsConfig(AppConfig):
    name = "assessments.stats"
    label = "stats"
    verbose_name = "Аналитика результатов"
