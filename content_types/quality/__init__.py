"""Quality-management records (ISO 9001:2015 clauses 6.1, 9.2, 9.3 and 10.2): risks and
opportunities, internal audit, management review, and nonconformity → corrective action →
effectiveness (DESIGN §10).

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
- The **risks and opportunities register** (`RiskRegisterPage`, one per agency and year) and the
  **management review** minutes (`ManagementReviewPage`) are *pages* under the private
  `QualitySystemPage` for the same reasons as the audit programme: leadership approves each as
  a whole through the agency workflow, and each version is kept. Their risks, inputs (9.3.2)
  and decisions (9.3.3) are inline rows, versioned with the page. A risk's treatment and a
  review's decision become `QualityAction` rows (source «risk» / «review», with `origin_page`
  and the row's uid in `origin_key`) when the page is approved, so the stage-by-stage work on
  them happens in the one action list, with its history and guards. The rating scale
  is the agency's (`AgencyRiskScale`, one row per agency, history with django-simple-history),
  a plain model edited from the register's screen by the agency's administrators and the
  province's — not fields of the register page, deliberately: the scale is the agency's method
  of rating, shared by every year's register and by the management review's risk input, and it
  belongs to the administrators, not to the ISO officer who writes a register; as page fields it
  would be re-declared each year, approved again with every register and could differ between
  two registers one review compares. An approved register is therefore rated on the current
  scale: shrinking it below a level any register (its version in force or its draft) uses is
  refused with the registers named (`workflows.quality.risk_scale`), and a register approved
  before the scale changed says so on its screen. It replaced the site setting
  `RiskScaleSettings` (per site, so the whole province's one site shared it, superusers only);
  migration 0015 gave each agency its site's values.
- The **announcement decision** (`AnnouncementPage`) and the **yearly report** to Sở KH&CN
  (`YearlyReportPage`, content_types.announcement) are *pages* under the same section, approved
  as a whole like the programme; the announcement is shown publicly on the agency's portal once
  live. A report's **submission** (`YearlyReportSubmission`) is a plain row: an event recording
  which approved revision went to the province, with its figures, by whom and when.
- **Document reviews** (`DocumentReview`, «đã rà soát, không thay đổi») and **citizen feedback**
  (`CitizenFeedback`) are *plain models* too (`content_types.workspace`): a review is one small
  fact about a document that must *not* make a revision or an issue number, and feedback comes
  from anonymous citizens and moves through its statuses one answer at a time. Both carry their
  agency and history; their rights are checked in `workflows.workspace`.
- `QualityAction` is the agency's one action list: corrective actions now; objective plans and
  management-review decisions later add their own `source` and link.
- **Quality objectives** (mục tiêu chất lượng, `QualityObjectivesPage` with its
  `QualityObjective` rows) and the **maintenance plan** (kế hoạch duy trì HTQLCL,
  `MaintenancePlanPage` with its `MaintenancePlanItem` rows) are yearly *pages*: the year's set
  is approved by leadership as a whole and versioned like a document, so the same reasons as the
  programme hold. An objective's rows in the database are the approved version's (a draft of a
  live page lives in its revision), so measurements point at approved objectives only.
- **Measurements** (`ObjectiveMeasurement`, one per objective and period, with evidence) are
  *plain models* with history and the policy checks: entered one by one through the year, never
  approved as a whole. Objectives computed from the one-stop figures store nothing: their value
  is read from `DossierStatistic`.
- `QualityAction` is the agency's one action list: corrective actions, objective plans
  (`source="objective"`, with `objective`) and, later, management-review decisions.
"""
