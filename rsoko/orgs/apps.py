from django.apps import AppConfig


class OrgsConfig(AppConfig):
    name = "rsoko.orgs"
    label = "orgs"
    verbose_name = "Субъекты РСОКО"
