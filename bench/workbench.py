"""Staff workbench benchmark: the case list, the match queue and the dashboard at 100,000 cases.

    .venv/bin/python bench/workbench.py [--cases 100000] [--runs 20]

Builds the demo directory and offers, then ``--cases`` cases (a fifth of them
new, 5 % emergencies), an open referral for every fourth case (due times
spread over yesterday to next week) and a match for every tenth, in the
``assist_bench_dash`` database. Times the real admin requests (Django test
client: middleware, Wagtail views, queries, templates) signed in as district
staff (朝阳区) and street staff (红旗街道): the case list and the match queue
as they were before issue 21 (the baseline), the same lists opened from a
dashboard count (``?queue=``), and the dashboard itself. Prints p50/p95.
"""

import argparse
import os
import random
import time
from datetime import timedelta

os.environ.setdefault("DATABASE_URL", "postgres://assist:assist@127.0.0.1:54329/assist_bench_dash")

import _django

BATCH = 5000


def build(n_cases, seed=21):
    from django.db import transaction
    from django.utils import timezone

    from matching.cases.models import Case, Household, Referral
    from matching.demo.city import seed_directory
    from matching.demo.offers import seed_offers
    from matching.directory.models import Department, Jurisdiction
    from matching.offers.models import Match, Project

    seed_directory()
    seed_offers()
    if Case.objects.filter(receipt_number__startswith="BW").count() >= n_cases:
        return
    Match.objects.filter(need__receipt_number__startswith="BW").delete()
    Referral.objects.filter(case__receipt_number__startswith="BW").delete()
    Case.objects.filter(receipt_number__startswith="BW").delete()
    Household.objects.filter(ref__startswith="BW-").delete()
    rng = random.Random(seed)
    streets = list(
        Jurisdiction.objects.filter(level="street", code__startswith="2201").values_list(
            "code", flat=True
        )
    )
    departments = {d.jurisdiction_id: d.pk for d in Department.objects.filter(kind="health")}
    projects = list(Project.objects.values_list("pk", flat=True))
    now = timezone.now()
    for start in range(0, n_cases, BATCH):
        indices = range(start, min(start + BATCH, n_cases))
        places = {i: rng.choice(streets) for i in indices}
        with transaction.atomic():
            households = Household.objects.bulk_create(
                [
                    Household(ref=f"BW-{i}", jurisdiction_id=places[i], address=f"幸福路{i}号")
                    for i in indices
                ]
            )
            cases = Case.objects.bulk_create(
                [_case(i, h, places[i], rng, now) for i, h in zip(indices, households, strict=True)]
            )
            Referral.objects.bulk_create(
                [
                    Referral(
                        case=case,
                        department_id=departments.get(case.jurisdiction_id[:6])
                        or next(iter(departments.values())),
                        category="medical",
                        due_at=now + timedelta(hours=rng.randrange(-30, 170)),
                    )
                    for case in cases[::4]
                ]
            )
            Match.objects.bulk_create(
                [
                    Match(
                        need=case,
                        offer_type="project",
                        project_id=rng.choice(projects),
                        score=round(rng.random(), 3),
                        reasons=[],
                        status=rng.choice(["proposed", "accepted"]),
                    )
                    for case in cases[::10]
                ]
            )


def _case(i, household, street, rng, now):
    from matching.cases.models import Case

    opened = now - timedelta(hours=rng.randrange(1, 24 * 365))
    return Case(
        receipt_number=f"BW{i:08d}",
        household=household,
        jurisdiction_id=street,
        channel=Case.Channel.WINDOW,
        categories=["medical"],
        urgency="emergency" if rng.random() < 0.05 else "normal",
        title="医疗救助申请",
        description="住院费用困难。",
        status="received" if rng.random() < 0.2 else rng.choice(["under_review", "approved"]),
        opened_at=opened,
        first_response_due=opened + timedelta(hours=rng.choice([24, 72])),
    )


URLS = {
    "case list (baseline)": "/admin/cases_my/",
    "case list, new applications (queue)": "/admin/cases_my/?queue=cases_new",
    "overdue referrals (baseline)": "/admin/cases_overdue_referrals/",
    "match queue (baseline)": "/admin/matches/",
    "match queue, awaiting me (queue)": "/admin/matches/?queue=matches",
    "dashboard (issue 21)": "/admin/",
}


def measure(username, runs):
    from django.contrib.auth import get_user_model
    from django.test import Client

    client = Client()
    client.force_login(get_user_model().objects.get(username=username))
    results = {}
    for label, url in URLS.items():
        assert client.get(url).status_code == 200, url  # warm-up
        samples = []
        for _ in range(runs):
            began = time.perf_counter()
            response = client.get(url)
            samples.append((time.perf_counter() - began) * 1000)
            assert response.status_code == 200
        results[label] = _django.percentiles(samples)
    return results


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()
    _django.setup()
    from django.test.utils import setup_test_environment

    setup_test_environment()  # "testserver" allowed, as in the tests
    began = time.perf_counter()
    build(args.cases)
    print(f"built in {time.perf_counter() - began:.0f} s")
    try:  # what a server process does before its first request (site/config/wsgi.py)
        from config.warm import settle
    except ImportError:  # the code before it, measured as the baseline
        print("no config.warm: start-up objects stay in the collector's way")
    else:
        settle()
    for username in ("chaoyang", "hongqi"):
        for label, stats in measure(username, args.runs).items():
            print(f"{username:9} {label:40} {_django.fmt(stats)}")


if __name__ == "__main__":
    main()
