"""``manage.py allocate``: every open need against every capacity-limited offer at once.

Candidate edges come from the matcher itself (retrieval under every hard
constraint, then the one scoring function), the top ``--top`` per need; the
allocation is solved optimally (min-cost flow) and greedily, and both are
reported. ``--save`` records the optimal assignment as match proposals for
staff review. docs/matching.md ("Global allocation").
"""

import json
import time
from collections import Counter

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from matching.cases.models import Case, CaseStatus
from matching.directory.selectors import dishonest_organization_ids, unverified_organization_ids
from matching.offers.allocation import Problem, greedy, offer_capacity, optimal
from matching.offers.models import Match, MatchStatus
from matching.offers.profile import need_profile_get
from matching.offers.services import matches_propose
from search.client import SearchUnavailable
from search.constraints import Context
from search.matcher import get_backend, rank

OPEN_NEEDS = (CaseStatus.APPROVED, CaseStatus.PUBLISHED)
CLOSED = (MatchStatus.DECLINED, MatchStatus.REJECTED, MatchStatus.WITHDRAWN)
# Approval reserves capacity in the offer itself (slots, budget); these do not yet.
PENDING = (MatchStatus.PROPOSED, MatchStatus.ACCEPTED)


def open_needs():
    """Open needs with no open match yet (those are already in the staff's queue),
    longest waiting first: the order one-by-one matching takes them in."""
    return list(
        Case.objects.filter(status__in=OPEN_NEEDS)
        .exclude(matches__status__in=(*PENDING, MatchStatus.APPROVED))
        .select_related("household", "jurisdiction")
        .order_by("opened_at", "pk")
        .distinct()
    )


def _pairs(matches):
    """(need pk, (offer type, offer ref)) of each match, with the index's ref fallback."""
    rows = matches.values_list(
        "need_id", "offer_type", "project__ref", "volunteer__ref", "fund__ref",
        "project_id", "volunteer_id", "fund_id",
    )  # fmt: skip
    for need, kind, *refs_and_pks in rows:
        ref = next((r for r in refs_and_pks[:3] if r), None)
        pk = next(p for p in refs_and_pks[3:] if p)
        yield need, (kind, ref or f"{kind}-{pk}")


def closed_pairs(needs):
    """Pairs the offer side or staff already turned down: never proposed again."""
    return set(_pairs(Match.objects.filter(need__in=needs, status__in=CLOSED)))


def pending_by_offer():
    """Cases each offer is already proposed for, awaiting answers: not free to allocate."""
    return Counter(offer for _, offer in _pairs(Match.objects.filter(status__in=PENDING)))


class Candidates:
    """Edges, offer limits and the matcher's proposals, gathered need by need."""

    def __init__(self, pending):
        self.edges, self.capacity, self.organization, self.proposals = [], {}, {}, {}
        self.pending = pending

    def add(self, need, proposal):
        doc = proposal["_doc"]
        offer = (doc["offer_type"], doc["ref"])
        self.edges.append((need.pk, offer, proposal["score"]))
        self.proposals[(need.pk, offer)] = {k: v for k, v in proposal.items() if k != "_doc"}
        self.organization[offer] = doc["organization_id"]
        cases = offer_capacity(
            offer_type=doc["offer_type"],
            slots=doc["slots"],
            budget_minor=doc["budget_minor"],
            max_per_case_minor=doc["max_per_case_minor"],
            hours_per_week=doc["hours_per_week"],
        )
        self.capacity[offer] = None if cases is None else max(0, cases - self.pending[offer])


def gather(needs, *, backend, top, now):
    """The top ``top`` ranked offers of every need, minus pairs already turned down."""
    today = timezone.localdate(now)
    ctx = Context(
        today=today,
        dishonest_orgs=frozenset(str(pk) for pk in dishonest_organization_ids()),
        unverified_orgs=frozenset(str(pk) for pk in unverified_organization_ids()),
    )
    refused, found = closed_pairs(needs), Candidates(pending_by_offer())
    for need in needs:
        profile = need_profile_get(need=need, day=today)
        ranked = rank(profile, backend.candidates(profile, ctx), ctx, now)
        for proposal in ranked[:top]:
            if (need.pk, (proposal["type"], proposal["offer"])) not in refused:
                found.add(need, proposal)
    return found


def timed(solve, problem):
    start = time.perf_counter()
    allocation = solve(problem)
    return allocation, round(time.perf_counter() - start, 3)


def save_proposals(allocation, needs, found):
    """Optimal pairs as match proposals; a pair already open is skipped by the service."""
    by_pk = {need.pk: need for need in needs}
    created = 0
    with transaction.atomic():  # the whole assignment or none of it
        for need_pk, (offer, _score) in allocation.pairs.items():
            proposal = found.proposals[(need_pk, offer)]
            created += len(matches_propose(need=by_pk[need_pk], proposals=[proposal]))
    return created


class Command(BaseCommand):
    help = (
        "Allocate every open need to capacity-limited offers at once (min-cost flow, with a "
        "cap on any one organization's share) and compare with greedy one-by-one matching."
    )

    def add_arguments(self, parser):
        parser.add_argument("--org-share", type=float, default=0.2)
        parser.add_argument("--top", type=int, default=50, help="candidates per need")
        parser.add_argument("--json", action="store_true", help="print one JSON object")
        parser.add_argument("--save", action="store_true", help="record match proposals")
        parser.add_argument("--backend", choices=["elasticsearch", "inprocess"])
        parser.add_argument("--language", choices=["zh-hans", "en"])

    def handle(self, *args, org_share, top, json, save, backend, language, **options):
        if language:
            translation.activate(language)
        if not 0 < org_share <= 1:
            raise CommandError(_("--org-share 应在 0 与 1 之间（不含 0）。"))
        if top < 1:
            raise CommandError(_("--top 必须是正整数。"))
        report = self.allocate(org_share=org_share, top=top, backend=backend, persist=save)
        self.stdout.write(_dump(report) if json else _table(report))

    def allocate(self, *, org_share, top, backend, persist):
        needs = open_needs()
        try:
            found = gather(needs, backend=get_backend(backend), top=top, now=timezone.now())
        except SearchUnavailable as error:
            raise CommandError(str(error)) from error
        problem = Problem(
            edges=found.edges,
            capacity=found.capacity,
            organization=found.organization,
            needs=[need.pk for need in needs],
            emergency=frozenset(need.pk for need in needs if need.is_emergency),
            org_share=org_share,
        )
        (best, best_s), (one_by_one, greedy_s) = timed(optimal, problem), timed(greedy, problem)
        return {
            "needs": len(needs),
            "offers": len(found.capacity),
            "edges": len(found.edges),
            "org_share": org_share,
            "org_cap": problem.org_cap,
            "optimal": {**best.summary(problem), "seconds": best_s},
            "greedy": {**one_by_one.summary(problem), "seconds": greedy_s},
            "saved": save_proposals(best, needs, found) if persist else 0,
        }


def _dump(report):
    return json.dumps(report, ensure_ascii=False)


def _table(report):
    lines = [
        _("开放求助 %(needs)d 件，资源 %(offers)d 项，候选 %(edges)d 条，单个组织上限 %(cap)d 件。")
        % {
            "needs": report["needs"],
            "offers": report["offers"],
            "edges": report["edges"],
            "cap": report["org_cap"],
        }
    ]
    for name, label in (("optimal", _("全局最优")), ("greedy", _("逐一贪心"))):
        row = report[name]
        lines.append(
            _(
                "%(label)s：总分 %(score).4f，匹配 %(assigned)d 件（紧急 %(urgent)d），"
                "单组织最多 %(load)d 件（%(share).1f%%），用时 %(seconds).3f 秒"
            )
            % {
                "label": label,
                "score": row["score"],
                "assigned": row["assigned"],
                "urgent": row["emergencies_assigned"],
                "load": row["max_org_load"],
                "share": row["max_org_share"] * 100,
                "seconds": row["seconds"],
            }
        )
    if report["saved"]:
        lines.append(_("已生成 %(n)d 条待确认匹配。") % {"n": report["saved"]})
    return "\n".join(lines)
