"""The internal audit's items on the province dashboard: an approved programme of the year and
an approved audit report dated in the year, for exactly the agencies that have them."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests.factories import make_agency, make_staff
from tests.quality.builders import build_round
from workflows.oversight.dashboard import dashboard_build


def _cells(dashboard, key):
    index = [item.key for item in dashboard.items].index(key)
    return {row.agency.agency_code: row.statuses[index] for row in dashboard.rows}


def test_programme_and_audit_held_count_only_the_agencies_that_have_them(home, agency_a, agency_b):
    build_round(agency_a, make_staff(agency_a, "qa"))
    year = timezone.localdate().year

    dashboard = dashboard_build(year=year)
    programme, held = _cells(dashboard, "audit_programme"), _cells(dashboard, "audit_held")
    assert programme["CQA"].done and held["CQA"].done
    assert "/admin/pages/" in programme["CQA"].url
    assert not programme["CQB"].done and not held["CQB"].done
    counts = dict(zip([item.key for item in dashboard.items], dashboard.counts, strict=True))
    assert counts["audit_programme"] == (1, 2) and counts["audit_held"] == (1, 2)

    # Another year: this year's programme and report do not count there.
    other = dashboard_build(year=year - 1)
    assert not _cells(other, "audit_programme")["CQA"].done
    assert not _cells(other, "audit_held")["CQA"].done


def test_the_audit_items_cost_the_same_queries_at_two_and_five_agencies(home, agency_a, agency_b):
    build_round(agency_a, make_staff(agency_a, "qa"))
    year = timezone.localdate().year
    with CaptureQueriesContext(connection) as at_two:
        dashboard_build(year=year)
    for n in range(3):
        agency = make_agency(home, f"QX{n}")
        build_round(agency, make_staff(agency, f"qx{n}"))
    with CaptureQueriesContext(connection) as at_five:
        dashboard = dashboard_build(year=year)
    assert len(at_two) == len(at_five)
    held = _cells(dashboard, "audit_held")
    assert sorted(code for code, status in held.items() if status.done) == [
        "CQA", "QX0", "QX1", "QX2"
    ]  # fmt: skip
