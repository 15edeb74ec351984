"""Each page type can only be created where it belongs."""

from django.core.exceptions import ValidationError

from wagtail.models import Page
from wagtail.test.utils import WagtailPageTestCase

import pytest

from content_types.agency import AgencyPage
from content_types.documents import ControlledDocumentPage, FormDocumentPage
from content_types.indexes import FormIndexPage, ProcedureIndexPage, QualitySystemPage
from content_types.portal import PortalHomePage
from content_types.procedures import ProcedurePage
from content_types.quality.plan import AuditPlanPage
from content_types.quality.programme import AuditProgrammePage
from content_types.quality.report import AuditReportPage
from tests.factories import make_agency, make_home


class PageTypeRulesTests(WagtailPageTestCase):
    def test_where_each_type_may_be_created(self):
        allowed = {
            Page: {PortalHomePage},
            PortalHomePage: {AgencyPage},
            AgencyPage: {ProcedureIndexPage, FormIndexPage, QualitySystemPage},
            ProcedureIndexPage: {ProcedurePage},
            FormIndexPage: {FormDocumentPage},
            QualitySystemPage: {ControlledDocumentPage, AuditProgrammePage},
            AuditProgrammePage: {AuditPlanPage},
            AuditPlanPage: {AuditReportPage},
            AuditReportPage: set(),
            ProcedurePage: set(),
            FormDocumentPage: set(),
            ControlledDocumentPage: set(),
        }
        for parent, children in allowed.items():
            for child in allowed:
                if child is Page:
                    continue
                with self.subTest(parent=parent.__name__, child=child.__name__):
                    if child in children:
                        self.assertCanCreateAt(parent, child)
                    else:
                        self.assertCanNotCreateAt(parent, child)


def test_agency_sections_are_created_once(agency_a):
    children = [type(p.specific) for p in agency_a.get_children()]
    assert children == [ProcedureIndexPage, FormIndexPage, QualitySystemPage]
    for section in agency_a.get_children():
        assert not type(section.specific).can_create_at(agency_a)


def test_only_one_portal_home(home):
    assert not PortalHomePage.can_create_at(Page.get_first_root_node())


@pytest.mark.django_db
def test_agency_code_is_unique_and_normalised():
    home = make_home()
    make_agency(home, "STP")
    with pytest.raises(ValidationError) as error:
        make_agency(home, " stp ", title="Sở Tư pháp khác")
    assert "Mã cơ quan này đã được dùng" in str(error.value)
    assert AgencyPage.objects.count() == 1


def test_verbose_names_are_vietnamese():
    assert AgencyPage._meta.verbose_name == "Cơ quan, đơn vị"
    assert AgencyPage._meta.get_field("agency_code").verbose_name == "mã cơ quan"
    assert "STP" in AgencyPage._meta.get_field("agency_code").help_text
