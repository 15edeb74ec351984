"""The Celery application: broker and schedules come from Django settings (CELERY_*)."""

import os

from celery import Celery

# Production unless the caller says otherwise (`make run` passes cms.settings.dev).
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cms.settings.production")

app = Celery("cms")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
