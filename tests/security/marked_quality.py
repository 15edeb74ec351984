"""Agency A's marked internal audit and corrective action records (issue 16), for the admin walk.

One round built through the services as A's staff would: two units, an approved programme, an
approved plan, a submitted record with two minor findings (one already raised as a
nonconformity, one not, so a `raise_nc` through B would create something), a draft report, the
nonconformity in progress and its planned action. Every text B could see carries the mark.
"""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from content_types.agency import AgencyRole
from content_types.quality.action import QualityAction
from content_types.quality.nonconformity import Nonconformity
from content_types.quality.plan import AuditPlanAssignment, AuditPlanPage
from content_types.quality.programme import AuditProgrammePage, AuditProgrammeRound
from content_types.quality.record import AuditQuestion, AuditRecord, AuditResult
from content_types.quality.units import QualityUnit
from tests.factories import quality_system, run_workflow
from workflows.quality import audits
from workflows.quality import nonconformities as ncs

from .marked import MARK, SEARCH_WORD, MarkedWorld, fingerprint_part, marked_builder
from .walk import walk_url

TEXT = f"{MARK} {SEARCH_WORD}"
_PROGRAMMES, _PLANS = "content_types.auditprogrammepage", "content_types.auditplanpage"


@marked_builder
def audit_round(world: MarkedWorld) -> None:
    staff = world.staff_a
    editor, auditor = staff[AgencyRole.EDITORS], staff[AgencyRole.AUDITORS]
    today = timezone.localdate()

    desk = QualityUnit.objects.create(agency=world.agency_a, name=f"{TEXT} Bộ phận Một cửa")
    legal = QualityUnit.objects.create(agency=world.agency_a, name=f"{TEXT} Phòng Tư pháp")
    legal.members.add(editor)
    world.add(desk)
    world.add(legal)

    programme = AuditProgrammePage(
        title=f"{TEXT} Chương trình đánh giá nội bộ",
        year=today.year,
        purpose=f"{TEXT} mục đích",
        live=False,
    )
    quality_system(world.agency_a).add_child(instance=programme)
    AuditProgrammeRound.objects.create(page=programme, name="Đợt 1", planned_month=today.month)
    programme.save_revision(user=editor)
    programme = run_workflow(programme, staff)
    world.add(programme)

    plan = AuditPlanPage(
        title=f"{TEXT} Kế hoạch đánh giá đợt 1",
        start_date=today,
        end_date=today,
        team_lead=auditor,
        live=False,
    )
    programme.add_child(instance=plan)
    assignment = AuditPlanAssignment.objects.create(
        page=plan, unit=desk, auditor=auditor, clauses="8.5", audit_date=today
    )
    plan.save_revision(user=editor)
    plan = run_workflow(plan, staff)
    world.add(plan)
    world.extra["audit_assignment"] = assignment

    record = audits.audit_record_open(plan=plan, assignment_id=assignment.pk, user=auditor)
    findings = []
    for n in (1, 2):
        question = audits.audit_question_add(
            record=record, clause="8.5", question=f"{TEXT} câu hỏi {n}", user=auditor
        )
        audits.audit_question_answer(
            question=question,
            result=AuditResult.MINOR,
            evidence=f"{TEXT} bằng chứng {n}",
            note=f"{TEXT} phát hiện {n}",
            user=auditor,
        )
        findings.append(question)
        world.add(question)
    audits.audit_record_submit(record=record, summary=f"{TEXT} nhận xét", user=auditor)
    world.add(record)

    report = audits.audit_report_generate(plan=plan, user=editor)  # a draft, never approved
    world.add(report)

    nc = ncs.nonconformity_from_finding(finding=findings[0], user=editor)
    ncs.nonconformity_start_analysis(nc=nc, user=editor)
    ncs.nonconformity_record_cause(nc=nc, cause=f"{TEXT} nguyên nhân", user=editor)
    action = ncs.action_add(
        nc=nc,
        title=f"{TEXT} Theo dõi hạn hồ sơ",
        owner=staff[AgencyRole.REVIEWERS],
        due_date=today + timedelta(days=7),
        user=editor,
    )
    ncs.nonconformity_start_actions(nc=nc, user=editor)
    world.add(nc)
    world.add(action)


# Every op each view acts on, so that a refused right is seen even where one op would slip by.
walk_url("iso_quality_unit", "content_types.qualityunit")
walk_url("iso_quality_programme", _PROGRAMMES)
walk_url(
    "iso_quality_plan",
    _PLANS,
    posts=lambda world: [
        {"op": "generate_report"},
        {"op": "open_record", "assignment": world.extra["audit_assignment"].pk},
    ],
)
walk_url(
    "iso_quality_record",
    "content_types.auditrecord",
    posts=[
        {"op": "add", "clause": "8.5", "question": "chiem quyen"},
        {"op": "bank", "clause": "7"},
        {"op": "submit", "summary": "chiem quyen"},
    ],
)
walk_url(
    "iso_quality_question",
    "content_types.auditquestion",
    posts=[
        {"op": "raise_nc"},
        {"op": "remove"},
        {"op": "answer", "result": "conforming", "evidence": "chiem quyen"},
    ],
)
walk_url("iso_quality_report", "content_types.auditreportpage")
walk_url("iso_quality_report_docx", "content_types.auditreportpage")
walk_url("iso_quality_report_pdf", "content_types.auditreportpage")
walk_url(
    "iso_quality_nc",
    "content_types.nonconformity",
    posts=[
        {"op": "cancel", "reason": "chiem quyen"},
        {"op": "cause", "cause": "chiem quyen"},
        {"op": "request_verification"},
        {"op": "verify", "effective": "1", "note": "chiem quyen"},
        {"op": "add_action", "title": "chiem quyen", "due_date": "2030-01-01"},
    ],
)
walk_url(
    "iso_quality_action",
    "content_types.qualityaction",
    posts=[
        {"op": "start"},
        {"op": "complete", "result": "chiem quyen"},
        {"op": "cancel", "reason": "chiem quyen"},
    ],
)


@fingerprint_part
def quality_part(world: MarkedWorld):
    agency = world.agency_a
    return (
        list(QualityUnit.objects.filter(agency=agency).order_by("pk").values_list()),
        sorted(QualityUnit.objects.filter(agency=agency).values_list("pk", "members")),
        list(
            AuditProgrammeRound.objects.filter(page__in=world.ids[_PROGRAMMES])
            .order_by("pk")
            .values_list()
        ),
        list(
            AuditPlanAssignment.objects.filter(page__in=world.ids[_PLANS])
            .order_by("pk")
            .values_list()
        ),
        list(AuditRecord.objects.filter(agency=agency).order_by("pk").values_list()),
        list(AuditQuestion.objects.filter(record__agency=agency).order_by("pk").values_list()),
        list(Nonconformity.objects.filter(agency=agency).order_by("pk").values_list()),
        list(QualityAction.objects.filter(agency=agency).order_by("pk").values_list()),
        # Nothing created for A elsewhere either (counts over every agency).
        [
            model.objects.count()
            for model in (QualityUnit, AuditRecord, AuditQuestion, Nonconformity, QualityAction)
        ],
    )
