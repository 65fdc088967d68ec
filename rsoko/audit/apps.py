from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "rsoko.audit"
    label = "audit"
    verbose_name = "Журнал изменений"
