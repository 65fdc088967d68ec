from django.apps import AppConfig


class FieldworkConfig(AppConfig):
    name = "assessments.fieldwork"
    label = "fieldwork"
    verbose_name = "Объективность: эксперты, перепроверка, наблюдатели"
