"""Search benchmark: 50,000 forms across 150 agencies, 200 realistic queries (figures only).

Run it (it creates and drops its own test database; the real one is never touched):

    ISO_VAR_DIR=/tmp/isovar-bench python -m tests.benchmarks.bench_search
    DATABASE_URL=postgres://user@host:5432/scratch python -m tests.benchmarks.bench_search

Options: --forms N (default 50000), --agencies N (150), --queries N (200), --no-engine.

Beside the database backend, the same forms and queries run on a real engine (OPENSEARCH_URL or
ELASTICSEARCH_URL, or the OpenSearch node of tests/engine started for the run), and the engine's
indexing time, p50 and p95 are printed as ratios to the database backend's of the same run. The
queries run in rounds that alternate the two (--rounds, 3 by default), so that a drift in the
machine's load does not land on one side only.

Pages are written with a bulk path (tree paths computed, rows inserted in batches, one issued
version per form); the search index is then built through the configured backend's bulk indexer,
the same code `update_index` runs. Each query goes through search.selectors.find_forms as the
public page calls it (count, ranking, facets, versions in force, download links). It then prints
the first public search after a publish (which rebuilds the in-process public map,
search.public_entries) and the same queries read from the database without the map, as staff
searches are.
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import os
import random
import statistics
import time
from dataclasses import dataclass
from dataclasses import field as dataclass_field


def _setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cms.settings.test")
    import django

    django.setup()


BASE_TITLES = [
    "Tờ khai đăng ký khai sinh",
    "Tờ khai đăng ký kết hôn",
    "Tờ khai đăng ký khai tử",
    "Tờ khai cấp bản sao trích lục hộ tịch",
    "Tờ khai đăng ký nhận cha, mẹ, con",
    "Tờ khai cấp Phiếu lý lịch tư pháp",
    "Đơn đề nghị chứng thực chữ ký",
    "Phiếu yêu cầu chứng thực bản sao",
    "Tờ khai thay đổi thông tin cư trú",
    "Đơn đề nghị giải quyết tranh chấp đất đai",
    "Phiếu tiếp nhận và hẹn trả kết quả",
    "Phiếu kiểm soát quá trình giải quyết hồ sơ",
    "Đơn đề nghị cấp giấy phép xây dựng",
    "Đơn đề nghị cấp đổi giấy phép lái xe",
    "Bản khai đề nghị cấp thẻ bảo hiểm y tế",
    "Giấy xác nhận tình trạng hôn nhân",
    "Đơn đăng ký biến động đất đai",
    "Tờ khai đăng ký thuế",
    "Đơn đề nghị cấp giấy chứng nhận đăng ký hộ kinh doanh",
    "Đơn đề nghị hỗ trợ người có công với cách mạng",
    "Tờ khai đề nghị trợ cấp xã hội hằng tháng",
    "Đơn đề nghị cấp giấy phép kinh doanh rượu",
    "Phiếu lấy ý kiến khu dân cư",
    "Đơn khiếu nại",
    "Đơn tố cáo",
    "Giấy đề nghị cấp bản sao văn bằng, chứng chỉ",
    "Tờ trình đề nghị thẩm định hồ sơ",
    "Báo cáo kết quả giải quyết thủ tục hành chính",
    "Sổ theo dõi hồ sơ",
    "Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ",
    "Phiếu từ chối tiếp nhận, giải quyết hồ sơ",
    "Phiếu xin lỗi và hẹn lại ngày trả kết quả",
    "Đơn đề nghị đăng ký giám hộ",
    "Tờ khai đăng ký lại khai sinh",
    "Đơn đề nghị cấp giấy phép môi trường",
    "Đơn đăng ký hoạt động giáo dục nghề nghiệp",
    "Đơn đề nghị công nhận gia đình văn hóa",
    "Tờ khai lệ phí trước bạ",
    "Đơn xin xác nhận nơi cư trú",
    "Đơn đề nghị cấp chứng chỉ hành nghề",
]
FIELD_NAMES = ["Hộ tịch", "Chứng thực", "Đất đai", "Xây dựng", "Giao thông", "Y tế", "Lao động"]
PROCEDURES_PER_AGENCY = 20
FORMS_PER_PROCEDURE = 8
QUALIFIERS = [
    "",
    "dùng cho cá nhân",
    "dùng cho tổ chức",
    "có yếu tố nước ngoài",
    "bản điện tử",
    "trường hợp đặc biệt",
    "năm 2026",
    "cấp lại",
    "điều chỉnh",
    "dành cho người khuyết tật",
]


def _build(forms: int, agencies: int) -> tuple[list[tuple[str, str]], float]:
    """The province, by bulk path. Returns [(title, code)] and the time spent."""
    from django.contrib.contenttypes.models import ContentType
    from django.db import connection, transaction
    from django.utils import timezone

    from wagtail.models import Page, PageViewRestriction, Revision

    from content_types.agency import AgencyPage
    from content_types.documents import FormDocumentPage
    from content_types.indexes import FormIndexPage, ProcedureIndexPage, QualitySystemPage
    from content_types.procedure_fields import ProcedureField
    from content_types.procedures import ProcedurePageForm, form_fields_refresh
    from content_types.versions import DocumentVersion
    from tests.factories import make_home

    started = time.perf_counter()
    rng = random.Random(2026)
    now = timezone.now()
    made: list[tuple[str, str]] = []
    with transaction.atomic():
        home = make_home()
        indexes, procedure_indexes = [], []
        fields = [ProcedureField.objects.create(name=name) for name in FIELD_NAMES]
        for number in range(agencies):
            agency = AgencyPage(
                title=f"Cơ quan thử số {number + 1}",
                short_name=f"CQ {number + 1}",
                agency_code=f"CQ{number + 1:03d}",
                live=True,
            )
            home.add_child(instance=agency)
            index = FormIndexPage(title="Biểu mẫu", slug="bieu-mau", live=True)
            agency.add_child(instance=index)
            indexes.append(index)
            # As provisioning leaves every agency: a private quality-system section, which
            # every public search must exclude, and a procedures section.
            quality = QualitySystemPage(title="Hệ thống chất lượng", slug="he-thong", live=True)
            agency.add_child(instance=quality)
            PageViewRestriction.objects.create(
                page=quality, restriction_type=PageViewRestriction.GROUPS
            )
            procedure_index = ProcedureIndexPage(title="Thủ tục", slug="thu-tuc", live=True)
            agency.add_child(instance=procedure_index)
            procedure_indexes.append(procedure_index)
        page_ct = ContentType.objects.get_for_model(Page)
        form_ct = ContentType.objects.get_for_model(FormDocumentPage)
        per_index = -(-forms // agencies)
        for position, index in enumerate(indexes):
            count = min(per_index, forms - position * per_index)
            if count <= 0:
                break
            rows, codes = [], []
            for n in range(count):
                base = rng.choice(BASE_TITLES)
                qualifier = rng.choice(QUALIFIERS)
                title = f"{base} {qualifier}".strip()
                code = f"BM.{n + 1:02d}-QT.{rng.randint(1, 40):02d}-{position + 1:03d}"
                rows.append(_live_child(index, n, f"bm-{n + 1}", title, form_ct, now))
                codes.append(code)
                made.append((title, code))
            pages = Page.objects.bulk_create(rows, batch_size=1000)
            if connection.vendor == "sqlite" or pages[0].pk is None:
                ids = dict(
                    Page.objects.filter(path__in=[p.path for p in rows]).values_list("path", "pk")
                )
                for page in pages:
                    page.pk = page.id = ids[page.path]
            _insert_children(
                FormDocumentPage,
                [
                    {
                        "page_ptr_id": page.pk,
                        "code": code,
                        "change_summary": "Ban hành lần đầu.",
                        "legal_basis": "Thông tư 04/2020/TT-BTP",
                    }
                    for page, code in zip(pages, codes, strict=True)
                ],
            )
            revisions = Revision.objects.bulk_create(
                [
                    Revision(
                        content_type=form_ct,
                        base_content_type=page_ct,
                        object_id=str(page.pk),
                        content={"pk": page.pk, "title": page.title},
                        created_at=now,
                        object_str=page.title,
                    )
                    for page in pages
                ],
                batch_size=1000,
            )
            if revisions[0].pk is None:
                revision_ids = dict(
                    Revision.objects.filter(
                        object_id__in=[str(p.pk) for p in pages], base_content_type=page_ct
                    ).values_list("object_id", "pk")
                )
                for revision in revisions:
                    revision.pk = revision.id = revision_ids[revision.object_id]
            DocumentVersion.objects.bulk_create(
                [
                    DocumentVersion(
                        page_id=page.pk,
                        revision_id=revision.pk,
                        issue_number=1,
                        code=code,
                        title=page.title,
                        approved_at=now,
                        effective_from=now,
                    )
                    for page, revision, code in zip(pages, revisions, codes, strict=True)
                ],
                batch_size=1000,
            )
            Page.objects.filter(pk=index.pk).update(numchild=count)
            _procedures(procedure_indexes[position], pages, fields, rng, now)
        # What publishing the procedures would have done, in one go.
        form_fields_refresh(ProcedurePageForm.objects.all(), FormDocumentPage.objects.all())
    return made, time.perf_counter() - started


def _live_child(index, n: int, slug: str, title: str, content_type, now):
    """The n-th (from 0) child page row of `index`, live, its tree path computed: no add_child."""
    from wagtail.models import Page

    return Page(
        title=title,
        draft_title=title,
        slug=slug,
        content_type=content_type,
        live=True,
        has_unpublished_changes=False,
        path=Page._get_path(index.path, index.depth + 1, n + 1),
        depth=index.depth + 1,
        numchild=0,
        url_path=f"{index.url_path}{slug}/",
        first_published_at=now,
        last_published_at=now,
        locale_id=index.locale_id,
    )


def _insert_children(model, rows: list[dict]) -> None:
    """Insert `model`'s own table rows (its page rows exist): the given values, every other
    column its field's default ('' for text without one), so a new column needs no edit here."""
    from django.db import connection

    columns = list(model._meta.local_concrete_fields)

    def value(f, row):
        if f.column in row:
            return row[f.column]
        if f.has_default():
            return f.get_db_prep_value(f.get_default(), connection)
        return None if f.null else ""

    names = ", ".join(f.column for f in columns)
    marks = ", ".join(["%s"] * len(columns))
    with connection.cursor() as cursor:
        cursor.executemany(
            f"INSERT INTO {model._meta.db_table} ({names}) VALUES ({marks})",  # noqa: S608
            [[value(f, row) for f in columns] for row in rows],
        )


def _procedures(index, forms, fields, rng, now) -> None:
    """PROCEDURES_PER_AGENCY live procedures in fields, each using FORMS_PER_PROCEDURE of the
    agency's forms: what the form search's field facet counts."""
    from django.contrib.contenttypes.models import ContentType

    from wagtail.models import Page

    from content_types.procedures import ProcedurePage, ProcedurePageForm

    procedure_ct = ContentType.objects.get_for_model(ProcedurePage)
    unit = ProcedurePage._meta.get_field("process_limit_unit").get_default()
    rows = [
        _live_child(index, n, f"tt-{n + 1}", f"Thủ tục thử {n + 1}", procedure_ct, now)
        for n in range(PROCEDURES_PER_AGENCY)
    ]
    Page.objects.bulk_create(rows)
    ids = dict(Page.objects.filter(path__in=[p.path for p in rows]).values_list("path", "pk"))
    _insert_children(
        ProcedurePage,
        [
            {
                "page_ptr_id": ids[page.path],
                "national_code": f"1.{ids[page.path]:06d}",
                "field_id": rng.choice(fields).pk,
                "process_limit_unit": unit,
            }
            for page in rows
        ],
    )
    ProcedurePageForm.objects.bulk_create(
        [
            ProcedurePageForm(page_id=ids[page.path], form_page_id=form.pk, sort_order=order)
            for page in rows
            for order, form in enumerate(rng.sample(forms, min(FORMS_PER_PROCEDURE, len(forms))))
        ]
    )
    Page.objects.filter(pk=index.pk).update(numchild=len(rows))


def _index() -> float:
    from django.db import connection

    from wagtail.search.backends import get_search_backend

    from content_types.documents import FormDocumentPage

    backend = get_search_backend()
    started = time.perf_counter()
    index = backend.get_index_for_model(FormDocumentPage)
    queryset = FormDocumentPage.objects.order_by("pk")
    batch, last = 1000, 0
    while True:
        chunk = list(queryset.filter(pk__gt=last)[:batch])
        if not chunk:
            break
        index.add_items(FormDocumentPage, chunk)
        last = chunk[-1].pk
    if hasattr(index, "_refresh_title_norms"):  # the database backends
        index._refresh_title_norms(full=True)
    if hasattr(backend, "es"):
        # The engine merges the segments a bulk load leaves for minutes afterwards, on the same
        # two cores the queries run on; done here, as VACUUM ANALYZE below, so queries meet the
        # index as it normally is.
        name = index.name
        backend.es.indices.forcemerge(index=name, max_num_segments=1, request_timeout=600)
        backend.es.indices.refresh(index=name)
    if connection.vendor == "postgresql":
        # The title norms rewrite every entry; what autovacuum does a minute later on a real
        # server is done here so queries meet the table as it normally is (its GIN index
        # without a pending list, no dead rows to skip, statistics for the planner).
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
    return time.perf_counter() - started


def _queries(made: list[tuple[str, str]], count: int) -> list[str]:
    from content_types.text import search_text

    rng = random.Random(7)
    queries: list[str] = []
    makers = [
        lambda t, c: search_text(t),  # full name without diacritics
        lambda t, c: t,  # full name with diacritics
        lambda t, c: " ".join(search_text(t).split()[1:4]),  # a few words of the name
        lambda t, c: " ".join(search_text(t).split()[:3])[:-1],  # a word still being typed
        lambda t, c: "mẫu " + t.lower(),  # with a filler word
        lambda t, c: c,  # the code as written
        lambda t, c: c.replace(".", "").replace("-", "").lower(),  # the code run together
        lambda t, c: c.split("-")[0],  # a part of the code: BM.07
        lambda t, c: c.replace(".", " ").replace("-", "/"),
        lambda t, c: "giay phep kinh doanh karaoke quan 9",  # no match
    ]
    while len(queries) < count:
        title, code = rng.choice(made)
        kind = len(queries) % len(makers)
        queries.append((makers[kind](title, code), kind, title, code))
    return queries


def _first_is_right(kind: int, title: str, code: str, results) -> bool | None:
    """Whether the first result is the form searched for: its title for a full name (many
    forms share a title), the form itself for a code as written or run together."""
    from content_types.text import search_text

    if kind not in (0, 1, 5, 6):
        return None
    if not results.hits:
        return False
    first = results.hits[0]
    if kind in (0, 1):
        return search_text(first.title) == search_text(title)
    return first.code == code


def _run(queries, search, missed: list | None = None) -> tuple[list[float], int, int, int]:
    timings, empty, right, judged = [], 0, 0, 0
    for query, kind, title, code in queries:
        started = time.perf_counter()
        results = search(query)
        timings.append((time.perf_counter() - started) * 1000)
        empty += results.total == 0
        verdict = _first_is_right(kind, title, code, results)
        if verdict is not None:
            judged += 1
            right += verdict
            if not verdict and missed is not None:
                first = results.hits[0].title if results.hits else "—"
                missed.append(f"«{query}» (wanted «{title}» {code}, first «{first}»)")
    return timings, empty, right, judged


def _report(label: str, timings: list[float], queries) -> None:
    print(
        f"{label}: p50 {_percentile(timings, 0.5):.1f} ms, "
        f"p95 {_percentile(timings, 0.95):.1f} ms, max {max(timings):.1f} ms, "
        f"mean {statistics.mean(timings):.1f} ms"
    )
    slow = sorted(zip(timings, [q for q, *_ in queries], strict=True), reverse=True)[:3]
    for ms, query in slow:
        print(f"  slowest: {ms:7.1f} ms  «{query}»")


def _percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]


@dataclass
class _Side:
    """One backend of the run: how to switch to it, and the timings gathered on it."""

    label: str
    settings: contextlib.AbstractContextManager = dataclass_field(
        default_factory=contextlib.nullcontext
    )
    figures: dict = dataclass_field(default_factory=dict)
    public: list[float] = dataclass_field(default_factory=list)
    staff: list[float] = dataclass_field(default_factory=list)


def _prepare(side: _Side, made, queries) -> None:
    """Index the forms with the side's backend and warm its caches and connections."""
    from content_types.public_generation import public_generation_bump
    from search.selectors import find_forms

    with side.settings:
        seconds = _index()
        public_generation_bump()
        # One untimed pass: a server runs for days, its caches full and (the engine's JVM)
        # its code compiled; ten queries left the engine's first round half cold.
        for query, *_ in queries:
            find_forms(query)
    side.figures["indexing"] = seconds
    print(
        f"indexing on {side.label}: {len(made)} forms in {seconds:.1f} s "
        f"({len(made) / seconds:.0f} forms/s)"
    )


def _rounds(sides: list[_Side], queries, rounds: int) -> None:
    """The public and the staff queries, in rounds that alternate the sides (A B, B A, …): the
    load of a shared machine drifts over minutes, and one side run after the other measured
    that drift as much as the backends."""
    from django.contrib.auth import get_user_model

    from search.selectors import find_forms

    # A signed-in officer: public pages plus the private sections their groups may read (here
    # none of the 150), as the admin's search and a signed-in visitor search.
    officer, _ = get_user_model().objects.get_or_create(username="bench.officer")
    for number in range(rounds):
        for side in sides if number % 2 == 0 else sides[::-1]:
            with side.settings:
                missed: list[str] = []
                timings, empty, right, judged = _run(queries, find_forms, missed)
                side.public += timings
                side.staff += _run(queries, lambda q: find_forms(q, user=officer))[0]
            if number == 0:
                side.figures["right"] = f"{right}/{judged}"
                side.figures["empty"] = empty
                side.figures["missed"] = missed


def _plans(side: _Side, queries) -> None:
    """PostgreSQL's plans of one query of each kind and of the three slowest, public and staff
    (tests/benchmarks/query_plans.py: what a small test database cannot show)."""
    from django.contrib.auth import get_user_model

    from search.selectors import find_forms
    from tests.benchmarks.query_plans import print_plans

    size = len(queries)
    slowest = sorted(range(size), key=lambda n: side.public[n], reverse=True)[:3]
    chosen = list(dict.fromkeys([*range(10), *slowest]))  # one of each kind (_queries' order)
    texts = [queries[n][0] for n in chosen]
    officer = get_user_model().objects.get(username="bench.officer")
    with side.settings:
        print_plans(side.label, {text: lambda t=text: find_forms(t) for text in texts})
        staff = {text: lambda t=text: find_forms(t, user=officer) for text in texts[:10]}
        print_plans(f"{side.label}, signed-in officer", staff)


def _once(side: _Side, queries) -> None:
    """What happens rarely: the first public search after a publish (it rebuilds the public
    map), and the queries inside a publishing transaction (read without the map)."""
    from django.db import transaction

    from content_types.public_generation import public_generation_bump
    from search.selectors import find_forms

    with side.settings:
        public_generation_bump()
        started = time.perf_counter()
        find_forms(queries[0][0])
        side.figures["first after a publish"] = (time.perf_counter() - started) * 1000
        with transaction.atomic():
            transaction.on_commit(public_generation_bump)
            unmapped, *_ = _run(queries, find_forms)
            transaction.set_rollback(True)
    side.figures["unmapped"] = unmapped


def _print_side(side: _Side, queries, rounds: int) -> None:
    figures = side.figures
    print(f"== {side.label}")
    print(f"indexing: {figures['indexing']:.1f} s")
    repeated = queries * rounds
    _report(f"{len(queries)} public queries × {rounds} rounds", side.public, repeated)
    size = len(queries)
    each = [side.public[n * size : (n + 1) * size] for n in range(rounds)]
    print(
        "  p50 / p95 by round: "
        + ", ".join(f"{_percentile(t, 0.5):.1f} / {_percentile(t, 0.95):.1f}" for t in each)
    )
    print(f"  {figures['empty']} without results")
    print(f"  first result is the form searched for (full names, codes): {figures['right']}")
    for line in figures["missed"]:
        print(f"  not first: {line}")
    _report("the same queries as a signed-in officer (staff search)", side.staff, repeated)
    print(f"first public search after a publish: {figures['first after a publish']:.0f} ms")
    _report("the same queries inside a publishing transaction", figures["unmapped"], queries)
    figures.update(
        p50=_percentile(side.public, 0.5),
        p95=_percentile(side.public, 0.95),
        **{"staff p50": _percentile(side.staff, 0.5), "staff p95": _percentile(side.staff, 0.95)},
        **{"p95 without the map": _percentile(figures["unmapped"], 0.95)},
    )


@contextlib.contextmanager
def _engine():
    """Settings for a real engine: OPENSEARCH_URL / ELASTICSEARCH_URL, or the OpenSearch node of
    tests/engine started for the run (its own index prefix, deleted afterwards). Yields the
    side, or None when no engine can run here."""
    import uuid

    from django.test import override_settings

    from wagtail.search.backends import get_search_backend

    from search.backends import engine_indexes_ensure
    from tests.engine.engine import EngineNode, EngineUnavailable, given_server, rss_megabytes

    server, node = given_server(), None
    if server is None:
        node = EngineNode()
        try:
            started = time.perf_counter()
            url = node.start()
        except EngineUnavailable as exc:
            print(f"engine: skipped ({exc})")
            yield None
            return
        print(f"OpenSearch node started in {time.perf_counter() - started:.1f} s at {url}")
        kind = "opensearch"
    else:
        url, kind = server.url, server.kind
    prefix = f"isobench{uuid.uuid4().hex[:8]}"
    config = {
        "default": {
            "BACKEND": "search.backends",
            "ENGINE": kind,
            "URLS": [url],
            "INDEX": prefix,
            "TIMEOUT": 120,
        }
    }
    settings = override_settings(WAGTAILSEARCH_BACKENDS=config)
    with settings:
        backend = get_search_backend()
        engine_indexes_ensure(backend=backend)
    try:
        yield _Side(f"engine: {kind} at {url}", settings)
    finally:
        if node is not None:
            print(f"  node resident memory: {rss_megabytes(node) or 0:.0f} MB (heap 512 MB)")
        for name in list(backend.es.indices.get(index=f"{prefix}_*")):
            backend.es.indices.delete(index=name)
        if node is not None:
            node.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--forms", type=int, default=50_000)
    parser.add_argument("--agencies", type=int, default=150)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=3, help="rounds of the queries per side")
    parser.add_argument("--no-engine", action="store_true", help="the database backend only")
    args = parser.parse_args()
    _setup_django()

    from django.db import connection
    from django.test.utils import setup_databases, teardown_databases

    old_config = setup_databases(verbosity=0, interactive=False)
    try:
        print(f"database: {connection.vendor}; forms: {args.forms}; agencies: {args.agencies}")
        made, build_seconds = _build(args.forms, args.agencies)
        print(f"build (bulk pages, versions): {build_seconds:.1f} s")
        queries = _queries(made, args.queries)
        # As cms/wsgi.py does in each server process once start-up is over.
        gc.collect()
        gc.freeze()
        database = _Side(f"database backend ({connection.vendor})")
        with contextlib.ExitStack() as stack:
            engine = None if args.no_engine else stack.enter_context(_engine())
            sides = [database] + ([engine] if engine is not None else [])
            for side in sides:
                _prepare(side, made, queries)
            _rounds(sides, queries, args.rounds)
            _plans(database, queries)
            for side in sides:
                _once(side, queries)
                _print_side(side, queries, args.rounds)
        if engine is not None:
            print(f"== engine / database ({connection.vendor}), same data, same queries")
            for key in ("indexing", "p50", "p95", "p95 without the map", "staff p50", "staff p95"):
                unit = "s" if key == "indexing" else "ms"
                mine, theirs = engine.figures[key], database.figures[key]
                print(f"  {key}: {mine:.1f} {unit} / {theirs:.1f} {unit} = {mine / theirs:.2f}")
            right = engine.figures["right"], database.figures["right"]
            print(f"  first result right: engine {right[0]}, database {right[1]}")
    finally:
        teardown_databases(old_config, verbosity=0)


if __name__ == "__main__":
    main()
