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
