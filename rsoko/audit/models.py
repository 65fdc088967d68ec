"""The audit trail: who changed what, when, and the values before and after."""
from django.conf import settings
from django.db import models


class AuditAction(models.TextChoices):
    CREATE = "create", "Создание"
    UPDATE = "update", "Изменение"
    DELETE = "delete", "Удаление"
    EXPORT = "export", "Выгрузка"


class AuditEntry(models.Model):
    at = models.DateTimeField("когда", auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, verbose_name="кто"
    )
    actor_name = models.CharField("кто (имя на момент изменения)", max_length=150, blank=True)
    action = models.CharField("действие", max_length=16, choices=AuditAction.choices)
    model = models.CharField("объект", max_length=100, db_index=True)
    object_id = models.CharField("идентификатор", max_length=64, db_index=True)
    object_repr = models.CharField("представление", max_length=300)
    before = models.JSONField("до", null=True, blank=True)
    after = models.JSONField("после", null=True, blank=True)
    source = models.CharField("источник", max_length=100, blank=True, help_text="веб, API, импорт, команда")

    class Meta:
        verbose_name = "запись журнала"
        verbose_name_plural = "журнал изменений"
        ordering = ["-at", "-id"]

    def __str__(self):
        return f"{self.at:%d.%m.%Y %H:%M} {self.actor_name}: {self.get_action_display()} {self.object_repr}"

    def changed_fields(self) -> list[tuple[str, object, object]]:
        before, after = self.before or {}, self.after or {}
        keys = sorted(set(before) | set(after))
        return [(key, before.get(key), after.get(key)) for key in keys if before.get(key) != after.get(key)]
