import pytest

from content_types.agency import AgencyRole
from tests.factories import make_user
from tests.themes.builders import make_procedure
from workflows.provisioning import PROVINCE_ADMINS, province_groups


@pytest.fixture
def province_admin(home):
    return make_user("tinh.quantri", province_groups()[PROVINCE_ADMINS])


@pytest.fixture
def procedures_a(agency_a):
    """Two procedures of agency A: national code 1.001193 and a province code 2.000001.…"""
    return [
        make_procedure(agency_a, [], code="1.001193", title="Đăng ký khai sinh"),
        make_procedure(agency_a, [], code="2.000001.000.00.00.H35", title="Chứng thực bản sao"),
    ]


@pytest.fixture
def procedures_b(agency_b):
    return [make_procedure(agency_b, [], code="1.001193", title="Đăng ký khai sinh")]


def figures(carried=2, in_person=5, online=10, postal=1, early=3, on_time=8, late=2,
            within=3, overdue=1, returned=1):  # fmt: skip
    """Consistent figures: 2 + 16 = 3 + 8 + 2 + 3 + 1 + 1 = 18."""
    return {
        "ky_truoc_chuyen_sang": carried,
        "tiep_nhan_truc_tiep": in_person,
        "tiep_nhan_truc_tuyen": online,
        "tiep_nhan_buu_chinh": postal,
        "giai_quyet_truoc_han": early,
        "giai_quyet_dung_han": on_time,
        "giai_quyet_qua_han": late,
        "dang_giai_quyet_trong_han": within,
        "dang_giai_quyet_qua_han": overdue,
        "tra_lai_rut_ho_so": returned,
    }


HEADER = [
    "STT", "Mã thủ tục", "Tên thủ tục", "Tháng", "Kỳ trước chuyển sang", "Tiếp nhận trực tiếp",
    "Tiếp nhận trực tuyến", "Tiếp nhận bưu chính", "Giải quyết trước hạn", "Giải quyết đúng hạn",
    "Giải quyết quá hạn", "Đang giải quyết trong hạn", "Đang giải quyết quá hạn",
    "Trả lại/rút hồ sơ",
]  # fmt: skip


def export_row(number, code, month, **changes):
    values = figures(**changes)
    return [number, code, "Tên thủ tục", month, *values.values()]


def csv_bytes(rows, header=HEADER, delimiter=",") -> bytes:
    import csv
    import io

    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter)
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8-sig")


def xlsx_bytes(rows, header=HEADER, title_rows=2) -> bytes:
    import io

    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    for n in range(title_rows):
        sheet.append([f"BÁO CÁO TÌNH HÌNH GIẢI QUYẾT HỒ SƠ ({n + 1})"])
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


@pytest.fixture
def editor_a(staff_a):
    return staff_a[AgencyRole.EDITORS]


# workflows.quality.dashboard_items, .review_items and .objective_items (tested in tests/quality
# and tests/objectives)
AUDIT_ITEMS = (
    "audit_programme",
    "audit_held",
    "risk_register",
    "management_review",
    "objectives_measured",
)


@pytest.fixture
def builtin_items_only():
    """These tests count the oversight's own items; the internal audit's items are tested in
    tests/quality/test_dashboard_items.py."""
    from workflows.oversight.registry import (
        dashboard_item_register,
        dashboard_item_unregister,
        dashboard_items,
    )

    saved = [item for item in dashboard_items() if item.key in AUDIT_ITEMS]
    for item in saved:
        dashboard_item_unregister(item.key)
    yield
    for item in saved:
        dashboard_item_register(item)
