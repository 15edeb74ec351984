"""The demo: each agency has citizen feedback in several states and documents due for review;
`stp.bientap` opens the admin on «Việc cần làm»."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone

import pytest

from content_types.agency import AgencyPage
from content_types.workspace import CitizenFeedback, FeedbackStatus
from fixtures.demo import demo_load
from workflows.workspace.reviews import documents_review_status


@pytest.mark.django_db
def test_demo_feedback_reviews_and_the_first_screen(client):
    demo_load()
    today = timezone.localdate()
    from content_types.procedures import ProcedurePage

    with_procedures = [
        agency
        for agency in AgencyPage.objects.all()
        if ProcedurePage.objects.live().descendant_of(agency).exists()
    ]
    assert len(with_procedures) >= 3
    for agency in with_procedures:  # feedback is about a procedure: agencies that publish some
        states = set(CitizenFeedback.objects.filter(agency=agency).values_list("status", flat=True))
        assert states == set(FeedbackStatus.values), agency.title
        due = documents_review_status(
            agency_ids=[agency.pk], horizon=today + timezone.timedelta(days=31)
        )
        assert len(due) >= 2, agency.title
        assert any(row.due < today for row in due), agency.title
    from django.contrib.auth import get_user_model

    client.force_login(get_user_model().objects.get(username="stp.bientap"))
    html = client.get(reverse("wagtailadmin_home")).content.decode()
    assert "Việc cần làm" in html and "Quá hạn" in html
    assert "Trả lời phản ánh" in html and "Rà soát định kỳ" in html
    assert "tình hình chung" in html
    # The consented, publishable answer is on the public procedure page.
    shown = CitizenFeedback.objects.filter(publishable=True, consent_publish=True).first()
    client.logout()
    assert shown.answer[:40] in client.get(shown.procedure.url).content.decode()
