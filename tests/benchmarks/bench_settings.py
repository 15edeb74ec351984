"""Benchmark settings: the demo's settings with DEBUG off and a bare view beside the site."""

from cms.settings.dev import *  # noqa: F403

DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
ROOT_URLCONF = "tests.benchmarks.bench_urls"
LOGGING = {"version": 1, "disable_existing_loggers": True}
