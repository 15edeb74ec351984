"""The risks and opportunities register (6.1) and the management review (9.3) through the
admin's own views as the real roles: approval turns treatments and decisions into actions,
the review's inputs equal the records they summarise, the minutes open as DOCX and PDF, bad
input is refused in Vietnamese, and another agency's staff reach none of it."""

from __future__ import annotations

from datetime import date, timedelta
from io import BytesIO

from django.urls import reverse
from django.utils import timezone

from wagtail.test.utils.form_data import inline_formset, nested_form_data

import pytest

from content_types.oversight import DossierStatistic
from content_types.quality.action import ActionSource, ActionStatus, QualityAction
from content_types.quality.review import ManagementReviewPage
from content_types.quality.risk import AgencyRiskScale, RiskRegisterItem, RiskRegisterPage
from tests.factories import quality_system, run_workflow
from tests.quality.builders import build_round
from tests.quality.conftest import (
    ADMINISTRATORS,
    AUDITORS,
    EDITORS,
    add_page,
    approve_through_admin,
    assert_refused,
    messages_of,
)
from workflows.oversight.registry import DashboardScope
from workflows.quality.review_items import (
    management_review_status,
    risk_register_status,
    risk_review_items,
)
from workflows.quality.risks import risk_register_copy
from workflows.workspace.registry import WorkScope, work_sources
from workflows.workspace.year_copy import year_copiers

TODAY = timezone.localdate()
YEAR = TODAY.year


def _risk(owner=None, **overrides) -> dict:
    row = {
        "process": "Tiếp nhận và trả kết quả",
        "kind": "risk",
        "description": "Hồ sơ trả kết quả trễ hạn do thiếu công chức",
        "causes": "Một công chức nghỉ dài ngày",
        "likelihood": 4,
        "impact": 4,
        "treatment": "Phân công công chức dự phòng tại Bộ phận Một cửa",
        "treatment_owner": owner.pk if owner else "",
        "treatment_due": (TODAY + timedelta(days=30)).isoformat(),
        "residual_likelihood": 2,
        "residual_impact": 3,
        "next_review": (TODAY + timedelta(days=3)).isoformat(),
    }
    row.update(overrides)
    return row


def _register_data(rows: list[dict], **overrides) -> dict:
    data = {
        "title": f"Sổ đăng ký rủi ro, cơ hội năm {YEAR}",
        "slug": f"so-rui-ro-{YEAR}",
        "year": YEAR,
        "scope": "Các quá trình của HTQLCL.",
        "risks": inline_formset(rows),
        "comments": inline_formset([]),
    }
    data.update(overrides)
    return nested_form_data(data)


def _approved_register(client, agency, staff) -> RiskRegisterPage:
    client.force_login(staff[EDITORS])
    opportunity = _risk(
        kind="opportunity",
        description="Số hoá hồ sơ lưu trữ",
        likelihood=2,
        impact=2,
        treatment="",
        treatment_due="",
        residual_likelihood="",
        residual_impact="",
        next_review="",
    )
    response = add_page(
        client,
        RiskRegisterPage,
        quality_system(agency),
        _register_data([_risk(staff["reviewers"]), opportunity]),
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    register = RiskRegisterPage.objects.descendant_of(agency).get()
    approve_through_admin(client, register, staff)
    return RiskRegisterPage.objects.get(pk=register.pk)


def test_risk_register_approved_becomes_actions_dashboard_workspace_and_next_year(
    client, agency_a, staff_a
):
    register = _approved_register(client, agency_a, staff_a)
    assert register.live
    action = QualityAction.objects.get(origin_page=register)
    assert action.source == ActionSource.RISK
    assert action.agency == agency_a
    assert action.owner == staff_a["reviewers"]
    assert action.due_date == TODAY + timedelta(days=30)
    assert action.title == "Phân công công chức dự phòng tại Bộ phận Một cửa"

    # Approving a new revision updates the same action, never a second one.
    run_workflow(register, staff_a)
    assert QualityAction.objects.filter(origin_page=register).count() == 1

    client.force_login(staff_a[AUDITORS])
    page = client.get(reverse("iso_quality_risks", args=[register.pk])).content.decode()
    # The level in words and colour: 4 × 4 = 16 is high on the 5-level scale, 2 × 3 medium.
    assert 'iso-level--high">16 – Cao' in page
    assert 'iso-level--medium">6 – Trung bình' in page
    assert 'iso-level--low">4 – Thấp' in page

    scope = DashboardScope(year=YEAR, agencies=[agency_a])
    assert risk_register_status(scope)[agency_a.pk].done

    assert "risk_review" in [source.key for source in work_sources()]
    items = risk_review_items(
        WorkScope(
            user=staff_a[EDITORS],
            agency_ids=(agency_a.pk,),
            today=TODAY,
            horizon=TODAY + timedelta(days=7),
        )
    )
    assert [(i.agency_id, i.due) for i in items] == [(agency_a.pk, TODAY + timedelta(days=3))]
    assert not risk_review_items(
        WorkScope(user=staff_a[EDITORS], agency_ids=(agency_a.pk,), today=TODAY, horizon=TODAY)
    )

    assert "risk_register" in [c.key for c in year_copiers()]
    url = risk_register_copy(
        agency=agency_a, from_year=YEAR, to_year=YEAR + 1, user=staff_a[EDITORS]
    )
    copy = RiskRegisterPage.objects.descendant_of(agency_a).get(year=YEAR + 1)
    assert url == reverse("wagtailadmin_pages:edit", args=[copy.pk])
    assert not copy.live
    first = copy.get_latest_revision_as_object().risks.get(kind="risk")
    assert (first.likelihood, first.impact) == (2, 3)  # last year's residual level
    assert not first.treatment and first.residual_likelihood is None
    source = RiskRegisterItem.objects.get(page=register, kind="risk")
    assert (source.likelihood, source.impact, source.residual_impact) == (4, 4, 3)
    # Copying twice makes nothing more.
    assert (
        risk_register_copy(agency=agency_a, from_year=YEAR, to_year=YEAR + 1, user=staff_a[EDITORS])
        is None
    )


def test_risk_register_bad_input_refused_in_vietnamese(client, agency_a, staff_a, staff_b):
    AgencyRiskScale.objects.create(agency=agency_a, scale_size=3)
    client.force_login(staff_a[EDITORS])
    parent = quality_system(agency_a)
    response = add_page(client, RiskRegisterPage, parent, _register_data([_risk(staff_a[EDITORS])]))
    assert response.status_code == 200
    assert "Giá trị phải từ 1 đến 3 (thang đo 3 mức)." in response.content.decode()

    row = _risk(None, likelihood=2, impact=3, residual_likelihood=1, residual_impact=1)
    response = add_page(client, RiskRegisterPage, parent, _register_data([row]))
    assert "Biện pháp xử lý cần người thực hiện và hạn xử lý." in response.content.decode()
    assert not RiskRegisterPage.objects.exists()

    # Another agency's staff cannot own a treatment.
    row = _risk(staff_b[EDITORS], likelihood=2, impact=3, residual_likelihood=1, residual_impact=1)
    response = add_page(client, RiskRegisterPage, parent, _register_data([row]))
    assert response.status_code == 200
    assert not RiskRegisterPage.objects.exists()


def _statistics(agency):
    DossierStatistic.objects.create(
        agency=agency, procedure_code="1.001193", year=YEAR, month=1,
        received_online=30, received_in_person=10, resolved_on_time=36, resolved_late=4,
    )  # fmt: skip
    DossierStatistic.objects.create(
        agency=agency, procedure_code="1.001194", year=YEAR, month=2,
        received_postal=10, resolved_early=5, resolved_on_time=3, resolved_late=2,
    )  # fmt: skip


def _review_form(review, **overrides) -> dict:
    shown = _latest(review)
    data = {
        "title": shown.title,
        "slug": shown.slug,
        "year": shown.year,
        "number": shown.number,
        "meeting_date": shown.meeting_date.isoformat(),
        "place": shown.place,
        "chair": shown.chair,
        "secretary": "Nguyễn Thư Ký",
        "participants": shown.participants,
        "conclusion": "HTQLCL được duy trì phù hợp.",
        "recipients": shown.recipients,
        "inputs": inline_formset(
            [
                {"id": i.pk, "clause_ref": i.clause_ref, "label": i.label, "text": i.text}
                for i in shown.inputs.all()
            ],
            initial=shown.inputs.count(),
        ),
        "decisions": inline_formset([]),
        "comments": inline_formset([]),
    }
    data.update(overrides)
    return data


@pytest.fixture
def review_year(agency_a, staff_a):
    """A's year: an audit round (approved report, a nonconformity and its action), dossier
    figures, an approved risk register with a treatment done."""
    audit = build_round(agency_a, staff_a)
    _statistics(agency_a)
    register = RiskRegisterPage(title="Sổ rủi ro", year=YEAR, live=False)
    quality_system(agency_a).add_child(instance=register)
    RiskRegisterItem.objects.create(
        page=register, process="Một cửa", description="Trễ hạn", likelihood=5, impact=4,
        treatment="Nhắc hạn tự động", treatment_owner=staff_a["reviewers"],
        treatment_due=TODAY, residual_likelihood=2, residual_impact=2,
    )  # fmt: skip
    register.save_revision(user=staff_a[EDITORS])
    register = run_workflow(register, staff_a)
    QualityAction.objects.filter(origin_page=register).update(status=ActionStatus.DONE)
    return audit, register


def _latest(review) -> ManagementReviewPage:
    return ManagementReviewPage.objects.get(pk=review.pk).get_latest_revision_as_object()


def _inputs(review) -> dict:
    return {i.key: i for i in _latest(review).inputs.all()}


def test_management_review_prefilled_edited_approved_and_printed(
    client, agency_a, staff_a, review_year
):
    audit, register = review_year
    client.force_login(staff_a[EDITORS])
    planning = reverse("iso_quality_planning", args=[agency_a.pk])
    response = client.post(planning, {"year": YEAR, "meeting_date": TODAY.isoformat()})
    assert response.status_code == 302, messages_of(response)
    review = ManagementReviewPage.objects.descendant_of(agency_a).get()
    inputs = _inputs(review)

    # Each input equals the records it summarises.
    dossiers = inputs["dossier_performance"].figures
    assert dossiers["received"] == 50 and dossiers["resolved"] == 50
    assert dossiers["on_time"] == 44 and dossiers["late"] == 6
    assert dossiers["on_time_rate"] == pytest.approx(88.0)
    assert "tỷ lệ đúng hạn 88,0 %" in inputs["dossier_performance"].text
    ncs = inputs["nonconformities"].figures
    assert (ncs["raised"], ncs["open"], ncs["closed"]) == (1, 1, 0)
    assert ncs["actions"]["total"] == 1 and ncs["actions"]["done"] == 0
    assert audit.nc.code in inputs["nonconformities"].text
    audits = inputs["audit_results"].figures
    assert audits["reports"] == 1 and audits["minor"] == 1 and audits["major"] == 0
    risks = inputs["risk_actions"].figures
    assert (risks["risks"], risks["high"], risks["reduced"]) == (1, 1, 1)
    assert risks["actions"]["total"] == 1 and risks["actions"]["done"] == 1
    assert inputs["previous_actions"].figures["total"] == 0
    assert [i.clause_ref for i in _latest(review).inputs.all()][:2] == [
        "9.3.2 a",
        "9.3.2 b",
    ]

    edit = reverse("wagtailadmin_pages:edit", args=[review.pk])
    edited_text = "Nguồn lực đủ; cần thêm một máy quét cho Bộ phận Một cửa."
    data = _review_form(review)
    rows = [
        {"id": i.pk, "clause_ref": i.clause_ref, "label": i.label, "text": i.text}
        for i in _latest(review).inputs.all()
    ]
    for row in rows:
        if row["label"] == "Sự đầy đủ của nguồn lực":
            row["text"] = edited_text
        if row["label"].startswith("Kết quả đánh giá nội bộ"):
            row["text"] += "\nĐánh giá viên nhận xét thêm."
    early = {
        "kind": "resources",
        "decision": "Mua máy quét tài liệu",
        "owner": staff_a["reviewers"].pk,
        "due_date": (TODAY - timedelta(days=1)).isoformat(),
    }
    data.update(inputs=inline_formset(rows, initial=len(rows)), decisions=inline_formset([early]))
    response = client.post(edit, nested_form_data(data))
    assert response.status_code == 200
    assert f"Hạn hoàn thành không được trước ngày họp ({TODAY:%d/%m/%Y})." in (
        response.content.decode()
    )
    assert (
        ManagementReviewPage.objects.get(pk=review.pk).get_latest_revision_as_object().secretary
        == ""
    )

    decisions = [
        dict(early, due_date=(TODAY + timedelta(days=60)).isoformat()),
        {
            "kind": "improvement",
            "decision": "Triển khai nhắc hạn hồ sơ qua tin nhắn",
            "owner": staff_a[EDITORS].pk,
            "due_date": (TODAY + timedelta(days=90)).isoformat(),
        },
    ]
    data.update(decisions=inline_formset(decisions))
    response = client.post(edit, nested_form_data(data))
    assert response.status_code == 302, response.content.decode()[:3000]

    # «Lấy dữ liệu từ hồ sơ» after a new figure: edited inputs kept unless asked.
    DossierStatistic.objects.create(
        agency=agency_a, procedure_code="1.001195", year=YEAR, month=3,
        received_online=10, resolved_on_time=10,
    )  # fmt: skip
    view = reverse("iso_quality_review", args=[review.pk])
    response = client.post(view, {"op": "fill"}, follow=True)
    assert "Giữ nguyên nội dung đã chỉnh sửa của: Kết quả đánh giá nội bộ; Sự đầy đủ" in (
        " ".join(messages_of(response))
    )
    inputs = _inputs(review)
    assert inputs["resources"].text == edited_text
    assert inputs["dossier_performance"].figures["received"] == 60
    assert "Năm" in inputs["dossier_performance"].text and "60 hồ sơ" in (
        inputs["dossier_performance"].text
    )
    assert "Đánh giá viên nhận xét thêm." in inputs["audit_results"].text
    client.post(view, {"op": "fill", "overwrite": "1"})
    inputs = _inputs(review)
    assert "Đánh giá viên nhận xét thêm." not in inputs["audit_results"].text
    assert inputs["resources"].text == ""
    # Put the edited resources text back for the approval and the printed minutes.
    rows = [
        {"id": i.pk, "clause_ref": i.clause_ref, "label": i.label, "text": i.text}
        for i in _latest(review).inputs.all()
    ]
    for row in rows:
        if row["label"] == "Sự đầy đủ của nguồn lực":
            row["text"] = edited_text
    data.update(inputs=inline_formset(rows, initial=len(rows)))
    shown = _latest(review)
    data["decisions"] = inline_formset(
        [
            {
                "id": d.pk,
                "kind": d.kind,
                "decision": d.decision,
                "owner": d.owner_id,
                "due_date": d.due_date.isoformat(),
            }
            for d in shown.decisions.all()
        ],
        initial=shown.decisions.count(),
    )
    response = client.post(edit, nested_form_data({**data, "action-submit": "1"}))
    assert response.status_code == 302, response.content.decode()[:3000]
    assert not QualityAction.objects.filter(source=ActionSource.REVIEW).exists()

    approve_through_admin(client, review, staff_a)
    review = ManagementReviewPage.objects.get(pk=review.pk)
    assert review.live
    actions = QualityAction.objects.filter(source=ActionSource.REVIEW, origin_page=review)
    assert sorted((a.title, a.owner_id, a.due_date) for a in actions) == [
        ("Mua máy quét tài liệu", staff_a["reviewers"].pk, TODAY + timedelta(days=60)),
        ("Triển khai nhắc hạn hồ sơ qua tin nhắn", staff_a[EDITORS].pk, TODAY + timedelta(90)),
    ]
    assert all(a.agency == agency_a for a in actions)
    scope = DashboardScope(year=YEAR, agencies=[agency_a])
    assert management_review_status(scope)[agency_a.pk].done

    # The minutes, as printed.
    from docx import Document
    from pypdf import PdfReader

    client.force_login(staff_a[AUDITORS])
    docx = client.get(reverse("iso_quality_review_docx", args=[review.pk]))
    assert docx.status_code == 200
    text = "\n".join(p.text for p in Document(BytesIO(docx.content)).paragraphs)
    tables = "\n".join(
        cell.text
        for table in Document(BytesIO(docx.content)).tables
        for row in table.rows
        for cell in row.cells
    )
    assert "BIÊN BẢN" in text and "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in tables
    assert edited_text in text and "60 hồ sơ" in text and audit.nc.code in text
    assert "Mua máy quét tài liệu" in tables and "DỰ THẢO" not in text
    pdf = client.get(reverse("iso_quality_review_pdf", args=[review.pk]))
    assert pdf.status_code == 200
    pdf_text = "\n".join(page.extract_text() for page in PdfReader(BytesIO(pdf.content)).pages)
    assert "BIÊN BẢN" in pdf_text and "máy quét cho Bộ phận Một cửa" in pdf_text
    assert "Mua máy quét tài liệu" in pdf_text

    # Next year's review starts from this one's actions.
    next_review = ManagementReviewPage(
        title="Lần sau", year=YEAR + 1, meeting_date=date(YEAR + 1, 12, 1), chair="X",
        participants="X", live=False,
    )  # fmt: skip
    from workflows.quality.review_inputs import previous_review_actions

    previous = previous_review_actions(agency=agency_a, year=YEAR + 1)
    assert previous.figures["review"] == review.pk and previous.figures["total"] == 2
    assert next_review.year == YEAR + 1


def test_management_review_create_refused_in_vietnamese(client, agency_a, staff_a):
    client.force_login(staff_a[EDITORS])
    planning = reverse("iso_quality_planning", args=[agency_a.pk])
    response = client.post(
        planning, {"year": YEAR, "meeting_date": f"{YEAR - 3}-05-01"}, follow=True
    )
    assert f"Cuộc họp xem xét kết quả năm {YEAR} phải diễn ra trong năm {YEAR}" in " ".join(
        messages_of(response)
    )
    response = client.post(planning, {"year": YEAR, "meeting_date": "31/02"}, follow=True)
    assert "Hãy nhập năm được xem xét và ngày họp" in " ".join(messages_of(response))
    assert not ManagementReviewPage.objects.exists()
    # An auditor reads but cannot draft minutes.
    client.force_login(staff_a[AUDITORS])
    assert client.get(planning).status_code == 200
    response = client.post(planning, {"year": YEAR, "meeting_date": TODAY.isoformat()})
    assert_refused(response)
    assert not ManagementReviewPage.objects.exists()

    # Minutes added through Wagtail's own «add page» are filled from the records as well.
    client.force_login(staff_a[EDITORS])
    data = {
        "title": "Họp xem xét",
        "slug": "hop-xem-xet",
        "year": YEAR,
        "meeting_date": TODAY.isoformat(),
        "chair": "Lãnh đạo",
        "participants": "Lãnh đạo\nCác đơn vị",
        "inputs": inline_formset([]),
        "decisions": inline_formset([]),
        "comments": inline_formset([]),
    }
    parent = quality_system(agency_a)
    response = add_page(client, ManagementReviewPage, parent, nested_form_data(data), submit=False)
    assert response.status_code == 302, response.content.decode()[:2000]
    inputs = _inputs(ManagementReviewPage.objects.descendant_of(agency_a).get())
    assert (
        inputs["audit_results"].text
        == f"Năm {YEAR} chưa có báo cáo đánh giá nội bộ được phê duyệt."
    )


def test_another_agency_reaches_nothing(client, agency_a, staff_a, staff_b):
    register = RiskRegisterPage(title="Sổ rủi ro A", year=YEAR, live=False)
    quality_system(agency_a).add_child(instance=register)
    register.save_revision(user=staff_a[EDITORS])
    client.force_login(staff_a[EDITORS])
    client.post(
        reverse("iso_quality_planning", args=[agency_a.pk]),
        {"year": YEAR, "meeting_date": TODAY.isoformat()},
    )
    review = ManagementReviewPage.objects.descendant_of(agency_a).get()
    before = review.revisions.count()
    urls = [
        reverse("iso_quality_planning", args=[agency_a.pk]),
        reverse("iso_quality_risks", args=[register.pk]),
        reverse("iso_quality_review", args=[review.pk]),
        reverse("iso_quality_review_docx", args=[review.pk]),
        reverse("iso_quality_review_pdf", args=[review.pk]),
    ]
    for role in (EDITORS, AUDITORS, ADMINISTRATORS):
        client.force_login(staff_b[role])
        for url in urls:
            assert_refused(client.get(url))
        assert_refused(client.post(urls[0], {"year": YEAR, "meeting_date": TODAY.isoformat()}))
        assert_refused(client.post(urls[2], {"op": "fill", "overwrite": "1"}))
    assert review.revisions.count() == before
    assert ManagementReviewPage.objects.count() == 1


def test_risk_scale_setting_refuses_labels_and_bands_that_do_not_fit():
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as refused:
        AgencyRiskScale(
            scale_size=3, likelihood_labels="Thấp\nCao", medium_from=6, high_from=4
        ).clean()
    errors = refused.value.message_dict
    assert errors["likelihood_labels"] == [
        "Thang đo có 3 mức nên cần đúng 3 dòng, mỗi dòng tên một mức (đang có 2)."
    ]
    assert errors["high_from"] == [
        "Điểm bắt đầu mức cao (4) phải lớn hơn điểm bắt đầu mức trung bình (6)."
    ]
    scale = AgencyRiskScale(scale_size=4, impact_labels="A\nB\nC\nD", high_from=12).scale()
    assert scale.impact_labels == ("A", "B", "C", "D")
    assert [scale.level(1, 3).label, scale.level(2, 2).label, scale.level(3, 4).label] == [
        "Thấp",
        "Trung bình",
        "Cao",
    ]
    assert scale.out_of_scale(5) and not scale.out_of_scale(4)


def test_the_review_not_yet_held_is_due_from_its_planned_month(agency_a, agency_b, staff_a):
    from workflows.quality.review_items import (
        _plan_months,
        management_review_due_items,
        review_plan_months_register,
    )
    from workflows.quality.reviews import management_review_create

    def scope(horizon: date) -> WorkScope:
        return WorkScope(
            user=staff_a[EDITORS],
            agency_ids=(agency_a.pk, agency_b.pk),
            today=date(YEAR, 1, 10),
            horizon=horizon,
        )

    assert "management_review_due" in [source.key for source in work_sources()]
    assert management_review_due_items(scope(date(YEAR, 11, 30))) == []
    items = management_review_due_items(scope(date(YEAR, 12, 31)))
    assert sorted(i.agency_id for i in items) == sorted([agency_a.pk, agency_b.pk])
    assert {i.due for i in items} == {date(YEAR, 12, 31)}

    saved = list(_plan_months)
    try:
        review_plan_months_register(lambda *, agency_ids, year: {agency_a.pk: 6})
        june = management_review_due_items(scope(date(YEAR, 6, 30)))
        assert [(i.agency_id, i.due) for i in june] == [(agency_a.pk, date(YEAR, 6, 30))]
    finally:
        _plan_months[:] = saved

    review = management_review_create(
        agency=agency_a, year=YEAR, meeting_date=date(YEAR, 12, 5), user=staff_a[EDITORS]
    )
    # A draft is not a review held.
    assert len(management_review_due_items(scope(date(YEAR, 12, 31)))) == 2
    run_workflow(review, staff_a)
    items = management_review_due_items(scope(date(YEAR, 12, 31)))
    assert [i.agency_id for i in items] == [agency_b.pk]
