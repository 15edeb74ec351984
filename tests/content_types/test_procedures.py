"""Procedures (thủ tục hành chính): the internal process must fit the legal time limit.

Through the admin's own add and edit views, as agency A's editor, the way an ISO officer works.
"""

from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db.models import ProtectedError
from django.test import Client
from django.urls import reverse

from wagtail.models import ReferenceIndex, Revision
from wagtail.test.utils import WagtailPageTestCase
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

import pytest

from content_types.agency import AgencyPage, AgencyRole
from content_types.documents import FormDocumentPage
from content_types.indexes import FormIndexPage, ProcedureIndexPage, QualitySystemPage
from content_types.procedure_fields import ProcedureField
from content_types.procedure_forms import (
    format_days,
    parse_days,
    process_limit_error,
    process_total_days,
)
from content_types.procedures import ProcedurePage
from tests.factories import make_agency, make_home, make_staff

EDITORS = AgencyRole.EDITORS
REFUSAL_7_5 = (
    "Tổng thời gian các bước được tính (7,5 ngày làm việc) vượt thời hạn giải quyết theo quy "
    "định (7 ngày làm việc)."
)


# --- the pure arithmetic -------------------------------------------------------------------


def test_total_sums_counted_steps_only():
    steps = [(Decimal("0.5"), True), (Decimal("5"), True), (Decimal("1.5"), True)]
    assert process_total_days(steps) == Decimal("7")
    assert process_total_days([*steps, (Decimal("3"), False)]) == Decimal("7")
    assert process_total_days([*steps, (None, False)]) == Decimal("7")


def test_total_of_no_steps_is_zero():
    assert process_total_days([]) == Decimal(0)


def test_limit_error_only_when_longer():
    assert process_limit_error(total=Decimal("7"), limit=Decimal("7")) is None
    assert process_limit_error(total=Decimal("6.75"), limit=Decimal("7")) is None
    message = process_limit_error(total=Decimal("7.5"), limit=Decimal("7.00"))
    assert message.startswith(REFUSAL_7_5)


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (Decimal("7.50"), "7,5"),
        (Decimal("7.00"), "7"),
        (Decimal("0.25"), "0,25"),
        (Decimal("10"), "10"),
        (Decimal("0"), "0"),
    ],
)
def test_days_are_written_with_a_decimal_comma(value, text):
    assert format_days(value) == text


@pytest.mark.parametrize("text", ["0,5", "0.5", " 0,5 ", ",5"])
def test_comma_and_point_both_parse(text):
    assert parse_days(text) == Decimal("0.5")


@pytest.mark.parametrize("text", ["1.234,5", "nửa ngày", "", "NaN", "1,2,3"])
def test_nonsense_does_not_parse(text):
    with pytest.raises(ValueError):
        parse_days(text)


# --- through the admin ----------------------------------------------------------------------


@pytest.fixture
def field(db):
    return ProcedureField.objects.create(name="Hộ tịch", ministry="Bộ Tư pháp")


@pytest.fixture
def procedures_index(agency_a):
    return agency_a.get_children().type(ProcedureIndexPage).first().specific


@pytest.fixture
def form_page(agency_a):
    forms_index = agency_a.get_children().type(FormIndexPage).first().specific
    page = FormDocumentPage(title="Tờ khai đăng ký khai sinh", code="BM.01-HT")
    forms_index.add_child(instance=page)
    page.save_revision().publish()
    return page


@pytest.fixture
def editor_client(client, staff_a):
    client.force_login(staff_a[EDITORS])
    return client


def _step(task: str, days: str, counted: bool = True, **extra) -> dict:
    return {
        "task": task,
        "unit": "Phòng Hành chính tư pháp",
        "role": "Công chức",
        "working_days": days,
        "counted": counted,
        **extra,
    }


def _data(field, *, limit="7", steps=None, form_page=None, steps_initial=0, **overrides):
    if steps is None:
        steps = [_step("Tiếp nhận hồ sơ", "0,5"), _step("Thẩm định", "5")]
    component = {"name": "Tờ khai đăng ký khai sinh", "originals": "1", "copies": "0", "note": ""}
    component["alternative_forms"] = {"count": 0}
    component["form"] = form_page.pk if form_page else ""
    data = {
        "title": "Đăng ký khai sinh",
        "slug": "dang-ky-khai-sinh",
        "national_code": "1.001193",
        "level": "commune",
        "field": field.pk,
        "announcement_decision": "Quyết định số 1234/QĐ-UBND ngày 15/7/2025",
        "steps": rich_text("<p>Nộp hồ sơ tại Bộ phận Một cửa.</p>"),
        "applicants": "Công dân Việt Nam",
        "implementing_agency": "UBND cấp xã",
        "result": "Giấy khai sinh",
        "requirements": rich_text("<p></p>"),
        "legal_basis": rich_text("<p>Luật Hộ tịch năm 2014.</p>"),
        "process_time_limit": limit,
        "process_limit_unit": "days",
        "process_limit_text": "",
        "process_note": "",
        "processes": inline_formset([]),
        "channels": inline_formset(
            [
                {
                    "channel": "in_person",
                    "time_limit": "",
                    "time_limit_unit": "text",
                    "time_limit_text": "Trong ngày",
                    "fees": "Miễn lệ phí",
                    "fee_items": streamfield([]),
                    "description": "",
                },
                {
                    "channel": "online",
                    "time_limit": "0,5",
                    "time_limit_unit": "working_days",
                    "time_limit_text": "",
                    "fees": "Miễn lệ phí",
                    "fee_items": streamfield([]),
                    "description": "",
                },
            ]
        ),
        "cases": inline_formset(
            [
                {
                    "name": "Đăng ký khai sinh đúng hạn",
                    "dossier_sets": "1",
                    "dossier": streamfield([("component", component)]),
                    "time_limit": "",
                    "time_limit_unit": "working_days",
                    "time_limit_text": "",
                }
            ]
        ),
        "forms_used": inline_formset([{"form_page": form_page.pk}] if form_page else []),
        "process_steps": inline_formset(steps, initial=steps_initial),
        "comments": inline_formset([]),
    }
    data.update(overrides)
    return nested_form_data(data)


def _add(client, parent, data):
    url = reverse("wagtailadmin_pages:add", args=["content_types", "procedurepage", parent.pk])
    return client.post(url, data)


def _edit(client, page, data):
    return client.post(reverse("wagtailadmin_pages:edit", args=[page.pk]), data)


def _errors(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def test_add_form_shows_the_internal_process_tab(editor_client, procedures_index):
    url = reverse(
        "wagtailadmin_pages:add", args=["content_types", "procedurepage", procedures_index.pk]
    )
    response = editor_client.get(url)
    assert response.status_code == 200
    content = response.content.decode()
    assert "Quy trình nội bộ" in content
    assert "Thời hạn riêng của trường hợp" in content


def test_process_longer_than_the_limit_is_refused(editor_client, procedures_index, field):
    steps = [_step("Tiếp nhận", "0,5"), _step("Thẩm định", "5"), _step("Ký duyệt", "2")]
    response = _add(editor_client, procedures_index, _data(field, limit="7", steps=steps))
    assert REFUSAL_7_5 in _errors(response)
    assert not ProcedurePage.objects.exists()
    assert not Revision.objects.filter(content_type__model="procedurepage").exists()


def test_process_equal_to_the_limit_is_accepted(
    editor_client, procedures_index, field, form_page, staff_a
):
    steps = [
        _step("Tiếp nhận, kiểm tra hồ sơ", "0,5"),
        _step("Thẩm định", "5"),
        _step("Ký duyệt", "1.5"),
        _step("Trả kết quả", "", counted=False),
    ]
    data = _data(field, limit="7", steps=steps, form_page=form_page)
    response = _add(editor_client, procedures_index, data)
    assert response.status_code == 302, response.content.decode()[-3000:]

    page = ProcedurePage.objects.get()
    assert page.get_parent().pk == procedures_index.pk
    assert not page.live  # an editor saves a draft; leadership approves it
    assert page.get_latest_revision().user == staff_a[EDITORS]
    assert page.field == field
    assert page.process_time_limit == Decimal("7")
    assert [s.working_days for s in page.process_steps.all()] == [
        Decimal("0.5"),
        Decimal("5"),
        Decimal("1.5"),
        None,
    ]
    assert page.process_total == Decimal("7")
    assert [c.channel for c in page.channels.all()] == ["in_person", "online"]
    assert page.channels.all()[0].time_limit_display == "Trong ngày"
    assert page.channels.all()[1].time_limit_display == "0,5 ngày làm việc"
    case = page.cases.get()
    component = case.dossier[0].value
    assert component["name"] == "Tờ khai đăng ký khai sinh"
    assert component["form"].specific == form_page
    assert page.forms_used.get().form_page == form_page
    # The form's "usage" in the admin knows this procedure uses it.
    referencing = {ref.object_id for ref in ReferenceIndex.get_references_to(form_page)}
    assert str(page.pk) in referencing


def test_comma_decimals_are_accepted_and_shown_back(editor_client, procedures_index, field):
    steps = [_step("Tiếp nhận", "0,25"), _step("Xử lý", "0,5"), _step("Ký", "0,75")]
    response = _add(editor_client, procedures_index, _data(field, limit="1,5", steps=steps))
    assert response.status_code == 302
    page = ProcedurePage.objects.get()
    assert page.process_time_limit == Decimal("1.5")
    assert page.process_total == Decimal("1.5")

    response = editor_client.get(reverse("wagtailadmin_pages:edit", args=[page.pk]))
    content = response.content.decode()
    assert 'value="0,25"' in content
    assert 'value="1,5"' in content


def test_a_step_not_counted_does_not_count(editor_client, procedures_index, field):
    steps = [
        _step("Tiếp nhận", "1"),
        _step("Xử lý", "1"),
        _step("Trả kết quả", "3", counted=False),
    ]
    response = _add(editor_client, procedures_index, _data(field, limit="2", steps=steps))
    assert response.status_code == 302
    assert ProcedurePage.objects.get().process_total == Decimal("2")


@pytest.mark.parametrize(
    ("days", "message"),
    [
        ("-0,5", "Không được nhỏ hơn 0."),
        ("nửa ngày", "Nhập một số, ví dụ 1 hoặc 0,5."),
        ("0,125", "Tối đa 2 chữ số sau dấu phẩy"),
        ("", "Nhập số ngày làm việc của bước này"),
    ],
)
def test_bad_step_days_are_refused(editor_client, procedures_index, field, days, message):
    steps = [_step("Tiếp nhận", "0,5"), _step("Thẩm định", days)]
    response = _add(editor_client, procedures_index, _data(field, steps=steps))
    assert message in _errors(response)
    assert not ProcedurePage.objects.exists()


def test_steps_without_a_limit_are_refused(editor_client, procedures_index, field):
    response = _add(editor_client, procedures_index, _data(field, limit=""))
    assert "Nhập thời hạn giải quyết theo quy định" in _errors(response)
    assert not ProcedurePage.objects.exists()


def test_national_code_format(editor_client, procedures_index, field):
    response = _add(editor_client, procedures_index, _data(field, national_code="TTHC-01"))
    assert "Mã thủ tục có dạng 1.001234" in _errors(response)
    response = _add(
        editor_client, procedures_index, _data(field, national_code="1.001193.000.00.00.H35")
    )
    assert response.status_code == 302
    assert ProcedurePage.objects.get().national_code_base == "1.001193"


def test_text_time_limit_needs_its_text(editor_client, procedures_index, field):
    data = _data(field)
    data["channels-0-time_limit_text"] = ""
    response = _add(editor_client, procedures_index, data)
    assert "Ghi thời hạn bằng chữ" in _errors(response)
    assert not ProcedurePage.objects.exists()


@pytest.fixture
def saved_page(editor_client, procedures_index, field):
    response = _add(editor_client, procedures_index, _data(field, limit="7"))
    assert response.status_code == 302
    return ProcedurePage.objects.get()


def _existing_steps(page, **changes) -> list[dict]:
    rows = []
    for step in page.process_steps.all():
        row = _step(step.task, format_days(step.working_days), step.counted, id=step.pk)
        row.update(changes.get(step.task, {}))
        rows.append(row)
    return rows


def test_edit_longer_than_the_limit_is_refused_and_changes_nothing(editor_client, saved_page):
    revisions = saved_page.revisions.count()
    steps = _existing_steps(saved_page, **{"Thẩm định": {"working_days": "7"}})
    data = _data(saved_page.field, limit="7", steps=steps, steps_initial=len(steps))
    response = _edit(editor_client, saved_page, data)
    assert REFUSAL_7_5 in _errors(response)
    page = ProcedurePage.objects.get(pk=saved_page.pk)
    assert page.revisions.count() == revisions
    assert [s.working_days for s in page.process_steps.all()] == [Decimal("0.5"), Decimal("5")]
    latest = page.get_latest_revision_as_object()
    assert [s.working_days for s in latest.process_steps.all()] == [
        Decimal("0.5"),
        Decimal("5"),
    ]


def test_edit_equal_to_the_limit_is_accepted(editor_client, saved_page):
    revisions = saved_page.revisions.count()
    steps = _existing_steps(saved_page, **{"Thẩm định": {"working_days": "6,5"}})
    data = _data(saved_page.field, limit="7", steps=steps, steps_initial=len(steps))
    response = _edit(editor_client, saved_page, data)
    assert response.status_code == 302
    latest = ProcedurePage.objects.get(pk=saved_page.pk).get_latest_revision_as_object()
    assert latest.process_total == Decimal("7")
    assert saved_page.revisions.count() == revisions + 1


def test_a_deleted_step_does_not_count(editor_client, saved_page):
    steps = [
        *_existing_steps(saved_page, **{"Thẩm định": {"DELETE": "1"}}),
        _step("Thẩm định lại", "6,5"),
    ]
    data = _data(saved_page.field, limit="7", steps=steps, steps_initial=2)
    response = _edit(editor_client, saved_page, data)
    assert response.status_code == 302
    latest = ProcedurePage.objects.get(pk=saved_page.pk).get_latest_revision_as_object()
    assert [s.task for s in latest.process_steps.all()] == ["Tiếp nhận hồ sơ", "Thẩm định lại"]
    assert latest.process_total == Decimal("7")


def test_published_procedure_is_served(procedures_index, field):
    page = ProcedurePage(title="Chứng thực bản sao", national_code="2.000815", field=field)
    procedures_index.add_child(instance=page)
    page.save_revision().publish()
    response = Client().get(page.url)
    assert response.status_code == 200
    assert "2.000815" in response.content.decode()


# --- page-type rules ------------------------------------------------------------------------


class ProcedurePageTypeTests(WagtailPageTestCase):
    def test_only_under_the_procedure_index(self):
        self.assertCanCreateAt(ProcedureIndexPage, ProcedurePage)
        for parent in (AgencyPage, FormIndexPage, QualitySystemPage, ProcedurePage):
            self.assertCanNotCreateAt(parent, ProcedurePage)

    def test_no_subpages(self):
        self.assertAllowedSubpageTypes(ProcedurePage, {})

    def test_editor_cannot_add_in_another_agency(self):
        home = make_home()
        agency_a = make_agency(home, "CQA")
        agency_b = make_agency(home, "CQB")
        editor = make_staff(agency_a, "a")[EDITORS]
        index_b = agency_b.get_children().type(ProcedureIndexPage).first()
        self.client.force_login(editor)
        url = reverse("wagtailadmin_pages:add", args=["content_types", "procedurepage", index_b.pk])
        response = self.client.get(url)
        assert response.status_code in (302, 403)


# --- the shared list of fields --------------------------------------------------------------


def test_field_history_records_changes(db):
    field = ProcedureField.objects.create(name="Ho tich")
    field.name = "Hộ tịch"
    field.code = "HT"
    field.save()
    history = list(field.history.order_by("history_date"))
    assert [h.history_type for h in history] == ["+", "~"]
    assert [h.name for h in history] == ["Ho tich", "Hộ tịch"]


def test_field_edit_in_the_snippet_admin_is_attributed(client, db):
    admin = get_user_model().objects.create_superuser("quantri", "quantri@example.vn", "x")
    field = ProcedureField.objects.create(name="Chung thuc")
    client.force_login(admin)
    url = reverse("wagtailsnippets_content_types_procedurefield:edit", args=[field.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"name": "Chứng thực", "code": "", "ministry": "Bộ Tư pháp"})
    assert response.status_code == 302
    latest = field.history.latest()
    assert latest.name == "Chứng thực"
    assert latest.history_user == admin


def test_field_in_use_cannot_be_deleted(procedures_index, field):
    page = ProcedurePage(title="Đăng ký kết hôn", national_code="1.000894", field=field)
    procedures_index.add_child(instance=page)
    with pytest.raises(ProtectedError):
        field.delete()


def test_editor_can_choose_a_field(editor_client, field):
    # The page's field is a snippet chooser: an agency editor must be able to open it.
    response = editor_client.get(
        reverse("wagtailsnippetchoosers_content_types_procedurefield:choose")
    )
    assert response.status_code == 200
    assert "Hộ tịch" in response.json()["html"]


def test_a_national_code_already_used_in_the_agency_is_refused(
    editor_client, procedures_index, field
):
    assert _add(editor_client, procedures_index, _data(field)).status_code == 302
    again = _data(field, title="Đăng ký khai sinh (bản sao)", slug="dang-ky-khai-sinh-2")
    again["national_code"] = " 1.001193 "
    response = _add(editor_client, procedures_index, again)
    assert (
        "Mã thủ tục «1.001193» đã được dùng cho «Đăng ký khai sinh» trong cơ quan này."
        in _errors(response)
    )
    assert ProcedurePage.objects.count() == 1


def test_another_agency_may_use_the_same_national_code(
    client, editor_client, procedures_index, field, agency_b, staff_b
):
    assert _add(editor_client, procedures_index, _data(field)).status_code == 302
    client.force_login(staff_b[EDITORS])
    index_b = agency_b.get_children().type(ProcedureIndexPage).first().specific
    assert _add(client, index_b, _data(field)).status_code == 302
    assert ProcedurePage.objects.filter(national_code="1.001193").count() == 2
    # Saving the procedure again with its own code is no clash.
    page = ProcedurePage.objects.child_of(index_b).get()
    assert _edit(client, page, _data(field)).status_code == 302
