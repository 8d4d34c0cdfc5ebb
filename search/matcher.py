"""The matcher: retrieve candidates under every hard constraint, then score
and explain them with one function, whichever backend retrieved them.

``ElasticsearchBackend`` retrieves with the constraints in filter context;
``InProcessBackend`` evaluates the same constraints over the database (the
embedded default). Both return document dicts of the same shape
(``search.documents``), so scoring, exclusions and plans are shared.
"""

from django.utils import timezone
from elasticsearch import exceptions as es_exceptions

from matching.directory.selectors import dishonest_organization_ids
from matching.offers.profile import need_profile_get
from matching.offers.selectors import open_matches_by_organization

from . import registry, scoring
from .client import SearchUnavailable, cluster_info, get_client, is_configured
from .constraints import Context, es_filters, first_violation
from .indices import read_alias
from .scoring import bigrams

RETRIEVE_SIZE = 200
NEAR_MISSES = 10


class ElasticsearchBackend:
    name = "elasticsearch"
    SORT = ["_score", {"ref": "asc"}]

    def _text(self, profile):
        return {
            "multi_match": {
                "query": profile.text[:2000],
                "fields": ["title^2", "skills", "description"],
            }
        }

    def _candidates_body(self, profile, ctx, size):
        query = {"bool": {"filter": es_filters(profile, ctx), "should": [self._text(profile)]}}
        return {"query": query, "size": size, "sort": self.SORT, "track_total_hits": False}

    def _near_misses_body(self, profile, ctx, size):
        query = {
            "bool": {
                "filter": [_relaxed(profile)],
                "must_not": [{"bool": {"filter": es_filters(profile, ctx)}}],
                "should": [self._text(profile)],
            }
        }
        return {"query": query, "size": size, "sort": self.SORT, "track_total_hits": False}

    def _run(self, *bodies):
        """One round trip; Elasticsearch runs the searches side by side."""
        lines = []
        for body in bodies:
            lines += [{"index": read_alias("offers")}, body]
        try:
            responses = get_client().msearch(body=lines)["responses"]
        except (es_exceptions.ConnectionError, es_exceptions.TransportError):
            cluster_info()  # raises SearchUnavailable naming the address and the fix
            raise
        for response in responses:
            if "error" in response:
                raise SearchUnavailable(str(response["error"].get("type")))
        return [[hit["_source"] for hit in r["hits"]["hits"]] for r in responses]

    def candidates(self, profile, ctx, size=RETRIEVE_SIZE):
        return self._run(self._candidates_body(profile, ctx, size))[0]

    def near_misses(self, profile, ctx, size=NEAR_MISSES):
        return self._run(self._near_misses_body(profile, ctx, size))[0]

    def both(self, profile, ctx, size=RETRIEVE_SIZE, excluded=NEAR_MISSES):
        return self._run(
            self._candidates_body(profile, ctx, size),
            self._near_misses_body(profile, ctx, excluded),
        )


def _relaxed(profile):
    """Close candidates: sharing a category or a form of help with the need."""
    shared = [{"terms": {"categories": list(profile.categories)}}]
    if profile.forms:
        shared.append({"terms": {"forms": list(profile.forms)}})
    return {"bool": {"should": shared, "minimum_should_match": 1}}


class InProcessBackend:
    """The same retrieval over the database, for the demo and small deployments."""

    name = "inprocess"

    def both(self, profile, ctx, size=None, excluded=NEAR_MISSES):
        return self.candidates(profile, ctx, size), self.near_misses(profile, ctx, excluded)

    def _documents(self):
        for source in registry.spec("offers").sources:
            for row in source.queryset().iterator(chunk_size=2000):
                yield source.prepare(row)

    def candidates(self, profile, ctx, size=None):
        return [doc for doc in self._documents() if first_violation(profile, doc, ctx) is None]

    def near_misses(self, profile, ctx, size=NEAR_MISSES):
        grams = bigrams(profile.text)
        close = [
            doc
            for doc in self._documents()
            if _shares_something(profile, doc) and first_violation(profile, doc, ctx)
        ]
        close.sort(key=lambda doc: (-len(bigrams(doc["title"]) & grams), doc["ref"]))
        return close[:size]


def _shares_something(profile, doc):
    return bool(
        set(doc["categories"]) & set(profile.categories) or set(doc["forms"]) & set(profile.forms)
    )


def get_backend(name=None):
    if name == "inprocess" or (name is None and not is_configured()):
        return InProcessBackend()
    return ElasticsearchBackend()


def rank(profile, docs, ctx, now, *, explain=None):
    """Candidates best first; the first ``explain`` (default: all) carry their reasons."""
    grams = bigrams(profile.text)
    load = open_matches_by_organization()
    scored = []
    for doc in docs:
        if first_violation(profile, doc, ctx) is None:
            values, facts = scoring.factors(profile, doc, grams, load, now)
            scored.append((scoring.total(values), doc, values, facts))
    scored.sort(key=lambda item: (-item[0], item[1]["ref"]))
    limit = len(scored) if explain is None else explain
    return [
        {
            "offer": doc["ref"],
            "type": doc["offer_type"],
            "score": value,
            "reasons": scoring.reasons(profile, doc, values, facts, now) if i < limit else [],
            "_doc": doc,
        }
        for i, (value, doc, values, facts) in enumerate(scored)
    ]


def plan(profile, proposals):
    """One case, one plan: the best offer for each form of help, plus money
    from funds and projects until the amount needed is covered."""
    chosen, covered_forms, money = [], set(), 0
    needed = profile.amount_needed_minor or 0
    for proposal in proposals:
        doc = proposal["_doc"]
        new_forms = (set(doc["forms"]) & set(profile.forms)) - covered_forms
        pays = (
            min(doc["max_per_case_minor"] or doc["budget_minor"] or 0, needed - money)
            if doc["offer_type"] != "volunteer" and money < needed
            else 0
        )
        if new_forms or pays > 0:
            chosen.append(
                {
                    "offer": proposal["offer"],
                    "type": proposal["type"],
                    "covers": sorted(new_forms),
                    "amount": f"{pays / 100:.2f}",
                }
            )
            covered_forms |= new_forms
            money += max(pays, 0)
        if covered_forms >= set(profile.forms) and money >= needed:
            break
    return chosen


def propose(need, *, top=10, backend=None, now=None, excluded_limit=NEAR_MISSES):
    """Ranked proposals, close exclusions with reasons, and a one-case plan."""
    now = now or timezone.now()
    backend = backend or get_backend()
    profile = need_profile_get(need=need, day=timezone.localdate(now))
    ctx = Context(
        today=timezone.localdate(now),
        dishonest_orgs=frozenset(str(pk) for pk in dishonest_organization_ids()),
    )
    candidates, near = backend.both(profile, ctx, excluded=excluded_limit)
    ranked = rank(profile, candidates, ctx, now, explain=top)
    excluded = [
        {
            "offer": doc["ref"],
            "type": doc["offer_type"],
            "reason": first_violation(profile, doc, ctx),
        }
        for doc in near
    ]
    return {
        "need": profile.ref,
        "proposals": [{k: v for k, v in p.items() if k != "_doc"} for p in ranked[:top]],
        "excluded": excluded,
        "plan": plan(profile, ranked),
    }
