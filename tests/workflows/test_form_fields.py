"""A form's procedure fields follow the live procedures that use it (what search counts by)."""

from wagtail.models import Revision

import pytest

from content_types.documents import FormDocumentPage
from content_types.procedure_fields import ProcedureField
from content_types.procedures import ProcedurePageForm
from search.selectors import find_forms
from tests.themes.builders import make_procedure, publish_form

pytestmark = pytest.mark.django_db


def _fields(form) -> str:
    return FormDocumentPage.objects.get(pk=form.pk).procedure_fields


def _field_facet(query: str) -> dict[str, int]:
    return {value.label: value.count for value in find_forms(query).facets["field"]}


def test_a_published_procedure_gives_its_forms_its_field(agency_a, staff_a):
    used = publish_form(agency_a, staff_a, "BM.01", "Tờ khai đăng ký khai sinh")
    unused = publish_form(agency_a, staff_a, "BM.02", "Tờ khai đăng ký khai tử")
    procedure = make_procedure(agency_a, [used])

    assert _fields(used) == str(procedure.field_id)
    assert _fields(unused) == ""
    assert _field_facet("to khai dang ky") == {"Hộ tịch": 1}


def test_a_second_field_is_added_and_an_unpublished_procedure_takes_its_field_away(
    agency_a, staff_a
):
    form = publish_form(agency_a, staff_a, "BM.01", "Tờ khai đăng ký khai sinh")
    civil = make_procedure(agency_a, [form])
    notary = make_procedure(agency_a, [form], title="Chứng thực bản sao", code="2.000815")
    other, _ = ProcedureField.objects.get_or_create(name="Chứng thực")
    notary.field = other
    notary.save_revision().publish(skip_permission_checks=True)

    assert _fields(form) == ",".join(sorted([str(civil.field_id), str(other.pk)]))
    assert _field_facet("khai sinh") == {"Hộ tịch": 1, "Chứng thực": 1}

    notary.unpublish()
    assert _fields(form) == str(civil.field_id)
    assert _field_facet("khai sinh") == {"Hộ tịch": 1}


def test_a_link_removed_or_a_procedure_deleted_clears_the_field(agency_a, staff_a):
    form = publish_form(agency_a, staff_a, "BM.01", "Tờ khai đăng ký khai sinh")
    procedure = make_procedure(agency_a, [form])
    ProcedurePageForm.objects.filter(page=procedure).delete()
    procedure.save_revision().publish(skip_permission_checks=True)
    assert _fields(form) == ""

    again = make_procedure(agency_a, [form], title="Đăng ký lại khai sinh", code="1.004884")
    assert _fields(form) == str(again.field_id)
    again.delete()
    assert _fields(form) == ""
    assert _field_facet("khai sinh") == {}


def test_publishing_a_form_revision_written_earlier_keeps_its_fields(agency_a, staff_a):
    form = publish_form(agency_a, staff_a, "BM.01", "Tờ khai đăng ký khai sinh")
    draft = FormDocumentPage.objects.get(pk=form.pk)
    draft.change_summary = "Sửa lỗi chính tả."
    revision = draft.save_revision()  # written while no procedure used the form
    procedure = make_procedure(agency_a, [form])
    # Approved later, as a workflow does: the revision read back from the database.
    Revision.objects.get(pk=revision.pk).publish(skip_permission_checks=True)

    assert _fields(form) == str(procedure.field_id)
    assert _field_facet("khai sinh") == {"Hộ tịch": 1}
