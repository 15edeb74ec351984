"""A complete audit round of one agency built through the services (not the admin forms):
for the tests that need the data, not the journey."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.utils import timezone

from content_types.quality.action import QualityAction
from content_types.quality.nonconformity import Nonconformity
from content_types.quality.plan import AuditPlanAssignment, AuditPlanPage
from content_types.quality.programme import AuditProgrammePage, AuditProgrammeRound
from content_types.quality.record import AuditQuestion, AuditRecord, AuditResult
from content_types.quality.report import AuditReportPage
from content_types.quality.units import QualityUnit
from tests.factories import quality_system, run_workflow
from workflows.quality import audits
from workflows.quality import nonconformities as ncs

FINDING = "Hồ sơ CT-0412 trả kết quả trễ hạn, chưa có văn bản xin lỗi."


@dataclass
class Round:
    unit: QualityUnit
    programme: AuditProgrammePage
    plan: AuditPlanPage
    record: AuditRecord
    finding: AuditQuestion
    report: AuditReportPage
    nc: Nonconformity
    action: QualityAction


def build_round(agency, staff, *, audit_day: date | None = None, due: date | None = None) -> Round:
    editor, auditor = staff["editors"], staff["auditors"]
    audit_day = audit_day or timezone.localdate()
    unit = QualityUnit.objects.create(agency=agency, name=f"Bộ phận Một cửa {agency.agency_code}")
    programme = AuditProgrammePage(
        title=f"Chương trình đánh giá {agency.agency_code}", year=audit_day.year, live=False
    )
    quality_system(agency).add_child(instance=programme)
    AuditProgrammeRound.objects.create(page=programme, name="Đợt 1", planned_month=audit_day.month)
    programme.save_revision(user=editor)
    run_workflow(programme, staff)
    plan = AuditPlanPage(
        title=f"Kế hoạch đánh giá {agency.agency_code}",
        start_date=audit_day,
        end_date=audit_day,
        team_lead=auditor,
        live=False,
    )
    programme.add_child(instance=plan)
    row = AuditPlanAssignment.objects.create(
        page=plan, unit=unit, auditor=auditor, clauses="8.5", audit_date=audit_day
    )
    plan.save_revision(user=editor)
    plan = run_workflow(plan, staff)
    record = audits.audit_record_open(plan=plan, assignment_id=row.pk, user=auditor)
    finding = audits.audit_question_add(
        record=record, clause="8.5", question="Hồ sơ đúng hạn?", user=auditor
    )
    audits.audit_question_answer(
        question=finding, result=AuditResult.MINOR, evidence="Sổ", note=FINDING, user=auditor
    )
    audits.audit_record_submit(record=record, user=auditor)
    report = audits.audit_report_generate(plan=plan, user=editor)
    report = run_workflow(report, staff)
    nc = ncs.nonconformity_from_finding(finding=finding, user=editor)
    ncs.nonconformity_start_analysis(nc=nc, user=editor)
    ncs.nonconformity_record_cause(nc=nc, cause="Chưa theo dõi hạn.", user=editor)
    action = ncs.action_add(
        nc=nc,
        title=f"Theo dõi hạn hồ sơ {agency.agency_code}",
        owner=staff["reviewers"],
        due_date=due or timezone.localdate() + timedelta(days=7),
        user=editor,
    )
    ncs.nonconformity_start_actions(nc=nc, user=editor)
    return Round(unit, programme, plan, record, finding, report, nc, action)
