"""Sign-in URLs. The admin ones are mounted ahead of Wagtail's own in cms/urls.py."""

from django.urls import include, path

from . import views

urlpatterns = [
    path("tai-khoan/xac-thuc-hai-buoc/", views.second_factor_view, name="accounts_second_factor"),
    path("tai-khoan/xac-thuc-hai-buoc/dang-ky/", views.enrol_view, name="accounts_enrol"),
    path(
        "tai-khoan/xac-thuc-hai-buoc/ma-khoi-phuc/",
        views.recovery_codes_view,
        name="accounts_recovery_codes",
    ),
    path("admin/login/", views.LoginView.as_view(), name="accounts_login"),
    path("admin/logout/", views.LogoutView.as_view(), name="accounts_logout"),
    path(
        "admin/password_reset/", views.PasswordResetView.as_view(), name="accounts_password_reset"
    ),
    path("oidc/", include("accounts.oidc_urls")),
]
