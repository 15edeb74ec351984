"""django-simple-history on the project's own models, visible in the admin."""

from django.urls import reverse

from content_types.agency import AgencyGroup
from content_types.procedure_fields import ProcedureField


def test_history_of_agency_groups_and_fields_is_visible(client, agency_a, django_user_model):
    root = django_user_model.objects.create_superuser("root", "r@example.vn", "x")
    field = ProcedureField.objects.create(name="Hộ tịch")
    field.name = "Hộ tịch, quốc tịch"
    field.save()
    client.force_login(root)

    link = AgencyGroup.objects.filter(agency=agency_a).first()
    response = client.get(reverse("admin:content_types_agencygroup_history", args=[link.pk]))
    assert response.status_code == 200
    response = client.get(reverse("admin:content_types_procedurefield_history", args=[field.pk]))
    html = response.content.decode()
    assert "Hộ tịch, quốc tịch" in html and field.history.count() == 2


def test_agency_staff_cannot_open_the_audit_admin(client, staff_a):
    client.force_login(staff_a["editors"])
    response = client.get(reverse("admin:content_types_agencygroup_changelist"))
    assert response.status_code == 302  # to the admin login: staff-only area
