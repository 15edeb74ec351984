"""«Việc cần làm» in a real browser: the ISO officer signs in and sees their agency's overdue
work first, in red and in large print, one click from each item; another agency's is absent;
a citizen sends feedback from the procedure page and the officer finds it."""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.test import Client
from django.utils import timezone

import pytest

from content_types.agency import AgencyRole
from content_types.quality.action import QualityAction
from tests.factories import make_agency, make_home, make_staff, restore_baseline
from tests.themes.builders import make_procedure

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def office(live_server):
    restore_baseline()
    home = make_home()
    today = timezone.localdate()
    people = {}
    for code, title in (("CQA", "Sở Tư pháp thử"), ("CQB", "UBND phường thử")):
        agency = make_agency(home, code, title=title, short_name=title)
        staff = make_staff(agency, code.lower())
        QualityAction.objects.create(
            agency=agency,
            title=f"Bổ sung sổ theo dõi hồ sơ {code}",
            owner=staff[AgencyRole.EDITORS],
            due_date=today - timedelta(days=3),
        )
        people[code] = (agency, staff)
    agency_a, staff_a = people["CQA"]
    procedure = make_procedure(agency_a, [], title="Chứng thực bản sao")
    client = Client()
    client.force_login(staff_a[AgencyRole.EDITORS])
    return {
        "base": live_server.url,
        "procedure": procedure,
        "session": client.cookies[settings.SESSION_COOKIE_NAME].value,
    }


def test_the_officer_sees_overdue_work_first_and_reaches_it_in_one_click(context, office, axe_path):
    # A citizen first: rates the procedure from its public page.
    citizen = context.browser.new_context(locale="vi-VN")
    page = citizen.new_page()
    page.goto(office["base"] + office["procedure"].url)
    page.get_by_role("link", name="Đánh giá, góp ý về thủ tục này").click()
    page.get_by_label("2 — Chưa hài lòng").check()
    page.get_by_label("Phản ánh").check()
    page.get_by_label("Nội dung", exact=False).fill("Phải chờ hơn một giờ mới được tiếp nhận.")
    page.get_by_role("button", name="Gửi ý kiến").click()
    assert "Cảm ơn bạn đã gửi ý kiến" in page.content()
    citizen.close()

    host = urlsplit(office["base"]).hostname
    context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": office["session"],
                "domain": host,
                "path": "/",
            }
        ]  # fmt: skip
    )
    page = context.new_page()
    page.goto(office["base"] + "/admin/")
    section = page.locator("#viec-can-lam")
    assert section.get_by_role("heading", name="Việc cần làm").is_visible()
    overdue = section.locator("li.late").first
    assert "Bổ sung sổ theo dõi hồ sơ CQA" in overdue.inner_text()
    assert "Quá hạn 3 ngày" in overdue.inner_text()
    assert "CQB" not in section.inner_text()
    # Large print, and the overdue mark in red.
    size = overdue.locator(".iso-ws-title").evaluate(
        "e => parseFloat(getComputedStyle(e).fontSize)"
    )
    assert size >= 20
    colour = overdue.locator(".iso-ws-when").evaluate("e => getComputedStyle(e).color")
    assert colour == "rgb(179, 38, 30)"
    # The citizen's feedback waits to be answered.
    assert "Trả lời phản ánh về «Chứng thực bản sao»" in section.inner_text()
    page.add_script_tag(path=axe_path)
    result = page.evaluate(
        "async () => await axe.run('#viec-can-lam', {resultTypes: ['violations']})"
    )
    serious = [
        (v["id"], [(n["target"], n.get("failureSummary", "")) for n in v["nodes"]])
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]
    assert serious == []
    # One click to the action.
    overdue.get_by_role("link").click()
    page.wait_for_load_state()
    assert "/admin/chat-luong/hanh-dong/" in page.url
    assert "Bổ sung sổ theo dõi hồ sơ CQA" in page.content()
