import sys

from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _ensure_engine_indexes(sender, **kwargs) -> None:
    """After `migrate`: the Elasticsearch/OpenSearch indexes exist with their mappings before the
    first page is indexed. An unreachable cluster does not fail the migration (the database is
    migrated); the one line says what to fix, and every process creates them before its first
    write anyway."""
    from .backends import SearchEngineUnavailable, engine_indexes_ensure, uses_database_backend

    # Once per migrate, after the search tables' app (this app has no models, so no signal).
    if sender.label != "wagtailsearch" or uses_database_backend():
        return
    try:
        created = engine_indexes_ensure()
    except SearchEngineUnavailable as error:
        print(str(error), file=sys.stderr)
        return
    if created and kwargs.get("verbosity", 1):
        print(
            f"Đã tạo chỉ mục tìm kiếm: {', '.join(created)}",
            file=kwargs.get("stdout") or sys.stdout,
        )


class SearchConfig(AppConfig):
    name = "search"

    def ready(self) -> None:
        post_migrate.connect(_ensure_engine_indexes, dispatch_uid="search-engine-indexes")
