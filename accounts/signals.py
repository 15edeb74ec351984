"""Every lockout is recorded; a sign-in starts the session clock."""

import time

from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver

from axes.signals import user_locked_out

from .lockout import lockout_record
from .sessions import SESSION_SIGNED_IN_AT


@receiver(user_locked_out)
def _record_lockout(sender, request, username, ip_address, **kwargs):
    lockout_record(username=username, ip_address=ip_address, request=request)


@receiver(user_logged_in)
def _start_session_clock(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session"):
        request.session[SESSION_SIGNED_IN_AT] = time.time()
