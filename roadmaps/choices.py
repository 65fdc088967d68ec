"""Levels, approval states, execution statuses and executor match kinds of roadmaps."""
from django.db import models

from .deadlines import KIND_LABELS, RECURRENCE_LABELS


class RoadmapLevel(models.TextChoices):
    REGION = "region", "Региональная"
    MUNICIPALITY = "municipality", "Муниципальная"
    SCHOOL = "school", "Школьная"


class Approval(models.TextChoices):
    DRAFT = "draft", "Проект"
    APPROVED = "approved", "Утверждена"
    ARCHIVED = "archived", "В архиве"


class ExecutionStatus(models.TextChoices):
    NOT_STARTED = "not_started", "Не начато"
    IN_PROGRESS = "in_progress", "Выполняется"
    DONE = "done", "Выполнено"
    OVERDUE = "overdue", "Просрочено"
    CANCELLED = "cancelled", "Отменено"


OPEN_STATUSES = {ExecutionStatus.NOT_STARTED, ExecutionStatus.IN_PROGRESS}

DeadlineKind = models.TextChoices("DeadlineKind", [(k, (k, v)) for k, v in KIND_LABELS.items()])
Recurrence = models.TextChoices("Recurrence", [(k, (k, v)) for k, v in RECURRENCE_LABELS.items()])


class ExecutorMatch(models.TextChoices):
    ORGANIZATION = "organization", "Организация"
    GROUP = "group", "Группа организаций"
    OWNER = "owner", "Владелец документа"
    PERSON = "person", "Должностное лицо"
    UNKNOWN = "unknown", "Не распознан"


class AliasTarget(models.TextChoices):
    ORGANIZATION = "organization", "Конкретная организация"
    KIND = "kind", "Организация этого вида в регионе"
    GROUP = "group", "Все организации этого вида (групповой исполнитель)"
    OWNER = "owner", "Владелец документа"
