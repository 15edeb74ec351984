"""Internal audit services: records from the approved plan, questions, the generated report."""

from __future__ import annotations

from collections import Counter

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from content_types.quality.clauses import CLAUSE_TITLES, clause_main, question_bank_for
from content_types.quality.plan import AuditPlanAssignment, AuditPlanPage
from content_types.quality.record import (
    FINDING_RESULTS,
    AuditQuestion,
    AuditRecord,
    AuditResult,
    RecordStatus,
)
from content_types.quality.report import AuditReportPage
from content_types.quality.rules import agency_of, impartiality_error, user_label

from .policy import record_can_write

RESULT_LABELS = dict(AuditResult.choices)


def _require_live(plan: AuditPlanPage) -> None:
    if not plan.live:
        raise ValidationError(
            "Kế hoạch đánh giá chưa được lãnh đạo phê duyệt: chưa thể ghi chép hay lập báo cáo."
        )


def _require_writable(record: AuditRecord, user) -> None:
    if record.status != RecordStatus.OPEN:
        raise ValidationError("Phiếu ghi chép đã hoàn thành, không sửa được nữa.")
    if not record_can_write(user, record):
        raise PermissionDenied


def audit_plan_check_impartiality(*, plan: AuditPlanPage) -> None:
    """Refuse a plan where an auditor audits their own unit (the admin form checks the same)."""
    errors = [
        error
        for assignment in plan.assignments.select_related("unit", "auditor")
        if (error := impartiality_error(assignment.unit, assignment.auditor))
    ]
    if errors:
        raise ValidationError(errors)


def audit_assignments_for(user, plan: AuditPlanPage) -> list[AuditPlanAssignment]:
    return list(plan.assignments.filter(auditor=user).select_related("unit"))


@transaction.atomic
def audit_record_open(*, plan: AuditPlanPage, assignment_id: int, user) -> AuditRecord:
    """The auditor's record of one assignment of the approved plan (created the first time)."""
    _require_live(plan)
    assignment = plan.assignments.select_related("unit", "auditor").filter(pk=assignment_id).first()
    if assignment is None:
        raise ValidationError("Phân công này không có trong kế hoạch đã phê duyệt.")
    if assignment.auditor_id != user.pk:
        raise PermissionDenied
    error = impartiality_error(assignment.unit, assignment.auditor)
    if error:
        raise ValidationError(error)
    record, _ = AuditRecord.objects.get_or_create(
        plan=plan,
        unit=assignment.unit,
        auditor=assignment.auditor,
        defaults={
            "agency": agency_of(plan),
            "audit_date": assignment.audit_date,
            "processes": assignment.processes,
            "auditee_representative": assignment.auditee_representative,
        },
    )
    return record


def _next_order(record: AuditRecord) -> int:
    last = record.questions.order_by("-sort_order").values_list("sort_order", flat=True).first()
    return (last or 0) + 1


def audit_question_add(
    *, record: AuditRecord, clause: str, question: str, process: str = "", user
) -> AuditQuestion:
    _require_writable(record, user)
    question = (question or "").strip()
    if clause not in CLAUSE_TITLES:
        raise ValidationError("Hãy chọn một điều khoản của TCVN ISO 9001:2015 (4 đến 10).")
    if not question:
        raise ValidationError("Hãy nhập câu hỏi hoặc nội dung cần đánh giá.")
    return AuditQuestion.objects.create(
        record=record,
        clause=clause,
        process=process.strip(),
        question=question,
        sort_order=_next_order(record),
    )


@transaction.atomic
def audit_questions_from_bank(*, record: AuditRecord, clause: str, user) -> int:
    """Add the question bank's questions of a clause (a main clause brings its sub-clauses')."""
    _require_writable(record, user)
    if clause not in CLAUSE_TITLES:
        raise ValidationError("Hãy chọn một điều khoản của TCVN ISO 9001:2015 (4 đến 10).")
    existing = set(record.questions.values_list("clause", "question"))
    order = _next_order(record)
    added = 0
    for code, text in question_bank_for(clause):
        if (code, text) in existing:
            continue
        AuditQuestion.objects.create(
            record=record, clause=code, question=text, sort_order=order + added
        )
        added += 1
    if not added:
        raise ValidationError(
            f"Ngân hàng câu hỏi không có câu hỏi mới nào cho điều {clause} "
            "(hoặc phiếu đã có đủ các câu hỏi đó)."
        )
    return added


def audit_records_copyable(record: AuditRecord):
    """Earlier records of the same agency whose questions may be copied into `record`."""
    return (
        AuditRecord.objects.filter(agency=record.agency)
        .exclude(pk=record.pk)
        .filter(questions__isnull=False)
        .distinct()
        .select_related("unit", "plan")
        .order_by("-audit_date", "-pk")
    )


@transaction.atomic
def audit_questions_copy(*, record: AuditRecord, source: AuditRecord, user) -> int:
    """Copy the questions (never the answers) of an earlier audit record of the same agency."""
    _require_writable(record, user)
    if source.agency_id != record.agency_id or source.pk == record.pk:
        raise ValidationError("Chỉ sao chép được câu hỏi từ một phiếu khác của cùng cơ quan.")
    order = _next_order(record)
    questions = list(source.questions.all())
    if not questions:
        raise ValidationError("Phiếu được chọn không có câu hỏi nào để sao chép.")
    for offset, question in enumerate(questions):
        AuditQuestion.objects.create(
            record=record,
            clause=question.clause,
            process=question.process,
            question=question.question,
            sort_order=order + offset,
        )
    return len(questions)


def audit_question_answer(
    *,
    question: AuditQuestion,
    result: str,
    evidence: str = "",
    dossiers_sampled: str = "",
    note: str = "",
    user,
) -> AuditQuestion:
    _require_writable(question.record, user)
    if result not in RESULT_LABELS:
        raise ValidationError("Hãy chọn kết quả đánh giá.")
    if result != AuditResult.CONFORMING and not note.strip():
        raise ValidationError(
            f"Kết quả «{RESULT_LABELS[result]}» cần diễn giải phát hiện: ghi rõ điều gì chưa "
            "phù hợp hoặc cần lưu ý, ở đâu, bằng chứng nào."
        )
    if not evidence.strip():
        raise ValidationError("Hãy ghi bằng chứng đã xem (tài liệu, hồ sơ, phỏng vấn).")
    question.result = result
    question.evidence = evidence.strip()
    question.dossiers_sampled = dossiers_sampled.strip()
    question.note = note.strip()
    question.save()
    return question


def audit_question_remove(*, question: AuditQuestion, user) -> None:
    _require_writable(question.record, user)
    question.delete()


@transaction.atomic
def audit_record_submit(*, record: AuditRecord, summary: str = "", user) -> AuditRecord:
    _require_writable(record, user)
    questions = list(record.questions.all())
    if not questions:
        raise ValidationError("Phiếu ghi chép chưa có câu hỏi nào: chưa thể hoàn thành.")
    unanswered = [q for q in questions if not q.result]
    if unanswered:
        listed = ", ".join(f"điều {q.clause}" for q in unanswered[:5])
        raise ValidationError(
            f"Còn {len(unanswered)} câu hỏi chưa có kết quả đánh giá ({listed}): hãy đánh giá "
            "hết trước khi hoàn thành phiếu."
        )
    record.summary = summary.strip() or record.summary
    record.status = RecordStatus.SUBMITTED
    record.submitted_at = timezone.now()
    record.save()
    return record


def audit_report_statistics(plan: AuditPlanPage) -> dict:
    """Counts of results by main clause and by unit over the plan's records."""
    questions = AuditQuestion.objects.filter(record__plan=plan).select_related("record__unit")
    by_clause: dict[str, Counter] = {}
    by_unit: dict[str, Counter] = {}
    totals: Counter = Counter()
    for question in questions:
        if not question.result:
            continue
        by_clause.setdefault(clause_main(question.clause), Counter())[question.result] += 1
        by_unit.setdefault(question.record.unit.name, Counter())[question.result] += 1
        totals[question.result] += 1
    return {
        "by_clause": [[c, dict(by_clause[c])] for c in sorted(by_clause, key=int)],
        "by_unit": [[u, dict(by_unit[u])] for u in sorted(by_unit)],
        "totals": dict(totals),
    }


def _finding_lines(plan: AuditPlanPage, results) -> list[str]:
    questions = (
        AuditQuestion.objects.filter(record__plan=plan, result__in=results)
        .select_related("record__unit")
        .order_by("record__unit__name", "clause", "pk")
    )
    return [
        f"{number}. [{RESULT_LABELS[q.result]}] {q.record.unit.name}, điều {q.clause}: "
        f"{q.note or q.question}" + (f" (bằng chứng: {q.evidence})" if q.evidence else "")
        for number, q in enumerate(questions, start=1)
    ]


def audit_report_ready_errors(plan: AuditPlanPage) -> list[str]:
    """Why a report cannot yet be generated for `plan` (empty: it can)."""
    if not plan.live:
        return ["Kế hoạch đánh giá chưa được lãnh đạo phê duyệt."]
    errors = []
    records = {(r.unit_id, r.auditor_id): r for r in AuditRecord.objects.filter(plan=plan)}
    for assignment in plan.assignments.select_related("unit", "auditor"):
        record = records.get((assignment.unit_id, assignment.auditor_id))
        if record is None or record.status != RecordStatus.SUBMITTED:
            errors.append(
                f"Đơn vị «{assignment.unit.name}» (đánh giá viên {user_label(assignment.auditor)}) "
                "chưa có phiếu ghi chép hoàn thành."
            )
    return errors


@transaction.atomic
def audit_report_generate(*, plan: AuditPlanPage, user) -> AuditReportPage:
    """A draft report from the records, for the ISO officer to edit and submit for approval."""
    if AuditReportPage.objects.child_of(plan).exists():
        raise ValidationError("Đợt đánh giá này đã có báo cáo: hãy sửa báo cáo đã có.")
    if not plan.permissions_for_user(user).can_add_subpage():
        raise PermissionDenied
    errors = audit_report_ready_errors(plan)
    if errors:
        raise ValidationError(errors)
    agency = agency_of(plan)
    statistics = audit_report_statistics(plan)
    totals = statistics["totals"]
    units = sorted({r.unit.name for r in plan.audit_records.select_related("unit")})
    major = totals.get(AuditResult.MAJOR, 0)
    minor = totals.get(AuditResult.MINOR, 0)
    findings = _finding_lines(plan, FINDING_RESULTS)
    strong = _finding_lines(plan, [AuditResult.STRONG_POINT])
    if major:
        conclusion = (
            f"Hệ thống quản lý chất lượng của {agency.title} còn {major} điểm không phù hợp "
            f"nặng và {minor} điểm không phù hợp nhẹ; các đơn vị phải phân tích nguyên nhân và "
            "thực hiện hành động khắc phục, báo cáo kết quả cho trưởng đoàn đánh giá."
        )
    else:
        conclusion = (
            f"Hệ thống quản lý chất lượng của {agency.title} được duy trì và áp dụng phù hợp "
            f"với TCVN ISO 9001:2015. Có {minor} điểm không phù hợp nhẹ cần khắc phục."
        )
    report = AuditReportPage(
        title=f"Báo cáo đánh giá nội bộ — {plan.title}",
        slug=f"bao-cao-{plan.pk}",
        number=f"…/BC-{agency.agency_code}",
        report_date=timezone.localdate(),
        summary=(
            f"Thực hiện {plan.title}, từ ngày {plan.start_date:%d/%m/%Y} đến ngày "
            f"{plan.end_date:%d/%m/%Y}, đoàn đánh giá do {user_label(plan.team_lead)} làm "
            f"trưởng đoàn đã đánh giá {len(units)} đơn vị: {', '.join(units)}."
        ),
        statistics=statistics,
        findings="\n".join(findings) or "Không có phát hiện.",
        strong_points="\n".join(strong) or "Không ghi nhận.",
        conclusion=conclusion,
        signer_name=user_label(plan.team_lead),
        live=False,
        owner=user,
    )
    plan.add_child(instance=report)
    report.save_revision(user=user, log_action=True)
    return report
