"""Matcher benchmark: match latency, outbox indexing rate, freshness.

    .venv/bin/python bench/matching.py --offers 100000 [--needs 100]
    .venv/bin/python bench/matching.py --embedded --offers 20000 [--needs 50] [--reuse]
        [--no-elasticsearch] [--no-baseline] [--sqlite var/bench.sqlite3]

Generates a city of offers (60% projects, 30% volunteers, 10% funds) in the
``assist_bench`` database, then measures, side by side in one run:

* indexing: the raw ``helpers.bulk`` rate into a scratch index with the
  previous mapping (baseline) and with the current one, and the outbox path
  (outbox rows -> ``drain()``) into the live index;
* matching one need, both stages, p50/p95: Elasticsearch backend, now and
  the previous request (``previous_backend``) need by need in alternation,
  in-process backend, and a plain SQL-filter-then-Python-sort baseline;
* freshness: time from a saved change to its being searchable, with a
  drain worker running.

``--embedded`` uses SQLite (``var/bench.sqlite3``) instead, and times the
embedded matcher (the in-process backend's cached snapshot), its baseline
(``baseline_inprocess``, the walk over the rows it replaced) and the
Elasticsearch backend over the same city (the test node, the ``bench`` index
prefix or ``TEST_INDEX_PREFIX``) need by need in alternation, then compares
their answers.
"""

import argparse
import random
import threading
import time
from decimal import Decimal

import _django

VOCABULARY = [
    ("大病透析救助", "medical", "material"),
    ("重症医疗费用资助", "medical", "material"),
    ("困难学生助学金", "education", "material"),
    ("课业辅导", "education", "capability"),
    ("独居老人陪伴", "subsistence", "daily_life"),
    ("危房修缮", "housing", "material"),
    ("就业技能培训", "employment", "capability"),
    ("心理疏导热线", "temporary", "counselling"),
    ("灾后生活物资", "disaster", "material"),
    ("法律援助咨询", "judicial", "counselling"),
    ("特困老人助餐", "extreme_poverty", "daily_life"),
    ("临时困难救助金", "temporary", "material"),
]
SKILLS = ["陪诊", "陪护", "助餐", "家政", "心理咨询", "课业辅导", "法律咨询", "维修", "送药"]
CENTER = (43.88, 125.32)


def build_city(n_offers, seed=7, *, into_index_only=False):
    """Offers in the bench database, or — ``into_index_only`` — generated
    straight into the offers index (for the 1M-offer latency run, where the
    database path would only measure bulk inserts)."""
    from matching.directory.models import Jurisdiction, Organization
    from matching.directory.services import jurisdictions_load
    from matching.offers.models import Fund, Match, Project, Volunteer

    rng = random.Random(seed)
    jurisdictions_load()
    Match.objects.all().delete()
    for model in (Project, Volunteer, Fund):
        model.objects.all().delete()
    Organization.objects.filter(ref__startswith="BO-").delete()
    districts = list(Jurisdiction.objects.filter(level="district").values_list("code", flat=True))
    streets = list(Jurisdiction.objects.filter(level="street").values_list("code", "path"))
    places = {j.code: j for j in Jurisdiction.objects.filter(level="street")}
    orgs = [
        Organization(
            ref=f"BO-{i}",
            name=f"基准组织{i}",
            kind="charity",
            jurisdiction_id=rng.choice(districts),
            verified=True,
        )
        for i in range(300)
    ]
    Organization.objects.bulk_create(orgs, batch_size=1000)
    orgs = list(Organization.objects.filter(ref__startswith="BO-"))

    def project(i):
        title, category, form = rng.choice(VOCABULARY)
        codes = rng.choice([["220100"], [rng.choice(districts)], [rng.choice(streets)[0]]])
        return Project(
            ref=f"BP-{i}",
            organization=rng.choice(orgs),
            title=title,
            description=f"{title}项目，面向困难家庭",
            categories=[category],
            forms=[form],
            jurisdictions=codes,
            budget_remaining=Decimal(rng.choice([0, 5000, 20000, 100000])),
            max_per_case=Decimal(rng.choice([1000, 2000, 5000])),
            slots_remaining=rng.choice([None, 0, 5, 50]),
            min_age=rng.choice([None, None, 60]),
            max_age=rng.choice([None, 17]),
        )

    def volunteer(i):
        code, _path = rng.choice(streets)
        return Volunteer(
            jurisdiction=places[code],
            ref=f"BV-{i}",
            name=f"志愿者{i}",
            forms=[rng.choice(["daily_life", "emotional", "counselling", "capability"])],
            skills=rng.sample(SKILLS, 2),
            lat=CENTER[0] + rng.uniform(-0.4, 0.4),
            lon=CENTER[1] + rng.uniform(-0.5, 0.5),
            radius_km=Decimal(rng.choice(["2.0", "5.0", "10.0"])),
            availability=rng.sample(["sat_am", "sun_pm", "wed_pm", "fri_am"], 2),
            hours_per_week=rng.choice([0, 2, 4, 8]),
        )

    def fund(i):
        _, category, _ = rng.choice(VOCABULARY)
        return Fund(
            ref=f"BF-{i}",
            organization=rng.choice(orgs),
            name=f"爱心基金{i}",
            categories=[category],
            balance=Decimal(rng.choice([0, 10000, 500000])),
            max_per_case=Decimal(rng.choice([500, 2000, 5000])),
        )

    makers = [(Project, project, 0.6), (Volunteer, volunteer, 0.3), (Fund, fund, 0.1)]
    for model, make, share in makers:
        count = int(n_offers * share)
        for start in range(0, count, 20_000):
            batch = [make(i) for i in range(start, min(count, start + 20_000))]
            if into_index_only:
                _index_unsaved(model, batch, start)
            else:
                model.objects.bulk_create(batch, batch_size=5000)


def _index_unsaved(model, rows, first_pk):
    from elasticsearch.helpers import bulk

    from search import indices, registry
    from search.client import get_client

    spec = registry.spec("offers")
    source = spec.source_for(model)
    target = indices.write_targets("offers")[0]
    actions = []
    for pk, row in enumerate(rows, start=first_pk + 1):
        row.pk = pk
        actions.append(
            {
                "_index": target,
                "_id": source.doc_id(pk),
                "_source": source.prepare(source.row_of(row)),
            }
        )
    bulk(get_client(), actions, chunk_size=5000, request_timeout=300)


def build_needs(n_needs, seed=11):
    from stdnum.cn import ric

    from matching.cases import services
    from matching.cases.models import Case
    from matching.directory.models import Jurisdiction

    rng = random.Random(seed)
    streets = list(Jurisdiction.objects.filter(level="street", code__startswith="2201"))
    Case.objects.filter(ref__startswith="BN-").delete()
    needs = []
    for i in range(n_needs):
        street = rng.choice(streets)
        title, category, form = rng.choice(VOCABULARY)
        born = f"{rng.randint(1940, 2015)}0{rng.randint(1, 9)}1{rng.randint(0, 9)}"
        body = f"220104{born}{i % 900 + 100:03d}"
        household = services.household_create(
            jurisdiction=street,
            address=f"{street.name}幸福路{i}号",
            statuses=["low_income"],
            members=[
                {
                    "name": "基准户主",
                    "id_number": body + ric.calc_check_digit(body + "0"),
                    "relation": "self",
                    "phone": "",
                }
            ],
        )
        household.lat = CENTER[0] + rng.uniform(-0.3, 0.3)
        household.lon = CENTER[1] + rng.uniform(-0.3, 0.3)
        household.save(update_fields=["lat", "lon"])
        needs.append(
            services.case_submit(
                household=household,
                jurisdiction=street,
                channel=Case.Channel.WINDOW,
                categories=[category],
                forms=[form, "daily_life"],
                urgency="normal",
                title=f"申请{title}",
                description=f"家庭困难，需要{title}",
                contact_phone="",
                amount_needed=Decimal("5000.00"),
                ref=f"BN-{i}",
            )
        )
    return needs


def _drain_timed(spec):
    """Outbox rows for every offer, then the time drain() takes to index them."""
    from search import indexer, indices
    from search.client import get_client
    from search.models import OutboxEntry
    from search.outbox import record_changes

    client = get_client()
    client.indices.delete(index=f"{indices.read_alias('offers')}*", ignore_unavailable=True)
    OutboxEntry.objects.all().delete()
    indices.ensure(spec)
    for source in spec.sources:  # what the saves would have written
        record_changes(source.model, list(source.queryset().values_list("pk", flat=True)))
    started = time.perf_counter()
    drained = indexer.drain()  # the defaults a worker runs with
    client.indices.refresh(index=indices.read_alias("offers"))
    return drained / (time.perf_counter() - started)


def previous_mapping(spec):
    """The offers mapping as it was before 2026-11-29: every field indexed with
    doc values, the description analysed with the cjk bigrams."""
    body = spec.document._index.to_dict()
    for field in body["mappings"]["properties"].values():
        field.pop("index", None)
        field.pop("doc_values", None)
    body["mappings"]["properties"]["description"] = {"type": "text", "analyzer": "chinese"}
    return body


def _raw_bulk(spec, *, mapping=None):
    """helpers.bulk of every prepared row into a scratch index (``mapping``:
    a mapping body instead of the current one)."""
    from elasticsearch.helpers import bulk

    from search import indices
    from search.client import get_client, index_name

    client = get_client()
    if mapping is None:
        scratch = indices.create_concrete(spec)
    else:
        scratch = index_name("offers-scratch-previous")
        client.indices.delete(index=scratch, ignore_unavailable=True)
        client.indices.create(index=scratch, body=mapping)
    started = time.perf_counter()
    count = 0
    actions = []
    for source in spec.sources:
        for row in source.queryset().iterator(chunk_size=5000):
            actions.append(
                {
                    "_index": scratch,
                    "_id": source.doc_id(source.row_key(row)),
                    "_source": source.prepare(row),
                }
            )
            count += 1
            if len(actions) >= 5000:
                bulk(client, actions, chunk_size=5000, request_timeout=120)
                actions = []
    bulk(client, actions, chunk_size=5000, request_timeout=120)
    client.indices.refresh(index=scratch)
    rate = count / (time.perf_counter() - started)
    client.indices.delete(index=scratch)
    return count, rate


def bench_indexing(rounds=2):
    """Raw helpers.bulk with the previous mapping (baseline), raw with the
    current one, and the outbox drain, in alternation; the live index is left
    from the last drain."""
    from search import registry

    spec = registry.spec("offers")
    rates = {
        "raw helpers.bulk, previous mapping": [],
        "raw helpers.bulk": [],
        "outbox drain": [],
    }
    for _round in range(rounds):
        rates["raw helpers.bulk, previous mapping"].append(
            _raw_bulk(spec, mapping=previous_mapping(spec))[1]
        )
        count, raw = _raw_bulk(spec)
        rates["raw helpers.bulk"].append(raw)
        rates["outbox drain"].append(_drain_timed(spec))
    return count, rates


def report_indexing(count, rates):
    raw = rates["raw helpers.bulk"]
    for name, values in rates.items():
        each = " / ".join(f"{v:,.0f}" for v in values)
        share = " / ".join(f"{v / r:.0%}" for v, r in zip(values, raw, strict=True))
        print(f"indexing {count} docs, {name}: {each} docs/s ({share} of raw, same round)")


def sql_baseline(need):
    """Plain SQL filter (category, area, status), then Python sort by distance."""
    from matching.offers.models import Fund, Project, Volunteer
    from matching.offers.profile import need_profile_get
    from search.constraints import haversine_km

    profile = need_profile_get(need=need)
    projects = Project.objects.filter(status="active", categories__contains=[profile.categories[0]])
    projects = [p for p in projects if set(p.jurisdictions) & set(profile.area_codes)]
    funds = list(Fund.objects.filter(active=True, categories__contains=[profile.categories[0]]))
    volunteers = [
        v for v in Volunteer.objects.filter(active=True) if set(v.forms) & set(profile.forms)
    ]
    here = profile.location
    volunteers.sort(key=lambda v: haversine_km(here, (v.lat, v.lon)))
    return (projects + funds + volunteers)[:10]


def previous_backend():
    """The Elasticsearch retrieval as it was before the pooled close exclusions
    (2026-11-28 22:23 figures): the exact close-exclusion search — a
    ``must_not`` of every constraint over every offer sharing a category or
    form, sorted by score then ref — side by side with the candidates."""
    from search.matcher import NEAR_MISSES, RETRIEVE_SIZE, ElasticsearchBackend

    class ExactExclusionsBackend(ElasticsearchBackend):
        def both(self, profile, ctx, size=RETRIEVE_SIZE, excluded=NEAR_MISSES):
            return self._run(
                lambda fetch: self._candidates_body(profile, ctx, size, fetch),
                lambda fetch: self._near_misses_body(profile, ctx, excluded, fetch),
            )

    return ExactExclusionsBackend()


def time_side_by_side(fns, items):
    """Each item through every fn in turn, so both see the same load; who goes
    first alternates (the second search of a need finds Elasticsearch's and
    PostgreSQL's caches warm)."""
    samples = {name: [] for name in fns}
    order = list(fns.items())
    for number, item in enumerate(items):
        for name, fn in order[number % len(order) :] + order[: number % len(order)]:
            started = time.perf_counter()
            fn(item)
            samples[name].append((time.perf_counter() - started) * 1000)
    return {name: _django.percentiles(values) for name, values in samples.items()}


def bench_match(needs):
    from search import matcher
    from search.matcher import ElasticsearchBackend, propose

    backends = {"Elasticsearch (now)": ElasticsearchBackend(), "previous": previous_backend()}
    for backend in backends.values():
        propose(needs[0], backend=backend)  # warm caches, load the segmenter

    def previous(need):
        matcher.PAUSE_GC = False  # the previous request ran with collections on
        try:
            return propose(need, backend=backends["previous"])
        finally:
            matcher.PAUSE_GC = True

    fns = {
        "Elasticsearch (now)": lambda n: propose(n, backend=backends["Elasticsearch (now)"]),
        "previous": previous,
    }
    for name, stats in time_side_by_side(fns, needs).items():
        print(f"match, {name}:".ljust(32), _django.fmt(stats))
    now, before = backends.values()
    same_proposals = same_excluded = sizes = 0
    for need in needs:
        a, b = propose(need, backend=now), propose(need, backend=before)
        same_proposals += a["proposals"] == b["proposals"]
        same_excluded += {e["offer"] for e in a["excluded"]} == {e["offer"] for e in b["excluded"]}
        sizes += len(a["excluded"]) == len(b["excluded"])
    print(
        f"same proposals for {same_proposals}/{len(needs)} needs; same excluded offers "
        f"{same_excluded}/{len(needs)}, as many excluded {sizes}/{len(needs)}"
    )


def baseline_inprocess():
    """The in-process backend before its cache (2026-12-06, issue 22's first
    step): every offer row sharing a category or a form read, prepared and
    checked at every match (bench/inprocess_baseline.py)."""
    from inprocess_baseline import WalkBackend

    return WalkBackend()


def snapshot_cost():
    """(build time in ms, bytes the snapshot holds) of the offers in memory:
    traced while one is built, without the rows' garbage (freed at the end)."""
    import gc
    import tracemalloc

    from search import offer_cache, versions

    gc.collect()
    tracemalloc.start()
    started = time.perf_counter()
    snapshot = offer_cache.build(versions.token("offers"))
    elapsed = (time.perf_counter() - started) * 1000
    gc.collect()
    held, _peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return elapsed, held, len(snapshot)


def bench_embedded(needs, *, elasticsearch=True, baseline=True):
    """The embedded matcher (cached snapshot), the in-process walk it replaced
    (``baseline_inprocess``) and — when a node answers — the Elasticsearch
    backend, need by need in alternation; then whether they agree."""
    from search import offer_cache, versions
    from search.matcher import ElasticsearchBackend, InProcessBackend, propose

    built, held, count = snapshot_cost()
    print(f"snapshot of {count} offers: built in {built:.0f} ms, holds {held / 2**20:.1f} MiB")
    backends = {"embedded (cached)": InProcessBackend()}
    if baseline:
        backends["baseline_inprocess"] = baseline_inprocess()
    if elasticsearch:
        backends["Elasticsearch"] = ElasticsearchBackend()
    offer_cache.forget()
    started = time.perf_counter()
    propose(needs[0], backend=backends["embedded (cached)"])
    print(f"first match, snapshot built: {(time.perf_counter() - started) * 1000:.0f} ms")
    for backend in backends.values():
        propose(needs[0], backend=backend)  # warm caches
    fns = {name: (lambda n, b=b: propose(n, backend=b)) for name, b in backends.items()}
    for name, stats in time_side_by_side(fns, needs).items():
        print(f"match, {name}:".ljust(32), _django.fmt(stats))
    versions.bump("offers")  # as a change would: the next match rebuilds
    started = time.perf_counter()
    propose(needs[0], backend=backends["embedded (cached)"])
    print(f"first match after a change: {(time.perf_counter() - started) * 1000:.0f} ms")
    fast = backends["embedded (cached)"]
    if baseline:
        walk = backends["baseline_inprocess"]
        same = sum(propose(n, backend=fast) == propose(n, backend=walk) for n in needs)
        print(f"embedded = baseline (proposals, exclusions, plan): {same}/{len(needs)} needs")
    if elasticsearch:
        compare_with_elasticsearch(needs, fast, backends["Elasticsearch"])


def compare_with_elasticsearch(needs, fast, searched):
    """Proposals and plans of both; a plan may differ where more offers pass
    than Elasticsearch retrieves (RETRIEVE_SIZE): it plans from those alone."""
    from django.utils import timezone

    from matching.directory.selectors import dishonest_organization_ids
    from matching.offers.profile import need_profile_get
    from search.constraints import Context
    from search.matcher import RETRIEVE_SIZE, propose

    same_proposals = same_plan = over = 0
    for need in needs:
        a, b = propose(need, backend=fast), propose(need, backend=searched)
        same_proposals += a["proposals"] == b["proposals"]
        same_plan += a["plan"] == b["plan"]
        if a["plan"] != b["plan"]:
            profile = need_profile_get(need=need)
            dishonest = frozenset(str(pk) for pk in dishonest_organization_ids())
            ctx = Context(today=timezone.localdate(), dishonest_orgs=dishonest)
            over += len(fast.candidates(profile, ctx)) > RETRIEVE_SIZE
    print(
        f"embedded = Elasticsearch: proposals {same_proposals}/{len(needs)} needs, "
        f"plan {same_plan}/{len(needs)} (of the others, {over} have more than "
        f"{RETRIEVE_SIZE} candidates)"
    )


def index_for_embedded(count):
    """The bench index holds the SQLite city (rebuilt when its count differs)."""
    from search import indexer, indices, registry
    from search.client import get_client
    from search.models import OutboxEntry

    client = get_client()
    alias = indices.read_alias("offers")
    held = client.count(index=alias)["count"] if client.indices.exists(index=alias) else -1
    if held != count:
        started = time.perf_counter()
        indexer.rebuild(registry.spec("offers"))
        client.indices.refresh(index=alias)
        print(f"index {alias} rebuilt in {time.perf_counter() - started:.0f} s")
    OutboxEntry.objects.all().delete()


def embedded(args):
    from django.db import connection

    from matching.offers.models import Fund, Project, Volunteer
    from search import versions
    from search.client import is_configured

    print(f"database: {connection.vendor}")
    count = sum(m.objects.count() for m in (Project, Volunteer, Fund))
    if count != args.offers or not args.reuse:
        started = time.perf_counter()
        build_city(args.offers)
        versions.bump("offers")  # bulk_create sends no signals
        print(f"city of {args.offers} offers built in {time.perf_counter() - started:.0f} s")
    elasticsearch = is_configured()
    if elasticsearch:
        index_for_embedded(args.offers)
    needs = existing_needs(args.needs)
    print(load_average())
    bench_embedded(needs, elasticsearch=elasticsearch, baseline=not args.no_baseline)
    print(load_average())


def load_average():
    import os

    return "load average " + " / ".join(f"{x:.2f}" for x in os.getloadavg())


def time_ms(fn, items):
    samples = []
    for item in items:
        started = time.perf_counter()
        fn(item)
        samples.append((time.perf_counter() - started) * 1000)
    return _django.percentiles(samples)


def bench_freshness(samples=50):
    from matching.offers.models import Project
    from search import indexer, indices
    from search.client import get_client

    stop = threading.Event()

    def worker():
        from django.db import connection

        while not stop.is_set():
            indexer.drain()
            time.sleep(0.05)
        connection.close()

    thread = threading.Thread(target=worker)
    thread.start()
    client = get_client()
    lags = []
    projects = list(Project.objects.order_by("?")[:samples])
    for number, project in enumerate(projects):
        marker = f"新鲜度标记{number}"
        project.title = marker
        started = time.perf_counter()
        project.save()
        while True:
            found = client.search(
                index=indices.read_alias("offers"),
                query={"match_phrase": {"title": marker}},
                size=1,
            )
            if found["hits"]["hits"]:
                break
            time.sleep(0.02)
        lags.append((time.perf_counter() - started) * 1000)
    stop.set()
    thread.join()
    return _django.percentiles(lags)


def index_only(args):
    from search import indices, registry
    from search.client import get_client

    client = get_client()
    client.indices.delete(index=f"{indices.read_alias('offers')}*", ignore_unavailable=True)
    indices.ensure(registry.spec("offers"))
    started = time.perf_counter()
    build_city(args.offers, into_index_only=True)
    client.indices.refresh(index=indices.read_alias("offers"))
    count = client.count(index=indices.read_alias("offers"))["count"]
    print(f"{count} offers generated into the index in {time.perf_counter() - started:.0f} s")
    needs = build_needs(args.needs)
    print(load_average())
    bench_match(needs)
    print(load_average())


def existing_needs(n_needs):
    from matching.cases.models import Case

    needs = list(Case.objects.filter(ref__startswith="BN-").order_by("pk")[:n_needs])
    return needs if len(needs) == n_needs else build_needs(n_needs)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--offers", type=int, default=100_000)
    parser.add_argument("--needs", type=int, default=100)
    parser.add_argument("--inprocess-needs", type=int, default=10)
    parser.add_argument(
        "--index-only",
        action="store_true",
        help="generate offers straight into the index; time Elasticsearch matching only",
    )
    parser.add_argument(
        "--indexing-only",
        action="store_true",
        help="reuse the city of the previous run; time indexing only",
    )
    parser.add_argument(
        "--match-only",
        action="store_true",
        help="reuse the city and index of the previous run; time Elasticsearch matching only",
    )
    parser.add_argument(
        "--gc-freeze",
        action="store_true",
        help="gc.freeze() after start-up, as a server process would (see the report)",
    )
    parser.add_argument(
        "--embedded",
        action="store_true",
        help="SQLite: the embedded matcher, its baseline and Elasticsearch, in one run",
    )
    parser.add_argument(
        "--reuse", action="store_true", help="with --embedded: keep a city of the same size"
    )
    parser.add_argument(
        "--sqlite", default="var/bench.sqlite3", help="with --embedded: the database file"
    )
    parser.add_argument(
        "--no-baseline",
        action="store_true",
        help="with --embedded: no baseline_inprocess column (seconds a match at 100,000)",
    )
    parser.add_argument(
        "--no-elasticsearch",
        action="store_true",
        help="with --embedded: no Elasticsearch column (else the test node, bench prefix)",
    )
    args = parser.parse_args()
    if args.embedded:
        import os

        os.environ["DATABASE_URL"] = f"sqlite:///{_django.REPO / args.sqlite}"
        if args.no_elasticsearch:
            os.environ["ELASTICSEARCH_URL"] = ""  # the embedded default alone
    _django.setup()
    from django.conf import settings

    settings.SEARCH_LIVE_INDEXING = False  # the bench drains explicitly
    from search.matcher import InProcessBackend, propose

    if args.embedded:
        return embedded(args)
    if args.index_only:
        return index_only(args)
    if args.indexing_only:
        print(load_average())
        report_indexing(*bench_indexing())
        print(load_average())
        return None
    if args.match_only:
        needs = existing_needs(args.needs)
        if args.gc_freeze:
            import gc

            gc.freeze()  # start-up objects out of the collector's way
        print(load_average())
        bench_match(needs)
        print(load_average())
        return None
    started = time.perf_counter()
    build_city(args.offers)
    print(f"city of {args.offers} offers built in {time.perf_counter() - started:.0f} s")
    print(load_average())
    report_indexing(*bench_indexing())
    print(load_average())
    needs = build_needs(args.needs)
    print(load_average())
    bench_match(needs)
    if args.inprocess_needs:
        print(
            "match, SQL+Python sort:",
            _django.fmt(time_ms(sql_baseline, needs[: args.inprocess_needs])),
        )
        local = InProcessBackend()
        print(
            "match, in-process:     ",
            _django.fmt(
                time_ms(lambda n: propose(n, backend=local), needs[: args.inprocess_needs])
            ),
        )
    # Saves only write the outbox; the worker thread drains, as db_worker would.
    print("freshness (save -> searchable):", _django.fmt(bench_freshness()))


if __name__ == "__main__":
    main()
