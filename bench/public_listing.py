"""Public needs listing benchmark: facets + Chinese search at 100,000 published needs.

    .venv/bin/python bench/public_listing.py [--needs 100000] [--requests 200]

Generates published needs (with the approved cases they derive from) in the
``assist_bench`` database, loads them into the public-needs index through the
search app's own rebuild, then times the whole server side of ``GET /needs/``
(Django test client: routing, Wagtail page, query, facets, template) for a
mix of filters and searches, served from Elasticsearch and — in the same
run, same requests — from the database (the baseline). Prints p50/p95 and
appends them to docs/performance.md under "Public listing".
"""

import argparse
import os
import random
import time
from decimal import Decimal
from pathlib import Path

import _django

STORIES = [
    ("尿毒症透析费用求助", "medical", "material", "父亲尿毒症，每周透析三次，每月自付约{n}元。"),
    ("重病住院医疗费求助", "medical", "material", "母亲突发脑出血住院，医疗费缺口{n}元。"),
    (
        "高中学费助学求助",
        "education",
        "material",
        "孩子考上高中，家庭无力负担学费，希望获得助学帮助。",
    ),
    (
        "大学新生助学求助",
        "education",
        "capability",
        "学生考入大学，学费和生活费缺口{n}元，需要助学金。",
    ),
    ("独居老人生活帮扶", "subsistence", "daily_life", "老人独居，行动不便，需要助餐和陪护。"),
    ("危房修缮求助", "housing", "material", "房屋年久失修，冬季漏风，需要修缮。"),
    (
        "失业人员技能培训",
        "employment",
        "capability",
        "家庭主要劳动力失业，希望参加技能培训再就业。",
    ),
    ("火灾后生活物资求助", "disaster", "material", "家中失火，衣物和生活用品损毁，急需物资。"),
    ("心理疏导求助", "temporary", "counselling", "家庭遭遇变故，孩子情绪低落，需要心理疏导。"),
    ("法律援助求助", "judicial", "counselling", "工伤赔偿纠纷，需要法律援助。"),
]
AGE_BANDS = ["0-5", "6-11", "12-17", "18-29", "30-44", "45-59", "60-69", "70-79", "80+"]
SIZES = ["1", "2", "3", "4", "5+"]
STATUSES = [[], ["low_income"], ["subsistence"], ["disability"], ["elderly_alone"]]


def build_needs(n_needs, seed=17):
    from django.db import transaction

    from matching.cases.models import Case, Household
    from matching.directory.models import Jurisdiction
    from matching.directory.services import jurisdictions_load
    from matching.publication.models import PublicNeed

    rng = random.Random(seed)
    jurisdictions_load()
    streets = list(
        Jurisdiction.objects.filter(level="street", code__startswith="2201").values_list(
            "code", "path"
        )
    )
    PublicNeed.objects.filter(case__receipt_number__startswith="BP").delete()
    Case.objects.filter(receipt_number__startswith="BP").delete()
    Household.objects.filter(ref__startswith="BP-").delete()
    batch = 5000
    for start in range(0, n_needs, batch):
        indices = range(start, min(start + batch, n_needs))
        picks = {i: (rng.choice(streets), rng.choice(STORIES)) for i in indices}
        with transaction.atomic():
            households = Household.objects.bulk_create(
                [
                    Household(
                        ref=f"BP-{i}",
                        jurisdiction_id=picks[i][0][0],
                        address=f"幸福路{i}号",
                        statuses=["low_income"],
                    )
                    for i in indices
                ]
            )
            cases = Case.objects.bulk_create(
                [
                    _case(i, household, picks[i], rng)
                    for i, household in zip(indices, households, strict=True)
                ]
            )
            PublicNeed.objects.bulk_create(
                [_need(case, picks[i], rng) for i, case in zip(indices, cases, strict=True)]
            )
    return PublicNeed.objects.public().count()


def _case(i, household, pick, rng):
    from matching.cases.models import Case

    (code, _path), (title, category, form, story) = pick
    return Case(
        receipt_number=f"BP{i:08d}",
        household=household,
        jurisdiction_id=code,
        channel=Case.Channel.WINDOW,
        categories=[category],
        forms=[form],
        urgency="emergency" if rng.random() < 0.05 else "normal",
        title=title,
        description=story,
        status="approved",
    )


def _need(case, pick, rng):
    from matching.publication.models import PublicNeed

    (code, path), (title, category, form, story) = pick
    district = path.split("/")[1]
    amount = Decimal(rng.randrange(1000, 50000))
    quasi = {
        "district": district,
        "street": code,
        "categories": [category],
        "age_bands": sorted(rng.sample(AGE_BANDS, 2)),
        "size_band": rng.choice(SIZES),
        "statuses": rng.choice(STATUSES),
    }
    return PublicNeed(
        case=case,
        title=title,
        story=story.format(n=rng.randrange(1000, 9000)),
        categories=[category],
        forms=[form],
        urgency=case.urgency,
        amount_needed=amount,
        raised_amount=Decimal(rng.randrange(0, int(amount))),
        district_id=district,
        street_id=code if rng.random() < 0.5 else None,
        age_bands=quasi["age_bands"],
        size_band=quasi["size_band"],
        statuses=quasi["statuses"],
        quasi=quasi,
        withheld=False,
        live=True,
        opened_month="2026-11",
    )


SORTS = ["urgent", "nearly_funded", "newest"]


def requests(n, seed=23, sorts=False):
    from matching.directory.models import Jurisdiction

    rng = random.Random(seed)
    districts = list(Jurisdiction.objects.filter(level="district").values_list("code", flat=True))
    shapes = [
        lambda: {},
        lambda: {"district": rng.choice(districts)},
        lambda: {"category": rng.choice(STORIES)[1]},
        lambda: {"district": rng.choice(districts), "category": rng.choice(STORIES)[1]},
        lambda: {"q": "透析"},
        lambda: {"q": "助学"},
        lambda: {
            "q": rng.choice(["透析", "助学", "修缮", "心理"]),
            "district": rng.choice(districts),
        },
        lambda: {"page": str(rng.randint(2, 50))},
    ]
    queries = [shapes[i % len(shapes)]() for i in range(n)]
    if sorts:  # every request also names one of the three orders, in turn
        queries = [{**query, "sort": SORTS[i % len(SORTS)]} for i, query in enumerate(queries)]
    return queries


def time_listing(client, queries):
    samples = []
    for params in queries:
        started = time.perf_counter()
        response = client.get("/needs/", params, HTTP_HOST="localhost")
        samples.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, response.status_code
    return _django.percentiles(samples)


def time_query_only(queries):
    """The Elasticsearch query with its aggregations alone, without the page around it."""
    from matching.publication.selectors import NeedFilters
    from search.public_needs import listing

    samples = []
    for params in queries:
        filters = NeedFilters(**{k: (int(v) if k == "page" else v) for k, v in params.items()})
        started = time.perf_counter()
        listing(filters=filters)
        samples.append((time.perf_counter() - started) * 1000)
    return _django.percentiles(samples)


def write_figures(n_needs, build_s, index_s, es, db, query, home, load):
    path = Path(__file__).resolve().parents[1] / "docs" / "performance.md"
    text = path.read_text(encoding="utf-8")
    marker = "## Public listing"
    section = (
        f"{marker}\n\n"
        f"`bench/public_listing.py --needs {n_needs}`: `GET /needs/` end to end in Django "
        "(Wagtail routable page, query with facets over district, category, form, urgency"
        " and funding, template), a mix of no filter, district, category, both, Chinese "
        "search (透析, 助学, …, alone and with a district) and deep pages.\n\n"
        "| path | p50 | p95 | requests |\n|---|---|---|---|\n"
        f"| Elasticsearch (`search.public_needs`) | {es['p50']:.1f} ms | {es['p95']:.1f} ms"
        f" | {es['n']} |\n"
        f"| database baseline (`public_need_list_from_database`) | {db['p50']:.1f} ms"
        f" | {db['p95']:.1f} ms | {db['n']} |\n"
        "| the Elasticsearch query with its aggregations alone, same requests"
        f" | {query['p50']:.1f} ms"
        f" | {query['p95']:.1f} ms | {query['n']} |\n"
        f"| *floor*: the home page (`GET /`, no query) | {home['p50']:.1f} ms"
        f" | {home['p95']:.1f} ms | {home['n']} |\n\n"
        f"Load average during the run: {load} (other sessions' test suites share the two"
        " cores).\n\n"
        + (
            f"{n_needs:,} published needs generated in {build_s:.0f} s and indexed through "
            f"`indexer.rebuild` in {index_s:.0f} s. "
            if build_s
            else f"{n_needs:,} published needs (data and index reused from the previous run). "
        )
        + "Target: p95 ≤ 150 ms uncached.\n"
    )
    if marker in text:
        head, _old = text.split(marker, 1)
        rest = _old.split("\n## ", 1)
        text = head + section + (("\n## " + rest[1]) if len(rest) > 1 else "")
    else:
        text = text.rstrip("\n") + "\n\n" + section
    path.write_text(text, encoding="utf-8")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--needs", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--no-write", action="store_true")
    parser.add_argument("--sorts", action="store_true", help="each request names a sort order")
    parser.add_argument(
        "--reindex", action="store_true", help="rebuild the index even when reusing the needs"
    )
    parser.add_argument(
        "--skip-database", action="store_true", help="time the Elasticsearch path only"
    )
    parser.add_argument(
        "--reuse", action="store_true", help="keep needs and index from an earlier run of this size"
    )
    args = parser.parse_args()
    if args.reuse:  # the schema is there; other work's migrations may be in flux
        import django

        django.setup()
    else:
        _django.setup()
    from django.conf import settings
    from django.db import connection
    from django.test import Client, override_settings

    settings.SEARCH_LIVE_INDEXING = False  # the bench indexes explicitly
    settings.PUBLIC_SEARCH_RATE = ""  # it measures the listing, not the rate limiter
    # Persistent database connections, as a deployment runs them: otherwise
    # every request pays a PostgreSQL connection set-up (about 25 ms here).
    connection.settings_dict["CONN_MAX_AGE"] = None
    from matching.publication.models import PublicNeed
    from search import indexer
    from search.public_needs import PUBLIC_NEEDS

    build_s = index_s = 0.0
    count = PublicNeed.objects.public().count()
    if not (args.reuse and count >= args.needs):
        started = time.perf_counter()
        count = build_needs(args.needs)
        build_s = time.perf_counter() - started
        print(f"{count} published needs built in {build_s:.0f} s")
        args.reindex = True
    if args.reindex:
        started = time.perf_counter()
        indexer.rebuild(PUBLIC_NEEDS)
        index_s = time.perf_counter() - started
        print(f"public-needs index rebuilt in {index_s:.0f} s")

    client = Client()
    queries = requests(args.requests, sorts=args.sorts)
    time_listing(client, queries[:10])  # warm connections and templates
    es = time_listing(client, queries)
    db = {"p50": float("nan"), "p95": float("nan"), "n": 0}
    with override_settings(ELASTICSEARCH_URL=""):
        if not args.skip_database:
            time_listing(client, queries[:10])
            db = time_listing(client, queries)
    query = time_query_only(queries)
    home_samples = []
    for _ in range(len(queries)):
        started = time.perf_counter()
        client.get("/", HTTP_HOST="localhost")
        home_samples.append((time.perf_counter() - started) * 1000)
    home = _django.percentiles(home_samples)
    load = " / ".join(f"{value:.1f}" for value in os.getloadavg())
    print("public listing, Elasticsearch:", _django.fmt(es))
    print("public listing, database:     ", _django.fmt(db))
    print("ES query + aggregations only: ", _django.fmt(query))
    print("home page (floor):            ", _django.fmt(home))
    print("load average:", load)
    if not args.no_write:
        write_figures(count, build_s, index_s, es, db, query, home, load)


if __name__ == "__main__":
    main()
