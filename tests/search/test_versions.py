"""Search always offers the version in force — decided by time, with no manual reindex."""

from datetime import timedelta

from django.core.management import call_command
from django.utils import timezone

import pytest
import time_machine

from content_types.agency import AgencyRole
from content_types.documents import FormDocumentPage
from search.selectors import find_forms
from tests.search.conftest import make_file, publish_form
from workflows.versioning import revision_approve

pytestmark = pytest.mark.django_db


@pytest.fixture
def scheduled(agency_a, staff_a):
    """A form in force (issue 01) and its next version approved to take effect in an hour."""
    form = publish_form(agency_a, staff_a, "v1", "Tờ khai cấp giấy phép cũ", "BM.01-QT.09")
    old_file = form.file
    content = FormDocumentPage.objects.get(pk=form.pk).get_latest_revision_as_object()
    content.title = "Tờ khai cấp giấy phép sửa đổi"
    content.file = make_file(agency_a, "v2")
    content.go_live_at = timezone.now() + timedelta(hours=1)
    approver = staff_a[AgencyRole.APPROVERS]
    revision = content.save_revision(user=approver)
    version = revision_approve(revision, approved_by=approver)
    return form, old_file, version


def only_hit(query):
    results = find_forms(query)
    assert results.total == 1, [hit.title for hit in results.hits]
    return results.hits[0]


def test_before_the_effective_time_search_offers_the_version_in_force(scheduled):
    form, old_file, _version = scheduled
    hit = only_hit("BM.01-QT.09")
    assert (hit.issue_label, hit.title, hit.file.pk) == ("01", form.title, old_file.pk)
    assert find_forms("sua doi").total == 0  # the approved text is not in force yet


def test_at_the_effective_time_search_switches_before_the_publish_job_runs(scheduled):
    form, old_file, version = scheduled
    with time_machine.travel(timezone.now() + timedelta(hours=2)):
        hit = only_hit("BM.01-QT.09")
        assert hit.issue_label == "02"
        assert hit.title == "Tờ khai cấp giấy phép sửa đổi"
        assert hit.file.pk == version.file_id != old_file.pk
        assert only_hit("giay phep sua doi").page.pk == form.pk
        assert find_forms("giay phep cu").total == 0


def test_after_the_publish_job_the_index_holds_the_new_version(scheduled):
    form, _old_file, version = scheduled
    with time_machine.travel(timezone.now() + timedelta(hours=2)):
        call_command("publish_scheduled")
        hit = only_hit("giay phep sua doi")
        assert (hit.page.pk, hit.issue_label, hit.file.pk) == (form.pk, "02", version.file_id)
        assert find_forms("giay phep cu").total == 0
