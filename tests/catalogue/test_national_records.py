"""Real national records entered without forcing: 1.004222, 2.000815, 1.001806 and 1.013814
(fixtures/catalogue/ho-so-quoc-gia-mau.json) imported through the agency's import screen,
approved through its workflow, then given their internal processes by the agency — and each
model case checked on the public page and the API as a citizen reads them."""

from __future__ import annotations

import html as html_lib
import json
import unicodedata
from decimal import Decimal
from pathlib import Path

from wagtail.models import Revision

import pytest

from content_types.agency import AgencyLevel, AgencyRole
from content_types.catalogue import ProcedureUpdateTask, TaskStatus
from content_types.documents import FormDocumentPage
from content_types.procedures import (
    ProcedurePage,
    ProcedurePageCase,
    ProcedurePageProcess,
)
from tests.catalogue.builders import upload
from tests.catalogue.test_model_cases import _step_row
from tests.content_types.test_controlled_items import _add_form
from tests.factories import make_agency, make_staff, run_workflow
from tests.themes.builders import make_file, publish_form

pytestmark = pytest.mark.django_db

FIXTURE = Path(__file__).resolve().parents[2] / "fixtures" / "catalogue" / "ho-so-quoc-gia-mau.json"
CODES = ("1.004222", "2.000815", "1.001806", "1.013814")


@pytest.fixture
def commune(home):
    return make_agency(
        home,
        "UBND-HG",
        title="Ủy ban nhân dân phường Hồng Gai",
        short_name="UBND phường Hồng Gai",
        level=AgencyLevel.COMMUNE,
    )


@pytest.fixture
def people(commune):
    return make_staff(commune, "hg")


def _text(response) -> str:
    return html_lib.unescape(response.content.decode())


def _import(client, agency, staff) -> str:
    client.force_login(staff[AgencyRole.EDITORS])
    response = upload(client, agency, FIXTURE.name, FIXTURE.read_bytes())
    assert response.status_code == 302, response.content.decode()[-3000:]
    preview = _text(client.get(response["Location"]))
    assert client.post(response["Location"]).status_code == 302
    return preview


def _approve_imported(staff) -> None:
    for code in CODES:
        for role in (AgencyRole.REVIEWERS, AgencyRole.APPROVERS):
            page = ProcedurePage.objects.get(national_code=code)
            page.current_workflow_task_state.approve(user=staff[role])


@pytest.fixture
def imported(client, commune, people):
    """The agency's forms CT01/CT02 in force, the file imported and approved."""
    publish_form(commune, people, "CT01", "Tờ khai thay đổi thông tin cư trú")
    publish_form(commune, people, "CT02", "Tờ khai thay đổi thông tin về cư trú")
    preview = _import(client, commune, people)
    _approve_imported(people)
    client.logout()
    return preview, {code: ProcedurePage.objects.get(national_code=code) for code in CODES}


def _api(client, page) -> dict:
    response = client.get(f"/api/v1/procedures/{page.pk}/")
    assert response.status_code == 200
    return response.json()


def test_the_file_is_the_national_shape_and_says_where_each_record_comes_from():
    data = json.loads(FIXTURE.read_text(encoding="utf-8"))
    assert [p["code"] for p in data["procedures"]] == list(CODES)
    assert all("nguyên văn" in p["source_note"] for p in data["procedures"])


def test_preview_lists_every_record_and_the_page_carries_the_national_data(client, imported):
    preview, pages = imported
    for code in CODES:
        assert f'data-code="{code}" data-action="create"' in preview
    assert all(page.live for page in pages.values())

    # 1.004222: two named cases, each offering «mẫu CT01 hoặc CT02»; the fee per channel.
    html = _text(client.get(pages["1.004222"].url))
    assert "Đăng ký thường trú vào chỗ ở hợp pháp thuộc quyền sở hữu của mình" in html
    assert "Đăng ký thường trú vào chỗ ở hợp pháp do thuê, mượn, ở nhờ" in html
    assert html.count('class="meta dossier-or">hoặc</p>') == 2
    assert "Tờ khai thay đổi thông tin về cư trú" in html
    assert (
        "Lệ phí đăng ký cư trú: 20.000 đồng/lần đăng ký (Miễn lệ phí cho các trường hợp tại "
        "Điều 4 Thông tư số 75/2022/TT-BTC)" in html
    )
    assert "Lệ phí đăng ký cư trú: 10.000 đồng/lần đăng ký" in html
    assert "7 ngày làm việc" in html
    data = _api(client, pages["1.004222"])
    assert [c["name"] for c in data["cases"]] == [
        "Đăng ký thường trú vào chỗ ở hợp pháp thuộc quyền sở hữu của mình",
        "Đăng ký thường trú vào chỗ ở hợp pháp do thuê, mượn, ở nhờ",
    ]
    for case in data["cases"]:
        component = case["dossier"][0]
        assert component["form"]["code"] == "CT01"
        assert [f["code"] for f in component["alternative_forms"]] == ["CT02"]
    in_person, online = data["channels"]
    assert in_person["fee_items"][0]["kind"] == "charge"
    assert in_person["fee_items"][0]["name"] == "Lệ phí đăng ký cư trú"
    assert in_person["fee_items"][0]["amount"] == 20000
    assert online["fee_lines"][0].startswith("Lệ phí đăng ký cư trú: 10.000 đồng/lần đăng ký")

    # 2.000815: an unnamed case; a fee from the 3rd page on, with its cap; a limit in words.
    html = _text(client.get(pages["2.000815"].url))
    assert "<h3></h3>" not in html
    assert "Phí chứng thực bản sao từ bản chính: 2.000 đồng/trang" in html
    assert (
        "Phí chứng thực bản sao từ bản chính: từ trang thứ 3 trở đi: 1.000 đồng/trang, tối đa "
        "200.000 đồng/bản (Trang thứ nhất và thứ hai thu 2.000 đồng/trang)" in html
    )
    assert "<dt>Thời hạn giải quyết</dt><dd>Trong ngày</dd>" in html
    data = _api(client, pages["2.000815"])
    assert data["cases"][0]["name"] == ""
    threshold = data["channels"][0]["fee_items"][1]
    assert threshold["kind"] == "fee"  # «Phí …» is a fee (phí), not a charge (lệ phí)
    assert (threshold["amount"], threshold["from_quantity"], threshold["cap"]) == (1000, 3, 200000)
    assert threshold["unit"] == "đồng/trang" and threshold["cap_unit"] == "đồng/bản"
    assert data["channels"][0]["time_limit_display"] == "Trong ngày"

    # 1.001806: a fee label in capitals is still a fee; a channel without fee data says so.
    data = _api(client, pages["1.001806"])
    in_person, online, postal = data["channels"]
    assert in_person["fee_items"][0]["kind"] == online["fee_items"][0]["kind"] == "fee"
    assert online["fee_lines"] == [
        "PHÍ khai thác, sử dụng thông tin trong Cơ sở dữ liệu hộ tịch: 4.000 đồng/bản sao trích "
        "lục (giảm 50% khi nộp trực tuyến)"
    ]
    assert postal["fee_lines"] == ["Chưa có thông tin"]

    # 1.013814: no fee data at all reads «chưa có thông tin», never «Không thu»; a limit per case.
    html = _text(client.get(pages["1.013814"].url))
    assert "Chưa có thông tin" in html and "Không thu" not in html
    assert "Thời hạn riêng: 5 ngày làm việc" in html and "Thời hạn riêng: 10 ngày làm việc" in html
    data = _api(client, pages["1.013814"])
    assert {c["fee_lines"][0] for c in data["channels"]} == {"Chưa có thông tin"}
    assert [c["time_limit_display"] for c in data["cases"]] == [
        "5 ngày làm việc",
        "10 ngày làm việc",
    ]


def test_the_agency_writes_its_processes_and_a_code_less_form(client, imported, commune, people):
    _preview, pages = imported
    editor = people[AgencyRole.EDITORS]
    tasks = {
        t.national_code: t for t in ProcedureUpdateTask.objects.filter(national_code__in=CODES)
    }
    assert {t.status for t in tasks.values()} == {TaskStatus.OPEN}

    # The form of Circular 04/2020/TT-BTP has no code: it gets one the agency can see.
    client.force_login(editor)
    response = _add_form(
        client,
        commune,
        code="",
        title="Tờ khai cấp bản sao trích lục hộ tịch",
        slug="to-khai-trich-luc",
        legal_basis="Mẫu ban hành kèm theo Thông tư số 04/2020/TT-BTP",
        file=make_file(commune, "tk-trich-luc.pdf", b"%PDF-1.4 trich luc").pk,
    )
    assert response.status_code == 302, response.content.decode()[-2000:]
    form = run_workflow(FormDocumentPage.objects.get(slug="to-khai-trich-luc"), people)
    assert form.code == "TT04-2020-BTP.01"

    # 1.001806: the form linked, and a process in hours within «Trong ngày».
    latest = pages["1.001806"].get_latest_revision_as_object()
    (case,) = latest.cases.all()
    latest.cases = [
        ProcedurePageCase(
            name=case.name,
            dossier_sets=case.dossier_sets,
            time_limit=case.time_limit,
            time_limit_unit=case.time_limit_unit,
            time_limit_text=case.time_limit_text,
            dossier=[
                (
                    "component",
                    {**case.dossier.raw_data[0]["value"], "form": form, "alternative_forms": []},
                )
            ],
        )
    ]
    latest.process_time_limit = Decimal(8)
    latest.process_limit_unit = "hours"
    latest.process_limit_text = "Trong ngày"
    latest.process_steps = [
        _step_row("Tiếp nhận, kiểm tra tờ khai", hours="0.5", unit="Bộ phận Một cửa"),
        _step_row("Trích lục từ Cơ sở dữ liệu hộ tịch", hours="2"),
        _step_row("Ký bản sao trích lục", hours="1", unit="Lãnh đạo UBND"),
    ]
    latest.save_revision(user=editor)
    run_workflow(pages["1.001806"], people)

    # 1.013814: one process per case, each with its own limit.
    latest = pages["1.013814"].get_latest_revision_as_object()
    latest.process_time_limit = Decimal(5)
    latest.processes = [
        ProcedurePageProcess(
            name="Giải thể hội",
            case_name="Giải thể hội",
            time_limit=Decimal(10),
            time_limit_unit="days",
        )
    ]
    latest.process_steps = [
        _step_row("Thẩm định hồ sơ thành lập", "4"),
        _step_row("Ký quyết định cho phép thành lập", "1"),
        _step_row("Thẩm định hồ sơ giải thể", "8", process="Giải thể hội"),
        _step_row("Ký quyết định giải thể", "2", process="Giải thể hội"),
    ]
    latest.save_revision(user=editor)
    run_workflow(pages["1.013814"], people)
    client.logout()

    html = _text(client.get(ProcedurePage.objects.get(national_code="1.001806").url))
    assert "TT04-2020-BTP.01" in html and "Tờ khai cấp bản sao trích lục hộ tịch" in html
    assert "<strong>3,5 giờ làm việc</strong>" in html
    assert "Trong ngày (8 giờ làm việc)" in html
    data = _api(client, pages["1.001806"])
    assert data["cases"][0]["name"] == ""
    assert data["cases"][0]["dossier"][0]["form"]["code"] == "TT04-2020-BTP.01"
    (process,) = data["processes"]
    assert process["time_limit_text"] == "Trong ngày" and process["total"] == 3.5
    assert [s["hours"] for s in process["steps"]] == [0.5, 2, 1]

    html = _text(client.get(pages["1.013814"].url))
    assert "Quy trình: Giải thể hội" in html
    assert (
        "<strong>5 ngày làm việc</strong>" in html and "<strong>10 ngày làm việc</strong>" in html
    )
    main, dissolution = _api(client, pages["1.013814"])["processes"]
    assert (main["time_limit"], main["total"]) == (5, 5)
    assert (dissolution["time_limit"], dissolution["total"]) == (10, 10)
    assert dissolution["within_limit"] is True

    # The approved internal processes close their «Cập nhật quy trình nội bộ» tasks only.
    for task in tasks.values():
        task.refresh_from_db()
    assert tasks["1.001806"].status == tasks["1.013814"].status == TaskStatus.DONE
    assert tasks["1.004222"].status == tasks["2.000815"].status == TaskStatus.OPEN


def test_the_same_file_again_changes_nothing(client, imported, commune, people):
    before = (ProcedurePage.objects.count(), Revision.objects.count())
    client.force_login(people[AgencyRole.EDITORS])
    response = upload(client, commune, FIXTURE.name, FIXTURE.read_bytes())
    assert "Không có gì thay đổi" in _text(client.get(response["Location"]))
    client.post(response["Location"])
    assert (ProcedurePage.objects.count(), Revision.objects.count()) == before


@pytest.mark.parametrize(
    ("label", "kind", "name"),
    [
        (
            "Phí thẩm định điều kiện hoạt động Văn phòng công chứng",
            "fee",
            "Phí thẩm định điều kiện hoạt động Văn phòng công chứng",
        ),
        ("PHÍ", "fee", ""),
        ("phi", "fee", ""),
        ("Phí:", "fee", ""),
        ("Lệ phí", "charge", ""),
        ("LỆ PHÍ cấp giấy phép", "charge", "LỆ PHÍ cấp giấy phép"),
        ("Le phi dang ky cu tru", "charge", "Le phi dang ky cu tru"),
        ("Mức thu phí chứng thực", "fee", "Mức thu phí chứng thực"),
        (unicodedata.normalize("NFD", "Lệ phí"), "charge", ""),  # decomposed diacritics
        ("fee", "fee", ""),
        ("charge", "charge", ""),
        ("Phí, lệ phí theo quy định", "fee", "Phí, lệ phí theo quy định"),
    ],
)
def test_a_fee_kind_is_read_from_its_leading_word(label, kind, name):
    from workflows.catalogue.records import fee_kind_of, fee_name_of

    assert fee_kind_of(label) == kind
    assert fee_name_of(label) == name


def test_a_change_of_fee_alone_is_shown_in_the_preview(client, imported, commune, people):
    data = json.loads(FIXTURE.read_text(encoding="utf-8"))
    record = data["procedures"][0]
    record["channels"][0]["fee_items"][0]["amount"] = 25000
    client.force_login(people[AgencyRole.EDITORS])
    response = upload(client, commune, "qd-le-phi.json", json.dumps(data).encode())
    preview = _text(client.get(response["Location"]))
    assert 'data-code="1.004222" data-action="update"' in preview
    assert 'data-code="2.000815" data-action="unchanged"' in preview
    row = preview.split('data-code="1.004222"', 1)[1].split("</tr>", 1)[0]
    assert "Lệ phí đăng ký cư trú: 20.000 đồng/lần đăng ký" in row
    assert "Lệ phí đăng ký cư trú: 25.000 đồng/lần đăng ký" in row
