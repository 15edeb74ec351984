"""Every admin URL pattern, with its ids filled from agency A's marked objects.

`admin_probes(world)` walks Django's URL resolver (so a pattern a Wagtail upgrade or another app
adds is covered without anyone listing it) and turns every pattern under /admin/ and
/django-admin/ into concrete URLs. A pattern is filled in this order:

1. `URL_FILLS[name]`: a function giving the kwargs for patterns whose arguments are not ids
   (content types, actions, filter specs) or are tied together (a page and its revision);
2. `URL_OBJECTS[name]`: the model whose marked ids fill `pk`, or {argument: model} — for views
   that do not name their model (function views, TemplateViews);
3. each path argument by its name (`KWARG_MODELS`: page_id → pages, image_id → images, …);
   `pk`/`object_id` by the model of the view behind the pattern (Wagtail's viewsets and Django's
   admin say which), so a new viewset over a model with marked objects is covered at once;
4. otherwise the pattern is unfillable, and the walk fails, unless `SKIPPED` gives the reason.

A pattern with `agency_id` and an object id is also probed with the prober's own agency and A's
object (`/admin/x/<B>/item/<A's id>/`): a view must check that the object is the agency's.

**Adding a new admin view over the agency's records** (an objective, a risk, a review…): in
`tests/security/marked_<app>.py`,

    from .marked import MARK, SEARCH_WORD, fingerprint_part, marked_builder
    from .walk import walk_url

    @marked_builder
    def objectives(world):                      # 1. one marked object of agency A
        objective = objective_create(agency=world.agency_a, title=f"{MARK} {SEARCH_WORD} …", …)
        world.add(objective)                    # its ids fill the URLs of its model

    walk_url("iso_objective", "content_types.qualityobjective")          # 2. one mapping line
    walk_url("iso_objective", "content_types.qualityobjective", posts=[{"op": "close"}])

    @fingerprint_part                           # 3. what a change through B would alter
    def objectives_part(world):
        return list(QualityObjective.objects.order_by("pk").values_list())

and remove the URL name from `_NOT_YET_MARKED`. `posts` are the forms the walk sends besides
its generic POST (views acting on an `op` field: give each op that changes something); `own`
the users other than A's staff who rightly open the view (a province role), for the positive
control. B must be refused on a joined view (a redirect, 403, 404 or 405), not only kept from
the mark. A view
whose model a Wagtail viewset names needs no mapping line at all. The walk then requests the URL
as anonymous and as every role of agency B (editor, reviewer, approver, administrator, the
agency's internal auditor), GET and POST, and fails on A's mark in any response or on a change
of the fingerprint.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.resolvers import RoutePattern
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from wagtail.models import Revision, TaskState, WorkflowState

from .marked import SEARCH_WORD, MarkedWorld

PREFIXES = ("admin/", "django-admin/")

# Argument name → the model label whose marked ids fill it.
KWARG_MODELS: dict[str, str] = {
    "page_id": "wagtailcore.page",
    "page_pk": "wagtailcore.page",
    "page_to_move_id": "wagtailcore.page",
    "parent_page_id": "parent_page",
    "destination_id": "parent_page",
    "document_id": "wagtaildocs.document",
    "doc_id": "wagtaildocs.document",
    "image_id": "wagtailimages.image",
    "revision_id": "wagtailcore.revision",
    "task_id": "wagtailcore.task",
    "task_state_id": "wagtailcore.taskstate",
    "workflow_state_id": "wagtailcore.workflowstate",
    "workflow_pk": "wagtailcore.workflow",
    "collection_id": "wagtailcore.collection",
    "agency_id": "content_types.agencypage",
    "user_id": get_user_model()._meta.label_lower,
    "redirect_id": "wagtailredirects.redirect",
    "uploaded_file_id": "wagtailcore.uploadedfile",
    "session_id": "wagtailadmin.editingsession",
}

# URL name → the model whose marked ids fill `pk` (a label), or {argument: label}: for views
# that do not say which model they work on. Extended from marked_<app>.py with `walk_url`.
URL_OBJECTS: dict[str, str | dict[str, str]] = {
    "wagtailadmin_workflows:enable": "wagtailcore.workflow",
    "wagtailadmin_workflows:edit_task": "wagtailcore.task",
    "wagtailadmin_workflows:enable_task": "wagtailcore.task",
    "wagtailadmin_workflows:disable_task": "wagtailcore.task",
    "wagtaildocs_chooser:chosen": "wagtaildocs.document",
    "wagtailimages_chooser:chosen": "wagtailimages.image",
}

# URL name → the forms the walk POSTs besides its generic one (a list, or a function of the
# world giving it): for views that act on an `op` field, each op that would change something.
POST_BODIES: dict[str, list[dict] | Callable[[MarkedWorld], list[dict]]] = {}
# The views joined with `walk_url` (their own agency must see the mark: the walk can fail).
JOINED: set[str] = set()
# URL name → the users besides A's staff who rightly reach the view (a province role), for the
# positive control of a view no agency role may open.
OWN_USERS: dict[str, Callable[[MarkedWorld], list]] = {}


def walk_url(
    name: str,
    objects: str | dict[str, str],
    *,
    posts: list[dict] | Callable[[MarkedWorld], list[dict]] | None = None,
    own: Callable[[MarkedWorld], list] | None = None,
) -> None:
    """Join the view named `name` to the walk: `objects` is the model label whose marked ids
    fill its `pk`, or {argument: label}; `posts` the forms to send besides the generic POST;
    `own` the users other than A's staff who rightly see the mark there."""
    URL_OBJECTS[name] = objects
    JOINED.add(name)
    if posts is not None:
        POST_BODIES[name] = posts
    if own is not None:
        OWN_USERS[name] = own


# Namespaces the walk does not request, each with the reason.
SKIPPED_NAMESPACES: dict[str, str] = {
    "wagtailsnippets_content_types_procedurefield": (
        "procedure fields are one province-wide list that no agency owns; only province "
        "administrators hold its model permissions"
    ),
    "wagtailsnippetchoosers_content_types_procedurefield": (
        "the chooser of the province-wide procedure fields (every agency picks from them)"
    ),
    "wagtailsnippets_content_types_updatedeadlinerule": (
        "the province's update-deadline rules: only province administrators hold its model "
        "permissions; agency staff refused in tests/catalogue/test_deadline_rules.py"
    ),
    "wagtailsnippetchoosers_content_types_updatedeadlinerule": (
        "the chooser of the province's update-deadline rules (nothing chooses them)"
    ),
}

# Patterns the walk does not request, each with the reason.
SKIPPED: dict[str, str] = {
    "wagtailadmin_logout": "ends the prober's own session; it touches no object",
    "accounts_logout": "the project's sign-out over Wagtail's: ends the prober's own session",
    "wagtailadmin_error_test": "Wagtail's deliberate 500 for testing error pages (admins only)",
    "wagtailadmin_sprite": "the static icon sprite",
    "wagtailadmin_javascript_catalog": "the static JavaScript translation catalogue",
    "iso_guide_role": "the user guide: the same static page of steps for every agency",
    "iso_catalogue_sample": "the demo decision file, the same for everyone who may import",
}

# Views whose ids are not yet marked objects of agency A (no walk_url in a
# tests/security/marked_<app>.py yet), so the walk cannot fill them; each is covered by its own
# app's isolation tests, named here. Giving them marked objects (see the top of this module)
# and removing them from this list is the way out; the walk fails when a view is in both.
_NOT_YET_MARKED: dict[str, str] = {}
SKIPPED.update(
    {
        name: f"no marked objects yet; isolation tested in {where}"
        for name, where in _NOT_YET_MARKED.items()
    }
)


@dataclass(frozen=True)
class Pattern:
    route: str  # the joined route, for messages
    name: str | None  # namespaced name, when the pattern has one
    regex: re.Pattern
    callback: Callable
    converters: dict
    arguments: tuple[str, ...]


@dataclass
class Probe:
    pattern: Pattern
    url: str
    posts: list[dict] = field(default_factory=list)  # forms to POST besides the generic one


@dataclass
class Walk:
    probes: list[Probe] = field(default_factory=list)
    unfillable: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    patterns: int = 0


def _regex_source(pattern) -> str:
    if isinstance(pattern, RoutePattern):
        return pattern.regex.pattern
    return pattern.regex.pattern


def _patterns(resolvers, route="", regex="", namespace="", converters=None) -> Iterator[Pattern]:
    converters = converters or {}
    for entry in resolvers:
        source = _regex_source(entry.pattern).lstrip("^").rstrip("$").removesuffix(r"\Z")
        joined_route = route + str(entry.pattern)
        joined_regex = regex + source
        pattern_converters = {**converters, **getattr(entry.pattern, "converters", {})}
        if isinstance(entry, URLResolver):
            ns = namespace
            if entry.namespace:
                ns = f"{namespace}{entry.namespace}:"
            yield from _patterns(
                entry.url_patterns, joined_route, joined_regex, ns, pattern_converters
            )
        elif isinstance(entry, URLPattern):
            compiled = re.compile(f"^{joined_regex}$")
            yield Pattern(
                route=joined_route,
                name=f"{namespace}{entry.name}" if entry.name else None,
                regex=compiled,
                callback=entry.callback,
                converters=pattern_converters,
                arguments=tuple(compiled.groupindex),
            )


def view_model_label(callback) -> str | None:
    """The model a view works on, as Wagtail's viewsets, DRF viewsets and Django's admin say."""
    model_admin = getattr(callback, "model_admin", None)
    if model_admin is not None:
        return model_admin.model._meta.label_lower
    initkwargs = getattr(callback, "view_initkwargs", None) or getattr(callback, "initkwargs", {})
    view_class = getattr(callback, "view_class", None) or getattr(callback, "cls", None)
    model = (initkwargs or {}).get("model") or getattr(view_class, "model", None)
    return model._meta.label_lower if isinstance(model, type) and hasattr(model, "_meta") else None


def _fill_route(pattern: Pattern, values: dict) -> str:
    """The URL of `pattern` with `values`: each named group of the regex replaced."""
    source = pattern.regex.pattern[1:-1]
    out = re.sub(r"\(\?P<(\w+)>[^)]*\)", lambda m: str(values[m.group(1)]), source)
    out = out.replace("\\", "")
    return "/" + out


# Ids tried per argument: the first marked objects of each kind (a private draft under review,
# a draft form with its new file) are enough to show whether a view checks the right.
IDS_PER_ARGUMENT = 2


def _ids(world: MarkedWorld, label: str) -> list:
    return list(world.ids.get(label, []))[:IDS_PER_ARGUMENT]


def _page_related(world: MarkedWorld, page_id: int, argument: str) -> list:
    if argument == "revision_id":
        return list(
            Revision.page_revisions.filter(object_id=str(page_id))
            .order_by("-pk")
            .values_list("pk", flat=True)[:1]
        )
    if argument == "workflow_state_id":
        return list(
            WorkflowState.objects.filter(object_id=str(page_id)).values_list("pk", flat=True)[:1]
        )
    if argument == "task_state_id":
        return list(
            TaskState.objects.filter(workflow_state__object_id=str(page_id)).values_list(
                "pk", flat=True
            )[:1]
        )
    if argument == "task_id":
        return list(
            TaskState.objects.filter(workflow_state__object_id=str(page_id)).values_list(
                "task_id", flat=True
            )[:1]
        )
    return []


def _combinations(
    world: MarkedWorld, pattern: Pattern, model: str | None, labels: dict[str, str]
) -> list[dict] | None:
    """Every filling of `pattern`'s arguments, or None when one argument cannot be filled.
    `labels` names the model of an argument where URL_OBJECTS says."""
    arguments = list(pattern.arguments)
    if not arguments:
        return [{}]
    choices: dict[str, list] = {}
    for argument in arguments:
        if argument in labels:
            choices[argument] = _ids(world, labels[argument])
        elif argument in ("pk", "object_id") and model is not None:
            choices[argument] = _ids(world, model)
        elif argument in KWARG_MODELS:
            choices[argument] = _ids(world, KWARG_MODELS[argument])
        else:
            return None
        if not choices[argument]:
            return None
    page_argument = next(
        (a for a in ("page_id", "page_pk") if a in choices),
        None,
    )
    combos: list[dict] = []
    leading = page_argument or arguments[0]
    for value in choices[leading]:
        combo = {leading: value}
        for argument in arguments:
            if argument == leading:
                continue
            related = _page_related(world, value, argument) if page_argument else []
            combo[argument] = (related or choices[argument])[0]
        combos.append(combo)
    return combos + _own_agency_mixes(world, combos)


def _own_agency_mixes(world: MarkedWorld, combos: list[dict]) -> list[dict]:
    """The same URLs with the prober's own agency in `agency_id` and A's object in the other
    arguments: the view must check that the object belongs to the agency of the URL."""
    return [
        {**combo, "agency_id": world.agency_b.pk}
        for combo in combos
        if "agency_id" in combo and len(combo) > 1
    ]


# --------------------------------------------------------------------------------------------
# Patterns whose arguments are not ids, or are tied together
# --------------------------------------------------------------------------------------------

_PAGE_TYPES = [("content_types", "controlleddocumentpage"), ("content_types", "formdocumentpage")]


def _page_type_fill(world, pattern):
    parents = _ids(world, "parent_page")
    out = []
    for app, model in _PAGE_TYPES:
        values = {}
        for argument in pattern.arguments:
            if argument in ("content_type_app_name", "app_label"):
                values[argument] = app
            elif argument in ("content_type_model_name", "model_name"):
                values[argument] = model
            elif argument == "parent_page_id":
                values[argument] = parents[0]
        out.append(values)
    return out


def _bulk_fill(world, pattern):
    from wagtail.admin.views.bulk_action.registry import bulk_action_registry

    bulk_action_registry._scan_for_bulk_actions()  # filled lazily, at the first bulk request
    out = []
    for app, models in bulk_action_registry.actions.items():
        for model, actions in models.items():
            ids = _ids(world, f"{app}.{model}")
            if app == "wagtailcore" and model == "page":
                ids = _ids(world, "wagtailcore.page")
            for action in actions:
                query = "&".join(f"id={pk}" for pk in ids) or "id=all"
                out.append(({"app_label": app, "model_name": model, "action": action}, f"?{query}"))
    return out


def _session_ping_fill(world, pattern):
    page = _ids(world, "wagtailcore.page")[0]
    return [
        {
            "app_label": "wagtailcore",
            "model_name": "page",
            "object_id": page,
            "session_id": _ids(world, "wagtailadmin.editingsession")[0],
        }
    ]


def _page_actions(argument_values):
    def fill(world, pattern):
        out = []
        for page in _ids(world, "wagtailcore.page"):
            for action in argument_values:
                values = {"pk" if "pk" in pattern.arguments else "page_id": page}
                values["action_name"] = action
                for argument in ("task_state_id",):
                    if argument in pattern.arguments:
                        related = _page_related(world, page, argument)
                        values[argument] = (related or _ids(world, "wagtailcore.taskstate"))[0]
                out.append(values)
        return out

    return fill


def _compare_fill(world, pattern):
    return [
        {"pk": page, "revision_id_a": "earliest", "revision_id_b": "latest"}
        for page in _ids(world, "wagtailcore.page")
    ]


def _image_preview_fill(world, pattern):
    return [
        {"image_id": pk, "filter_spec": "fill-80x80"} for pk in _ids(world, "wagtailimages.image")
    ]


def _tag_fill(world, pattern):
    return [
        {"app_name": "wagtaildocs", "model_name": "document"},
        {"app_name": "wagtailimages", "model_name": "image"},
    ]


def _task_add_fill(world, pattern):
    return [{"app_label": "workflows", "model_name": "agencyapprovaltask"}]


def _settings_fill(world, pattern):
    from wagtail.contrib.settings.registry import registry

    out = []
    for model in registry:
        values = {"app_name": model._meta.app_label, "model_name": model._meta.model_name}
        if "pk" in pattern.arguments:
            values["pk"] = 1
        out.append(values)
    return out


def _version_fill(world, pattern):
    from content_types.versions import DocumentVersion

    versions = DocumentVersion.objects.filter(pk__in=_ids(world, "content_types.documentversion"))
    return [{"page_id": v.page_id, "issue_number": v.issue_number} for v in versions]


def _agency_user_fill(world, pattern):
    combos = [
        {"agency_id": world.agency_a.pk, "user_id": pk}
        for pk in _ids(world, KWARG_MODELS["user_id"])
    ]
    return combos + _own_agency_mixes(world, combos)


def _password_reset_fill(world, pattern):
    user = _ids(world, KWARG_MODELS["user_id"])[0]
    return [{"uidb64": urlsafe_base64_encode(force_bytes(user)), "token": "set-password"}]


def _django_admin_fill(world, pattern):
    """Django's admin is for superusers (is_staff) only: it refuses before reading the object,
    so an id of A's where one is marked, or 1 for the other registered models."""
    label = view_model_label(pattern.callback)
    ids = _ids(world, label) if label else []
    values = {}
    for argument in pattern.arguments:
        if argument == "object_id":
            values[argument] = ids[0] if ids else 1
        elif argument == "app_label":
            values[argument] = "content_types"
        elif argument == "content_type_id":
            values[argument] = 1
        elif argument == "url":
            values[argument] = f"{SEARCH_WORD}/"
        else:
            return []
    return [values]


URL_FILLS: dict[str, Callable] = {
    "wagtailadmin_pages:add": _page_type_fill,
    "wagtailadmin_pages:preview_on_add": _page_type_fill,
    "wagtailadmin_pages:type_use": _page_type_fill,
    "wagtailadmin_pages:type_use_results": _page_type_fill,
    "wagtailadmin_pages:choose_parent": _page_type_fill,
    "wagtailadmin_pages:revisions_compare": _compare_fill,
    "wagtailadmin_pages:workflow_action": _page_actions(["approve", "reject"]),
    "wagtailadmin_pages:collect_workflow_action_data": _page_actions(["approve", "reject"]),
    "iso_workflow_action": _page_actions(["approve", "reject"]),
    "iso_collect_workflow_action_data": _page_actions(["approve", "reject"]),
    "wagtailadmin_api:pages:action": _page_actions(
        [
            "copy",
            "move",
            "delete",
            "publish",
            "unpublish",
            "convert_alias",
            "create_alias",
            "revert_to_page_revision",
            "copy_for_translation",
        ]
    ),
    "wagtail_bulk_action": _bulk_fill,
    "iso_bulk_action": _bulk_fill,
    "wagtailadmin_editing_sessions:ping": _session_ping_fill,
    "wagtailimages:preview": _image_preview_fill,
    "wagtailadmin_tag_model_autocomplete": _tag_fill,
    "wagtailadmin_workflows:add_task": _task_add_fill,
    "wagtailsettings:edit": _settings_fill,
    "wagtailsettings:preview_on_edit": _settings_fill,
    "iso_version_detail": _version_fill,
    "iso_agency_user_edit": _agency_user_fill,
    "wagtailadmin_password_reset_confirm": _password_reset_fill,
}

# Patterns without a name, by route.
ROUTE_FILLS: dict[str, Callable] = {
    "admin/^.*/$": lambda world, pattern: [f"/admin/{SEARCH_WORD}/khong-co/"],
}


def _post_bodies(world: MarkedWorld, name: str) -> list[dict]:
    bodies = POST_BODIES.get(name, [])
    return list(bodies(world) if callable(bodies) else bodies)


def admin_probes(world: MarkedWorld) -> Walk:
    walk = Walk()
    seen: set[str] = set()  # a project pattern shadowing Wagtail's gives the same URLs once
    for pattern in _patterns(get_resolver().url_patterns):
        if not pattern.route.lstrip("^").startswith(PREFIXES):
            continue
        walk.patterns += 1
        name = pattern.name or ""
        bare_name = name.rsplit(":", 1)[-1]
        if name in SKIPPED or bare_name in SKIPPED or name.split(":")[0] in SKIPPED_NAMESPACES:
            if name in URL_OBJECTS and name in _NOT_YET_MARKED:
                walk.unfillable.append(
                    f"{name}: has marked objects, remove it from _NOT_YET_MARKED"
                )
            walk.skipped.append(pattern.route)
            continue
        fill = URL_FILLS.get(name) or ROUTE_FILLS.get(pattern.route)
        if fill is None and pattern.route.startswith("django-admin/"):
            fill = _django_admin_fill
        if fill is not None:
            fillings = fill(world, pattern)
        else:
            objects = URL_OBJECTS.get(name) or URL_OBJECTS.get(bare_name) or {}
            labels = objects if isinstance(objects, dict) else {}
            model = objects if isinstance(objects, str) else view_model_label(pattern.callback)
            fillings = _combinations(world, pattern, model, labels)
        if fillings is None:
            walk.unfillable.append(f"{pattern.route} ({name or 'no name'})")
            continue
        for filling in fillings:
            if isinstance(filling, str):
                if filling not in seen:
                    seen.add(filling)
                    walk.probes.append(Probe(pattern, filling))
                continue
            query = ""
            if isinstance(filling, tuple):
                filling, query = filling
            try:
                url = _fill_route(pattern, filling)
            except KeyError:
                walk.unfillable.append(f"{pattern.route} ({name or 'no name'})")
                break
            if url + query not in seen:
                seen.add(url + query)
                walk.probes.append(Probe(pattern, url + query, _post_bodies(world, name)))
    return walk


def search_query(probe: Probe) -> str | None:
    """A search for the mark, for listings and choosers that take one."""
    if probe.pattern.arguments or "?" in probe.url:
        return None
    if "/api/" in probe.url:
        return f"?search={SEARCH_WORD}"
    return f"?q={SEARCH_WORD}"
