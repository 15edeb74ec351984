"""The citizen's feedback form of a procedure (issue 17 §6): public, never cached.

The procedure page itself is served from the public cache (themes.cache), so it carries no CSRF
token: it links here. This page is rendered for each visitor (`private, no-store`), with
Django's CSRF token, a honeypot field and a per-address rate limit.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from content_types.workspace import (
    FEEDBACK_CONTACT_MAX,
    FEEDBACK_MESSAGE_MAX,
    FEEDBACK_NAME_MAX,
    FeedbackKind,
)

from .feedback import FeedbackInput, feedback_rate_allow, feedback_submit, public_procedure

HONEYPOT = "trang_web"  # a field people never see; robots fill it in


def _client_address(request) -> str | None:
    from accounts.lockout import client_address  # the same address the sign-in lockout uses

    return client_address(request)


def _render(request, procedure, *, status: int = 200, **context):
    response = render(
        request,
        "themes/feedback_form.html",
        {
            "page": procedure,
            "procedure": procedure,
            "kinds": FeedbackKind.choices,
            "honeypot": HONEYPOT,
            "limits": {
                "message": FEEDBACK_MESSAGE_MAX,
                "name": FEEDBACK_NAME_MAX,
                "contact": FEEDBACK_CONTACT_MAX,
            },
            "values": {},
            "errors": {},
            **context,
        },
        status=status,
    )
    response["Cache-Control"] = "private, no-store"
    return response


@require_http_methods(["GET", "HEAD", "POST"])
def feedback_form(request, procedure_id: int):
    procedure = public_procedure(procedure_id)
    if procedure is None:
        raise Http404
    if request.method != "POST":
        return _render(request, procedure, sent=request.GET.get("da_gui") == "1")
    post = request.POST
    values = {
        "kind": post.get("loai", ""),
        "rating": post.get("muc_hai_long", ""),
        "message": post.get("noi_dung", ""),
        "name": post.get("ho_ten", ""),
        "contact": post.get("lien_he", ""),
        "consent_publish": post.get("dong_y_cong_khai") == "1",
    }
    if not feedback_rate_allow(address=_client_address(request)):
        return _render(
            request,
            procedure,
            status=429,
            values=values,
            refused=(
                "Bạn đã gửi nhiều ý kiến trong thời gian ngắn. Vui lòng thử lại sau ít phút, "
                "hoặc liên hệ trực tiếp cơ quan qua số điện thoại ở cuối trang."
            ),
        )
    try:
        feedback_submit(
            procedure=procedure, data=FeedbackInput(honeypot=post.get(HONEYPOT, ""), **values)
        )
    except ValidationError as error:
        return _render(request, procedure, status=400, values=values, errors=error.message_dict)
    # A filled honeypot lands here too, with nothing stored: a robot learns nothing.
    return HttpResponseRedirect(f"{request.path}?da_gui=1")
