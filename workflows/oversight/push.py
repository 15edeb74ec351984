"""POST /api/v1/thong-ke-ho-so/: the one-stop system pushes its monthly figures.

It lives here rather than in themes/api.py: that module is the public, read-only API and themes
may not import workflows (DESIGN §3), while this endpoint writes through workflows' services.

    Authorization: Bearer isodt_…
    {"co_quan": "STP", "thay_the": false,
     "so_lieu": [{"ma_thu_tuc": "1.001234", "thang": "03/2026", "ky_truoc_chuyen_sang": 2,
                  "tiep_nhan_truc_tiep": 5, …, "tra_lai_rut_ho_so": 0}]}

Answers: 201 stored, 200 nothing changed (the same push again), 400 refused rows (reasons row by
row, in Vietnamese), 401 unknown or revoked token, 403 another agency's figures, 409 a period
already stored with other figures (send "thay_the": true to correct it), 413 too large, 429 too
many requests. Every push is recorded as a DossierBatch with its token, address and result —
except requests without a recognised token once their address has passed the rate limit (a flood
must not fill the database).
"""

from __future__ import annotations

import json

from django.conf import settings
from django.core.cache import cache
from django.http import JsonResponse
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from content_types.agency import AgencyPage
from content_types.oversight import DossierBatch

from .dossiers import (
    CONFLICT,
    FORBIDDEN,
    INVALID,
    DossierFileError,
    dossier_batch_store,
    dossier_push_rows,
    dossier_rows_check,
    payload_digest,
)
from .tokens import push_token_find

MAX_BODY_BYTES = 2 * 1024 * 1024


def _limit(name: str, default: int) -> int:
    return int(getattr(settings, name, default))


def _over_limit(key: str, per_minute: int) -> bool:
    """A fixed one-minute window counter in the shared cache (Redis in production)."""
    window = f"iso-push:{key}:{int(timezone.now().timestamp() // 60)}"
    cache.add(window, 0, timeout=90)
    try:
        count = cache.incr(window)
    except ValueError:  # evicted between add and incr
        cache.set(window, 1, timeout=90)
        count = 1
    return count > per_minute


def _answer(status: int, batch: DossierBatch | None, **body) -> JsonResponse:
    if batch is not None:
        body["ma_lan_gui"] = batch.pk
    response = JsonResponse(body, status=status, json_dumps_params={"ensure_ascii": False})
    if status == 401:
        response["WWW-Authenticate"] = 'Bearer realm="iso-dien-tu"'
    if status == 429:
        response["Retry-After"] = "60"
    return response


def _refuse(batch: DossierBatch, status: int, message: str) -> JsonResponse:
    batch.result = DossierBatch.Result.REFUSED
    batch.errors = [{"row": 0, "kind": INVALID, "message": message}]
    batch.save()
    return _answer(status, batch, ket_qua="tu_choi", loi=[{"dong": 0, "noi_dung": message}])


@csrf_exempt
@require_POST
def dossier_push(request):
    address = request.META.get("REMOTE_ADDR")
    batch = DossierBatch(source=DossierBatch.Source.PUSH, remote_addr=address)
    header = request.headers.get("Authorization", "")
    secret = header[7:].strip() if header[:7].lower() == "bearer " else ""
    token = push_token_find(secret) if secret else None
    if token is None:
        if _over_limit(f"ip:{address}", _limit("ISO_DOSSIER_PUSH_FAILURES_PER_MINUTE", 10)):
            message = "Quá nhiều lần gửi không hợp lệ từ địa chỉ này; thử lại sau một phút."
            return _answer(429, None, ket_qua="tu_choi", loi=[{"dong": 0, "noi_dung": message}])
        return _refuse(
            batch,
            401,
            "Mã truy cập không hợp lệ hoặc đã bị thu hồi (gửi tiêu đề Authorization: Bearer "
            "<mã truy cập> do quản trị cơ quan cấp).",
        )
    batch.token = token
    batch.agency = token.agency
    if _over_limit(f"token:{token.pk}", _limit("ISO_DOSSIER_PUSH_PER_MINUTE", 30)):
        return _refuse(batch, 429, "Quá số lần gửi cho phép trong một phút; thử lại sau.")
    type(token).objects.filter(pk=token.pk).update(last_used_at=timezone.now())
    body = request.body
    if len(body) > MAX_BODY_BYTES:
        return _refuse(batch, 413, "Dữ liệu quá lớn: tối đa 2 MB mỗi lần gửi; hãy chia nhỏ.")
    batch.payload_sha256 = payload_digest(body)
    try:
        payload = json.loads(body.decode("utf-8"))
        rows, agency_code, replace = dossier_push_rows(payload=payload)
    except (UnicodeDecodeError, json.JSONDecodeError):
        return _refuse(batch, 400, "Dữ liệu không phải JSON hợp lệ (UTF-8).")
    except DossierFileError as error:
        return _refuse(batch, 400, str(error))
    batch.replace = replace
    agency = token.agency
    if agency_code:
        named = AgencyPage.objects.filter(agency_code=agency_code.strip().upper()).first()
        if named is None:
            return _refuse(batch, 400, f"Không có cơ quan mã «{agency_code}».")
        if agency is not None and named.pk != agency.pk:
            return _refuse(
                batch,
                403,
                f"Mã truy cập này của {agency.title}, không gửi được số liệu của {named.title}.",
            )
        agency = named
        batch.agency = named
    allowed = None if token.agency is None else {token.agency.pk}
    check = dossier_rows_check(
        rows=rows, agency=agency, allowed_agency_ids=allowed, replace=replace
    )
    batch = dossier_batch_store(batch=batch, check=check)
    if batch.result == DossierBatch.Result.REFUSED:
        kinds = {error["kind"] for error in batch.errors}
        status = 403 if FORBIDDEN in kinds else 409 if kinds == {CONFLICT} else 400
        return _answer(
            status,
            batch,
            ket_qua="tu_choi",
            loi=[{"dong": e["row"], "noi_dung": e["message"]} for e in batch.errors],
        )
    return _answer(
        201 if batch.result == DossierBatch.Result.ACCEPTED else 200,
        batch,
        ket_qua="da_ghi" if batch.result == DossierBatch.Result.ACCEPTED else "khong_thay_doi",
        so_dong=batch.row_count,
        moi=batch.created_count,
        thay_the=batch.replaced_count,
        khong_doi=batch.unchanged_count,
    )
