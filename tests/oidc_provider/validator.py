"""The provider's claims, and the misbehaviour a test asks for through the mode file."""

import base64
import json
import os
import time

from oauth2_provider.oauth2_validators import OAuth2Validator


def mode() -> dict:
    try:
        with open(os.environ["OP_MODE_FILE"], encoding="utf-8") as handle:
            return json.load(handle)
    except (FileNotFoundError, json.JSONDecodeError):
        return {}


class ProvinceValidator(OAuth2Validator):
    oidc_claim_scope = {**OAuth2Validator.oidc_claim_scope, "acr": "openid"}

    def get_additional_claims(self, request):
        user = request.user
        claims = {
            "preferred_username": user.username,
            "email": user.email,
            "name": user.get_full_name() or user.username,
        }
        acr = mode().get("acr")
        if acr:
            claims["acr"] = acr
        return claims

    def get_id_token_dictionary(self, token, token_handler, request):
        claims, expiration_time = super().get_id_token_dictionary(token, token_handler, request)
        if mode().get("id_token") == "expired":
            # Signed with the real key, but its time is over (two hours ago).
            claims["exp"] = int(time.time()) - 2 * 3600
        return claims, expiration_time

    def finalize_id_token(self, id_token, token, token_handler, request):
        signed = super().finalize_id_token(id_token, token, token_handler, request)
        if mode().get("id_token") != "tamper":
            return signed
        # Someone on the way changes who the token names, keeping the provider's signature.
        header, payload, signature = signed.split(".")
        claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
        claims["preferred_username"] = "quan.tri.gia.mao"
        forged = base64.urlsafe_b64encode(json.dumps(claims).encode()).rstrip(b"=").decode()
        return f"{header}.{forged}.{signature}"
