"""Quality-management records (ISO 9001:2015 clauses 9.2 and 10.2): internal audit and
nonconformity → corrective action → effectiveness (DESIGN §10).

Pages or models, per record type, and why:

- **Audit programme** (chương trình đánh giá nội bộ, `AuditProgrammePage`), **audit plan**
  (kế hoạch đánh giá, `AuditPlanPage`) and **audit report** (báo cáo đánh giá, `AuditReportPage`)
  are *Wagtail pages* under the agency's private `QualitySystemPage`
  (programme → plan → report). They are documents leadership approves: as pages they take the
  agency's approval workflow (Kiểm tra → Lãnh đạo phê duyệt), revisions with compare, the
  page history, the per-agency page permissions given at provisioning and the section's view
  restriction — all without a line of our own. "Approved" means "live"; a change after approval
  is a new revision that goes through the workflow again. A plan's per-unit slots
  (`AuditPlanAssignment`) and a programme's rounds are inline rows of the page, so they are
  versioned with it.
- **Audit records** (phiếu ghi chép, `AuditRecord` with its `AuditQuestion` rows),
  **nonconformities** (`Nonconformity`) and **actions** (`QualityAction`) are *plain models*:
  they are many, small and change stage by stage (a question is answered, an action is done)
  rather than being approved as a whole; a page tree and a revision per keystroke would be
  heavy and would not express their stage guards. Each row carries its agency; every view
  checks it through one policy function (`workflows.quality.policy`), and each keeps its full
  history with django-simple-history (who, when, what). Their stage changes are services with
  guards in `workflows.quality`.
- **Units** (`QualityUnit`, phòng ban/bộ phận of an agency, with their members) are models too:
  the audit's scope and the impartiality rule (no auditor audits their own unit) need them.
- **Document reviews** (`DocumentReview`, «đã rà soát, không thay đổi») and **citizen feedback**
  (`CitizenFeedback`) are *plain models* too (`content_types.workspace`): a review is one small
  fact about a document that must *not* make a revision or an issue number, and feedback comes
  from anonymous citizens and moves through its statuses one answer at a time. Both carry their
  agency and history; their rights are checked in `workflows.workspace`.
- `QualityAction` is the agency's one action list: corrective actions now; objective plans and
  management-review decisions later add their own `source` and link.
"""
