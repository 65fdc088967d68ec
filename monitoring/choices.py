"""Directions, levels, periodicities and the management mechanisms of order 590/219."""
from django.db import models


class Direction(models.TextChoices):
    HIGHER_BETTER = "higher", "Чем больше, тем лучше"
    LOWER_BETTER = "lower", "Чем меньше, тем лучше"


class IndicatorLevel(models.TextChoices):
    REGION = "region", "Регион"
    MUNICIPALITY = "municipality", "Муниципалитет"
    SCHOOL = "school", "ОО"


class Periodicity(models.TextChoices):
    QUARTER = "quarter", "Ежеквартально"
    YEAR = "year", "Ежегодно"


class Mechanism(models.TextChoices):
    RESULTS = "1.1", "1.1 Система оценки качества подготовки обучающихся (в т. ч. объективность)"
    LOW_RESULTS = "1.2", "1.2 Работа со школами с низкими результатами обучения"
    TALENTS = "1.3", "1.3 Выявление, поддержка и развитие способностей и талантов"
    CAREER = "1.4", "1.4 Работа по самоопределению и профессиональной ориентации"
    HEADS = "2.1", "2.1 Мониторинг эффективности руководителей ОО"
    TEACHERS = "2.2", "2.2 Система обеспечения профессионального развития педагогов"
    UPBRINGING = "2.3", "2.3 Организация воспитания обучающихся"
    PRESCHOOL = "2.4", "2.4 Мониторинг качества дошкольного образования"


class ValueKind(models.TextChoices):
    PERCENT = "percent", "Процент (0–100)"
    NUMBER = "number", "Число"
    INTEGER = "integer", "Целое число"


class FormAudience(models.TextChoices):
    MUNICIPAL_OFFICES = "mouo", "МОУО"
    SCHOOLS = "schools", "ОО"
    BOTH = "both", "МОУО и ОО"
