from django.apps import AppConfig


class KimBankConfig(AppConfig):
    name = "assessments.kimbank"
    label = "kimbank"
    verbose_name = "Банк КИМ"
