from django.apps import AppConfig


class WorkflowsConfig(AppConfig):
    name = "workflows"
    verbose_name = "Quy trình phê duyệt"

    def ready(self) -> None:
        from . import signals
        from .catalogue import signals as catalogue_signals
        from .page_permissions import page_permission_tester_install

        page_permission_tester_install()

        signals.connect()
        catalogue_signals.connect()
