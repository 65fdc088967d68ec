from django.apps import AppConfig


class PublicConfig(AppConfig):
    name = "rsoko.public"
    label = "public"
    verbose_name = "Открытые данные РСОКО"
