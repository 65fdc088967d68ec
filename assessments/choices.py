from django.db import models


class ProcedureLevel(models.TextChoices):
    FEDERAL = "federal", "Федеральный"
    REGIONAL = "regional", "Региональный"
    MUNICIPAL = "municipal", "Муниципальный"


class Grading(models.TextChoices):
    MARKS = "marks", "Отметки «2»–«5» по шкале первичных баллов"
    TEST_SCORE = "test_score", "Тестовый балл 0–100 с минимальным порогом"
    PASS_FAIL = "pass_fail", "Зачёт / незачёт"


class ProcedureStatus(models.TextChoices):
    PLANNED = "planned", "Запланирована"
    CONDUCTED = "conducted", "Проведена"
    LOADED = "loaded", "Результаты загружены"
    ANALYSED = "analysed", "Проанализирована"


class TaskLevel(models.TextChoices):
    BASIC = "Б", "Базовый"
    ADVANCED = "П", "Повышенный"
    HIGH = "В", "Высокий"


class ControlKind(models.TextChoices):
    NONE = "", "Без контроля"
    OBSERVERS = "observers", "Общественные наблюдатели"
    INDEPENDENT_CHECK = "independent", "Независимая проверка работ"
    FEDERAL_CHECK = "federal", "Федеральная перепроверка"


class UploadFormat(models.TextChoices):
    PROTOCOL = "protocol", "Электронный протокол ФИС ОКО"
    EXPORT = "export", "Региональная выгрузка ФИС ОКО"
    EXPORT_2020 = "export2020", "Региональная выгрузка ФИС ОКО (2020)"
    TEMPLATE = "template", "Шаблон портала"


class UploadMode(models.TextChoices):
    STRICT = "strict", "Строгий: при любой ошибке ничего не сохраняется"
    QUARANTINE = "quarantine", "Карантин: верные строки сохраняются, ошибочные — в карантин"


class ParticipantStatus(models.TextChoices):
    PRESENT = "present", "Участвовал"
    ABSENT = "absent", "Отсутствовал"
