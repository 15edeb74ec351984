"""The one-stop system's JSON push: bearer tokens (hashed, rotatable), idempotence, refusals
with nothing stored, and a record of every push."""

import json

from django.urls import reverse
from django.utils import timezone

import pytest

from content_types.agency import AgencyRole
from content_types.oversight import DossierBatch, DossierPushToken, DossierStatistic
from tests.oversight.conftest import figures
from workflows.oversight.tokens import push_token_rotate

YEAR = timezone.localdate().year - 1
URL = "/api/v1/thong-ke-ho-so/"


def _push(client, secret, body, **headers):
    if secret is not None:
        headers["HTTP_AUTHORIZATION"] = f"Bearer {secret}"
    data = body if isinstance(body, bytes | str) else json.dumps(body)
    return client.post(URL, data=data, content_type="application/json", **headers)


def _row(code="1.001193", month=f"03/{YEAR}", **changes):
    return {"ma_thu_tuc": code, "thang": month, **figures(**changes)}


@pytest.fixture
def token_a(agency_a, procedures_a, staff_a):
    token, secret = push_token_rotate(agency=agency_a, user=staff_a[AgencyRole.ADMINISTRATORS])
    return secret


def test_a_good_push_is_stored_and_the_same_push_again_changes_nothing(client, agency_a, token_a):
    body = {"so_lieu": [_row(), _row(code="2.000001", month=f"{YEAR}-04")]}
    response = _push(client, token_a, body, REMOTE_ADDR="10.1.2.3")
    assert response.status_code == 201, response.json()
    assert response.json()["ket_qua"] == "da_ghi" and response.json()["moi"] == 2
    stored = list(DossierStatistic.objects.order_by("month").values_list("month", "agency_id"))
    assert stored == [(3, agency_a.pk), (4, agency_a.pk)]
    batch = DossierBatch.objects.get()
    assert (batch.source, batch.result, batch.remote_addr) == ("push", "accepted", "10.1.2.3")
    assert batch.token.agency == agency_a
    assert batch.token.last_used_at is not None

    again = _push(client, token_a, body)
    assert again.status_code == 200
    assert again.json()["ket_qua"] == "khong_thay_doi" and again.json()["khong_doi"] == 2
    assert DossierStatistic.objects.count() == 2
    assert set(DossierStatistic.objects.values_list("batch_id", flat=True)) == {batch.pk}
    assert DossierBatch.objects.filter(result="unchanged").count() == 1


def _nothing_stored(response, status, fragment):
    assert response.status_code == status, response.content
    body = response.json()
    assert body["ket_qua"] == "tu_choi"
    assert any(fragment in error["noi_dung"] for error in body["loi"]), body
    assert DossierStatistic.objects.count() == 0
    batch = DossierBatch.objects.latest("pk")
    assert batch.result == "refused" and batch.source == "push"
    return batch


def test_a_wrong_or_missing_token_is_refused_and_recorded(client, token_a):
    batch = _nothing_stored(
        _push(client, "isodt_sai", {"so_lieu": [_row()]}), 401, "Mã truy cập không hợp lệ"
    )
    assert batch.token is None
    response = _push(client, None, {"so_lieu": [_row()]})
    assert response.status_code == 401 and response["WWW-Authenticate"].startswith("Bearer")


def test_a_rotated_token_stops_working(client, agency_a, token_a, staff_a):
    _token, fresh = push_token_rotate(agency=agency_a, user=staff_a[AgencyRole.ADMINISTRATORS])
    _nothing_stored(_push(client, token_a, {"so_lieu": [_row()]}), 401, "đã bị thu hồi")
    assert _push(client, fresh, {"so_lieu": [_row()]}).status_code == 201


def test_tokens_are_stored_hashed(token_a):
    token = DossierPushToken.objects.get()
    assert token_a not in (token.token_sha256, token.prefix)
    assert token_a.startswith(token.prefix) and len(token.prefix) < 16


def test_another_agencys_token_is_refused(client, agency_a, agency_b, procedures_b, token_a):
    _nothing_stored(
        _push(client, token_a, {"co_quan": agency_b.agency_code, "so_lieu": [_row()]}),
        403,
        "không gửi được số liệu của UBND phường thử",
    )
    _nothing_stored(
        _push(client, token_a, {"so_lieu": [_row(), {**_row(), "ma_co_quan": "CQB"}]}),
        403,
        "Dòng 2: không có quyền gửi số liệu của «UBND phường thử».",
    )


def test_a_province_token_pushes_for_any_agency_but_must_name_it(
    client, agency_a, agency_b, procedures_a, procedures_b, province_admin
):
    _token, secret = push_token_rotate(agency=None, user=province_admin)
    _nothing_stored(_push(client, secret, {"so_lieu": [_row()]}), 400, "thiếu «Mã cơ quan»")
    body = {"so_lieu": [{**_row(), "ma_co_quan": "CQA"}, {**_row(), "ma_co_quan": "cqb"}]}
    assert _push(client, secret, body).status_code == 201
    assert DossierStatistic.objects.filter(agency__in=[agency_a, agency_b]).count() == 2


def test_inconsistent_totals_refuse_every_row(client, token_a):
    body = {"so_lieu": [_row(), _row(code="2.000001", returned=0)]}
    _nothing_stored(
        _push(client, token_a, body),
        400,
        "Dòng 2: tổng không khớp — kỳ trước chuyển sang + tiếp nhận = 18, nhưng đã giải quyết "
        "+ đang giải quyết + trả lại/rút hồ sơ = 17.",
    )


@pytest.mark.parametrize(
    "body, fragment",
    [
        (b"{not json", "không phải JSON hợp lệ"),
        ({"du_lieu": []}, "mảng «so_lieu»"),
        ({"so_lieu": []}, "rỗng"),
        ({"so_lieu": [_row(code="9.999999")]}, "không có trong danh mục thủ tục"),
        ({"so_lieu": [{**_row(), "tiep_nhan_truc_tuyen": -1}]}, "số nguyên không âm"),
        ({"so_lieu": [{**_row(), "tiep_nhan_truc_tuyen": 1.5}]}, "số nguyên không âm"),
        (
            {"so_lieu": [{k: v for k, v in _row().items() if k != "tra_lai_rut_ho_so"}]},
            "thiếu «Trả lại/rút hồ sơ»",
        ),
        ({"so_lieu": [{**_row(), "thừa": 1}]}, "trường không hợp lệ"),
        ({"so_lieu": [_row(), _row()]}, "Dòng 2: trùng dòng 1"),
        ({"so_lieu": [_row(month="2026/13")]}, "tháng 13/2026 không tồn tại"),
        ({"so_lieu": [_row(month="tháng ba")]}, "«Tháng» không hợp lệ"),
        ({"so_lieu": [_row()], "thay_the": "có"}, "«thay_the» phải là true hoặc false"),
        ({"co_quan": "KHONGCO", "so_lieu": [_row()]}, "Không có cơ quan mã «KHONGCO»"),
    ],
)
def test_malformed_pushes_are_refused(client, token_a, body, fragment):
    _nothing_stored(_push(client, token_a, body), 400, fragment)


def test_a_stored_period_with_other_figures_is_refused_unless_replacing(client, token_a):
    assert _push(client, token_a, {"so_lieu": [_row()]}).status_code == 201
    corrected = {"so_lieu": [_row(on_time=7, within=4)]}
    response = _push(client, token_a, corrected)
    assert response.status_code == 409
    assert "đã có và khác số liệu gửi lần này" in response.json()["loi"][0]["noi_dung"]
    assert DossierStatistic.objects.get().resolved_on_time == 8
    response = _push(client, token_a, {**corrected, "thay_the": True})
    assert response.status_code == 201 and response.json()["thay_the"] == 1
    assert DossierStatistic.objects.get().resolved_on_time == 7


def test_pushes_are_rate_limited(client, token_a, settings):
    settings.ISO_DOSSIER_PUSH_PER_MINUTE = 2
    assert _push(client, token_a, {"so_lieu": [_row()]}).status_code == 201
    assert _push(client, token_a, {"so_lieu": [_row()]}).status_code == 200
    response = _push(client, token_a, {"so_lieu": [_row(month=f"04/{YEAR}")]})
    assert response.status_code == 429 and response["Retry-After"] == "60"
    assert DossierStatistic.objects.count() == 1
    assert DossierBatch.objects.filter(result="refused").count() == 1


def test_unrecognised_tokens_are_rate_limited_by_address(db, client, settings):
    settings.ISO_DOSSIER_PUSH_FAILURES_PER_MINUTE = 2
    codes = [_push(client, "isodt_doan", {"so_lieu": []}).status_code for _ in range(4)]
    assert codes == [401, 401, 429, 429]
    assert DossierBatch.objects.count() == 2  # a flood does not fill the database


def test_only_post(client, token_a):
    assert client.get(URL, HTTP_AUTHORIZATION=f"Bearer {token_a}").status_code == 405


# --- rotating in the admin --------------------------------------------------------------------


def test_agency_administrator_rotates_their_token_and_sees_it_once(client, agency_a, staff_a):
    client.force_login(staff_a[AgencyRole.ADMINISTRATORS])
    url = reverse("iso_push_tokens")
    page = client.get(url).content.decode()
    assert agency_a.title in page and "Cấp tỉnh" not in page
    response = client.post(url, {"scope": agency_a.pk, "action": "rotate"})
    html = response.content.decode()
    token = DossierPushToken.objects.get(agency=agency_a, revoked_at__isnull=True)
    secret = html.split('id="ma-truy-cap">')[1].split("<")[0]
    assert secret.startswith(token.prefix)
    assert secret not in client.get(url).content.decode()  # shown once
    client.post(url, {"scope": agency_a.pk, "action": "revoke"})
    assert not DossierPushToken.objects.filter(revoked_at__isnull=True).exists()


def test_others_cannot_rotate_an_agencys_token(client, agency_a, agency_b, staff_a, staff_b):
    url = reverse("iso_push_tokens")
    client.force_login(staff_b[AgencyRole.ADMINISTRATORS])
    assert client.post(url, {"scope": agency_a.pk, "action": "rotate"}).status_code == 403
    assert client.post(url, {"scope": "tinh", "action": "rotate"}).status_code == 403
    client.force_login(staff_a[AgencyRole.EDITORS])
    assert client.get(url).status_code == 403
    assert not DossierPushToken.objects.exists()


def test_province_administrator_rotates_the_province_token(client, province_admin, agency_a):
    client.force_login(province_admin)
    client.post(reverse("iso_push_tokens"), {"scope": "tinh", "action": "rotate"})
    assert DossierPushToken.objects.get(revoked_at__isnull=True).agency is None
