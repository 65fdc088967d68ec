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

    def readable_changes(self) -> list[tuple[str, str | None, str]]:
        """The changes as a person reads them: the field's Russian name and its values' labels
        («Утверждение: черновик → утверждена», «Опубликована: нет → да»), never raw codes or Python's True/False."""
        fields = audited_fields(self.model)
        out = []
        for key, old, new in self.changed_fields():
            field = fields.get(key)
            label = str(field.verbose_name) if field is not None and field.verbose_name != key.replace("_", " ") else key
            out.append((label[:1].upper() + label[1:], None if old is None else shown(field, old), shown(field, new)))
        return out


def audited_fields(model_label: str) -> dict:
    from django.apps import apps

    try:
        model = apps.get_model(model_label)
    except (LookupError, ValueError):
        return {}
    return {field.name: field for field in model._meta.concrete_fields} | {
        field.attname: field for field in model._meta.concrete_fields}


def shown(field, value) -> str:
    """A stored value as the page would show it."""
    from rsoko import typography

    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return "да" if value else "нет"
    choices = dict(field.flatchoices) if field is not None and field.choices else {}
    if choices and value in choices:
        return str(choices[value])
    if isinstance(value, (int, float)):
        return typography.trimmed(value)
    if isinstance(value, list):
        return f"{typography.counted(len(value), 'элемент', 'элемента', 'элементов')}" if value and isinstance(
            value[0], dict) else ", ".join(map(str, value))
    if isinstance(value, dict):
        return "; ".join(f"{k}: {v}" for k, v in value.items())
    return str(value)
