from django.apps import AppConfig


class ThemesConfig(AppConfig):
    name = "themes"
    verbose_name = "Giao diện"

    def ready(self) -> None:
        from . import signals

        signals.connect()
