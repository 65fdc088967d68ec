"""Writing the audit trail. Services call these inside their own transaction."""
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
import json

from .models import AuditAction, AuditEntry


def snapshot(instance: models.Model) -> dict:
    """The instance's concrete field values as JSON-ready data (foreign keys as ids)."""
    data = {}
    for field in instance._meta.concrete_fields:
        if field.name in {"created_at", "updated_at", "password", "last_login"}:
            continue
        data[field.attname] = field.value_from_object(instance)
    return json.loads(json.dumps(data, cls=DjangoJSONEncoder))


def audit_record(*, actor, action: str, instance: models.Model, before: dict | None, source: str) -> AuditEntry | None:
    """Stores one entry; an update that changed nothing is not recorded."""
    after = None if action == AuditAction.DELETE else snapshot(instance)
    if action == AuditAction.UPDATE and before == after:
        return None
    return AuditEntry.objects.create(
        actor=actor if actor is not None and actor.pk else None,
        actor_name=getattr(actor, "username", "") or "система",
        action=action,
        model=instance._meta.label_lower,
        object_id=str(instance.pk),
        object_repr=str(instance)[:300],
        before=before,
        after=after,
        source=source,
    )


def audited_save(model: type[models.Model], *, actor, key: dict, values: dict, source: str) -> models.Model:
    """Creates the row with `key` or updates it with `values`, recording either in the audit trail."""
    instance = model.objects.filter(**key).first()
    before = snapshot(instance) if instance else None
    instance = instance or model(**key)
    for name, value in values.items():
        setattr(instance, name, value)
    instance.save()
    audit_record(actor=actor, action=AuditAction.UPDATE if before else AuditAction.CREATE, instance=instance,
                 before=before, source=source)
    return instance


def audited_delete(*, actor, instance: models.Model, source: str) -> None:
    audit_record(actor=actor, action=AuditAction.DELETE, instance=instance, before=snapshot(instance), source=source)
    instance.delete()
