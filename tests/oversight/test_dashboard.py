"""The province dashboard: counts equal the records per item, only province administrators see
it, the agency's record, the XLSX export, and a query count that does not grow with agencies."""

from datetime import timedelta
from io import BytesIO

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

import pytest

from content_types.agency import AgencyLevel, AgencyRole
from content_types.documents import DocumentKind
from content_types.oversight import DossierStatistic
from content_types.procedures import ProcedurePageProcessStep
from content_types.versions import DocumentVersion
from fixtures.demo_forms import demo_core_documents_load
from tests.factories import make_agency, make_draft_document, make_user
from tests.themes.builders import make_procedure
from workflows.oversight.dashboard import dashboard_build
from workflows.oversight.registry import (
    DashboardItem,
    ItemStatus,
    dashboard_item_register,
    dashboard_item_unregister,
)
from workflows.provisioning import INTERNAL_AUDITORS, province_groups

THIS_YEAR = timezone.localdate().year
URL = "/admin/tong-hop-tinh/"
ITEMS = [
    "context", "policy", "maintenance_plan", "objectives", "announcement", "internal_processes"
]  # fmt: skip


def _statistic(agency, month, *, on_time, late, year=THIS_YEAR, code="1.001193"):
    return DossierStatistic.objects.create(
        agency=agency, procedure_code=code, year=year, month=month,
        received_online=on_time + late, resolved_on_time=on_time, resolved_late=late,
    )  # fmt: skip


@pytest.fixture(autouse=True)
def _builtin_items(builtin_items_only):
    pass


@pytest.fixture
def province(home, agency_a, agency_b, province_admin):
    """A: everything; B (commune): no maintenance plan, no announcement, a procedure without
    internal process; C (other): nothing at all."""
    agency_c = make_agency(home, "CQC", title="Trung tâm thử", short_name="TT thử", level="other")
    agency_b.level = AgencyLevel.COMMUNE
    agency_b.save_revision().publish()
    demo_core_documents_load(agency_a, editor=province_admin, approver=province_admin)
    demo_core_documents_load(
        agency_b,
        editor=province_admin,
        approver=province_admin,
        skip_kinds=[DocumentKind.MAINTENANCE_PLAN, DocumentKind.ANNOUNCEMENT],
    )
    make_procedure(agency_a, [], code="1.001193")
    without = make_procedure(agency_b, [], code="1.001193")
    make_procedure(agency_b, [], code="1.001194", title="Đăng ký kết hôn")
    ProcedurePageProcessStep.objects.filter(page=without).delete()
    _statistic(agency_a, 1, on_time=9, late=1)
    _statistic(agency_a, 2, on_time=10, late=0)
    _statistic(agency_b, 1, on_time=1, late=3)
    return {"a": agency_a, "b": agency_b, "c": agency_c}


def _by_key(dashboard):
    keys = [item.key for item in dashboard.items]
    counts = dict(zip(keys, dashboard.counts, strict=True))
    cells = {
        row.agency.agency_code: {k: s.done for k, s in zip(keys, row.statuses, strict=True)}
        for row in dashboard.rows
    }
    return keys, counts, cells


def test_counts_equal_the_records_per_item(province):
    keys, counts, cells = _by_key(dashboard_build(year=THIS_YEAR))
    assert keys == ITEMS
    assert cells["CQA"] == dict.fromkeys(ITEMS, True)
    assert cells["CQB"] == {
        "context": True, "policy": True, "maintenance_plan": False, "objectives": True,
        "announcement": False, "internal_processes": False,
    }  # fmt: skip
    assert cells["CQC"] == dict.fromkeys(ITEMS, False)
    # Each count is the number of agencies whose record exists, of the agencies shown.
    for key in ITEMS:
        assert counts[key] == (sum(cells[code][key] for code in cells), 3)
    assert counts["maintenance_plan"] == (1, 3) and counts["context"] == (2, 3)


def test_filter_by_level(province):
    _keys, counts, cells = _by_key(dashboard_build(year=THIS_YEAR, level=AgencyLevel.COMMUNE))
    assert list(cells) == ["CQB"]
    assert counts["policy"] == (1, 1) and counts["announcement"] == (0, 1)


def test_yearly_documents_count_in_their_year_standing_ones_from_then_on(province):
    a = province["a"]
    plan = DocumentVersion.objects.get(page__controlleddocumentpage__kind="maintenance_plan",
                                       page__path__startswith=a.path)  # fmt: skip
    policy = DocumentVersion.objects.get(page__controlleddocumentpage__kind="policy",
                                         page__path__startswith=a.path)  # fmt: skip
    last_year = timezone.now().replace(year=THIS_YEAR - 1, month=6, day=15)
    DocumentVersion.objects.filter(pk__in=[plan.pk, policy.pk]).update(effective_from=last_year)
    _k, _c, now = _by_key(dashboard_build(year=THIS_YEAR))
    assert now["CQA"]["maintenance_plan"] is False  # last year's plan is not this year's
    assert now["CQA"]["policy"] is True  # still in force
    _k, _c, then = _by_key(dashboard_build(year=THIS_YEAR - 1))
    assert then["CQA"]["maintenance_plan"] is True and then["CQA"]["policy"] is True
    assert then["CQA"]["context"] is False  # issued this year: not yet in force last year


def test_a_document_waiting_for_approval_does_not_count(province, staff_b):
    draft = make_draft_document(province["b"], staff_b[AgencyRole.EDITORS], title="Kế hoạch 2026")
    type(draft).objects.filter(pk=draft.pk).update(kind=DocumentKind.MAINTENANCE_PLAN)
    dashboard = dashboard_build(year=THIS_YEAR)
    row = next(r for r in dashboard.rows if r.agency.agency_code == "CQB")
    status = row.statuses[ITEMS.index("maintenance_plan")]
    assert status.done is False and "chưa được lãnh đạo phê duyệt" in status.detail


def test_on_time_rates_by_agency_and_month(province):
    dashboard = dashboard_build(year=THIS_YEAR)
    a, b = province["a"], province["b"]
    assert dashboard.rates[(a.pk, 1)].rate == 90.0
    assert dashboard.rates[(b.pk, 1)].rate == 25.0
    assert dashboard.agency_rate(a.pk).rate == 95.0  # 19 of 20
    province_jan = dashboard.province_rates()[1]
    assert (province_jan.on_time, province_jan.resolved) == (10, 14)


def test_province_admin_and_superuser_see_it_agency_staff_and_auditors_do_not(
    client, province, province_admin, staff_a
):
    client.force_login(province_admin)
    response = client.get(URL)
    html = response.content.decode()
    assert response.status_code == 200
    assert 'data-item="maintenance_plan">1/3<' in html
    assert 'data-item="announcement">1/3<' in html
    assert URL in client.get(reverse("wagtailadmin_home")).content.decode()  # the menu item
    client.force_login(make_user("root", is_superuser=True))
    assert client.get(URL).status_code == 200
    for user in [*staff_a.values(), make_user("danhgia", province_groups()[INTERNAL_AUDITORS])]:
        client.force_login(user)
        for url in (URL, reverse("iso_agency_record", args=[province["a"].pk])):
            response = client.get(url)
            assert response.status_code == 403, (user, url)
            assert "Sở Tư pháp thử" not in response.content.decode()
        assert client.get(URL, {"xuat": "xlsx"}).status_code == 403
        assert URL not in client.get(reverse("wagtailadmin_home")).content.decode()


def test_the_agency_record_lists_its_items_with_links(client, province, province_admin):
    client.force_login(province_admin)
    b = province["b"]
    html = client.get(reverse("iso_agency_record", args=[b.pk])).content.decode()
    policy_page = DocumentVersion.objects.get(
        page__controlleddocumentpage__kind="policy", page__path__startswith=b.path
    ).page_id
    assert reverse("iso_version_history", args=[policy_page]) in html
    assert "1/2 thủ tục có quy trình nội bộ" in html
    assert "Đạt 3/6" in html or "đạt 3/6" in html
    assert "25,0 %" in html  # its on-time rate for the year


def test_xlsx_export_holds_the_matrix_and_the_counts(client, province, province_admin):
    from openpyxl import load_workbook

    client.force_login(province_admin)
    response = client.get(URL, {"nam": THIS_YEAR, "xuat": "xlsx"})
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(BytesIO(response.content)).active
    values = [[c.value or "" for c in row] for row in sheet.iter_rows()]
    header = next(row for row in values if row[0] == "STT")
    assert header[4:10] == [
        "Bối cảnh tổ chức", "Chính sách chất lượng", "Kế hoạch duy trì HTQLCL",
        "Mục tiêu chất lượng", "Quyết định công bố HTQLCL", "Quy trình nội bộ đầy đủ",
    ]  # fmt: skip
    body = {row[2]: row for row in values if row[2] in ("CQA", "CQB", "CQC")}
    assert body["CQB"][4:11] == ["x", "x", "", "x", "", "", "3/6"]
    totals = next(row for row in values if row[1] == "Tổng số cơ quan đạt")
    assert totals[4:11] == ["2/3", "2/3", "1/3", "2/3", "1/3", "1/3", "1/3"]


def test_another_app_adds_an_item(province):
    def risk_register(scope):
        return {province["c"].pk: ItemStatus(done=True, detail="Sổ rủi ro 2026")}

    dashboard_item_register(DashboardItem("risk_register", "Sổ rủi ro, cơ hội", 50, risk_register))
    try:
        keys, counts, cells = _by_key(dashboard_build(year=THIS_YEAR))
    finally:
        dashboard_item_unregister("risk_register")
    assert keys.index("risk_register") == 4  # between objectives (40) and announcement (90)
    assert counts["risk_register"] == (1, 3) and cells["CQC"]["risk_register"] is True


def _province_of(home, count, admin, start=0):
    for n in range(start, start + count):
        agency = make_agency(home, f"Q{n:02d}", level=["provincial", "commune"][n % 2])
        skip = [DocumentKind.ANNOUNCEMENT] if n % 3 else []
        demo_core_documents_load(agency, editor=admin, approver=admin, skip_kinds=skip)
        make_procedure(agency, [], code="1.001193")
        _statistic(agency, 1 + n % 12, on_time=5, late=n % 4)


def _queries(client) -> tuple[int, int]:
    with CaptureQueriesContext(connection) as built:
        dashboard_build(year=THIS_YEAR)
    with CaptureQueriesContext(connection) as viewed:
        assert client.get(URL).status_code == 200
    return len(built), len(viewed)


def test_query_count_does_not_grow_with_agencies(client, home, province_admin):
    client.force_login(province_admin)
    _province_of(home, 3, province_admin)
    client.get(URL)  # warm the caches every admin page fills once (content types, menus)
    at_three = _queries(client)
    _province_of(home, 9, province_admin, start=3)  # 12 in all
    at_twelve = _queries(client)
    assert at_three == at_twelve
    # agencies, documents, versions, procedures, rates, the yearly pages (objectives, plan), ...
    assert at_three[0] <= 7
    html = client.get(URL).content.decode()
    assert html.count('data-agency="Q') == 12


def test_procedures_published_after_the_announcement_flag_a_re_announcement(
    client, province, province_admin
):
    a = province["a"]
    announcement = DocumentVersion.objects.get(
        page__controlleddocumentpage__kind="announcement", page__path__startswith=a.path
    )
    DocumentVersion.objects.filter(pk=announcement.pk).update(
        effective_from=timezone.now() - timedelta(days=40)
    )
    dashboard = dashboard_build(year=THIS_YEAR)
    status = dashboard.rows[0].statuses[ITEMS.index("announcement")]
    assert dashboard.rows[0].agency == a
    assert status.done is True
    assert status.warning.startswith("1 thủ tục công bố sau ngày quyết định có hiệu lực")
    client.force_login(province_admin)
    html = client.get(reverse("iso_agency_record", args=[a.pk])).content.decode()
    assert "cần công bố lại phạm vi" in html
    # Procedures of the decision's own day are in its scope.
    DocumentVersion.objects.filter(pk=announcement.pk).update(effective_from=timezone.now())
    status = dashboard_build(year=THIS_YEAR).rows[0].statuses[ITEMS.index("announcement")]
    assert status.warning == ""
