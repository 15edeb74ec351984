from django.apps import AppConfig


class ThemesConfig(AppConfig):
    name = "themes"
    verbose_name = "Giao diện"

    def ready(self) -> None:
        from . import signals
        from .admin_look import admin_look_apply

        signals.connect()
        admin_look_apply()
