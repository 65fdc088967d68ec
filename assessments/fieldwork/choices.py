from django.db import models


class Qualification(models.TextChoices):
    HIGHEST = "highest", "Высшая квалификационная категория"
    FIRST = "first", "Первая квалификационная категория"
    NONE = "none", "Без категории"


class CampaignKind(models.TextChoices):
    RECHECK = "recheck", "Перепроверка региональными экспертами"
    CROSS = "cross", "Перекрёстная проверка (учителя другой школы)"


class CampaignStatus(models.TextChoices):
    PLANNED = "planned", "Планируется"
    DRAWN = "drawn", "Работы отобраны"
    CHECKING = "checking", "Идёт проверка"
    DONE = "done", "Проверка завершена"


class SelectionReason(models.TextChoices):
    SIGNS = "signs", "Признаки необъективности"
    RANDOM = "random", "Случайная выборка"
    MANUAL = "manual", "Выбрана вручную"


class FinalRule(models.TextChoices):
    MEAN = "mean", "Среднее двух экспертов (при третьем — среднее двух наиболее согласных проверок)"
    THIRD = "third", "Среднее двух экспертов; при вызове третьего — оценка третьего"


class PairingMode(models.TextChoices):
    WITHIN = "within", "Внутри муниципалитета"
    ACROSS = "across", "Между муниципалитетами"


class ObserverKind(models.TextChoices):
    MINISTRY = "ministry", "Должностное лицо министерства"
    MOUO = "mouo", "Должностное лицо МОУО"
    PUBLIC = "public", "Общественный наблюдатель"


class ObserverStage(models.TextChoices):
    CONDUCT = "conduct", "Проведение работы"
    CHECK = "check", "Проверка работ"


# The fixed checklist of an observer's report, after the seeds' measures for objective conduct and checking:
# presence of outsiders, prompts, organisers who teach the subject, video surveillance, checking by criteria.
VIOLATIONS = [
    ("outsiders", "В аудитории присутствовали посторонние лица"),
    ("phones", "Участники пользовались телефонами или иными средствами связи"),
    ("prompts", "Участникам подсказывали (организаторы, учителя)"),
    ("subject_teacher", "Организатором в аудитории был учитель этого предмета"),
    ("seating", "Рассадка участников не соблюдалась (не по одному, не по вариантам)"),
    ("materials", "Материалы получены, вскрыты или тиражированы с нарушением порядка"),
    ("timing", "Не соблюдалось время начала или продолжительность работы"),
    ("video", "Видеонаблюдение отсутствовало или не работало"),
    ("criteria", "Работы проверялись не по критериям или без коллегиальности"),
    ("corrections", "В работах или протоколе баллов обнаружены исправления после сбора работ"),
    ("other", "Иное (описано в тексте отчёта)"),
]
VIOLATION_LABELS = dict(VIOLATIONS)
