"""`make run`: migrate, load the demo province if the database is empty, start a Celery worker
with beat on the embedded broker, and serve the site. Stops the worker when the server stops."""

from __future__ import annotations

import os
import subprocess
import sys

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

from fixtures.demo import DEMO_PASSWORD


class Command(BaseCommand):
    help = "Chạy bản trình diễn: web và Celery (worker + beat)."

    def add_arguments(self, parser):
        parser.add_argument("--addr", default=os.environ.get("ADDR", "127.0.0.1"))
        parser.add_argument("--port", default=os.environ.get("PORT", "8000"))

    def handle(self, *args, addr: str, port: str, **options):
        call_command("migrate", interactive=False, verbosity=0)
        call_command("load_demo", if_empty=True)
        worker = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "cms",
                "worker",
                "--beat",
                "--loglevel=WARNING",
                "--concurrency=1",
                "--schedule",
                settings.CELERY_BEAT_SCHEDULE_FILENAME,
            ],
            env={**os.environ, "DJANGO_SETTINGS_MODULE": os.environ["DJANGO_SETTINGS_MODULE"]},
        )
        self._site_address(addr, port)
        self._banner(addr, port)
        try:
            call_command("runserver", f"{addr}:{port}", use_reloader=False)
        finally:
            worker.terminate()
            worker.wait(timeout=20)

    def _site_address(self, addr: str, port: str) -> None:
        """The demo's Site is the address it is served at, so the sitemap and the e-mails'
        links work (a Site configured elsewhere than localhost is left alone)."""
        from wagtail.models import Site

        host = "localhost" if addr in {"0.0.0.0", "127.0.0.1"} else addr
        site = Site.objects.filter(is_default_site=True, hostname="localhost").first()
        if site is not None and port.isdigit() and (site.hostname, site.port) != (host, int(port)):
            site.hostname, site.port = host, int(port)
            site.save(update_fields=["hostname", "port"])

    def _banner(self, addr: str, port: str) -> None:
        from django.contrib.auth import get_user_model

        host = "localhost" if addr in {"0.0.0.0", "127.0.0.1"} else addr
        users = get_user_model().objects.order_by("username").values_list("username", flat=True)
        self.stdout.write(
            "\n".join(
                [
                    "",
                    f"  ISO điện tử đang chạy: http://{host}:{port}/",
                    f"  Trang quản trị:       http://{host}:{port}/admin/",
                    f"  Tài khoản mẫu (mật khẩu {DEMO_PASSWORD}, chỉ dùng trình diễn):",
                    *[f"    - {name}" for name in users],
                    "  Thư điện tử gửi đi được ghi vào var/mail/.",
                    "",
                ]
            )
        )
