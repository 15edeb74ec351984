"""The demo: a year of consistent monthly figures for every demo agency, and gaps the province
dashboard shows; tinh.quantri opens it and downloads the summary."""

from django.db.models import F
from django.test import Client

import pytest

from content_types.agency import AgencyPage
from content_types.oversight import DossierBatch, DossierStatistic
from content_types.procedures import ProcedurePage
from fixtures.demo import DEMO_PASSWORD, demo_load
from workflows.oversight.dashboard import dashboard_build


@pytest.fixture
def demo(db):
    return demo_load()


def test_demo_figures_and_gaps(demo):
    with_procedures = [
        a for a in AgencyPage.objects.all() if ProcedurePage.objects.descendant_of(a).exists()
    ]
    assert len(with_procedures) >= 3
    for agency in with_procedures:
        months = set(DossierStatistic.objects.filter(agency=agency).values_list("year", "month"))
        assert len(months) == 12, agency
    consistent = DossierStatistic.objects.filter(
        carried_over=F("resolved_early") + F("resolved_on_time") + F("resolved_late")
        + F("pending_within") + F("pending_overdue") + F("returned")
        - F("received_in_person") - F("received_online") - F("received_postal")
    )  # fmt: skip
    assert consistent.count() == DossierStatistic.objects.count() > 0
    assert DossierBatch.objects.filter(result="accepted", source="push").count() == len(
        with_procedures
    )

    from django.utils import timezone

    dashboard = dashboard_build(year=timezone.localdate().year)
    keys = [item.key for item in dashboard.items]
    counts = dict(zip(keys, dashboard.counts, strict=True))
    total = len(dashboard.rows)
    assert counts["maintenance_plan"][0] < total
    assert counts["announcement"][0] < total
    assert counts["policy"] == (total, total)
    assert dashboard.rates  # the on-time chart has figures

    client = Client()
    assert client.login(username="tinh.quantri", password=DEMO_PASSWORD)
    html = client.get("/admin/tong-hop-tinh/").content.decode()
    assert f'data-item="announcement">{counts["announcement"][0]}/{total}<' in html
    response = client.get("/admin/tong-hop-tinh/", {"xuat": "xlsx"})
    assert response.status_code == 200 and response.content[:2] == b"PK"


def test_demo_announcements_and_submitted_report(demo):
    from io import BytesIO

    from django.utils import timezone

    from content_types.announcement import AnnouncementPage, YearlyReportSubmission
    from fixtures.demo import NOT_ANNOUNCED
    from fixtures.demo_announcement import REANNOUNCE_AGENCY, REPORTING_AGENCY

    announced = {
        AgencyPage.objects.ancestor_of(page).get().agency_code
        for page in AnnouncementPage.objects.live()
    }
    with_procedures = {
        a.agency_code
        for a in AgencyPage.objects.all()
        if ProcedurePage.objects.descendant_of(a).live().exists()
    }
    assert announced == with_procedures - {NOT_ANNOUNCED}
    submission = YearlyReportSubmission.objects.get()
    assert submission.agency.agency_code == REPORTING_AGENCY

    dashboard = dashboard_build(year=timezone.localdate().year)
    index = [item.key for item in dashboard.items].index("announcement")
    by_code = {row.agency.agency_code: row.statuses[index] for row in dashboard.rows}
    assert not by_code[NOT_ANNOUNCED].done
    assert "cần công bố lại" in by_code[REANNOUNCE_AGENCY].warning

    client = Client()
    assert client.login(username="tinh.quantri", password=DEMO_PASSWORD)
    response = client.get("/admin/tong-hop-tinh/bao-cao-nam/", {"xuat": "docx"})
    assert response.status_code == 200
    from docx import Document

    document = Document(BytesIO(response.content))
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    assert any(text.startswith("Đã nộp") for text in cells)
    assert sum(1 for text in cells if text == "Chưa nộp") == len(dashboard.rows) - 1
