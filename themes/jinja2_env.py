"""The Jinja2 environment of the public site's templates (themes/jinja2/).

The public pages are Jinja2, the admin stays on Django templates. Rendering an uncached
procedure page with Django's engine took about 2.5 ms of its 3 ms in process: each of its ~400
variable lookups walks Django's context stack and resolution rules, where Jinja2 compiles the
template to Python. Wagtail supports both (wagtail.jinja2tags: pageurl, richtext, the userbar).
"""

from __future__ import annotations

from django.template.defaultfilters import date, linebreaksbr
from django.templatetags.static import static

from jinja2 import ChainableUndefined, Environment

from .public_helpers import days, form_download, percent_of, public_chrome, vi_filesize


def environment(**options) -> Environment:
    # As lenient as Django's engine with what a page does not have (the search page has no
    # `page`; an agency may have no portal above it): empty, never an error.
    options["undefined"] = ChainableUndefined
    env = Environment(**options)
    env.globals.update(static=static, public_chrome=public_chrome, form_download=form_download)
    env.filters.update(
        date=date,  # Django's: local time, Django's format letters ("d/m/Y")
        linebreaksbr=linebreaksbr,  # escapes, then marks safe (Django's SafeString is __html__)
        days=days,
        percent_of=percent_of,
        vi_filesize=vi_filesize,
    )
    return env
