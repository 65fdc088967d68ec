from django.db import models


class VariantStatus(models.TextChoices):
    DRAFT = "draft", "Черновик"
    SUBMITTED = "submitted", "Передан на экспертизу"
    UNDER_REVIEW = "review", "На экспертизе"
    APPROVED = "approved", "Одобрен"
    RETURNED = "returned", "Возвращён на доработку"


class FileRole(models.TextChoices):
    VARIANT = "variant", "Текст варианта"
    ANSWERS = "answers", "Ключи (ответы)"
    CRITERIA = "criteria", "Критерии оценивания"
    CODIFIER = "codifier", "Кодификатор и спецификация"


class FileType(models.TextChoices):
    PDF = "pdf", "PDF"
    DOCX = "docx", "DOCX"


# Kinds of procedures whose materials the region writes itself (codes of ProcedureKind).
BANK_KIND_CODES = ("РПР", "РДР", "МПР", "Пробный ОГЭ", "Пробный ЕГЭ")
