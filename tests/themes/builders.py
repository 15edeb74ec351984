"""Public-site trees: published forms with real files and versions, and procedures using them."""

from __future__ import annotations

from decimal import Decimal

from django.core.files.base import ContentFile

from wagtail.documents import get_document_model

from content_types.indexes import ProcedureIndexPage
from content_types.procedure_fields import ProcedureField
from content_types.procedures import (
    ProcedurePage,
    ProcedurePageCase,
    ProcedurePageChannel,
    ProcedurePageForm,
    ProcedurePageProcessStep,
)
from tests.factories import make_form, new_revision, run_workflow


def make_file(agency, name: str, content: bytes):
    document = get_document_model()(title=name, collection=agency.collection)
    document.file.save(name, ContentFile(content), save=False)
    document.file_size = len(content)
    document.save()
    return document


def publish_form(agency, staff, code: str, title: str, content: bytes | None = None):
    """A form with one issued version (01) in force, its file holding `content`."""
    from content_types.agency import AgencyRole

    content = content or f"{code} lần 01".encode()
    document = make_file(agency, f"{code.lower().replace('.', '-')}-01.pdf", content)
    page = make_form(
        agency,
        staff[AgencyRole.EDITORS],
        code=code,
        title=title,
        file=document,
        legal_basis="Ban hành kèm theo Thông tư 04/2020/TT-BTP.",
        change_summary="Ban hành lần đầu.",
    )
    return run_workflow(page, staff)


def publish_new_version(form, staff, content: bytes, *, title: str | None = None, issue: int = 2):
    """Issue the next version of `form` with a new file; the previous one becomes obsolete."""
    from content_types.agency import AgencyRole

    agency_collection = form.file.collection
    document = get_document_model()(title=f"{form.code} {issue:02d}", collection=agency_collection)
    document.file.save(
        f"{form.code.lower().replace('.', '-')}-{issue:02d}.pdf", ContentFile(content), save=False
    )
    document.file_size = len(content)
    document.save()
    changes = {"file": document, "change_summary": f"Sửa đổi lần {issue:02d}."}
    if title:
        changes["title"] = title
    new_revision(form, staff[AgencyRole.EDITORS], **changes)
    return run_workflow(form, staff)


def make_procedure(agency, forms, *, steps: int = 2, title: str = "Đăng ký khai sinh", code=None):
    """A published procedure: one case whose dossier links every form, `steps` process steps."""
    field, _ = ProcedureField.objects.get_or_create(name="Hộ tịch")
    index = agency.get_children().type(ProcedureIndexPage).first().specific
    dossier = [
        (
            "component",
            {
                "name": f"Tờ khai theo mẫu {form.code}",
                "originals": 1,
                "copies": 0,
                "form": form,
                "note": "",
            },
        )
        for form in forms
    ]
    dossier.append(
        ("component", {"name": "Giấy chứng sinh", "originals": 1, "copies": 0, "note": ""})
    )
    step_rows = [
        ProcedurePageProcessStep(
            task=f"Bước xử lý số {n + 1}",
            unit="Bộ phận Một cửa" if n == 0 else "Phòng Hành chính tư pháp",
            role="Công chức tiếp nhận" if n == 0 else "Chuyên viên",
            working_days=Decimal("0.5"),
            counted=True,
        )
        for n in range(steps)
    ]
    step_rows.append(
        ProcedurePageProcessStep(
            task="Trả kết quả", unit="Bộ phận Một cửa", role="Công chức", counted=False
        )
    )
    page = ProcedurePage(
        title=title,
        national_code=code or "1.001193",
        level="commune",
        field=field,
        steps="<p>Bước 1: Nộp hồ sơ tại Bộ phận Một cửa.</p>",
        applicants="Công dân Việt Nam",
        result="Giấy khai sinh",
        legal_basis="<p>Luật Hộ tịch năm 2014.</p>",
        requirements="<p>Không có.</p>",
        process_time_limit=Decimal(steps),
        channels=[
            ProcedurePageChannel(channel="in_person", time_limit=Decimal(1), fees="Miễn lệ phí"),
            ProcedurePageChannel(channel="online", time_limit=Decimal("0.5"), fees="Miễn lệ phí"),
        ],
        cases=[ProcedurePageCase(name="Tất cả các trường hợp", dossier=dossier)],
        process_steps=step_rows,
        forms_used=[ProcedurePageForm(form_page=form) for form in forms],
    )
    index.add_child(instance=page)
    page.save_revision().publish(skip_permission_checks=True)
    return ProcedurePage.objects.get(pk=page.pk)
