"""Version semantics (DESIGN §5–§6): issue numbers, approver, and the obsolescence moment."""

from datetime import timedelta

from django.utils import timezone

import time_machine

from content_types.agency import AgencyRole
from content_types.documents import FormDocumentPage
from content_types.versions import (
    DocumentVersion,
    VersionStatus,
    version_current,
    version_periods,
)
from tests.factories import make_form, new_revision, run_workflow
from workflows.tasks import publish_scheduled

EDITORS, APPROVERS = AgencyRole.EDITORS, AgencyRole.APPROVERS


def _versions(page):
    return list(
        DocumentVersion.objects.filter(page_id=page.pk)
        .order_by("issue_number")
        .values_list("issue_number", "title")
    )


def test_issue_numbers_count_published_versions_only(agency_a, staff_a):
    editor, approver = staff_a[EDITORS], staff_a[APPROVERS]
    form = make_form(agency_a, editor, title="Tờ khai lần 1")
    assert _versions(form) == []  # a draft has no number

    run_workflow(form, staff_a)
    version = DocumentVersion.objects.get(page_id=form.pk)
    assert (version.issue_number, version.approved_by) == (1, approver)
    assert timezone.now() - version.approved_at < timedelta(minutes=1)

    new_revision(form, editor, title="Tờ khai bản nháp")
    assert _versions(form) == [(1, "Tờ khai lần 1")]  # drafts never take a number

    run_workflow(form, staff_a, reject_at_step=2, comment="Chưa đúng mẫu")
    assert _versions(form) == [(1, "Tờ khai lần 1")]  # nor do rejected submissions

    new_revision(form, editor, title="Tờ khai lần 2", change_summary="Theo thông tư mới")
    run_workflow(form, staff_a)
    assert _versions(form) == [(1, "Tờ khai lần 1"), (2, "Tờ khai lần 2")]
    latest = DocumentVersion.objects.get(page_id=form.pk, issue_number=2)
    assert latest.change_summary == "Theo thông tư mới"
    assert latest.approved_by == approver


def _current_everywhere(client, form) -> tuple[str, str, list[str]]:
    """(current version's title, title on the public page, statuses in the history)."""
    current = version_current(form.pk)
    html = client.get(FormDocumentPage.objects.get(pk=form.pk).url).content.decode()
    page_title = html.split("<h1>")[1].split("</h1>")[0]
    statuses = [period.status for period in version_periods(form.pk)]
    return current.title, page_title, statuses


def test_new_version_takes_effect_exactly_at_its_effective_time(agency_a, staff_a, client):
    editor = staff_a[EDITORS]
    start = timezone.now().replace(microsecond=0)
    effective = start + timedelta(days=10)
    with time_machine.travel(start, tick=False):
        form = make_form(agency_a, editor, title="Mẫu cũ")
        run_workflow(form, staff_a)
        new_revision(form, editor, title="Mẫu mới", go_live_at=effective)
        run_workflow(form, staff_a)
        scheduled = DocumentVersion.objects.get(page_id=form.pk, issue_number=2)
        assert scheduled.effective_from == effective
        assert scheduled.approved_at == start  # approved now, in force later

    instants = [
        effective - timedelta(days=1),
        effective - timedelta(seconds=1),
        effective,
        effective + timedelta(seconds=1),
        effective + timedelta(days=1),
    ]
    for instant in instants:
        with time_machine.travel(instant, tick=False):
            title, shown, statuses = _current_everywhere(client, form)
            expected = "Mẫu cũ" if instant < effective else "Mẫu mới"
            assert (title, shown) == (expected, expected), instant
            # Never two current versions, never none.
            assert statuses.count(VersionStatus.CURRENT) == 1, instant

    # The beat job catches the page row up; nothing changes for readers.
    with time_machine.travel(effective + timedelta(minutes=1), tick=False):
        publish_scheduled.delay()
        form.refresh_from_db()
        assert form.title == "Mẫu mới"
        assert _current_everywhere(client, form)[:2] == ("Mẫu mới", "Mẫu mới")
        periods = version_periods(form.pk)
        assert [p.status for p in periods] == [VersionStatus.OBSOLETE, VersionStatus.CURRENT]
        assert periods[0].effective_to == effective


def test_publishing_now_withdraws_a_pending_scheduled_version(agency_a, staff_a):
    editor = staff_a[EDITORS]
    form = make_form(agency_a, editor, title="Lần 1")
    run_workflow(form, staff_a)
    new_revision(form, editor, title="Lần 2 hẹn giờ", go_live_at=timezone.now() + timedelta(days=5))
    run_workflow(form, staff_a)
    assert _versions(form) == [(1, "Lần 1"), (2, "Lần 2 hẹn giờ")]

    # Wagtail cancels the schedule when another revision is published: so does the register.
    new_revision(form, editor, title="Lần 2 ngay", go_live_at=None)
    run_workflow(form, staff_a)
    assert _versions(form) == [(1, "Lần 1"), (2, "Lần 2 ngay")]
    assert version_current(form.pk).title == "Lần 2 ngay"


def test_superuser_direct_publish_records_the_publisher(agency_a, staff_a, django_user_model):
    from django.test import Client
    from django.urls import reverse

    from wagtail.test.utils.form_data import inline_formset, nested_form_data

    boss = django_user_model.objects.create_superuser("sieuquantri", "s@example.vn", "x")
    form = make_form(agency_a, staff_a[EDITORS])
    client = Client()
    client.force_login(boss)
    data = nested_form_data(
        {
            "title": "Tờ khai xuất bản trực tiếp",
            "slug": form.slug,
            "code": form.code,
            "change_summary": "",
            "file": "",
            "legal_basis": "",
            "comments": inline_formset([]),
            "action-publish": "1",
        }
    )
    response = client.post(reverse("wagtailadmin_pages:edit", args=[form.pk]), data)
    assert response.status_code == 302
    version = DocumentVersion.objects.get(page_id=form.pk)
    assert (version.issue_number, version.approved_by) == (1, boss)


def test_editor_sees_the_version_in_force_read_only(client, agency_a, staff_a):
    from django.urls import reverse

    form = make_form(agency_a, staff_a[EDITORS], title="Mẫu có phiên bản")
    run_workflow(form, staff_a)
    client.force_login(staff_a[EDITORS])
    html = client.get(reverse("wagtailadmin_pages:edit", args=[form.pk])).content.decode()
    assert "Đang hiệu lực: <strong>lần ban hành 01</strong>" in html
    assert 'name="issue_number"' not in html  # never typed by the editor


def test_procedure_form_list_switches_at_the_effective_moment(agency_a, staff_a):
    from content_types.indexes import ProcedureIndexPage
    from content_types.procedure_fields import ProcedureField
    from content_types.procedures import (
        ProcedurePage,
        ProcedurePageForm,
        procedure_forms_in_force,
    )

    editor = staff_a[EDITORS]
    start = timezone.now().replace(microsecond=0)
    effective = start + timedelta(days=5)
    with time_machine.travel(start, tick=False):
        form = make_form(agency_a, editor, title="Tờ khai (mẫu 2020)")
        run_workflow(form, staff_a)
        new_revision(form, editor, title="Tờ khai (mẫu 2025)", go_live_at=effective)
        run_workflow(form, staff_a)
        not_yet = make_form(agency_a, editor, code="BM.99", title="Chưa ban hành")
        index = agency_a.get_children().type(ProcedureIndexPage).first()
        procedure = ProcedurePage(
            title="Đăng ký khai sinh",
            national_code="1.001193",
            field=ProcedureField.objects.create(name="Hộ tịch"),
            forms_used=[ProcedurePageForm(form_page=form), ProcedurePageForm(form_page=not_yet)],
        )
        index.add_child(instance=procedure)

    for instant, expected in [
        (effective - timedelta(seconds=1), [(1, "Tờ khai (mẫu 2020)")]),
        (effective, [(2, "Tờ khai (mẫu 2025)")]),
    ]:
        with time_machine.travel(instant, tick=False):
            offered = procedure_forms_in_force(procedure)
            assert [(v.issue_number, v.title) for _, v in offered] == expected
