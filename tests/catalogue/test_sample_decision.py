"""The demo decision («Tải tệp mẫu»): downloaded from the import screen and imported into the
demo's agencies, approved, then the update tasks; the same file twice changes nothing."""

from __future__ import annotations

import re

from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from wagtail.models import Revision, WorkflowState

import pytest

from content_types.agency import AgencyRole
from content_types.catalogue import (
    CatalogueDecision,
    ChangeKind,
    ProcedureUpdateTask,
    TaskStatus,
    add_months,
)
from content_types.procedures import ProcedurePage
from tests.catalogue.builders import demo_agencies
from tests.factories import make_staff, make_user
from workflows.catalogue.services import catalogue_plan
from workflows.models import WithdrawalRequest
from workflows.provisioning import PROVINCE_ADMINS

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(home):
    agencies = demo_agencies(home)
    staff = {code: make_staff(agency, code.lower()) for code, agency in agencies.items()}
    return agencies, staff


def _counts():
    return (
        ProcedurePage.objects.count(),
        Revision.objects.count(),
        ProcedureUpdateTask.objects.count(),
        WorkflowState.objects.count(),
        WithdrawalRequest.objects.count(),
    )


def _sample(client, page_html: str, kind: str) -> tuple[str, bytes]:
    """Follow the import screen's «Tải tệp mẫu» link."""
    href = re.search(rf'href="([^"]+)"[^>]*>Tải tệp mẫu \({kind.upper()}\)', page_html).group(1)
    response = client.get(href)
    assert response.status_code == 200
    name = re.search(r'filename="([^"]+)"', response["Content-Disposition"]).group(1)
    return name, response.content


def _post(client, url, name, content):
    return client.post(
        url,
        {
            "number": "2150/QĐ-UBND",
            "effective_date": timezone.localdate().isoformat(),
            "file": SimpleUploadedFile(name, content),
        },
    )


def _approve_everything(staff):
    """Each agency's reviewer, then its approver, approve what waits in its workflow."""
    users = [s[r] for s in staff.values() for r in (AgencyRole.REVIEWERS, AgencyRole.APPROVERS)]
    for _step in range(2):
        for state in WorkflowState.objects.active():
            task_state = state.current_task_state
            groups = task_state.task.specific.groups.all()
            user = next(u for u in users if u.groups.filter(pk__in=groups).exists())
            task_state.approve(user=user)


def test_province_imports_the_demo_decision_approves_and_sees_what_is_due(client, demo):
    agencies, staff = demo
    province = make_user("tinh.quantri", Group.objects.get(name=PROVINCE_ADMINS))
    client.force_login(province)
    screen = client.get(reverse("iso_catalogue_province")).content.decode()
    name, content = _sample(client, screen, "json")
    assert name.endswith(".json") and "2150/QĐ-UBND" in content.decode()
    withdrawn = ProcedurePage.objects.get(national_code="1.003179")
    withdrawn_url = withdrawn.url

    response = _post(client, reverse("iso_catalogue_province"), name, content)
    assert response.status_code == 302
    html = client.get(response["Location"]).content.decode()
    assert "Tệp có thủ tục của <strong>4</strong> cơ quan" in html
    for fragment in (
        'data-code="1.008898" data-action="create" data-agency="STP"',
        'data-code="2.000488" data-action="update" data-agency="STP"',
        'data-code="1.003179" data-action="abolish" data-agency="STP"',
        'data-code="1.003549" data-action="update" data-agency="SKHCN"',
        'data-code="1.001193" data-action="update" data-agency="UBND-PHG"',
        'data-code="1.004884" data-action="abolish" data-agency="UBND-PHG"',
        'data-code="1.001193" data-action="create" data-agency="UBND-DKVD"',
        'data-code="1.004884" data-action="absent" data-agency="UBND-DKVD"',
    ):
        assert fragment in html
    assert client.post(response["Location"]).status_code == 302
    # Drafts and withdrawal requests wait for approval: nothing published, nothing withdrawn.
    assert ProcedurePage.objects.get(pk=withdrawn.pk).live
    assert not ProcedurePage.objects.get(national_code="1.008898").live
    assert WithdrawalRequest.objects.count() == 2

    _approve_everything(staff)
    assert not WorkflowState.objects.active().exists()
    assert ProcedurePage.objects.get(national_code="1.008898").live
    assert not ProcedurePage.objects.get(pk=withdrawn.pk).live
    client.logout()
    assert client.get(withdrawn_url).status_code == 404
    codes = [p["national_code"] for p in client.get("/api/v1/procedures/").json()["results"]]
    assert "1.003179" not in codes and "1.004884" not in codes and "1.008898" in codes

    # The sample's structured fee, as the national record names it, on the page and the API.
    created = ProcedurePage.objects.get(national_code="1.008898")
    fee = "Phí thẩm định điều kiện hoạt động Văn phòng công chứng: 1.000.000 đồng/hồ sơ"
    page_html = client.get(created.url).content.decode()
    assert page_html.count(f'<dd class="fees">{fee}</dd>') == 2  # in person and online
    assert "Lệ phí: 1.000.000" not in page_html and "Không thu" not in page_html
    channels = client.get(f"/api/v1/procedures/{created.pk}/").json()["channels"]
    assert [c["fee_lines"] for c in channels] == [[fee], [fee]]
    item = channels[0]["fee_items"][0]
    assert (item["kind"], item["amount"], item["unit"]) == ("fee", 1000000, "đồng/hồ sơ")
    # A fee given only in words is shown as written.
    amended = ProcedurePage.objects.get(national_code="2.000488")
    assert "200.000 đồng/lần/người" in client.get(amended.url).content.decode()

    # Every procedure whose internal process is due, and by when.
    due = add_months(timezone.localdate(), 3)
    tasks = ProcedureUpdateTask.objects.filter(status=TaskStatus.OPEN)
    assert {(t.agency.agency_code, t.national_code) for t in tasks} == {
        ("STP", "1.008898"),
        ("STP", "2.000488"),
        ("SKHCN", "1.003549"),
        ("UBND-PHG", "1.001193"),
        ("UBND-DKVD", "1.001193"),
    }
    assert {t.due_date for t in tasks} == {due}
    assert set(
        ProcedureUpdateTask.objects.filter(kind=ChangeKind.ABOLISHED).values_list(
            "status", flat=True
        )
    ) == {TaskStatus.DONE}
    client.force_login(staff["STP"][AgencyRole.EDITORS])
    listing = client.get(reverse("iso_catalogue_tasks", args=[agencies["STP"].pk]))
    text = listing.content.decode()
    assert "1.008898" in text and "2.000488" in text and f"{due:%d/%m/%Y}" in text
    assert "1.003549" not in text  # Sở KH&CN's

    # The same file again: nothing to change.
    client.force_login(province)
    before = _counts()
    again = _post(client, reverse("iso_catalogue_province"), name, content)
    plan = catalogue_plan(decision=CatalogueDecision.objects.get(agency=None))
    assert not plan.changes_anything, [
        (i.agency.agency_code, i.code, i.action, [c.key for c in i.changes], i.task_exists)
        for i in plan.items
    ]
    assert "Không có gì thay đổi" in client.get(again["Location"]).content.decode()
    client.post(again["Location"])
    assert _counts() == before


def test_agency_editor_imports_the_demo_xlsx_twice(client, demo):
    agencies, staff = demo
    client.force_login(staff["STP"][AgencyRole.EDITORS])
    url = reverse("iso_catalogue", args=[agencies["STP"].pk])
    name, content = _sample(client, client.get(url).content.decode(), "xlsx")
    assert name.endswith(".xlsx")
    response = _post(client, url, name, content)
    assert response.status_code == 302
    html = client.get(response["Location"]).content.decode()
    assert "3 dòng của tệp thuộc cơ quan khác" in html
    assert 'data-code="1.003549"' not in html and 'data-code="1.008898"' in html
    client.post(response["Location"])
    assert set(ProcedureUpdateTask.objects.values_list("agency__agency_code", flat=True)) == {"STP"}
    before = _counts()
    again = _post(client, url, name, content)
    assert "Không có gì thay đổi" in client.get(again["Location"]).content.decode()
    client.post(again["Location"])
    assert _counts() == before
