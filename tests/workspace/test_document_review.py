"""Periodic review of documents: due after the interval, «Đã rà soát, không thay đổi» records
who, when and why without a new issue number or version and moves the next due date; only the
agency's editors and leadership may record it."""

from __future__ import annotations

from datetime import date

from django.urls import reverse

import pytest

from content_types.agency import AgencyRole
from content_types.versions import DocumentVersion
from content_types.workspace import DocumentReview
from tests.quality.conftest import assert_refused
from tests.workspace.builders import TODAY, at
from workflows.workspace.reviews import documents_review_status
from workflows.workspace.screen import workspace_build

EDITORS, APPROVERS = AgencyRole.EDITORS, AgencyRole.APPROVERS


def _due(agency, page) -> date | None:
    rows = documents_review_status(agency_ids=[agency.pk])
    return next(row.due for row in rows if row.page_id == page.pk)


@pytest.mark.django_db
def test_a_review_without_change_moves_the_due_date_and_issues_nothing(
    client, agency_a, staff_a, due_a
):
    document = due_a.document
    versions = list(DocumentVersion.objects.filter(page=document).values_list("pk", "issue_number"))
    live_revision = type(document).objects.get(pk=document.pk).live_revision_id
    with at(TODAY):
        assert _due(agency_a, document) == date(2027, 2, 1)
        client.force_login(staff_a[APPROVERS])
        url = reverse("iso_document_review", args=[document.pk])
        page = client.get(url).content.decode()
        assert "Đã rà soát, không thay đổi" in page and "01/02/2027 (đã quá hạn)" in page
        response = client.post(url, {"note": "Vẫn phù hợp với Quyết định 12/2026."}, follow=True)
        assert "Đã ghi nhận «Sổ tay chất lượng A» đã rà soát, không thay đổi." in (
            response.content.decode()
        )
        assert _due(agency_a, document) == date(2028, 3, 15)
        screen = workspace_build(user=staff_a[EDITORS], today=TODAY)
    review = DocumentReview.objects.get()
    assert (review.reviewed_on, review.reviewed_by, review.note) == (
        TODAY,
        staff_a[APPROVERS],
        "Vẫn phù hợp với Quyết định 12/2026.",
    )
    assert review.history.count() == 1  # kept with its history
    assert list(
        DocumentVersion.objects.filter(page=document).values_list("pk", "issue_number")
    ) == (versions)
    assert type(document).objects.get(pk=document.pk).live_revision_id == live_revision
    titles = [s.item.title for s in [*screen.overdue, *screen.due_soon]]
    assert "Rà soát định kỳ «Sổ tay chất lượng A» (ST.01)" not in titles
    # The review and its note are listed on the document's page.
    assert "Vẫn phù hợp với Quyết định 12/2026." in client.get(url).content.decode()


@pytest.mark.django_db
def test_a_shorter_interval_brings_the_review_forward(agency_a, staff_a, due_a):
    form = due_a.form
    type(form).objects.filter(pk=form.pk).update(review_interval_months=6)
    assert _due(agency_a, form) == date(2026, 9, 20)


@pytest.mark.django_db
def test_only_the_agencys_editors_and_leadership_record_a_review(
    client, agency_a, staff_a, staff_b, due_a
):
    url = reverse("iso_document_review", args=[due_a.document.pk])
    refused = [staff_a[AgencyRole.REVIEWERS], staff_a[AgencyRole.AUDITORS], *staff_b.values()]
    for user in refused:
        client.force_login(user)
        assert_refused(client.get(url))
        assert_refused(client.post(url, {"note": "x"}))
    for user in staff_b.values():
        client.force_login(user)
        assert_refused(client.get(reverse("iso_document_reviews", args=[agency_a.pk])))
    assert DocumentReview.objects.count() == 0


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("note", "message"),
    [
        ("Ghi chú\x00", "Ghi chú chứa ký tự không hợp lệ; hãy gõ lại."),
        ("x" * 2001, "Ghi chú dài quá 2000 ký tự."),
    ],
)
def test_a_bad_note_is_refused_and_nothing_is_recorded(client, staff_a, due_a, note, message):
    client.force_login(staff_a[EDITORS])
    url = reverse("iso_document_review", args=[due_a.document.pk])
    response = client.post(url, {"note": note})
    assert message in response.content.decode()
    assert DocumentReview.objects.count() == 0


@pytest.mark.django_db
def test_the_agencys_list_shows_every_document_with_its_due_date(client, agency_a, staff_a, due_a):
    with at(TODAY):
        client.force_login(staff_a[EDITORS])
        html = client.get(reverse("iso_document_reviews", args=[agency_a.pk])).content.decode()
    assert "01/02/2027 — Quá hạn 42 ngày" in html
    assert "20/03/2027 — sắp đến hạn" in html
    assert "Chính sách chất lượng A" in html  # due 10/01/2028, listed too
    assert "Sổ tay chất lượng B" not in html
    # The menu's entry goes straight to the only agency.
    index = client.get(reverse("iso_document_reviews_index"))
    assert index.url == reverse("iso_document_reviews", args=[agency_a.pk])


@pytest.mark.django_db
def test_the_edit_form_refuses_an_interval_out_of_range(client, agency_a, staff_a, due_a):
    from tests.factories import document_form_data

    client.force_login(staff_a[EDITORS])
    page = type(due_a.document).objects.get(pk=due_a.document.pk)
    url = reverse("wagtailadmin_pages:edit", args=[page.pk])
    response = client.post(url, document_form_data(page, review_interval_months="0"))
    assert response.status_code == 200
    assert "Chu kỳ rà soát phải từ 1 đến 60 tháng." in response.content.decode()
    assert type(page).objects.get(pk=page.pk).get_latest_revision().pk == page.latest_revision_id
