"""Ranking quality on the hand-judged set (bench/ranking_set.py): nDCG@5 of
the matcher, on both backends, against plain filtering sorted by distance.

    .venv/bin/python bench/ranking.py

It also compares the two backends' proposals and plans need by need (the
embedded matcher must propose what Elasticsearch proposes).
"""

import math
from datetime import date
from decimal import Decimal

import _django
from ranking_set import HOMES, NEEDS

K = 5


def ndcg(ranked_grades, all_grades, k=K):
    def dcg(grades):
        return sum((2**g - 1) / math.log2(i + 2) for i, g in enumerate(grades[:k]))

    ideal = dcg(sorted(all_grades, reverse=True))
    return dcg(ranked_grades) / ideal if ideal else 0.0


def _point(home, km, bearing):
    """A point ``km`` from ``home`` towards ``bearing`` degrees (good enough locally)."""
    lat, lon = home
    rad = math.radians(bearing)
    return (
        lat + km / 111.0 * math.cos(rad),
        lon + km / (111.0 * math.cos(math.radians(lat))) * math.sin(rad),
    )


def _birth(text):
    return date.fromisoformat(text)


def build():
    """The set, in the bench database; returns need -> {offer ref: grade}."""
    from stdnum.cn import ric

    from matching.cases import services
    from matching.cases.models import Case
    from matching.directory.models import Jurisdiction, Organization
    from matching.directory.services import jurisdictions_load
    from matching.offers.models import Fund, Match, Project, Volunteer

    jurisdictions_load()
    Match.objects.all().delete()
    for model in (Project, Volunteer, Fund):
        model.objects.all().delete()
    Case.objects.filter(ref__startswith="R-").delete()
    org, _ = Organization.objects.get_or_create(
        ref="RO-1",
        defaults={"name": "排序评测组织", "kind": "charity", "jurisdiction_id": "220100"},
    )
    judgments = {}
    for n, need in enumerate(NEEDS):
        code, home = HOMES[need["home"]]
        street = Jurisdiction.objects.get(code=code)
        members = []
        for m, born in enumerate(need["births"]):
            body = f"{code[:6]}{_birth(born):%Y%m%d}{n}{m}1"
            members.append(
                {
                    "name": f"评测{n}{m}",
                    "relation": "self" if m == 0 else "child",
                    "id_number": body + ric.calc_check_digit(body + "0"),
                    "phone": "",
                }
            )
        household = services.household_create(
            jurisdiction=street, address=f"评测路{n}号", members=members, statuses=need["statuses"]
        )
        household.lat, household.lon = home
        household.save(update_fields=["lat", "lon"])
        case = services.case_submit(
            household=household,
            jurisdiction=street,
            channel=Case.Channel.WINDOW,
            categories=need["categories"],
            forms=need["forms"],
            urgency="normal",
            title=need["title"],
            description=need["text"],
            contact_phone="",
            amount_needed=Decimal(need["amount"]) if need["amount"] else None,
            ref=need["ref"],
        )
        judgments[case] = {}
        for i, (kind, title, extra, grade) in enumerate(need["offers"]):
            ref = f"{need['ref']}-{kind[0].upper()}{i}"
            judgments[case][ref] = grade
            _offer(kind, ref, title, extra, need, org, street, home, i)
    return judgments


def _offer(kind, ref, title, extra, need, org, street, home, i):
    from matching.offers.models import Fund, Project, Volunteer

    forms = extra.get("forms", need["forms"][:1])
    if kind == "project":
        Project.objects.create(
            ref=ref,
            organization=org,
            title=title,
            description=title,
            categories=extra.get("categories", need["categories"]),
            forms=forms,
            jurisdictions=extra["jurisdictions"],
            max_per_case=Decimal(extra["max_per_case"]) if "max_per_case" in extra else None,
        )
    elif kind == "fund":
        Fund.objects.create(
            ref=ref,
            organization=org,
            name=title,
            categories=need["categories"],
            balance=Decimal("100000"),
            max_per_case=Decimal(extra["max_per_case"]),
        )
    else:
        lat, lon = _point(home, extra["km"], 40 * i)
        Volunteer.objects.create(
            ref=ref,
            name=title,
            forms=extra.get("forms", ["daily_life"]),
            skills=extra["skills"],
            jurisdiction=street,
            lat=lat,
            lon=lon,
            radius_km=Decimal("10.0"),
            availability=["sat_am"],
            hours_per_week=4,
        )


def by_distance(need, backend):
    """The baseline: the same valid candidates, nearest first (no distance: last)."""
    from django.utils import timezone

    from matching.offers.profile import need_profile_get
    from search.constraints import Context, distance_km, first_violation

    profile = need_profile_get(need=need)
    ctx = Context(today=timezone.localdate())
    docs = [d for d in backend.candidates(profile, ctx) if first_violation(profile, d, ctx) is None]
    docs.sort(key=lambda d: (distance_km(profile, d) or math.inf, d["ref"]))
    return [d["ref"] for d in docs]


def main():
    _django.setup()
    from search import indexer, registry
    from search.matcher import ElasticsearchBackend, InProcessBackend, propose

    judgments = build()
    # A fresh index from the database, not a drain into whatever the index
    # held: the bench database is shared with bench/matching.py, whose runs
    # may have drained its outbox into another node (docs/performance.md).
    indexer.rebuild(registry.spec("offers"))
    rankers = {
        "matcher (Elasticsearch)": lambda need: [
            p["offer"] for p in propose(need, top=K, backend=ElasticsearchBackend())["proposals"]
        ],
        "matcher (in-process)": lambda need: [
            p["offer"] for p in propose(need, top=K, backend=InProcessBackend())["proposals"]
        ],
        "baseline: filter + sort by distance": lambda need: by_distance(need, InProcessBackend()),
    }
    same = 0
    for need in judgments:  # the embedded matcher's cached snapshot against the index
        fast = propose(need, top=20, backend=InProcessBackend())
        searched = propose(need, top=20, backend=ElasticsearchBackend())
        same += (fast["proposals"], fast["plan"]) == (searched["proposals"], searched["plan"])
    print(f"in-process = Elasticsearch (proposals, plan): {same}/{len(judgments)} needs")
    for name, rank in rankers.items():
        scores = []
        for need, grades in judgments.items():
            ranked = rank(need)
            scores.append(ndcg([grades.get(ref, 0) for ref in ranked], list(grades.values())))
        print(
            f"{name:<38} nDCG@{K} = {sum(scores) / len(scores):.3f} "
            f"(min {min(scores):.3f}, {len(scores)} needs)"
        )


if __name__ == "__main__":
    main()
