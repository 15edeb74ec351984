"""A form's page on a 360 px phone: each version's «Tình trạng» in view, pending versions hidden,
the download button on one line naming the file type and size."""

from datetime import timedelta

from django.utils import timezone

import pytest

from content_types.agency import AgencyRole
from tests.factories import (
    make_agency,
    make_home,
    make_staff,
    new_revision,
    restore_baseline,
    run_workflow,
)
from tests.themes.builders import publish_form, publish_new_version

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def form_site(live_server):
    from themes import skeleton
    from themes.cache import public_cache

    public_cache().clear()
    skeleton._memo.clear()
    restore_baseline()
    home = make_home()
    agency = make_agency(home, "STP", title="Sở Tư pháp tỉnh Thử", short_name="Sở Tư pháp")
    staff = make_staff(agency, "stp")
    form = publish_form(agency, staff, "BM.01-QT.05", "Tờ khai đăng ký kết hôn", b"%PDF-1.4 01")
    form = publish_new_version(form, staff, b"%PDF-1.4 lan 02 " + b"x" * 4000)
    # Version 03 approved ahead of its effective date: not for citizens yet.
    revision = new_revision(form, staff[AgencyRole.EDITORS], change_summary="Lần 03 sắp tới.")
    pending = revision.as_object()
    pending.go_live_at = timezone.now() + timedelta(days=7)
    pending.save_revision(user=staff[AgencyRole.EDITORS])
    run_workflow(form, staff)
    yield {"base": live_server.url, "form": form}
    public_cache().clear()
    skeleton._memo.clear()


def test_the_version_table_keeps_its_status_on_a_phone(phone, form_site):
    page = phone.new_page()
    page.goto(form_site["base"] + form_site["form"].url)
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    rows = page.locator("table.versions tbody tr")
    assert rows.count() == 2  # 01 obsolete, 02 current; 03 is pending
    for index, expected in enumerate(["Hết hiệu lực", "Đang hiệu lực"]):
        status = rows.nth(index).locator("td[data-label='Tình trạng']")
        assert status.is_visible()
        assert status.inner_text().strip() == expected
        box = status.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= 360, box
        # The label is shown beside the value, since the header row is out of sight.
        label = status.evaluate("el => getComputedStyle(el, '::before').content")
        assert "Tình trạng" in label
    body = page.locator("main").inner_text()
    assert "Chờ hiệu lực" not in body
    assert "Lần 03 sắp tới." not in body


def test_the_download_button_is_one_line_on_a_phone(phone, form_site):
    page = phone.new_page()
    page.goto(form_site["base"] + form_site["form"].url)
    button = page.locator("a.button.download").first
    text = button.inner_text()
    assert "Tải về" in text and "(PDF," in text and "KB" in text
    assert "BM.01-QT.05" not in text
    lines = button.evaluate(
        """el => {
            const range = document.createRange();
            range.selectNodeContents(el);
            // Fragments of one line overlap vertically (an icon or a smaller font sits a
            // little higher or lower); a wrapped line starts below the previous one's bottom.
            const rects = [...range.getClientRects()]
                .filter(r => r.width > 1)
                .sort((a, b) => a.top - b.top);
            let lines = 0, bottom = -Infinity;
            for (const r of rects) {
                if (r.top >= bottom - 1) { lines += 1; bottom = r.bottom; }
                else { bottom = Math.max(bottom, r.bottom); }
            }
            return lines;
        }"""
    )
    assert lines == 1
    box = button.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 360, box
    assert box["height"] >= 44  # a finger-sized target
    name = button.evaluate("el => el.textContent")
    assert "Tờ khai đăng ký kết hôn" in name  # the form is named for screen readers
