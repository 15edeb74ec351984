"""Sign-in screens: Wagtail's login with the single sign-on button, the second factor's entry
and enrolment, password reset under the lockout, and logout that also ends the provider's
session. Thin: the rules are in accounts.second_factor, accounts.lockout and accounts.oidc."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache

from wagtail.admin.views import account as wagtail_account

from .lockout import lockout_response, password_reset_allowed
from .second_factor import (
    recovery_codes_issue,
    recovery_codes_left,
    second_factor_verify,
    totp_device_confirm,
    totp_device_pending,
    totp_qr_svg,
    totp_secret_text,
    user_has_second_factor,
    user_requires_second_factor,
)

SESSION_NEW_CODES = "iso_new_recovery_codes"
# django-otp doubles the wait after each wrong code (1 s, 2 s, 4 s…).
THROTTLED = "Bạn đã nhập sai nhiều lần. Vui lòng đợi một lát rồi thử lại."


class CodeForm(forms.Form):
    code = forms.CharField(
        label="Mã xác thực",
        max_length=32,
        strip=True,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "text", "autofocus": True}
        ),
        error_messages={"required": "Vui lòng nhập mã xác thực."},
    )


def _next_url(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse("wagtailadmin_home")


def _signed_in(view):
    def wrapped(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect(f"{reverse('wagtailadmin_login')}?next={request.path}")
        return view(request, *args, **kwargs)

    return never_cache(wrapped)


@_signed_in
def second_factor_view(request):
    """«Xác thực hai bước»: the code from the app, or a recovery code."""
    if not user_has_second_factor(user=request.user):
        return redirect(f"{reverse('accounts_enrol')}?next={_next_url(request)}")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if second_factor_verify(request=request, token=form.cleaned_data["code"]):
            left = recovery_codes_left(user=request.user)
            if left <= 2:
                messages.warning(
                    request,
                    f"Bạn chỉ còn {left} mã khôi phục. "
                    "Hãy tạo bộ mã mới ở trang Xác thực hai bước.",
                )
            return HttpResponseRedirect(_next_url(request))
        form.add_error(
            "code",
            "Mã không đúng hoặc đã hết hạn. Kiểm tra giờ trên điện thoại rồi thử lại. "
            "Sau mỗi lần sai, cần đợi lâu hơn trước khi thử tiếp.",
        )
    return render(
        request,
        "accounts/second_factor.html",
        {"form": form, "next": _next_url(request)},
        status=200 if not form.errors else 400,
    )


@_signed_in
def enrol_view(request):
    """«Bật xác thực hai bước»: scan the QR code (or type the secret), confirm with a code."""
    user = request.user
    verified = user.is_verified()
    if user_has_second_factor(user=user) and not verified:
        # Replacing an authenticator needs the current one: a stolen password must not do it.
        return redirect(f"{reverse('accounts_second_factor')}?next={_next_url(request)}")
    if request.method == "POST" and request.POST.get("action") == "recovery" and verified:
        request.session[SESSION_NEW_CODES] = recovery_codes_issue(user=user)
        return redirect(f"{reverse('accounts_recovery_codes')}?next={_next_url(request)}")
    device = totp_device_pending(user=user)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if not device.verify_is_allowed()[0]:
            form.add_error("code", THROTTLED)
        else:
            token = form.cleaned_data["code"]
            codes = totp_device_confirm(request=request, device=device, token=token)
            if codes is not None:
                request.session[SESSION_NEW_CODES] = codes
                return redirect(f"{reverse('accounts_recovery_codes')}?next={_next_url(request)}")
            form.add_error("code", "Mã không đúng. Hãy nhập mã 6 chữ số đang hiện trên ứng dụng.")
    context = {
        "form": form,
        "next": _next_url(request),
        "qr_svg": totp_qr_svg(device=device),
        "secret": totp_secret_text(device=device),
        "required": user_requires_second_factor(user=user),
        "enrolled": user_has_second_factor(user=user),
        "codes_left": recovery_codes_left(user=user),
    }
    return render(request, "accounts/enrol.html", context, status=200 if not form.errors else 400)


@_signed_in
def recovery_codes_view(request):
    """The new recovery codes, shown once."""
    codes = request.session.pop(SESSION_NEW_CODES, None)
    if not codes:
        return HttpResponseRedirect(_next_url(request))
    return render(
        request, "accounts/recovery_codes.html", {"codes": codes, "next": _next_url(request)}
    )


class LoginView(wagtail_account.LoginView):
    template_name = "accounts/login.html"

    def get_context_data(self, **kwargs):
        oidc = getattr(settings, "ISO_OIDC", None)
        return super().get_context_data(
            sso_label=oidc["label"] if oidc else None, sso_url="/oidc/authenticate/", **kwargs
        )


class PasswordResetView(wagtail_account.PasswordResetView):
    """Wagtail's reset form, counted by the lockout like a failed sign-in."""

    def form_valid(self, form):
        if not password_reset_allowed(self.request, email=form.cleaned_data.get("email", "")):
            return lockout_response(self.request)
        return super().form_valid(form)


class LogoutView(wagtail_account.LogoutView):
    """Ends the local session and, after a single sign-on, the provider's where it offers an
    end-session endpoint (accounts.oidc.provider_logout_url)."""

    def post(self, request, *args, **kwargs):
        if request.session.get("oidc_id_token") and getattr(settings, "ISO_OIDC", None):
            from .oidc import provider_logout_url

            target = provider_logout_url(request)
            logout(request)
            response = HttpResponseRedirect(target)
            response.delete_cookie(
                settings.SESSION_COOKIE_NAME,
                domain=settings.SESSION_COOKIE_DOMAIN,
                path=settings.SESSION_COOKIE_PATH,
            )
            request.session.modified = False
            return response
        return super().post(request, *args, **kwargs)
