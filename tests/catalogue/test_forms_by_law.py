"""Forms prescribed by law: a generated code when the law gives none, and «cần rà soát» when a
form's new version cites a new prescribing document."""

from __future__ import annotations

from django.urls import reverse

import pytest

from content_types.agency import AgencyRole
from content_types.catalogue import ChangeKind, ProcedureUpdateTask, TaskStatus
from content_types.documents import FormDocumentPage
from content_types.form_codes import form_code_base, legal_document_numbers
from tests.content_types.test_controlled_items import _add_form
from tests.factories import new_revision, run_workflow
from tests.themes.builders import make_file, make_procedure, publish_form, publish_new_version

pytestmark = pytest.mark.django_db
BIRTH_FORM = "Mẫu tờ khai đăng ký khai sinh ban hành kèm theo Thông tư số 04/2020/TT-BTP"


def test_legal_document_numbers_and_code_stem():
    text = "Mẫu CT01 ban hành kèm theo Thông tư 53/2025/TT-BCA (thay Thông tư 66/2023/TT-BCA)"
    assert legal_document_numbers(text) == ["53/2025/TT-BCA", "66/2023/TT-BCA"]
    assert legal_document_numbers("Nghị định 118/2025/NĐ-CP") == ["118/2025/NĐ-CP"]
    assert form_code_base(BIRTH_FORM) == "TT04-2020-BTP"
    assert form_code_base("Nghị định 118/2025/NĐ-CP") == "ND118-2025-CP"
    assert form_code_base("") == "MAU"


def test_form_without_code_gets_one_the_agency_can_change(client, agency_a, staff_a):
    client.force_login(staff_a[AgencyRole.EDITORS])
    document = make_file(agency_a, "tk-khai-sinh.pdf", b"%PDF-1.4 to khai")
    response = _add_form(
        client,
        agency_a,
        code="",
        title="Tờ khai đăng ký khai sinh",
        slug="to-khai-khai-sinh",
        legal_basis=BIRTH_FORM,
        file=document.pk,
    )
    assert response.status_code == 302, response.content.decode()[-2000:]
    form = FormDocumentPage.objects.get(slug="to-khai-khai-sinh")
    assert form.get_latest_revision_as_object().code == "TT04-2020-BTP.01"
    second = _add_form(
        client, agency_a, code="", title="Tờ khai khác", slug="to-khai-khac", legal_basis=BIRTH_FORM
    )
    assert second.status_code == 302
    assert FormDocumentPage.objects.get(slug="to-khai-khac").code == "TT04-2020-BTP.02"

    # The agency may replace the generated code with its own.
    new_revision(form, staff_a[AgencyRole.EDITORS], code="BM.KS-01")
    form = run_workflow(form, staff_a)
    client.logout()
    data = client.get(f"/api/v1/forms/{form.pk}/").json()
    assert data["code"] == "BM.KS-01"
    assert "BM.KS-01" in client.get(form.url).content.decode()


def test_new_prescribing_document_flags_procedures_citing_the_old(client, agency_a, staff_a):
    form = publish_form(agency_a, staff_a, "CT01", "Tờ khai thay đổi thông tin cư trú")
    citing = make_procedure(agency_a, [form], title="Đăng ký thường trú", code="1.004222")
    latest = citing.get_latest_revision_as_object()
    latest.legal_basis = "<p>Mẫu CT01 ban hành kèm theo Thông tư 04/2020/TT-BTP.</p>"
    latest.save_revision().publish(skip_permission_checks=True)
    silent = make_procedure(agency_a, [form], title="Đăng ký tạm trú", code="1.004194")

    # A new version that still cites the same document flags nothing.
    form = publish_new_version(form, staff_a, b"lan 2")
    assert not ProcedureUpdateTask.objects.exists()

    new_revision(form, staff_a[AgencyRole.EDITORS], legal_basis="Thông tư 53/2025/TT-BCA")
    form = publish_new_version(form, staff_a, b"lan 3", issue=3)
    (task,) = ProcedureUpdateTask.objects.all()
    assert task.kind == ChangeKind.REVIEW and task.procedure_id == citing.pk
    assert task.title == "Cần rà soát"
    assert "53/2025/TT-BCA" in task.note and "04/2020/TT-BTP" in task.note
    assert not ProcedureUpdateTask.objects.filter(procedure=silent).exists()

    client.force_login(staff_a[AgencyRole.EDITORS])
    html = client.get(reverse("iso_catalogue_tasks", args=[agency_a.pk])).content.decode()
    assert "Cần rà soát" in html and "1.004222" in html

    # The editor revises the procedure; its approval closes the flag.
    latest = citing.get_latest_revision_as_object()
    latest.legal_basis = "<p>Mẫu CT01 ban hành kèm theo Thông tư 53/2025/TT-BCA.</p>"
    latest.save_revision(user=staff_a[AgencyRole.EDITORS])
    run_workflow(citing, staff_a)
    task.refresh_from_db()
    assert task.status == TaskStatus.DONE
