"""Single sign-on's configuration: environment variables only, one clear line when one is
wrong, and a password sign-in that does not depend on the provider being up."""

from django.urls import reverse

import pytest

from cms import env

from .conftest import password_login

UNREACHABLE = "http://127.0.0.1:9/realms/tinh"  # the discard port: nothing answers


def test_single_sign_on_is_off_without_an_issuer(monkeypatch):
    monkeypatch.delenv("OIDC_ISSUER", raising=False)
    assert env.oidc() is None


def test_the_environment_configures_everything(monkeypatch):
    monkeypatch.setenv("OIDC_ISSUER", "https://sso.tinh.gov.vn/realms/tinh/")
    monkeypatch.setenv("OIDC_CLIENT_ID", "iso")
    monkeypatch.setenv("OIDC_CLIENT_SECRET", "bi-mat")
    monkeypatch.setenv("OIDC_MATCH_FIELD", "email")
    monkeypatch.setenv("OIDC_USERNAME_CLAIM", "email")
    monkeypatch.setenv("OIDC_STRONG_ACR", "urn:tinh:loa:3, urn:tinh:loa:4")
    config = env.oidc()
    assert config["issuer"] == "https://sso.tinh.gov.vn/realms/tinh"
    assert (config["match"], config["claim"]) == ("email", "email")
    assert config["strong_acr"] == ["urn:tinh:loa:3", "urn:tinh:loa:4"]


@pytest.mark.parametrize(
    ("variables", "named"),
    [
        ({"OIDC_ISSUER": "sso.tinh.gov.vn"}, "OIDC_ISSUER"),
        ({"OIDC_ISSUER": "https://sso.tinh.gov.vn"}, "OIDC_CLIENT_ID"),
        ({"OIDC_ISSUER": "https://sso", "OIDC_CLIENT_ID": "iso"}, "OIDC_CLIENT_SECRET"),
        (
            {
                "OIDC_ISSUER": "https://sso",
                "OIDC_CLIENT_ID": "iso",
                "OIDC_CLIENT_SECRET": "x",
                "OIDC_MATCH_FIELD": "phone",
            },
            "OIDC_MATCH_FIELD",
        ),
    ],
)
def test_a_wrong_variable_is_named(monkeypatch, variables, named):
    for name in ("OIDC_CLIENT_ID", "OIDC_CLIENT_SECRET", "OIDC_MATCH_FIELD"):
        monkeypatch.delenv(name, raising=False)
    for name, value in variables.items():
        monkeypatch.setenv(name, value)
    with pytest.raises(env.EnvError) as error:
        env.oidc()
    assert error.value.variable == named


@pytest.fixture
def provider_down(settings):
    from accounts import oidc

    oidc._discovery.clear()
    settings.ISO_OIDC = {
        "issuer": UNREACHABLE,
        "client_id": "iso",
        "client_secret": "x",
        "claim": "preferred_username",
        "match": "username",
        "scopes": "openid email profile",
        "sign_algo": "RS256",
        "strong_acr": [],
        "label": "Đăng nhập một lần (SSO)",
    }
    settings.AUTHENTICATION_BACKENDS = [
        *settings.AUTHENTICATION_BACKENDS,
        "accounts.oidc.ProvinceOIDCBackend",
    ]


@pytest.mark.django_db
def test_passwords_work_while_the_provider_is_down(client, staff_a, provider_down):
    page = client.get(reverse("wagtailadmin_login")).content.decode()
    assert "Đăng nhập một lần (SSO)" in page
    assert password_login(client, staff_a["editors"].username).status_code == 302
    assert client.get("/admin/").status_code == 200


@pytest.mark.django_db
def test_the_sso_button_explains_an_unreachable_provider(client, provider_down):
    response = client.get(reverse("oidc_authentication_init"))
    assert response.status_code == 403
    assert "Không kết nối được với hệ thống đăng nhập một lần" in response.content.decode()


@pytest.mark.django_db
def test_a_callback_without_a_sign_in_under_way_is_refused(client, provider_down):
    response = client.get(reverse("oidc_authentication_callback"), {"code": "x", "state": "y"})
    assert response.status_code == 403
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_without_single_sign_on_its_urls_do_not_exist(client):
    assert client.get(reverse("oidc_authentication_init")).status_code == 404
    assert "Đăng nhập một lần" not in client.get(reverse("wagtailadmin_login")).content.decode()
