"""The whole cycle through the admin's own views, as the real roles: programme approved → plan
approved → records → report approved → nonconformity → actions → verification → closed."""

from __future__ import annotations

from datetime import datetime
from io import BytesIO
from zoneinfo import ZoneInfo

from django.urls import reverse

import pytest

from content_types.quality.action import ActionStatus, Effectiveness, QualityAction
from content_types.quality.nonconformity import Nonconformity, NonconformityStage
from content_types.quality.record import AuditRecord, AuditResult, RecordStatus
from content_types.quality.report import AuditReportPage
from tests.quality.conftest import (
    APPROVERS,
    AUDITORS,
    EDITORS,
    REVIEWERS,
    approve_through_admin,
    approved_plan,
    approved_programme,
    assignment,
    messages_of,
    today_is,
)

NOW = datetime(2026, 12, 10, 9, 0, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))
FINDING = "Hồ sơ CT-0412 trả kết quả trễ 2 ngày, không có phiếu xin lỗi người dân."


def _answer(client, question, result, note=""):
    response = client.post(
        reverse("iso_quality_question", args=[question.pk]),
        {
            "op": "answer",
            "result": result,
            "evidence": "Sổ theo dõi hồ sơ tháng 11/2026",
            "dossiers_sampled": "CT-0410, CT-0412",
            "note": note,
        },
    )
    assert response.status_code == 302, messages_of(response)


def _open_record(client, plan, row) -> AuditRecord:
    response = client.post(
        reverse("iso_quality_plan", args=[plan.pk]), {"op": "open_record", "assignment": row.pk}
    )
    assert response.status_code == 302
    return AuditRecord.objects.get(plan=plan, unit=row.unit, auditor=row.auditor)


def _report_data(report, **overrides) -> dict:
    from wagtail.test.utils.form_data import inline_formset, nested_form_data

    report = report.get_latest_revision_as_object()
    data = {
        field: getattr(report, field)
        for field in (
            "title",
            "slug",
            "number",
            "place",
            "summary",
            "findings",
            "strong_points",
            "conclusion",
            "recipients",
            "signer_title",
            "signer_name",
        )
    }
    data["report_date"] = report.report_date.isoformat()
    data["comments"] = inline_formset([])
    data.update(overrides)
    return nested_form_data(data)


@pytest.mark.django_db
def test_whole_cycle_through_the_admin(client, agency_a, staff_a, units_a, province_auditor):
    auditor = staff_a[AUDITORS]
    with today_is(NOW):
        programme = approved_programme(client, agency_a, staff_a, units_a)
        assert programme.live
        plan = approved_plan(
            client,
            programme,
            staff_a,
            [
                # The agency's auditor works in the legal unit: they audit the desk.
                assignment(units_a["desk"], auditor),
                assignment(units_a["legal"], province_auditor, time_slot="14h00–16h00"),
            ],
            team_lead=auditor,
        )
        assert plan.live
        rows = {row.unit_id: row for row in plan.assignments.all()}

        # The agency's auditor fills their record from the question bank and a question of
        # their own.
        client.force_login(auditor)
        assert client.get(reverse("iso_quality_plan", args=[plan.pk])).status_code == 200
        record = _open_record(client, plan, rows[units_a["desk"].pk])
        url = reverse("iso_quality_record", args=[record.pk])
        assert client.post(url, {"op": "bank", "clause": "8"}).status_code == 302
        client.post(
            url,
            {"op": "add", "clause": "7.5", "process": "Lưu trữ", "question": "Hồ sơ lưu đủ?"},
        )
        questions = list(record.questions.all())
        assert len(questions) >= 4 and {q.clause for q in questions} >= {"8.5", "7.5"}
        _answer(client, questions[0], AuditResult.MINOR, FINDING)
        _answer(client, questions[1], AuditResult.STRONG_POINT, "Niêm yết TTHC rõ ràng.")
        for question in questions[2:]:
            _answer(client, question, AuditResult.CONFORMING)
        response = client.post(
            url, {"op": "submit", "summary": "Đơn vị thực hiện tốt."}, follow=True
        )
        assert "Đã hoàn thành phiếu ghi chép." in messages_of(response)

        # The province auditor copies the questions of that record into theirs.
        client.force_login(province_auditor)
        second = _open_record(client, plan, rows[units_a["legal"].pk])
        second_url = reverse("iso_quality_record", args=[second.pk])
        client.post(second_url, {"op": "copy", "source": record.pk})
        copied = list(second.questions.all())
        assert [q.question for q in copied] == [q.question for q in questions]
        assert all(q.result == "" for q in copied)  # questions copied, never the answers
        _answer(client, copied[0], AuditResult.OBSERVATION, "Sổ tay chưa cập nhật lần ban hành.")
        for question in copied[1:]:
            _answer(client, question, AuditResult.CONFORMING)
        client.post(second_url, {"op": "submit"})
        assert second.__class__.objects.get(pk=second.pk).status == RecordStatus.SUBMITTED

        # The ISO officer generates the report, edits it, and leadership approves it.
        client.force_login(staff_a[EDITORS])
        response = client.post(
            reverse("iso_quality_plan", args=[plan.pk]), {"op": "generate_report"}
        )
        report = AuditReportPage.objects.child_of(plan).get()
        assert response.url == reverse("wagtailadmin_pages:edit", args=[report.pk])
        draft = report.get_latest_revision_as_object()
        assert FINDING in draft.findings
        assert "Niêm yết TTHC rõ ràng." in draft.strong_points
        assert draft.statistics["totals"][AuditResult.MINOR] == 1
        assert dict(draft.statistics["by_unit"])["Bộ phận Một cửa"][AuditResult.STRONG_POINT] == 1
        data = _report_data(report, number="12/BC-CQA", conclusion="HTQLCL được duy trì.")
        data["action-submit"] = "1"
        response = client.post(reverse("wagtailadmin_pages:edit", args=[report.pk]), data)
        assert response.status_code == 302
        approve_through_admin(client, report, staff_a)
        report = AuditReportPage.objects.get(pk=report.pk)
        assert report.live and report.number == "12/BC-CQA"

        # The approved report opens for the province auditor, DOCX and PDF with the findings.
        client.force_login(province_auditor)
        page = client.get(reverse("iso_quality_report", args=[report.pk]))
        assert FINDING in page.content.decode()
        docx = client.get(reverse("iso_quality_report_docx", args=[report.pk]))
        from docx import Document

        text = "\n".join(p.text for p in Document(BytesIO(docx.content)).paragraphs)
        assert FINDING in text and "HTQLCL được duy trì." in text
        pdf = client.get(reverse("iso_quality_report_pdf", args=[report.pk]))
        from pypdf import PdfReader

        pdf_text = " ".join(p.extract_text() for p in PdfReader(BytesIO(pdf.content)).pages)
        assert "CT-0412" in pdf_text and "Độc lập - Tự do - Hạnh phúc" in pdf_text

        # The finding becomes a nonconformity and follows its stages to a verified closure.
        client.force_login(staff_a[EDITORS])
        response = client.post(
            reverse("iso_quality_question", args=[questions[0].pk]), {"op": "raise_nc"}
        )
        nc = Nonconformity.objects.get(finding=questions[0])
        assert response.url == reverse("iso_quality_nc", args=[nc.pk])
        assert nc.stage == NonconformityStage.NEW and nc.unit == units_a["desk"]
        nc_url = reverse("iso_quality_nc", args=[nc.pk])
        client.post(nc_url, {"op": "analyse"})
        client.post(nc_url, {"op": "cause", "cause": "Chưa phân công người theo dõi hạn."})
        owner = staff_a[REVIEWERS]
        client.post(
            nc_url,
            {
                "op": "add_action",
                "title": "Phân công cán bộ theo dõi hạn hồ sơ hằng ngày",
                "owner": owner.pk,
                "due_date": "2026-12-20",
            },
        )
        client.post(nc_url, {"op": "start"})
        assert Nonconformity.objects.get(pk=nc.pk).stage == NonconformityStage.IN_PROGRESS

        action = QualityAction.objects.get(nonconformity=nc)
        client.force_login(owner)
        action_url = reverse("iso_quality_action", args=[action.pk])
        assert client.get(action_url).status_code == 200
        client.post(action_url, {"op": "complete", "result": "Quyết định phân công số 15/QĐ."})
        assert QualityAction.objects.get(pk=action.pk).status == ActionStatus.DONE

        client.force_login(staff_a[EDITORS])
        client.post(nc_url, {"op": "request_verification"})
        client.force_login(staff_a[APPROVERS])
        response = client.post(
            nc_url,
            {"op": "verify", "effective": "1", "note": "Tháng 12 không còn hồ sơ trễ hạn."},
            follow=True,
        )
        assert "Hành động khắc phục có hiệu lực: đã đóng sự không phù hợp." in messages_of(response)
    nc = Nonconformity.objects.get(pk=nc.pk)
    assert nc.stage == NonconformityStage.CLOSED
    assert nc.verified_by == staff_a[APPROVERS] and nc.effective is True
    assert QualityAction.objects.get(pk=action.pk).effectiveness == Effectiveness.EFFECTIVE
    # Every stage is in the history, with who moved it.
    stages = [h.stage for h in nc.history.order_by("history_date")]
    assert stages == [
        NonconformityStage.NEW,
        NonconformityStage.ANALYSIS,
        NonconformityStage.PLANNING,
        NonconformityStage.IN_PROGRESS,
        NonconformityStage.VERIFICATION,
        NonconformityStage.CLOSED,
    ]
    assert nc.history.latest().history_user == staff_a[APPROVERS]
