"""Lists and exports: XLSX of audits, findings, nonconformities and actions, filtered; the
report's DOCX and PDF in the Vietnamese administrative layout; the dashboard's panel."""

from __future__ import annotations

from datetime import timedelta
from io import BytesIO

from django.urls import reverse
from django.utils import timezone

import pytest
from docx import Document
from openpyxl import load_workbook
from pypdf import PdfReader

from content_types.quality.action import QualityAction
from tests.quality.builders import FINDING, build_round
from tests.quality.conftest import EDITORS, REVIEWERS

pytestmark = pytest.mark.django_db


@pytest.fixture
def round_a(agency_a, staff_a):
    return build_round(agency_a, staff_a)


def _rows(response) -> list[list]:
    assert response["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml"
    )
    sheet = load_workbook(BytesIO(response.content)).active
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def test_xlsx_exports_hold_the_agencys_rows(client, agency_a, staff_a, round_a):
    client.force_login(staff_a[EDITORS])
    base = {
        name: reverse(name, args=[agency_a.pk])
        for name in (
            "iso_quality_agency",
            "iso_quality_findings",
            "iso_quality_ncs",
            "iso_quality_actions",
        )
    }
    audits = _rows(client.get(base["iso_quality_agency"] + "?xuat=xlsx"))
    assert audits[0][0].endswith(agency_a.title)
    assert audits[2][0] == round_a.plan.title and audits[2][7] == "Đã phê duyệt"

    findings = _rows(client.get(base["iso_quality_findings"] + "?xuat=xlsx"))
    assert [r[5] for r in findings[2:]] == [FINDING]
    none = _rows(client.get(base["iso_quality_findings"] + "?ket_qua=major&xuat=xlsx"))
    assert none[2:] == []

    ncs = _rows(client.get(base["iso_quality_ncs"] + "?xuat=xlsx"))
    assert ncs[2][0] == round_a.nc.code and ncs[2][6] == "Đang thực hiện"
    closed = _rows(client.get(base["iso_quality_ncs"] + "?giai_doan=closed&xuat=xlsx"))
    assert closed[2:] == []

    QualityAction.objects.filter(pk=round_a.action.pk).update(
        due_date=timezone.localdate() - timedelta(days=2)
    )
    actions = _rows(client.get(base["iso_quality_actions"] + "?qua_han=1&xuat=xlsx"))
    assert [r[1] for r in actions[2:]] == [round_a.action.title]
    assert actions[2][4] == "Chưa thực hiện (quá hạn)"
    page = client.get(base["iso_quality_actions"] + "?qua_han=1").content.decode()
    assert round_a.action.title in page and "(quá hạn)" in page


def test_report_docx_and_pdf_carry_the_layout_and_the_findings(client, staff_a, round_a):
    client.force_login(staff_a[EDITORS])
    docx = client.get(reverse("iso_quality_report_docx", args=[round_a.report.pk]))
    document = Document(BytesIO(docx.content))
    header = document.tables[0]
    left, right = header.cell(0, 0).text, header.cell(0, 1).text
    assert "SỞ TƯ PHÁP THỬ" in left and "Số: …/BC-CQA" in left
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in right
    assert "Độc lập - Tự do - Hạnh phúc" in right and "ngày" in right
    text = "\n".join(p.text for p in document.paragraphs)
    assert FINDING in text and "BÁO CÁO" in text
    by_clause = document.tables[1]
    assert by_clause.cell(1, 0).text.startswith("Điều 8") and by_clause.cell(1, 3).text == "1"
    signature = document.tables[-1].cell(0, 1).text
    assert "TRƯỞNG ĐOÀN ĐÁNH GIÁ" in signature and "(Ký, ghi rõ họ tên)" in signature
    assert "Nơi nhận:" in document.tables[-1].cell(0, 0).text

    pdf = client.get(reverse("iso_quality_report_pdf", args=[round_a.report.pk]))
    assert pdf["Content-Type"] == "application/pdf"
    text = " ".join(page.extract_text() for page in PdfReader(BytesIO(pdf.content)).pages)
    for expected in ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "SỞ TƯ PHÁP THỬ", "CT-0412", "Nơi nhận"):
        assert expected in text, expected
    assert "DỰ THẢO" not in text  # the approved version


def test_a_draft_report_is_marked_as_such(client, staff_a, round_a):
    from tests.factories import new_revision

    round_a.report.unpublish()
    new_revision(round_a.report, staff_a[EDITORS], conclusion="Kết luận đang sửa.")
    client.force_login(staff_a[EDITORS])
    pdf = client.get(reverse("iso_quality_report_pdf", args=[round_a.report.pk]))
    text = " ".join(page.extract_text() for page in PdfReader(BytesIO(pdf.content)).pages)
    assert "DỰ THẢO" in text and "Kết luận đang sửa." in text


def test_dashboard_lists_the_users_audits_and_actions(client, agency_a, staff_a):
    today = timezone.localdate()
    r = build_round(agency_a, staff_a, audit_day=today + timedelta(days=5))
    client.force_login(staff_a["auditors"])
    page = client.get(reverse("wagtailadmin_home")).content.decode()
    # «Việc cần làm» (workflows.workspace) lists them now, in place of the quality panel.
    assert "Việc cần làm" in page
    assert f"Đánh giá nội bộ đơn vị «{r.unit.name}»" in page and "(còn 5 ngày)" in page

    QualityAction.objects.filter(pk=r.action.pk).update(due_date=today - timedelta(days=1))
    client.force_login(staff_a[REVIEWERS])  # the owner
    page = client.get(reverse("wagtailadmin_home")).content.decode()
    assert f"Hành động «{r.action.title}»" in page and "Quá hạn 1 ngày" in page
    client.force_login(staff_a[EDITORS])  # the ISO officer sees the agency's overdue actions
    page = client.get(reverse("wagtailadmin_home")).content.decode()
    assert f"Hành động «{r.action.title}»" in page and "Quá hạn 1 ngày" in page
