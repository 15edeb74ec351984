from django.apps import AppConfig


class WorkflowsConfig(AppConfig):
    name = "workflows"
    verbose_name = "Quy trình phê duyệt"

    def ready(self) -> None:
        from . import signals

        signals.connect()
