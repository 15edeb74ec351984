"""Wagtail admin views that list the whole installation, narrowed to what the user may see.

Wagtail's reports, the task chooser and the admin API for documents and images show every
agency's drafts, steps and files to any admin user. These subclasses keep Wagtail's screens and
drop what belongs to another agency (workflows.access decides); `admin_urlpatterns` mounts them
ahead of Wagtail's own routes (cms/urls.py), at the same URLs.
"""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.urls import path

from wagtail.admin.views import workflows as wagtail_workflows
from wagtail.admin.views.reports import locked_pages, page_types_usage
from wagtail.admin.views.reports import workflows as reports
from wagtail.documents.api.admin.views import DocumentsAdminAPIViewSet
from wagtail.images.api.admin.views import ImagesAdminAPIViewSet
from wagtail.models import Page, Task, Workflow

from .access import (
    collection_items_visible_to,
    hidden_page_ids,
    pages_visible_to,
    tasks_hidden_from,
    user_sees_every_agency,
    workflows_hidden_from,
)


def _without(queryset, hidden):
    return queryset if hidden is None else queryset.exclude(hidden)


# --- Admin API (the rich-text editor's and choosers' source) ---------------------------------


class VisibleDocumentsAPIViewSet(DocumentsAdminAPIViewSet):
    def get_queryset(self):
        visible = collection_items_visible_to(self.request.user, self.model)
        return super().get_queryset().filter(pk__in=visible.values("pk"))


class VisibleImagesAPIViewSet(ImagesAdminAPIViewSet):
    def get_queryset(self):
        visible = collection_items_visible_to(self.request.user, self.model)
        return super().get_queryset().filter(pk__in=visible.values("pk"))


# --- Reports ---------------------------------------------------------------------------------


class _ScopedFilterMixin:
    """Filter choices (workflows, steps) of the user's own agencies only."""

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, request=request, **kwargs)
        user = getattr(request, "user", None)
        if user is None:
            return
        if "workflow" in self.filters:
            field = self.filters["workflow"]
            field.queryset = _without(Workflow.objects.all(), workflows_hidden_from(user))
        if "task" in self.filters:
            self.filters["task"].queryset = _without(Task.objects.all(), tasks_hidden_from(user))


class WorkflowReportFilterSet(_ScopedFilterMixin, reports.WorkflowReportFilterSet):
    pass


class WorkflowTasksReportFilterSet(_ScopedFilterMixin, reports.WorkflowTasksReportFilterSet):
    pass


def _page_states_hidden(queryset, user, prefix: str = ""):
    hidden = hidden_page_ids(user)
    if hidden is None:
        return queryset
    page_type = ContentType.objects.get_for_model(Page)
    return queryset.exclude(
        **{f"{prefix}base_content_type": page_type, f"{prefix}object_id__in": hidden}
    )


class WorkflowView(reports.WorkflowView):
    filterset_class = WorkflowReportFilterSet

    def get_queryset(self):
        return _page_states_hidden(super().get_queryset(), self.request.user)


class WorkflowTasksView(reports.WorkflowTasksView):
    filterset_class = WorkflowTasksReportFilterSet

    def get_queryset(self):
        return _page_states_hidden(super().get_queryset(), self.request.user, "workflow_state__")


class LockedPagesView(locked_pages.LockedPagesView):
    def get_queryset(self):
        return pages_visible_to(self.request.user, super().get_queryset())


class PageTypesUsageReportView(page_types_usage.PageTypesUsageReportView):
    """The count of pages per type stays; the "last edited" page is named only when the user
    may see it."""

    def decorate_paginated_queryset(self, page_types):
        page_types = super().decorate_paginated_queryset(page_types)
        ids = [item.last_edited_page.pk for item in page_types if item.last_edited_page]
        visible = set(
            pages_visible_to(self.request.user, Page.objects.filter(pk__in=ids)).values_list(
                "pk", flat=True
            )
        )
        for item in page_types:
            if item.last_edited_page and item.last_edited_page.pk not in visible:
                item.last_edited_page = None
                item.last_edited_by = None
                item.last_edited_at = None
        return page_types


# --- The task chooser (used when editing a workflow) -----------------------------------------


class _WorkflowEditorsOnly:
    def dispatch(self, request, *args, **kwargs):
        _require_workflow_editor(request.user)
        return super().dispatch(request, *args, **kwargs)


def _require_workflow_editor(user) -> None:
    # Wagtail lets any admin user open the chooser, though only workflow editors can use it.
    if not (
        user.has_perm("wagtailcore.add_workflow") or user.has_perm("wagtailcore.change_workflow")
    ):
        raise PermissionDenied


class TaskChooserView(_WorkflowEditorsOnly, wagtail_workflows.TaskChooserView):
    pass


class TaskChooserResultsView(_WorkflowEditorsOnly, wagtail_workflows.TaskChooserResultsView):
    pass


class TaskChooserCreateView(_WorkflowEditorsOnly, wagtail_workflows.TaskChooserCreateView):
    pass


def task_chosen(request, task_id):
    _require_workflow_editor(request.user)
    hidden = tasks_hidden_from(request.user)
    if hidden is not None and Task.objects.filter(hidden, pk=task_id).exists():
        raise PermissionDenied
    return wagtail_workflows.task_chosen(request, task_id)


def _page_editors_only(name: str):
    """Wagtail's workflow screens of a page name it (in their refusal too) to any admin user:
    only someone who may edit the page, or who oversees every agency, gets that far."""

    def view(request, page_id: int, **kwargs):
        page = get_object_or_404(Page, pk=page_id)
        if not (
            page.permissions_for_user(request.user).can_edit()
            or user_sees_every_agency(request.user)
        ):
            raise PermissionDenied
        return _wagtail_page_view(name)(request, page_id=page_id, **kwargs)

    return view


def _wagtail_page_view(name: str):
    from wagtail.admin.urls.pages import urlpatterns

    return next(p.callback for p in urlpatterns if getattr(p, "name", None) == name)


def _visible_ids(user, model, ids: list[str]) -> list[str] | None:
    """Of `ids`, those of objects `user` may see; None when this model has no such rule."""
    from wagtail.documents import get_document_model
    from wagtail.images import get_image_model

    numeric = [i for i in ids if i.isascii() and i.isdigit() and int(i) < 2**31]
    if issubclass(model, Page):
        visible = pages_visible_to(user, Page.objects.filter(pk__in=numeric))
    elif issubclass(model, get_document_model() | get_image_model()):
        visible = collection_items_visible_to(user, model).filter(pk__in=numeric)
    else:
        return None
    return [str(pk) for pk in visible.values_list("pk", flat=True)]


def bulk_action(request, app_label: str, model_name: str, action: str):
    """Wagtail's bulk actions list every chosen object by title, also in their refusal ("you
    cannot delete …"): ids of objects the user may not even see are dropped first."""
    from django.apps import apps

    from wagtail.admin.views.bulk_action.dispatcher import index as wagtail_bulk_action

    try:
        model = apps.get_model(app_label, model_name)
    except LookupError:
        return wagtail_bulk_action(request, app_label, model_name, action)
    ids = request.GET.getlist("id")
    if ids and "all" not in ids and not user_sees_every_agency(request.user):
        visible = _visible_ids(request.user, model, ids)
        if visible is not None:
            if not visible:
                raise PermissionDenied
            query = request.GET.copy()
            query.setlist("id", visible)
            request.GET = query
    return wagtail_bulk_action(request, app_label, model_name, action)


def external_link_chooser(request, *args, **kwargs):
    """Wagtail's external-link chooser fails with a server error on a POST without the URL."""
    from wagtail.admin.views.chooser import ExternalLinkView

    if request.method == "POST" and "external-link-chooser-url" not in request.POST:
        request.POST = request.POST.copy()
        request.POST["external-link-chooser-url"] = ""
    return ExternalLinkView.as_view()(request, *args, **kwargs)


def _admin_view(view):
    from wagtail.admin.auth import require_admin_access

    return require_admin_access(view)


admin_urlpatterns = [
    path(
        "bulk/<str:app_label>/<str:model_name>/<str:action>/",
        _admin_view(bulk_action),
        name="iso_bulk_action",
    ),
    path("choose-external-link/", _admin_view(external_link_chooser)),
    path(
        "pages/workflow/action/<int:page_id>/<slug:action_name>/<int:task_state_id>/",
        _admin_view(_page_editors_only("workflow_action")),
        name="iso_workflow_action",
    ),
    path(
        "pages/workflow/collect_action_data/<int:page_id>/<slug:action_name>/<int:task_state_id>/",
        _admin_view(_page_editors_only("collect_workflow_action_data")),
        name="iso_collect_workflow_action_data",
    ),
    path(
        "pages/workflow/preview/<int:page_id>/<int:task_id>/",
        _admin_view(_page_editors_only("workflow_preview")),
    ),
    path("reports/locked/", _admin_view(LockedPagesView.as_view())),
    path(
        "reports/locked/results/",
        _admin_view(LockedPagesView.as_view(results_only=True)),
    ),
    path("reports/workflow/", _admin_view(WorkflowView.as_view())),
    path(
        "reports/workflow/results/",
        _admin_view(WorkflowView.as_view(results_only=True)),
    ),
    path("reports/workflow_tasks/", _admin_view(WorkflowTasksView.as_view())),
    path(
        "reports/workflow_tasks/results/",
        _admin_view(WorkflowTasksView.as_view(results_only=True)),
    ),
    path(
        "reports/page-types-usage/",
        _admin_view(PageTypesUsageReportView.as_view()),
    ),
    path(
        "reports/page-types-usage/results/",
        _admin_view(PageTypesUsageReportView.as_view(results_only=True)),
    ),
    path("workflows/task_chooser/", _admin_view(TaskChooserView.as_view())),
    path("workflows/task_chooser/results/", _admin_view(TaskChooserResultsView.as_view())),
    path("workflows/task_chooser/create/", _admin_view(TaskChooserCreateView.as_view())),
    path("workflows/task_chooser/<int:task_id>/", _admin_view(task_chosen)),
]

__all__ = ["admin_urlpatterns", "user_sees_every_agency"]
