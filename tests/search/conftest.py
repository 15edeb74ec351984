"""A small province to search: two agencies, forms with real versions, procedures with fields.

Built once per module (pages through the real publish path, so versions and the search index are
maintained exactly as in production) and rolled back afterwards.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.files.base import ContentFile
from django.db import transaction

from wagtail.documents import get_document_model

import pytest

from content_types.documents import FormDocumentPage
from content_types.indexes import ProcedureIndexPage
from content_types.procedure_fields import ProcedureField
from content_types.procedures import ProcedurePage, ProcedurePageForm
from tests.factories import make_agency, make_form, make_home, make_staff

# (key, title, code, agency, legal basis)
FORMS = [
    ("ket_hon", "Mẫu tờ khai đăng ký kết hôn", "BM.01-QT.05", "A", "Thông tư 04/2020/TT-BTP"),
    ("khai_sinh", "Tờ khai đăng ký khai sinh", "BM.02-QT.05", "A", "Thông tư 04/2020/TT-BTP"),
    ("khai_tu", "Tờ khai đăng ký khai tử", "BM.03-QT.05", "A", "Thông tư 04/2020/TT-BTP"),
    ("ly_lich", "Tờ khai cấp Phiếu lý lịch tư pháp", "BM.04-QT.07", "A", "Thông tư 06/2024"),
    ("chu_ky", "Đơn đề nghị chứng thực chữ ký", "BM.04-QT.06", "B", "Nghị định 23/2015/NĐ-CP"),
    ("ban_sao", "Phiếu yêu cầu chứng thực bản sao", "BM.05-QT.06", "B", "Nghị định 23/2015"),
    ("cu_tru", "Tờ khai thay đổi thông tin cư trú", "CT01", "B", "Thông tư 53/2025/TT-BCA"),
    ("dat_dai", "Đơn đề nghị giải quyết tranh chấp đất đai", "BM.10-QT.12", "B", ""),
    ("hen_tra", "Phiếu tiếp nhận và hẹn trả kết quả", "BM.11-QT.01", "A", ""),
    ("ket_hon_nn", "Tờ khai đăng ký kết hôn có yếu tố nước ngoài", "BM.06-QT.05", "A", ""),
    ("hon_nhan", "Giấy xác nhận tình trạng hôn nhân", "BM.07-QT.05", "A", ""),
    ("xay_dung", "Đơn xin cấp giấy phép xây dựng", "BM.12-XD.02", "B", ""),
    ("thuong_tru", "Tờ khai đăng ký thường trú", "BM.09-QT.08", "B", ""),
    ("lai_xe", "Đơn đề nghị cấp đổi giấy phép lái xe", "GPLX.01", "B", ""),
    ("bhyt", "Bản khai thông tin đề nghị cấp thẻ bảo hiểm y tế", "BHYT.02", "B", ""),
    ("dang_ky_dat", "Đăng ký biến động đất đai lần đầu", "ĐĐ.01", "B", ""),
]

# (key, title, national code, agency, field, forms used)
PROCEDURES = [
    ("p_ket_hon", "Đăng ký kết hôn", "1.000894", "B", "Hộ tịch", ["ket_hon"]),
    ("p_khai_sinh", "Đăng ký khai sinh", "1.001193", "B", "Hộ tịch", ["khai_sinh"]),
    (
        "p_ly_lich",
        "Cấp Phiếu lý lịch tư pháp cho công dân Việt Nam",
        "2.000488",
        "A",
        "Lý lịch tư pháp",
        ["ly_lich"],
    ),
    (
        "p_chu_ky",
        "Chứng thực chữ ký trong các giấy tờ, văn bản",
        "2.000815.000.00.00.H35",
        "B",
        "Chứng thực",
        ["chu_ky"],
    ),
    ("p_thuong_tru", "Đăng ký thường trú", "1.004194", "B", "Cư trú", ["thuong_tru", "cu_tru"]),
]


@dataclass
class Corpus:
    home: object
    agencies: dict[str, object]
    staff: dict[str, dict]
    forms: dict[str, FormDocumentPage] = field(default_factory=dict)
    procedures: dict[str, ProcedurePage] = field(default_factory=dict)
    fields: dict[str, ProcedureField] = field(default_factory=dict)


def make_file(agency, name: str):
    Document = get_document_model()
    document = Document(title=name, collection=agency.collection)
    document.file.save(f"{name}.pdf", ContentFile(b"%PDF-1.4\n%%EOF\n"), save=False)
    document.save()
    return document


def publish_form(agency, staff, key, title, code, legal_basis="") -> FormDocumentPage:
    editor = staff["editors"]
    page = make_form(agency, editor, code=code, title=title, legal_basis=legal_basis)
    page.file = make_file(agency, f"{key}-01")
    page.save_revision(user=editor).publish()
    return FormDocumentPage.objects.get(pk=page.pk)


def publish_procedure(agency, key, title, code, field_, forms) -> ProcedurePage:
    index = agency.get_children().type(ProcedureIndexPage).first().specific
    page = ProcedurePage(
        title=title,
        national_code=code,
        field=field_,
        applicants="Công dân Việt Nam",
        result=f"Kết quả của thủ tục {title}",
        forms_used=[ProcedurePageForm(form_page=form) for form in forms],
    )
    index.add_child(instance=page)
    page.save_revision().publish()
    return ProcedurePage.objects.get(pk=page.pk)


def build_corpus() -> Corpus:
    home = make_home()
    agencies = {
        "A": make_agency(home, "CQA", title="Sở Tư pháp thử", short_name="Sở Tư pháp"),
        "B": make_agency(home, "CQB", title="UBND phường thử", short_name="UBND phường"),
    }
    staff = {"A": make_staff(agencies["A"], "a"), "B": make_staff(agencies["B"], "b")}
    corpus = Corpus(home=home, agencies=agencies, staff=staff)
    for key, title, code, agency_key, legal in FORMS:
        corpus.forms[key] = publish_form(
            agencies[agency_key], staff[agency_key], key, title, code, legal
        )
    for key, title, code, agency_key, field_name, form_keys in PROCEDURES:
        if field_name not in corpus.fields:
            corpus.fields[field_name] = ProcedureField.objects.create(name=field_name)
        corpus.procedures[key] = publish_procedure(
            agencies[agency_key],
            key,
            title,
            code,
            corpus.fields[field_name],
            [corpus.forms[k] for k in form_keys],
        )
    return corpus


@pytest.fixture(scope="module")
def corpus(django_db_setup, django_db_blocker):
    """The shared province, built once per module and rolled back after it."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield build_corpus()
        transaction.set_rollback(True)
