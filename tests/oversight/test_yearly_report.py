"""The yearly report to Sở KH&CN: figures read from the records, exports that open and hold
them, approval before submission, and no path in from another agency."""

from __future__ import annotations

from datetime import date, timedelta
from io import BytesIO

from django.urls import reverse
from django.utils import timezone

import pytest

from content_types.agency import AgencyRole
from content_types.announcement import AnnouncementPage, YearlyReportPage, YearlyReportSubmission
from content_types.catalogue import CatalogueDecision, ProcedureUpdateTask, TaskStatus
from tests.factories import quality_system, run_workflow
from tests.themes.builders import make_file

EDITORS, APPROVERS = AgencyRole.EDITORS, AgencyRole.APPROVERS
YEAR = timezone.localdate().year


def approved_announcement(
    agency, staff, procedures, number="125/QĐ-STP", year=YEAR
) -> AnnouncementPage:
    day = date(year, 1, 2)
    page = AnnouncementPage(
        title="Quyết định công bố HTQLCL",
        number=number,
        decision_date=day,
        effective_date=day,
        signer_name="Nguyễn Văn An",
        signed_file=make_file(agency, f"qd-{agency.agency_code}.pdf", b"%PDF-1.4 qd"),
        live=False,
        owner=staff[EDITORS],
    )
    quality_system(agency).add_child(instance=page)
    page.procedures.set(procedures)
    page.save_revision(user=staff[EDITORS])
    return run_workflow(page, staff)


@pytest.fixture
def records_a(agency_a, staff_a, procedures_a):
    """An announcement covering one of A's two live procedures; one catalogue decision applied
    this year with two procedure updates, one done."""
    approved_announcement(agency_a, staff_a, procedures_a[:1])
    decision = CatalogueDecision.objects.create(
        agency=agency_a,
        number="45/QĐ-UBND",
        effective_date=date(YEAR, 1, 1),
        file_format="xlsx",
        file_sha256="0" * 64,
        content=b"",
        applied_at=timezone.now(),
    )
    for code, status in (("1.001193", TaskStatus.DONE), ("2.000001", TaskStatus.OPEN)):
        ProcedureUpdateTask.objects.create(
            agency=agency_a,
            decision=decision,
            decision_number=decision.number,
            decision_effective=decision.effective_date,
            national_code=code,
            procedure_title="Thủ tục",
            kind="amended",
            due_date=timezone.localdate() - timedelta(days=1),
            status=status,
        )


def _create(client, user, agency, year=YEAR):
    client.force_login(user)
    return client.post(reverse("iso_yearly_reports"), {"agency": agency.pk, "year": year})


def _text_of_docx(content: bytes) -> str:
    from docx import Document

    document = Document(BytesIO(content))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts += [cell.text for cell in row.cells]
    return "\n".join(parts)


def _text_of_pdf(content: bytes) -> str:
    from pypdf import PdfReader

    return "\n".join(page.extract_text() for page in PdfReader(BytesIO(content)).pages)


def _text_of_xlsx(content: bytes) -> str:
    from openpyxl import load_workbook

    sheet = load_workbook(BytesIO(content)).active
    return "\n".join(str(v) for row in sheet.iter_rows(values_only=True) for v in row if v)


def test_generated_figures_equal_the_records(client, agency_a, staff_a, records_a):
    response = _create(client, staff_a[EDITORS], agency_a)
    report = YearlyReportPage.objects.descendant_of(agency_a).get()
    assert response.status_code == 302 and response["Location"].endswith(f"/{report.pk}/")
    assert not report.live
    facts = report.figures["facts"]
    assert facts["procedures_total"] == 2 and facts["procedures_covered"] == 1
    assert facts["announcement_number"] == "125/QĐ-STP"
    assert facts["announcement_date"] == date(YEAR, 1, 2).isoformat()
    assert facts["reannouncement_needed"] is True
    assert (facts["legal_decisions"], facts["updates_done"], facts["updates_total"]) == (1, 1, 2)
    sections = {block.value["key"]: block.value for block in report.sections}
    assert list(sections)[:2] == ["scope", "announcement"]  # the order of the form (JSON)
    assert sections["scope"]["text"].startswith("Sở Tư pháp thử áp dụng hệ thống quản lý chất")
    assert "1/2 thủ tục" in sections["scope"]["text"]
    assert "Còn 1 thủ tục quá hạn cập nhật." in sections["legal_updates"]["text"]
    assert sections["difficulties"]["text"] == ""  # written by the agency
    page = client.get(reverse("iso_yearly_report", args=[report.pk])).content.decode()
    assert "125/QĐ-STP" in page and "Dự thảo, chưa được lãnh đạo phê duyệt." in page
    editor = client.get(reverse("wagtailadmin_pages:edit", args=[report.pk]))
    assert editor.status_code == 200
    assert "difficulties" in editor.content.decode()  # the sections in the stream editor


def test_exports_open_and_hold_the_figures(client, agency_a, staff_a, records_a):
    _create(client, staff_a[EDITORS], agency_a)
    report = YearlyReportPage.objects.descendant_of(agency_a).get()
    readers = {"docx": _text_of_docx, "pdf": _text_of_pdf, "xlsx": _text_of_xlsx}
    for fmt, read in readers.items():
        response = client.get(reverse(f"iso_yearly_report_{fmt}", args=[report.pk]))
        assert response.status_code == 200, fmt
        assert "no-store" in response["Cache-Control"]
        text = read(response.content)
        assert "125/QĐ-STP" in text, fmt
        assert "Số thủ tục thuộc phạm vi áp dụng HTQLCL" in text, fmt
        assert "45/QĐ-UBND" in text, fmt
        if fmt != "xlsx":
            assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text and "DỰ THẢO" in text, fmt


def test_submitted_only_once_approved(client, agency_a, staff_a, records_a):
    _create(client, staff_a[EDITORS], agency_a)
    report = YearlyReportPage.objects.descendant_of(agency_a).get()
    url = reverse("iso_yearly_report", args=[report.pk])
    refused = client.post(url, {"action": "nop"})
    assert refused.status_code == 400
    assert "Báo cáo chưa được lãnh đạo phê duyệt: chưa thể nộp." in refused.content.decode()
    assert not YearlyReportSubmission.objects.exists()

    report = run_workflow(report, staff_a)
    assert report.live
    assert client.post(url, {"action": "nop"}).status_code == 302
    submission = YearlyReportSubmission.objects.get()
    assert submission.revision_id == report.live_revision_id
    assert submission.facts["procedures_covered"] == 1
    again = client.post(url, {"action": "nop"})
    assert again.status_code == 400 and "đã được nộp lúc" in again.content.decode()
    assert YearlyReportSubmission.objects.count() == 1


@pytest.mark.parametrize(
    "year, message",
    [
        ("abc", "Năm báo cáo không hợp lệ."),
        (YEAR + 1, f"Năm báo cáo phải từ 2020 đến {YEAR}."),
        (2019, f"Năm báo cáo phải từ 2020 đến {YEAR}."),
    ],
)
def test_bad_year_is_refused_in_vietnamese(client, agency_a, staff_a, year, message):
    response = _create(client, staff_a[EDITORS], agency_a, year=year)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not YearlyReportPage.objects.exists()


def test_a_second_report_for_the_year_is_refused(client, agency_a, staff_a):
    _create(client, staff_a[EDITORS], agency_a)
    response = _create(client, staff_a[EDITORS], agency_a)
    assert response.status_code == 400
    assert f"Cơ quan đã có báo cáo năm {YEAR}" in response.content.decode()
    assert YearlyReportPage.objects.count() == 1


def test_another_agencys_staff_cannot_open_export_submit_or_create(
    client, agency_a, staff_a, staff_b, records_a
):
    _create(client, staff_a[EDITORS], agency_a)
    report = run_workflow(YearlyReportPage.objects.descendant_of(agency_a).get(), staff_a)
    for role, user in staff_b.items():
        client.force_login(user)
        for name in (
            "iso_yearly_report",
            *[f"iso_yearly_report_{f}" for f in ("docx", "pdf", "xlsx")],
        ):
            response = client.get(reverse(name, args=[report.pk]))
            assert response.status_code == 403, (role, name)
            assert "125/QĐ-STP" not in response.content.decode()
        response = client.post(reverse("iso_yearly_report", args=[report.pk]), {"action": "nop"})
        assert response.status_code == 403, role
        listing = client.get(reverse("iso_yearly_reports")).content.decode()
        assert report.title not in listing
        refused = client.post(reverse("iso_yearly_reports"), {"agency": agency_a.pk, "year": YEAR})
        assert refused.status_code == 400, role
        assert "Hãy chọn cơ quan của mình để lập báo cáo." in refused.content.decode()
    assert not YearlyReportSubmission.objects.exists()
    assert YearlyReportPage.objects.count() == 1


def test_a_provider_registered_by_another_part_fills_its_section(agency_a, staff_a):
    from workflows.oversight import yearly_report as service

    service.report_provider("management_review")  # the quality part's own providers, loaded

    def review(context):
        return service.SectionFill(
            text="Đã họp xem xét ngày 15/11.", rows=[("Ngày họp", "15/11")], facts={"x": 1}
        )

    saved = dict(service._PROVIDERS)
    try:
        service.report_provider_register("management_review", review)
        # A default registered later does not replace it.
        service.report_provider_register("management_review", lambda c: None, default=True)
        report = service.yearly_report_generate(agency=agency_a, year=YEAR, user=staff_a[EDITORS])
    finally:
        service._PROVIDERS.clear()
        service._PROVIDERS.update(saved)
    sections = {block.value["key"]: block.value for block in report.sections}
    assert sections["management_review"]["text"] == "Đã họp xem xét ngày 15/11."
    assert report.figures["sections"]["management_review"] == [["Ngày họp", "15/11"]]


def test_refreshing_reads_the_figures_again_and_keeps_the_texts(
    client, agency_a, staff_a, records_a, procedures_a
):
    _create(client, staff_a[EDITORS], agency_a)
    report = YearlyReportPage.objects.descendant_of(agency_a).get()
    draft = report.get_latest_revision_as_object()
    draft.sections[7].value["text"] = "Thiếu cán bộ chuyên trách ISO."
    draft.save_revision(user=staff_a[EDITORS])
    procedures_a[1].unpublish()  # one procedure less: the scope's figures change
    url = reverse("iso_yearly_report", args=[report.pk])
    assert client.post(url, {"action": "cap-nhat"}).status_code == 302
    fresh = YearlyReportPage.objects.get(pk=report.pk).get_latest_revision_as_object()
    assert fresh.figures["facts"]["procedures_total"] == 1
    assert fresh.sections[7].value["text"] == "Thiếu cán bộ chuyên trách ISO."
    assert client.post(url, {"action": "xoa"}).status_code == 400  # no such action


def test_a_collapsed_section_is_named_by_its_heading(client, agency_a, staff_a):
    """The stream editor named each section by its first field, the key («internal_audit»)."""
    import html

    _create(client, staff_a[EDITORS], agency_a)
    report = YearlyReportPage.objects.descendant_of(agency_a).get()
    editor = client.get(reverse("wagtailadmin_pages:edit", args=[report.pk]))
    definition = html.unescape(editor.content.decode())
    assert '"labelFormat": "{heading}"' in definition
