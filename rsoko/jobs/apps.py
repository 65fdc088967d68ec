from django.apps import AppConfig


class JobsConfig(AppConfig):
    name = "rsoko.jobs"
    label = "jobs"
    verbose_name = "Фоновые задания"
