"""XLSX exports of the quality lists (openpyxl): one sheet, a header row, Vietnamese labels."""

from __future__ import annotations

from content_types.quality.rules import user_label
from themes.renderers import simple_xlsx


def _workbook(title: str, agency, header: list[str], rows: list[list]) -> bytes:
    return simple_xlsx(
        sheet_title=title,
        title=f"{title} — {agency.title}",
        header=header,
        rows=rows,
        widths=(14, 40, 22, 18, 18, 18, 18, 30, 18, 18),
    )


def audits_xlsx(agency, items: list[dict]) -> bytes:
    rows = [
        [
            item["plan"].title,
            item["plan"].round_name,
            item["plan"].start_date,
            item["plan"].end_date,
            user_label(item["plan"].team_lead),
            "Đã phê duyệt" if item["plan"].live else "Dự thảo",
            item["plan"].records,
            (
                ("Đã phê duyệt" if item["report"].live else "Dự thảo")
                if item["report"]
                else "Chưa có"
            ),
        ]
        for item in items
    ]
    header = [
        "Kế hoạch",
        "Đợt",
        "Từ ngày",
        "Đến ngày",
        "Trưởng đoàn",
        "Kế hoạch",
        "Số phiếu ghi chép",
        "Báo cáo",
    ]
    return _workbook("Đánh giá nội bộ", agency, header, rows)


def findings_xlsx(agency, findings) -> bytes:
    rows = [
        [
            q.record.audit_date,
            q.record.unit.name,
            q.clause,
            q.get_result_display(),
            q.question,
            q.note,
            q.evidence,
            user_label(q.record.auditor),
        ]
        for q in findings
    ]
    header = [
        "Ngày",
        "Đơn vị",
        "Điều khoản",
        "Kết quả",
        "Câu hỏi",
        "Phát hiện",
        "Bằng chứng",
        "Đánh giá viên",
    ]
    return _workbook("Phát hiện đánh giá", agency, header, rows)


def nonconformities_xlsx(agency, ncs) -> bytes:
    rows = [
        [
            nc.code,
            nc.title,
            nc.get_source_display(),
            nc.unit.name if nc.unit else "",
            nc.clause,
            nc.get_severity_display(),
            nc.get_stage_display(),
            nc.cause,
            nc.raised_on,
            nc.closed_at.date() if nc.closed_at else None,
        ]
        for nc in ncs
    ]
    header = [
        "Số hiệu",
        "Tóm tắt",
        "Nguồn",
        "Đơn vị",
        "Điều khoản",
        "Mức độ",
        "Giai đoạn",
        "Nguyên nhân",
        "Ngày phát hiện",
        "Ngày đóng",
    ]
    return _workbook("Sự không phù hợp", agency, header, rows)


def actions_xlsx(agency, actions, overdue_ids: set[int]) -> bytes:
    rows = [
        [
            a.nonconformity.code if a.nonconformity else a.get_source_display(),
            a.title,
            user_label(a.owner),
            a.due_date,
            a.get_status_display() + (" (quá hạn)" if a.pk in overdue_ids else ""),
            a.completed_on,
            a.result,
            a.get_effectiveness_display() if a.effectiveness else "",
        ]
        for a in actions
    ]
    header = [
        "Nguồn",
        "Hành động",
        "Người thực hiện",
        "Hạn",
        "Tình trạng",
        "Ngày hoàn thành",
        "Kết quả",
        "Hiệu lực",
    ]
    return _workbook("Hành động", agency, header, rows)
