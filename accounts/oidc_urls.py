"""Single sign-on URLs (names as mozilla-django-oidc's); 404 while OIDC_ISSUER is unset."""

from django.urls import path

from . import oidc

urlpatterns = [
    path("callback/", oidc.CallbackView.as_view(), name="oidc_authentication_callback"),
    path("authenticate/", oidc.AuthenticateView.as_view(), name="oidc_authentication_init"),
]
