"""Withdrawal (bãi bỏ) through the agency's approval, driven through the admin's own views, and
checked on every public surface: the form page, the procedure page, search and the API."""

from __future__ import annotations

import json
import re
from datetime import timedelta
from decimal import Decimal

from django.test import Client
from django.urls import reverse
from django.utils import timezone

import pytest
import time_machine

from content_types.agency import AgencyRole
from content_types.documents import FormDocumentPage
from content_types.indexes import ProcedureIndexPage
from content_types.procedure_fields import ProcedureField
from content_types.procedures import (
    ProcedurePage,
    ProcedurePageChannel,
    ProcedurePageForm,
    ProcedurePageProcessStep,
)
from content_types.versions import DocumentVersion
from tests.factories import make_form
from tests.workflows.test_document_control import _local, submit_and_approve
from workflows.models import WithdrawalRequest
from workflows.tasks import publish_scheduled

EDITORS, REVIEWERS, APPROVERS = AgencyRole.EDITORS, AgencyRole.REVIEWERS, AgencyRole.APPROVERS

TITLE = "Tờ khai đăng ký kết hôn"


def _page(page):
    return type(page).objects.get(pk=page.pk)


def request_withdrawal(client, page, user, *, reason: str, when=None):
    client.force_login(user)
    data = {"reason": reason, "effective_at": _local(when) if when else ""}
    return client.post(reverse("iso_withdrawal_request", args=[page.pk]), data)


def approve(client, page, user):
    """The dashboard's «Phê duyệt» (Wagtail's workflow action view), as `user`."""
    client.force_login(user)
    task_state = _page(page).current_workflow_task_state
    url = reverse("wagtailadmin_pages:workflow_action", args=[page.pk, "approve", task_state.pk])
    assert client.post(url, {"comment": ""}).status_code == 302


def public_surfaces(form, procedure) -> dict[str, bool]:
    """Where an anonymous visitor finds the form (True) or not."""
    visitor = Client()
    found = {}
    response = visitor.get(FormDocumentPage.objects.get(pk=form.pk).url or "/khong-co/")
    found["form page"] = response.status_code == 200
    procedure_page = ProcedurePage.objects.get(pk=procedure.pk)
    response = visitor.get(procedure_page.url) if procedure_page.live else None
    found["procedure page"] = bool(response and TITLE in response.content.decode())
    found["api forms"] = form.code in visitor.get("/api/v1/forms/").content.decode()
    found["api search"] = (
        form.code in visitor.get("/api/v1/tim-kiem/bieu-mau/", {"q": TITLE}).content.decode()
    )
    found["search page"] = form.code in visitor.get("/tim-kiem/", {"q": TITLE}).content.decode()
    return found


@pytest.fixture
def live_form(client, agency_a, staff_a):
    form = make_form(agency_a, staff_a[EDITORS], code="BM.05", title=TITLE)
    submit_and_approve(client, form, staff_a)
    index = agency_a.get_children().type(ProcedureIndexPage).first()
    procedure = ProcedurePage(
        title="Đăng ký kết hôn",
        national_code="1.000894",
        field=ProcedureField.objects.create(name="Hộ tịch"),
        forms_used=[ProcedurePageForm(form_page=form)],
    )
    index.add_child(instance=procedure)
    procedure.save_revision().publish(skip_permission_checks=True)
    return form, procedure


def test_bad_withdrawal_requests_are_refused_in_vietnamese(client, staff_a, live_form):
    form, _ = live_form
    editor = staff_a[EDITORS]
    response = request_withdrawal(client, form, editor, reason="  ")
    assert response.status_code == 200
    assert "Hãy ghi lý do bãi bỏ." in response.content.decode()
    response = request_withdrawal(
        client, form, editor, reason="Mẫu bị thay thế", when=timezone.now() - timedelta(days=1)
    )
    assert "Ngày bãi bỏ đã qua" in response.content.decode()
    assert not WithdrawalRequest.objects.exists()
    assert _page(form).current_workflow_state is None


def test_an_editor_alone_cannot_withdraw(client, staff_a, live_form):
    form, procedure = live_form
    editor = staff_a[EDITORS]
    # Wagtail's own unpublish is not theirs.
    client.force_login(editor)
    client.post(reverse("wagtailadmin_pages:unpublish", args=[form.pk]))
    assert _page(form).live
    # A request alone changes nothing public, and the editor cannot approve it.
    response = request_withdrawal(client, form, editor, reason="Mẫu bị thay thế")
    assert response.status_code == 302
    page = _page(form)
    assert page.current_workflow_task.get_actions(page, editor) == []
    task_state = page.current_workflow_task_state
    url = reverse("wagtailadmin_pages:workflow_action", args=[form.pk, "approve", task_state.pk])
    client.post(url, {"comment": ""})
    assert _page(form).live
    assert all(public_surfaces(form, procedure).values())
    # The reviewers are asked to check a withdrawal, with its reason.
    html = client.get(reverse("wagtailadmin_pages:edit", args=[form.pk])).content.decode()
    assert "đề nghị bãi bỏ" in html and "Mẫu bị thay thế" in html


def test_an_approved_withdrawal_takes_the_form_off_every_public_surface_at_its_moment(
    client, agency_a, staff_a, live_form
):
    form, procedure = live_form
    # After the fixture's real time: version 01 is in force from the first instant travelled to.
    start = (timezone.now() + timedelta(minutes=1)).replace(second=0, microsecond=0)
    moment = start + timedelta(days=2)
    reason = "Bị thay thế bởi mẫu CT01 của Thông tư 53/2025/TT-BCA."
    with time_machine.travel(start, tick=False):
        response = request_withdrawal(client, form, staff_a[EDITORS], reason=reason, when=moment)
        assert response.status_code == 302
        approve(client, form, staff_a[REVIEWERS])
        approve(client, form, staff_a[APPROVERS])
        request = WithdrawalRequest.objects.get(page_id=form.pk)
        assert request.approved_by == staff_a[APPROVERS]
        assert request.withdrawn_at == moment
        assert _page(form).current_workflow_state is None
        # Approved ahead of time: still public; the master list says when it goes.
        assert all(public_surfaces(form, procedure).values())
        client.force_login(staff_a[EDITORS])
        html = client.get(reverse("iso_master_list", args=[agency_a.pk])).content.decode()
        assert "Bãi bỏ từ" in html

    with time_machine.travel(moment - timedelta(seconds=1), tick=False):
        assert all(public_surfaces(form, procedure).values())

    for instant in (moment, moment + timedelta(seconds=1)):
        with time_machine.travel(instant, tick=False):
            # Gone at the moment itself, before the minutely job takes the page down.
            assert not any(public_surfaces(form, procedure).values()), instant

    with time_machine.travel(moment + timedelta(minutes=1), tick=False):
        publish_scheduled.delay()
        assert not _page(form).live
        assert not any(public_surfaces(form, procedure).values())
        # Staff still open it; its last version is marked withdrawn, with date and reason.
        client.force_login(staff_a[EDITORS])
        assert client.get(reverse("wagtailadmin_pages:edit", args=[form.pk])).status_code == 200
        history = client.get(reverse("iso_version_history", args=[form.pk])).content.decode()
        assert "Đã bãi bỏ" in history and reason in history
        assert timezone.localtime(moment).strftime("%d/%m/%Y %H:%M") in history
        version = DocumentVersion.objects.get(page_id=form.pk)
        assert (version.withdrawn_at, version.withdrawal_reason) == (moment, reason)
        detail = client.get(reverse("iso_version_detail", args=[form.pk, 1])).content.decode()
        assert "ĐÃ BÃI BỎ" in detail
        row = client.get(reverse("iso_master_list", args=[agency_a.pk])).content.decode()
        assert "Đã bãi bỏ" in row


def test_a_withdrawn_procedure_no_longer_offers_its_forms(
    client, staff_a, live_form, django_capture_on_commit_callbacks
):
    form, procedure = live_form
    visitor = Client()
    form_url = FormDocumentPage.objects.get(pk=form.pk).url
    assert "Đăng ký kết hôn" in visitor.get(form_url).content.decode()
    response = request_withdrawal(client, procedure, staff_a[EDITORS], reason="Thủ tục bị bãi bỏ")
    assert response.status_code == 302
    approve(client, procedure, staff_a[REVIEWERS])
    with django_capture_on_commit_callbacks(execute=True):  # the public site learns on commit
        approve(client, procedure, staff_a[APPROVERS])
    procedure = ProcedurePage.objects.get(pk=procedure.pk)
    assert not procedure.live
    assert visitor.get(procedure.url or "/khong-co/").status_code == 404
    assert "1.000894" not in visitor.get("/api/v1/procedures/").content.decode()
    # The form stays (it is its own item) but no longer names the withdrawn procedure.
    # ("Đăng ký kết hôn" with a capital Đ is the procedure's title, not the form's.)
    assert "Đăng ký kết hôn" not in visitor.get(form_url).content.decode()
    client.force_login(staff_a[EDITORS])
    assert client.get(reverse("wagtailadmin_pages:edit", args=[procedure.pk])).status_code == 200


def act_in_editor(client, page, user, action: str = "approve", comment: str = ""):
    """«Phê duyệt» / «Yêu cầu chỉnh sửa» in the editor's footer menu: the edit view's POST with
    the form exactly as the editor renders it (querydict_from_html), as the browser sends it."""
    from wagtail.test.utils.form_data import querydict_from_html

    client.force_login(user)
    url = reverse("wagtailadmin_pages:edit", args=[page.pk])
    response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    data = querydict_from_html(html, form_id="page-edit-form")
    # A checked box without a value attribute: the browser sends "on", the helper "" (False).
    for box in re.findall(r'<input type="checkbox" name="([^"]+)"[^>]*\schecked>', html):
        if data.get(box) == "":
            data[box] = "on"
    # The StreamField widget (JavaScript) posts its block count; an empty one posts 0.
    for key in list(data):
        if key.startswith("channels-") and key.endswith("-channel"):
            data.setdefault(key.removesuffix("channel") + "fee_items-count", "0")
    data["action-workflow-action"] = "1"
    data["workflow-action-name"] = action
    if comment:
        data["workflow-action-extra-data"] = json.dumps({"comment": comment})
    return client.post(url, data)


@pytest.fixture
def imported_procedure(live_form):
    """A live procedure with channels and steps as the catalogue import writes them (time
    limits given as Decimal('10'), days as '0.5')."""
    _, procedure = live_form
    procedure = ProcedurePage.objects.get(pk=procedure.pk)
    procedure.channels = [
        ProcedurePageChannel(
            channel="in_person",
            time_limit=Decimal("10"),
            time_limit_unit="calendar_days",
            fees="Phí 200.000 đồng/lần.",
        )
    ]
    procedure.process_time_limit = Decimal("10")
    procedure.process_steps = [
        ProcedurePageProcessStep(
            task="Tiếp nhận hồ sơ",
            unit="Bộ phận Một cửa",
            role="Công chức tiếp nhận",
            working_days=Decimal("0.5"),
        )
    ]
    procedure.save_revision().publish(skip_permission_checks=True)
    return procedure


def step_of(page) -> str | None:
    task = _page(page).current_workflow_task
    return task.name.split(" — ")[0] if task else None


def test_a_withdrawal_is_approved_in_the_editor_as_from_the_dashboard(
    client, staff_a, imported_procedure, django_capture_on_commit_callbacks
):
    procedure = imported_procedure
    reason = "Thủ tục bị bãi bỏ"
    response = request_withdrawal(client, procedure, staff_a[EDITORS], reason=reason)
    assert response.status_code == 302
    # The editor who asked cannot approve it, not even by posting the action.
    act_in_editor(client, procedure, staff_a[EDITORS])
    assert step_of(procedure) == "Kiểm tra"
    assert act_in_editor(client, procedure, staff_a[REVIEWERS]).status_code == 302
    assert step_of(procedure) == "Lãnh đạo phê duyệt"
    # The reviewer who checked it is not the one who approves it.
    act_in_editor(client, procedure, staff_a[REVIEWERS])
    assert step_of(procedure) == "Lãnh đạo phê duyệt"
    with django_capture_on_commit_callbacks(execute=True):
        assert act_in_editor(client, procedure, staff_a[APPROVERS]).status_code == 302
    request = WithdrawalRequest.objects.get(page_id=procedure.pk)
    assert request.approved_by == staff_a[APPROVERS]
    page = _page(procedure)
    assert not page.live and page.current_workflow_state is None
    assert Client().get(procedure.url or "/khong-co/").status_code == 404
    assert "1.000894" not in Client().get("/api/v1/procedures/").content.decode()


def test_a_withdrawal_is_returned_in_the_editor_with_its_comment(
    client, staff_a, imported_procedure
):
    procedure = imported_procedure
    response = request_withdrawal(client, procedure, staff_a[EDITORS], reason="Bãi bỏ")
    assert response.status_code == 302
    comment = "Chưa có số quyết định bãi bỏ."
    response = act_in_editor(client, procedure, staff_a[REVIEWERS], "reject", comment)
    assert response.status_code == 302
    state = _page(procedure).current_workflow_state
    assert state.status == state.STATUS_NEEDS_CHANGES
    assert state.current_task_state.comment == comment
    assert state.current_task_state.finished_by == staff_a[REVIEWERS]
    assert _page(procedure).live
    assert WithdrawalRequest.objects.get(page_id=procedure.pk).approved_by is None
