"""django-axes in front of the password check."""

from axes.backends import AxesStandaloneBackend


class LockoutBackend(AxesStandaloneBackend):
    """Refuses any sign-in while the username or the address is locked.

    Every sign-in over HTTP (Wagtail's form, Django admin's, single sign-on) passes the request;
    only in-process callers such as the test client's `login()` do not, and there is no client
    address to count then, so those are left to the backends after this one.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)
