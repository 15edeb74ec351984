"""The generation of what the public sees: one token for the whole public site.

It changes on every committed change a visitor could notice (the receivers in `themes.signals`
call `public_generation_bump()` once the transaction commits) and by itself when the next
scheduled version takes effect: the version in force is decided by time (content_types.versions),
so whatever was derived from the public content must be derived again at that moment, not when
the scheduled-publishing job runs a minute later.

Everything derived from the public content and kept between requests is keyed by it: the
response cache and the site skeleton (themes), the in-process map of public search entries
(search), the procedure page's data (`GenerationMemo`). It lives in the shared cache (`public`
alias: Redis in production, a file cache under var/ otherwise), so every web worker and the
Celery worker that publishes see the same one.
"""

from __future__ import annotations

import time
import uuid
from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from typing import Any, TypeVar

from django.conf import settings
from django.core.cache import caches
from django.db import DEFAULT_DB_ALIAS, connections
from django.utils import timezone

T = TypeVar("T")
STATE_KEY = "iso:public:state"
# Whatever is keyed by a generation lives at most this long even if nothing changes (seconds).
GENERATION_TIMEOUT = 6 * 60 * 60


def public_cache():
    alias = "public" if "public" in settings.CACHES else "default"
    return caches[alias]


@dataclass(frozen=True)
class PublicState:
    generation: str
    valid_until: float  # epoch seconds: the next version takes effect then


def _next_change_epoch() -> float:
    from .versions import DocumentVersion

    now = timezone.now()
    moments = [
        DocumentVersion.objects.filter(**{f"{field}__gt": now})
        .order_by(field)
        .values_list(field, flat=True)
        .first()
        for field in ("effective_from", "withdrawn_at")  # a version takes effect, or is withdrawn
    ]
    upcoming = min((m for m in moments if m is not None), default=None)
    ceiling = time.time() + GENERATION_TIMEOUT
    return min(upcoming.timestamp(), ceiling) if upcoming else ceiling


def public_state(request=None) -> PublicState:
    """The current generation; a new one once the next scheduled version has taken effect.
    Read once per request when given one: the shared cache is a file or a network hop away."""
    if request is not None:
        state = getattr(request, "_iso_public_state", None)
        if state is None:
            state = request._iso_public_state = public_state()
        return state
    cache = public_cache()
    state = cache.get(STATE_KEY)
    if state is None or time.time() >= state.valid_until:
        state = PublicState(uuid.uuid4().hex, _next_change_epoch())
        cache.set(STATE_KEY, state, timeout=GENERATION_TIMEOUT)
    return state


def public_generation_bump() -> None:
    """Start a new generation (called once a change to the public content has committed)."""
    public_cache().delete(STATE_KEY)


def public_change_pending(using: str = DEFAULT_DB_ALIAS) -> bool:
    """Whether this connection's open transaction holds a public change not yet committed.

    Until it commits, the generation has not moved, so anything keyed by it describes the site
    without this change; a reader inside the transaction (the request that published, a test)
    must read the database instead. Django keeps the callbacks waiting for the commit in
    `run_on_commit` as (savepoint ids, function, robust) triples."""
    return any(entry[1] is public_generation_bump for entry in connections[using].run_on_commit)


class GenerationMemo:
    """Values derived from the public content, kept in this process for the current generation
    (at most `size` of them, the least recently used dropped first) and forgotten together when
    it moves. Inside a transaction holding a public change nothing is kept or read, as a value
    built there would describe a site not yet committed: `get` answers None (the caller takes
    another path), `fetch` builds afresh.

    Each value is stored with the generation its reader had before building it, and only a
    reader of that generation gets it: in a threaded server a build that began before a publish
    may finish after it, and must not pass for the new generation's."""

    def __init__(self, size: int):
        self.size = size
        self._generation = ""
        self._values: OrderedDict[Hashable, tuple[str, Any]] = OrderedDict()

    def get(self, key: Hashable, build: Callable[[], T], request=None) -> T | None:
        return None if public_change_pending() else self._kept(key, build, request)

    def fetch(self, key: Hashable, build: Callable[[], T], request=None) -> T:
        return build() if public_change_pending() else self._kept(key, build, request)

    def _kept(self, key: Hashable, build: Callable[[], T], request) -> T:
        generation = public_state(request).generation
        if generation != self._generation:
            self._values.clear()  # the older generation's values are never read again
            self._generation = generation
        entry = self._values.pop(key, None)
        if entry is None or entry[0] != generation:
            entry = (generation, build())
        self._values[key] = entry  # the most recently used last
        while len(self._values) > self.size:
            try:
                self._values.popitem(last=False)
            except KeyError:  # emptied meanwhile by another thread's new generation
                break
        return entry[1]

    def discard(self, key: Hashable) -> None:
        self._values.pop(key, None)

    def held(self) -> list[Hashable]:
        """The keys held for the current generation."""
        generation = public_state().generation
        return [key for key, (held, _value) in list(self._values.items()) if held == generation]
