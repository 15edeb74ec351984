"""Start the test provider: `python -m tests.oidc_provider.serve <workdir>`.

Binds 127.0.0.1 on a free port, prints `PORT <n>` once ready, and serves until killed. Its
SQLite file and mode file live in <workdir>; an RSA key is generated at each start. Reads from
the environment: OP_REDIRECT_URI and OP_POST_LOGOUT_URI (the product's callback and login page),
OP_CLIENT_ID, OP_CLIENT_SECRET, OP_USERS (JSON list of {username, email, password}).
"""

import json
import os
import secrets
import sys
from pathlib import Path
from socketserver import ThreadingMixIn
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server


class _Server(ThreadingMixIn, WSGIServer):
    daemon_threads = True


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, *args):  # keep the test output readable
        pass


def _rsa_key() -> str:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()


def main(workdir: str) -> None:
    work = Path(workdir)
    server = make_server(
        "127.0.0.1", 0, lambda environ, start: [], server_class=_Server, handler_class=_QuietHandler
    )
    port = server.server_port
    os.environ.update(
        DJANGO_SETTINGS_MODULE="tests.oidc_provider.settings",
        OP_SECRET_KEY=secrets.token_urlsafe(32),
        OP_DB=str(work / "provider.sqlite3"),
        OP_MODE_FILE=str(work / "mode.json"),
        OP_RSA_KEY=_rsa_key(),
        OP_ISSUER=f"http://127.0.0.1:{port}/o",
    )
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.core.wsgi import get_wsgi_application

    from oauth2_provider.models import Application

    call_command("migrate", verbosity=0, interactive=False)
    for person in json.loads(os.environ.get("OP_USERS", "[]")):
        get_user_model().objects.create_user(**person)
    Application.objects.create(
        name="ISO điện tử",
        client_id=os.environ["OP_CLIENT_ID"],
        client_secret=os.environ["OP_CLIENT_SECRET"],
        client_type=Application.CLIENT_CONFIDENTIAL,
        authorization_grant_type=Application.GRANT_AUTHORIZATION_CODE,
        redirect_uris=os.environ["OP_REDIRECT_URI"],
        post_logout_redirect_uris=os.environ["OP_POST_LOGOUT_URI"],
        algorithm=Application.RS256_ALGORITHM,
        skip_authorization=True,
    )
    server.set_app(get_wsgi_application())
    print(f"PORT {port}", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main(sys.argv[1])
