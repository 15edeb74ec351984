"""The JSON API's search answers with the same search as the public page: versions in force,
public pages only, diacritics optional."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from content_types.agency import AgencyRole
from tests.factories import make_form, new_revision, run_workflow


def test_json_search_finds_the_version_in_force_without_diacritics(client, agency_a, staff_a):
    editor = staff_a[AgencyRole.EDITORS]
    form = make_form(agency_a, editor, code="BM.01-QT.05", title="Tờ khai đăng ký kết hôn")
    run_workflow(form, staff_a)
    new_revision(form, editor, title="Tờ khai đăng ký kết hôn (mẫu mới)",
                 go_live_at=timezone.now() + timedelta(days=3))  # fmt: skip
    run_workflow(form, staff_a)
    make_form(agency_a, editor, code="BM.02", title="Tờ khai đăng ký kết hôn nháp")

    for query in ("to khai dang ky ket hon", "BM01-QT05"):
        data = client.get(reverse("api_search_forms"), {"q": query}).json()
        assert [r["code"] for r in data["results"]] == ["BM.01-QT.05"], query
        first = data["results"][0]
        assert first["issue_number"] == 1
        assert first["title"] == "Tờ khai đăng ký kết hôn"  # not the scheduled one
        assert first["download_url"] is None or first["download_url"].startswith("http")


def test_json_search_with_hostile_input_answers_normally(client, home):
    for query in ["NEAR(", '"unbalanced', "*", "' OR 1=1 --", "x" * 10_000, "🙂"]:
        response = client.get(reverse("api_search_procedures"), {"q": query})
        assert response.status_code == 200
        assert response.json()["results"] == []
