"""The generations of what the public sees: one per agency, one for what lies outside every
agency, one for what spans agencies, one for the site's skeleton.

Whatever is derived from the public content and kept between requests is keyed by the generation
of its *scope*:

- an agency (its id): the pages under its AgencyPage — its procedures, forms in force, portal,
  sections. Its token is the outside generation's joined with the agency's own, so a change
  outside every agency moves all of them at once;
- `SITE`: what lies outside every agency (the portal, shared pages, the agencies' own pages);
- `PROVINCE`: what spans agencies — the home page, public search, the API, the sitemap, a form's
  page (it lists every agency's procedures using it) and an agency page that shows another
  agency's content (a procedure linking another agency's public form); it moves with every
  change anywhere;
- `STRUCTURE`: the site skeleton (themes.skeleton: sites, agencies, section pages, view
  restrictions, aliases); it moves with a change outside agencies and with a change to a section
  page, a restriction, an alias, or a move anywhere — not with a procedure or form publish.

A committed change bumps the scopes it reaches (`public_change_on_commit`, called by the
receivers in `themes.signals` once the transaction commits): a change under agency A's
AgencyPage (a page, its versions, its view restrictions; a document or image in A's collection)
bumps A and PROVINCE; a change to an AgencyPage itself (its title, logo and colours appear on
other agencies' processes and on the home page), to a site, to a shared procedure field, or to
anything outside the agencies bumps everything (`public_generation_bump`).

Each generation also ends by itself when the next scheduled version of its scope takes effect
or is withdrawn (the version in force is decided by time, content_types.versions): an agency's
at the next moment among its own versions, PROVINCE's at the next moment anywhere, so a
scheduled version shows on time, not when the scheduled-publishing job runs a minute later.

The generations live in the shared cache (`public` alias: Redis in production, a file cache
under var/ otherwise), so every web worker and the Celery worker that publishes see the same
ones; a request reads those it needs once (`public_states_read`, one `get_many`).
"""

from __future__ import annotations

import time
import uuid
from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass
from typing import Any, TypeVar

from django.conf import settings
from django.core.cache import caches
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.utils import timezone

T = TypeVar("T")
STATE_KEY = "iso:public:state"
# Whatever is keyed by a generation lives at most this long even if nothing changes (seconds).
GENERATION_TIMEOUT = 6 * 60 * 60

# Scopes (besides an agency's id, an int).
PROVINCE = "province"
SITE = "site"
STRUCTURE = "structure"
Scope = int | str


def public_cache():
    alias = "public" if "public" in settings.CACHES else "default"
    return caches[alias]


@dataclass(frozen=True)
class PublicState:
    generation: str
    valid_until: float  # epoch seconds: the next version takes effect then


def _parts(scope: Scope) -> tuple[str, ...]:
    """The stored generations a scope's token is made of."""
    if scope == PROVINCE:
        return (PROVINCE,)
    if scope == SITE:
        return (SITE,)
    if scope == STRUCTURE:
        return (SITE, STRUCTURE)
    return (SITE, f"agency:{int(scope)}")


def _state_key(part: str) -> str:
    return f"{STATE_KEY}:{part}"


def _agency_paths() -> dict[str, int]:
    from .agency import AgencyPage

    return dict(AgencyPage.objects.values_list("path", "pk"))


def _next_change_epoch(part: str = PROVINCE) -> float:
    """When the next version of the part's scope takes effect or is withdrawn (at most a
    generation's lifetime away). PROVINCE: anywhere; an agency: under its page; SITE: outside
    every agency; STRUCTURE: never (the skeleton shows no versions)."""
    from .agency import agency_path_finder
    from .versions import DocumentVersion

    ceiling = time.time() + GENERATION_TIMEOUT
    if part == STRUCTURE:
        return ceiling
    now = timezone.now()
    moments = []
    versions = DocumentVersion.objects.all()
    if part.startswith("agency:"):
        from .agency import AgencyPage

        path = AgencyPage.objects.filter(pk=int(part.split(":")[1])).values_list("path").first()
        if path is None:
            return ceiling
        versions = versions.filter(page__path__startswith=path[0])
    for field in ("effective_from", "withdrawn_at"):  # a version takes effect, or is withdrawn
        upcoming = versions.filter(**{f"{field}__gt": now}).order_by(field)
        if part == SITE:
            # Upcoming moments are few (scheduled versions): the first outside every agency.
            find = agency_path_finder(_agency_paths())
            rows = upcoming.values_list("page__path", field)[:1000]
            moments.append(next((m for path, m in rows if find(path) is None), None))
            if len(rows) == 1000 and moments[-1] is None:
                moments.append(rows[0][1])  # too many to tell: the conservative moment
        else:
            moments.append(upcoming.values_list(field, flat=True).first())
    first = min((m for m in moments if m is not None), default=None)
    return min(first.timestamp(), ceiling) if first else ceiling


def public_states_read(request, scopes: Iterable[Scope], keys: Iterable[str] = ()) -> dict:
    """Read the generations of `scopes` (those not yet read by this request) and the shared
    cache's `keys`, in one `get_many`; the values of `keys` found are returned. A generation
    missing or past its validity starts anew."""
    held = _held_states(request)
    parts = {part for scope in scopes for part in _parts(scope) if part not in held}
    wanted = [_state_key(part) for part in parts] + list(keys)
    if not wanted:
        return {}
    cache = public_cache()
    found = cache.get_many(wanted)
    now = time.time()
    fresh = {}
    for part in parts:
        state = found.get(_state_key(part))
        if state is None or now >= state.valid_until:
            state = fresh[_state_key(part)] = PublicState(
                uuid.uuid4().hex, _next_change_epoch(part)
            )
        held[part] = state
    if fresh:
        cache.set_many(fresh, timeout=GENERATION_TIMEOUT)
    return {key: found[key] for key in keys if key in found}


def _held_states(request) -> dict[str, PublicState]:
    if request is None:
        return {}
    held = getattr(request, "_iso_public_states", None)
    if held is None:
        held = request._iso_public_states = {}
    return held


def public_state(request=None, scope: Scope = PROVINCE) -> PublicState:
    """The scope's current generation (its token and until when it holds). Read once per request
    when given one: the shared cache is a file or a network hop away."""
    if request is None:
        request = _Once()
    public_states_read(request, [scope])
    states = [request._iso_public_states[part] for part in _parts(scope)]
    return PublicState(":".join(s.generation for s in states), min(s.valid_until for s in states))


class _Once:
    """Holds the generations read outside a request, for one call."""


# The agencies' tree paths, for the current outside generation (a new, moved or deleted agency
# page moves it): {SITE token: (finder, {agency id: path})}.
_agency_finders: dict[str, tuple[Callable[[str], int | None], dict[int, str]]] = {}


def public_scope(path: str, request=None) -> Scope:
    """The scope of the page at tree `path`: its agency's id, or PROVINCE for a page outside
    every agency (the home page and what it gathers)."""
    return public_scope_and_root(path, request)[0]


def public_scope_and_root(path: str, request=None) -> tuple[Scope, str]:
    """The scope of the page at tree `path` and its agency's tree path ("" outside agencies)."""
    from .agency import agency_path_finder

    token = public_state(request, SITE).generation
    known = _agency_finders.get(token)
    if known is None:
        by_path = _agency_paths()
        known = (agency_path_finder(by_path), {pk: p for p, pk in by_path.items()})
        _agency_finders.clear()
        _agency_finders[token] = known
    agency = known[0](path)
    return (PROVINCE, "") if agency is None else (agency, known[1][agency])


def public_spans_mark(request) -> None:
    """The page being served shows what lies beyond its agency: keep it for PROVINCE's
    generation too (themes.cache)."""
    request._iso_public_spans = True


def public_spans(request) -> bool:
    return bool(getattr(request, "_iso_public_spans", False))


def _restart(parts: Iterable[str]) -> None:
    """Store new generations of `parts`, each with its validity, rather than delete the old ones:
    the publisher, whose change it is, pays the queries that find the next scheduled moment, not
    the next visitor of every page following the generation (PROVINCE's moves with any publish
    and every page reads it)."""
    fresh = {_state_key(p): PublicState(uuid.uuid4().hex, _next_change_epoch(p)) for p in parts}
    public_cache().set_many(fresh, timeout=GENERATION_TIMEOUT)


def public_generation_bump() -> None:
    """Start new generations of everything (a committed change outside any agency)."""
    _restart((SITE, PROVINCE, STRUCTURE))


def public_change_bump(
    *, paths: Iterable[str] | None, structural: bool = False, within: Iterable[str] = ()
) -> None:
    """Start new generations for a committed change to the pages at tree `paths` (None and no
    `within`: it is not under any page): their agencies' and PROVINCE's, and STRUCTURE's when
    `structural` or when a page is an agency's section. A path outside every agency, or an
    agency page itself, moves everything. `within`: tree paths of pages somewhere below which
    the change lies, not the pages themselves (a file in an agency's collection, the place a
    page moved from): their agencies', as a change to an ordinary page there."""
    from wagtail.models import Page

    from .agency import agency_path_finder

    paths, within = list(paths or ()), list(within)
    if not paths and not within:
        public_generation_bump()
        return
    by_path = _agency_paths()
    find = agency_path_finder(by_path)
    lengths = {pk: len(path) for path, pk in by_path.items()}
    parts = {PROVINCE}
    # A page itself (inside=False) can be an agency page (everything moves) or a section (the
    # skeleton moves); a place inside an agency is neither.
    for path, inside in [(p, False) for p in paths] + [(p, True) for p in within]:
        agency = find(path)
        if agency is None or (not inside and len(path) == lengths[agency]):
            public_generation_bump()
            return
        parts.add(f"agency:{agency}")
        if structural or (not inside and len(path) <= lengths[agency] + Page.steplen):
            parts.add(STRUCTURE)
    _restart(parts)


@dataclass(frozen=True)
class PublicChange:
    """A change waiting for its transaction's commit to bump the generations it reaches."""

    paths: tuple[str, ...] | None
    structural: bool = False
    within: tuple[str, ...] = ()

    def __call__(self) -> None:
        public_change_bump(paths=self.paths, structural=self.structural, within=self.within)


def public_change_on_commit(
    *,
    paths: Iterable[str] | None,
    structural: bool = False,
    within: Iterable[str] = (),
    using: str = DEFAULT_DB_ALIAS,
) -> None:
    """Bump the generations the change reaches once the transaction commits (at once outside
    one). `paths`: the tree paths of the pages changed; None for a change outside any page;
    `within`: as public_change_bump's."""
    change = PublicChange(tuple(paths) if paths is not None else None, structural, tuple(within))
    connection = connections[using]
    if connection.in_atomic_block:
        # The same change twice in one transaction (a page and its specific row deleted, a
        # version saved twice): bumped once. Only within the same savepoints, which a rollback
        # would drop together.
        current = set(connection.savepoint_ids)
        if any(e[1] == change and e[0] == current for e in connection.run_on_commit):
            return
    transaction.on_commit(change, using=using)


def public_change_pending(using: str = DEFAULT_DB_ALIAS) -> bool:
    """Whether this connection's open transaction holds a public change not yet committed.

    Until it commits, the generations have not moved, so anything keyed by them describes the
    site without this change; a reader inside the transaction (the request that published, a
    test) must read the database instead. Django keeps the callbacks waiting for the commit in
    `run_on_commit` as (savepoint ids, function, robust) triples."""
    return any(
        entry[1] is public_generation_bump or isinstance(entry[1], PublicChange)
        for entry in connections[using].run_on_commit
    )


class GenerationMemo:
    """Values derived from the public content, kept in this process (at most `size` of them, the
    least recently used dropped first), each for the generation of its scope: a value of agency
    B's (`scope=B.pk`) stays while agency A publishes. Inside a transaction holding a public
    change nothing is kept or read, as a value built there would describe a site not yet
    committed: `get` answers None (the caller takes another path), `fetch` builds afresh.

    `spans(value)` tells whether a value also shows what lies beyond its scope (an agency's
    procedure linking another agency's public form): such a value is kept for its scope's
    generation and PROVINCE's together.

    Each value is stored with the generations its reader had before building it, and only a
    reader of those generations gets it: in a threaded server a build that began before a
    publish may finish after it, and must not pass for the new generation's."""

    def __init__(self, size: int):
        self.size = size
        # key → (scope, its token, PROVINCE's token or "" when the value does not span, value)
        self._values: OrderedDict[Hashable, tuple[Scope, str, str, Any]] = OrderedDict()

    def get(
        self,
        key: Hashable,
        build: Callable[[], T],
        request=None,
        *,
        scope: Scope = PROVINCE,
        spans: Callable[[T], bool] | None = None,
    ) -> T | None:
        if public_change_pending():
            return None
        return self._kept(key, build, request, scope, spans)

    def fetch(
        self,
        key: Hashable,
        build: Callable[[], T],
        request=None,
        *,
        scope: Scope = PROVINCE,
        spans: Callable[[T], bool] | None = None,
    ) -> T:
        if public_change_pending():
            return build()
        return self._kept(key, build, request, scope, spans)

    def _kept(self, key, build, request, scope, spans) -> Any:
        if request is None:
            request = _Once()
        public_states_read(request, [scope, PROVINCE] if spans else [scope])
        entry = self._values.pop(key, None)
        if entry is None or entry[0] != scope or not self._valid(entry, request):
            token = public_state(request, scope).generation
            province = public_state(request, PROVINCE).generation if spans else ""
            value = build()
            entry = (scope, token, province if spans and spans(value) else "", value)
        self._values[key] = entry  # the most recently used last
        while len(self._values) > self.size:
            try:
                self._values.popitem(last=False)
            except KeyError:  # emptied meanwhile by another thread
                break
        return entry[3]

    @staticmethod
    def _valid(entry, request) -> bool:
        scope, token, province, _value = entry
        if token != public_state(request, scope).generation:
            return False
        return not province or province == public_state(request, PROVINCE).generation

    def discard(self, key: Hashable) -> None:
        self._values.pop(key, None)

    def held(self) -> list[Hashable]:
        """The keys held for the current generations."""
        request = _Once()
        return [key for key, entry in list(self._values.items()) if self._valid(entry, request)]
