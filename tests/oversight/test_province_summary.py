"""The province summary report: one row per agency from the submitted reports and the
dashboard's items, for province administrators only, in a fixed number of queries."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext

import pytest

from content_types.agency import AgencyRole
from tests.factories import make_agency, make_staff, run_workflow
from tests.oversight.test_yearly_report import (
    YEAR,
    _text_of_docx,
    _text_of_pdf,
    _text_of_xlsx,
    approved_announcement,
)
from tests.themes.builders import make_procedure
from workflows.oversight.summary import province_summary_build
from workflows.oversight.yearly_report import yearly_report_generate, yearly_report_submit

URL = "/admin/tong-hop-tinh/bao-cao-nam/"


def _submitted(agency, staff):
    report = yearly_report_generate(agency=agency, year=YEAR, user=staff[AgencyRole.EDITORS])
    report = run_workflow(report, staff)
    return yearly_report_submit(report=report, user=staff[AgencyRole.EDITORS])


@pytest.fixture
def province(agency_a, agency_b, staff_a, procedures_a):
    approved_announcement(agency_a, staff_a, procedures_a)
    _submitted(agency_a, staff_a)


def test_one_row_per_agency_with_what_was_submitted(client, province, province_admin, agency_a):
    client.force_login(province_admin)
    html = client.get(URL, {"nam": YEAR}).content.decode()
    assert html.count('data-agency="CQ') == 2
    assert "Đã nộp báo cáo năm: 1/2 cơ quan" in html
    summary = province_summary_build(year=YEAR)
    rows = {row.agency.agency_code: row for row in summary.rows}
    assert rows["CQA"].submission is not None and rows["CQB"].submission is None
    assert rows["CQA"].scope == "2/2"
    assert rows["CQA"].announcement.startswith("Số 125/QĐ-STP")
    assert "Công bố" in rows["CQB"].missing and "Công bố" not in rows["CQA"].missing


def test_downloads_open_and_hold_each_agency(client, province, province_admin):
    client.force_login(province_admin)
    readers = {"docx": _text_of_docx, "pdf": _text_of_pdf, "xlsx": _text_of_xlsx}
    for fmt, read in readers.items():
        response = client.get(URL, {"nam": YEAR, "xuat": fmt})
        assert response.status_code == 200, fmt
        text = read(response.content)
        assert "Sở Tư pháp thử" in text and "UBND phường thử" in text, fmt
        assert "Số 125/QĐ-STP" in text and "Chưa nộp" in text, fmt
    bad = client.get(URL, {"nam": YEAR, "xuat": "exe"})
    assert bad.status_code == 400
    assert "Định dạng tải về không hợp lệ" in bad.content.decode()


def test_agency_staff_do_not_see_it(client, province, staff_a, staff_b):
    for user in [*staff_a.values(), *staff_b.values()]:
        client.force_login(user)
        for query in ({"nam": YEAR}, {"nam": YEAR, "xuat": "xlsx"}):
            response = client.get(URL, query)
            assert response.status_code == 403
            assert "Sở Tư pháp thử" not in response.content.decode()


def _agencies(home, count, start):
    for n in range(start, start + count):
        agency = make_agency(home, f"Q{n:03d}", title=f"Cơ quan thử {n:03d}")
        staff = make_staff(agency, f"q{n}")
        procedure = make_procedure(agency, [], code="1.001193")
        approved_announcement(agency, staff, [procedure], number=f"{n}/QĐ")
        if n % 2:
            _submitted(agency, staff)


def test_query_count_is_the_same_at_3_and_12_agencies(client, home, province_admin):
    client.force_login(province_admin)
    _agencies(home, 3, 0)
    client.get(URL)  # warm the caches every admin page fills once

    def count():
        # A first request, not counted: the session's last activity is written once a minute,
        # and building nine agencies takes longer than that on a busy machine.
        client.get(URL, {"nam": YEAR})
        with CaptureQueriesContext(connection) as built:
            province_summary_build(year=YEAR)
        with CaptureQueriesContext(connection) as viewed:
            assert client.get(URL, {"nam": YEAR}).status_code == 200
        return len(built), len(viewed)

    at_three = count()
    _agencies(home, 9, 3)
    at_twelve = count()
    assert at_three == at_twelve
    assert client.get(URL, {"nam": YEAR}).content.decode().count('data-agency="Q') == 12
