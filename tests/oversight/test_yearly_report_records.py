"""The yearly report's sections read the year's records: the approved management review (date,
chair, decisions and how many are done), the approved objectives measured through their own
services (target, latest value, «đạt x/y»), the internal audit, the announcement, the legal
updates and the one-stop figures; the DOCX, PDF and XLSX exports and the province summary carry
the same figures. Drafts (not approved) count for nothing."""

from __future__ import annotations

from datetime import date
from io import BytesIO

from django.urls import reverse
from django.utils import timezone

import pytest

from content_types.agency import AgencyRole
from content_types.announcement import YearlyReportPage
from content_types.catalogue import CatalogueDecision, ProcedureUpdateTask, TaskStatus
from content_types.oversight import DossierStatistic
from content_types.quality.action import ActionSource, ActionStatus, QualityAction
from content_types.quality.objectives import QualityObjective, QualityObjectivesPage
from content_types.quality.review import ManagementReviewDecision, ManagementReviewPage
from tests.factories import quality_system, run_workflow
from tests.oversight.test_yearly_report import (
    _text_of_docx,
    _text_of_pdf,
    _text_of_xlsx,
    approved_announcement,
)
from tests.quality.builders import build_round
from tests.quality.conftest import today_is
from workflows.oversight.summary import province_summary_build, province_summary_xlsx
from workflows.oversight.yearly_report import yearly_report_generate, yearly_report_submit
from workflows.quality.nonconformities import action_complete
from workflows.quality.objectives import objective_measurement_record
from workflows.quality.reviews import management_review_create

EDITORS, REVIEWERS = AgencyRole.EDITORS, AgencyRole.REVIEWERS
YEAR = timezone.localdate().year
# Late in the year: three quarters measured, the fourth not due yet (it ends on 31/12).
TODAY = date(YEAR, 12, 30)
MEETING = date(YEAR, 12, 28)


def _review(agency, staff, *, approve=True) -> ManagementReviewPage:
    review = management_review_create(
        agency=agency, year=YEAR, meeting_date=MEETING, user=staff[EDITORS]
    )
    draft = review.get_latest_revision_as_object()
    draft.number = f"07/BB-{agency.agency_code}"
    draft.chair = "Giám đốc Trần Văn Chủ"
    draft.conclusion = "HTQLCL được duy trì phù hợp, có hiệu lực."
    draft.decisions = [
        ManagementReviewDecision(
            kind="resources",
            decision="Mua máy quét tài liệu",
            owner=staff[REVIEWERS],
            due_date=date(YEAR + 1, 2, 28),
        ),
        ManagementReviewDecision(
            kind="improvement",
            decision="Nhắc hạn hồ sơ qua tin nhắn",
            owner=staff[EDITORS],
            due_date=date(YEAR + 1, 3, 31),
        ),
    ]
    draft.save_revision(user=staff[EDITORS])
    return run_workflow(review, staff) if approve else review


def _objectives(agency, staff, *, approve=True) -> QualityObjectivesPage:
    page = QualityObjectivesPage(title=f"Mục tiêu chất lượng năm {YEAR}", year=YEAR, live=False)
    quality_system(agency).add_child(instance=page)
    rows = [
        ("Hồ sơ một cửa đúng hạn", "manual", "98"),
        ("Văn bản trả lời đúng hạn", "manual", "98"),
        ("Hồ sơ của cơ quan đúng hạn", "dossier_agency", "90"),
        ("Khảo sát sự hài lòng", "manual", "80"),
    ]
    for order, (statement, source, target) in enumerate(rows):
        QualityObjective.objects.create(
            page=page,
            sort_order=order,
            statement=statement,
            indicator="Tỷ lệ",
            target_value=target,
            data_source=source,
            frequency="quarter",
        )
    page.save_revision(user=staff[EDITORS])
    return run_workflow(page, staff) if approve else page


def _measure(page, staff, statement, values: dict[int, str]) -> None:
    objective = QualityObjective.objects.get(page=page, statement=statement)
    for period, value in values.items():
        objective_measurement_record(
            objective=objective, period=period, value=value, evidence="Sổ theo dõi",
            user=staff[EDITORS],
        )  # fmt: skip


@pytest.fixture
def year_a(agency_a, staff_a, procedures_a):
    """A's year, every record made and approved through its own services."""
    with today_is(TODAY):
        approved_announcement(agency_a, staff_a, procedures_a[:1], year=YEAR)
        audit = build_round(agency_a, staff_a, audit_day=date(YEAR, 12, 15))
        review = _review(agency_a, staff_a)
        done = QualityAction.objects.get(source=ActionSource.REVIEW, title="Mua máy quét tài liệu")
        action_complete(action=done, result="Đã mua, biên bản bàn giao.", user=staff_a[REVIEWERS])
        objectives = _objectives(agency_a, staff_a)
        _measure(objectives, staff_a, "Hồ sơ một cửa đúng hạn", {1: "99", 2: "98,5", 3: "99"})
        _measure(objectives, staff_a, "Văn bản trả lời đúng hạn", {1: "95"})
        # The computed objective reads the one-stop figures: 90 % in Q1, Q2, 95 % in Q3.
        for month in range(1, 10):
            on_time, late = (19, 1) if month >= 7 else (9, 1)
            DossierStatistic.objects.create(
                agency=agency_a, procedure_code="1.001193", year=YEAR, month=month,
                received_online=on_time + late, resolved_on_time=on_time, resolved_late=late,
            )  # fmt: skip
        decision = CatalogueDecision.objects.create(
            agency=agency_a, number="45/QĐ-UBND", effective_date=date(YEAR, 3, 1),
            file_format="xlsx", file_sha256="0" * 64, content=b"", applied_at=timezone.now(),
        )  # fmt: skip
        for code, status in (("1.001193", TaskStatus.DONE), ("2.000001", TaskStatus.OPEN)):
            ProcedureUpdateTask.objects.create(
                agency=agency_a, decision=decision, decision_number=decision.number,
                decision_effective=decision.effective_date, national_code=code,
                procedure_title="Thủ tục", kind="amended", due_date=date(YEAR, 4, 1),
                status=status,
            )  # fmt: skip
        # Records of another year are not this year's: last year's change applied this year,
        # last year's one-stop figures.
        CatalogueDecision.objects.create(
            agency=agency_a, number="99/QĐ-UBND", effective_date=date(YEAR - 1, 12, 1),
            file_format="xlsx", file_sha256="1" * 64, content=b"", applied_at=timezone.now(),
        )  # fmt: skip
        DossierStatistic.objects.create(
            agency=agency_a, procedure_code="1.001193", year=YEAR - 1, month=5,
            received_online=100, resolved_late=100,
        )  # fmt: skip
    return {"audit": audit, "review": review, "objectives": objectives}


@pytest.fixture
def year_b(agency_b, staff_b):
    """B only drafted: the minutes and the objectives are not approved."""
    with today_is(TODAY):
        _review(agency_b, staff_b, approve=False)
        _objectives(agency_b, staff_b, approve=False)


def test_sections_equal_the_records(client, agency_a, staff_a, year_a, agency_b, staff_b, year_b):
    review, audit = year_a["review"], year_a["audit"]
    with today_is(TODAY):
        client.force_login(staff_a[EDITORS])
        response = client.post(reverse("iso_yearly_reports"), {"agency": agency_a.pk, "year": YEAR})
        assert response.status_code == 302
        report = YearlyReportPage.objects.descendant_of(agency_a).get()
        other = yearly_report_generate(agency=agency_b, year=YEAR, user=staff_b[EDITORS])
        page = client.get(reverse("iso_yearly_report", args=[report.pk])).content.decode()
    facts, rows = report.figures["facts"], report.figures["sections"]
    texts = {block.value["key"]: block.value["text"] for block in report.sections}

    # The management review: the approved minutes, their decisions and actions.
    actions = QualityAction.objects.filter(source=ActionSource.REVIEW, origin_page=review)
    assert actions.count() == 2 and actions.filter(status=ActionStatus.DONE).count() == 1
    assert facts["management_review_dates"] == [MEETING.isoformat()]
    assert facts["management_review"] == f"Ngày {MEETING:%d/%m/%Y}"
    assert (facts["review_decisions_total"], facts["review_decisions_done"]) == (2, 1)
    review_rows = dict(map(tuple, rows["management_review"]))
    assert review_rows["Ngày họp"] == f"{MEETING:%d/%m/%Y}"
    assert review_rows["Chủ trì"] == "Giám đốc Trần Văn Chủ"
    assert review_rows["Biên bản"] == f"Biên bản số 07/BB-CQA ngày {MEETING:%d/%m/%Y}"
    assert review_rows["Đã hoàn thành"] == "1/2"
    assert review_rows["Nhu cầu nguồn lực: Mua máy quét tài liệu"].endswith(
        f"hạn 28/02/{YEAR + 1} — Đã hoàn thành"
    )
    assert review_rows["Cơ hội cải tiến: Nhắc hạn hồ sơ qua tin nhắn"].endswith("Chưa thực hiện")
    assert "đã hoàn thành 1/2" in texts["management_review"]
    minutes = reverse("iso_quality_review", args=[review.pk])
    assert report.figures["links"]["management_review"][0][1] == minutes
    assert f'href="{minutes}"' in page

    # The objectives, judged as their own page judges them.
    assert (facts["objectives_total"], facts["objectives_achieved"]) == (4, 2)
    assert facts["objectives"] == "Đạt 2/4 mục tiêu"
    objective_rows = dict(map(tuple, rows["objectives"]))
    assert objective_rows["Hồ sơ một cửa đúng hạn (chỉ tiêu ≥ 98 %)"] == (
        f"99 % (Quý III/{YEAR}) — Đạt"
    )
    assert objective_rows["Văn bản trả lời đúng hạn (chỉ tiêu ≥ 98 %)"] == (
        f"95 % (Quý I/{YEAR}) — Không đạt"
    )
    assert objective_rows["Hồ sơ của cơ quan đúng hạn (chỉ tiêu ≥ 90 %)"] == (
        f"95 % (Quý III/{YEAR}) — Đạt"
    )
    assert objective_rows["Khảo sát sự hài lòng (chỉ tiêu ≥ 80 %)"] == (
        "chưa có kết quả đo — Chưa đo"
    )
    assert objective_rows["Kết quả chung"] == "Đạt 2/4 mục tiêu"
    assert "1 không đạt, 1 chưa đủ kết quả đo." in texts["objectives"]

    # The other sections.
    assert (facts["procedures_covered"], facts["procedures_total"]) == (1, 2)
    assert facts["announcement_number"] == "125/QĐ-STP"
    assert facts["announcement_date"] == date(YEAR, 1, 2).isoformat()
    assert facts["audit"] == f"{audit.report.report_date:%d/%m/%Y}"
    assert dict(map(tuple, rows["internal_audit"])) == {
        f"Báo cáo {audit.report.number or audit.report.title} ngày "
        f"{audit.report.report_date:%d/%m/%Y}": "0 KPH nặng, 1 KPH nhẹ, 0 lưu ý"
    }
    assert (facts["legal_decisions"], facts["updates_done"], facts["updates_total"]) == (1, 1, 2)
    assert "Còn 1 thủ tục quá hạn cập nhật." in texts["legal_updates"]
    legal_rows = dict(map(tuple, rows["legal_updates"]))
    assert legal_rows["Quyết định công bố danh mục đã cập nhật"] == f"45/QĐ-UBND (01/03/{YEAR})"
    # 9 months: (9 + 9 + 9 + 9 + 9 + 9 + 19 + 19 + 19) on time of 120 resolved; not last year's.
    assert facts["on_time_rate"] == pytest.approx(100 * 111 / 120)
    assert dict(map(tuple, rows["dossiers"]))["Hồ sơ tiếp nhận"] == "120"

    # B's drafts are not records of the year.
    other_facts = other.figures["facts"]
    other_texts = {block.value["key"]: block.value["text"] for block in other.sections}
    assert other_texts["management_review"] == "Chưa tổ chức xem xét của lãnh đạo trong năm."
    assert other_facts["review_decisions_total"] == 0 and other_facts["objectives_total"] == 0
    assert other_texts["objectives"] == (
        f"Chưa ban hành mục tiêu chất lượng năm {YEAR} được lãnh đạo phê duyệt."
    )
    assert other.figures["sections"]["management_review"] == []


def test_exports_and_the_province_summary_carry_the_figures(
    client, agency_a, staff_a, year_a, agency_b, staff_b, year_b
):
    with today_is(TODAY):
        report = yearly_report_generate(agency=agency_a, year=YEAR, user=staff_a[EDITORS])
        report = run_workflow(report, staff_a)
        yearly_report_submit(report=report, user=staff_a[EDITORS])
        client.force_login(staff_a[EDITORS])
        exports = {
            fmt: client.get(reverse(f"iso_yearly_report_{fmt}", args=[report.pk]))
            for fmt in ("docx", "pdf", "xlsx")
        }
        summary = province_summary_xlsx(province_summary_build(year=YEAR))
    readers = {"docx": _text_of_docx, "pdf": _text_of_pdf, "xlsx": _text_of_xlsx}
    for fmt, response in exports.items():
        assert response.status_code == 200, fmt
        text = readers[fmt](response.content)
        if fmt == "pdf":  # the PDF's text wraps table cells over lines
            text = " ".join(text.split())
        for figure in (
            f"{MEETING:%d/%m/%Y}",
            "Giám đốc Trần Văn Chủ",
            "Mua máy quét tài liệu",
            "Đạt 2/4 mục tiêu",
            f"95 % (Quý I/{YEAR}) — Không đạt",
            "125/QĐ-STP",
            "45/QĐ-UBND",
            f"{year_a['audit'].report.report_date:%d/%m/%Y}",
        ):
            assert figure in text, (fmt, figure)
        assert "DỰ THẢO" not in text, fmt

    from openpyxl import load_workbook

    sheet = load_workbook(BytesIO(summary)).active
    values = [list(row) for row in sheet.iter_rows(values_only=True)]
    header_at = next(i for i, row in enumerate(values) if row[:2] == ["STT", "Cơ quan, đơn vị"])
    header, body = values[header_at], [r for r in values[header_at + 1 :] if r[0]]
    by_agency = {row[1]: dict(zip(header, row, strict=True)) for row in body}
    assert sorted(by_agency) == ["Sở Tư pháp thử", "UBND phường thử"]  # one row per agency
    a, b = by_agency["Sở Tư pháp thử"], by_agency["UBND phường thử"]
    assert a["Báo cáo năm"].startswith("Đã nộp") and b["Báo cáo năm"] == "Chưa nộp"
    assert a["Phạm vi (TTHC áp dụng/tổng)"] == "1/2"
    assert a["Quyết định công bố"].startswith(f"Số 125/QĐ-STP ngày 02/01/{YEAR}")
    assert a["Đánh giá nội bộ"] == f"{year_a['audit'].report.report_date:%d/%m/%Y}"
    assert a["Xem xét của lãnh đạo"] == f"Ngày {MEETING:%d/%m/%Y}"
    assert a["Mục tiêu chất lượng"] == "Đạt 2/4 mục tiêu"
    assert b["Xem xét của lãnh đạo"] == "Chưa có" and b["Mục tiêu chất lượng"] == "Chưa có"
