"""The matcher: retrieve candidates under every hard constraint, then score
and explain them with one function, whichever backend retrieved them.

``ElasticsearchBackend`` retrieves with the constraints in filter context;
``InProcessBackend`` evaluates the same constraints over the database (the
embedded default). Both return document dicts of the same shape
(``search.documents``), so scoring, exclusions and plans are shared.
"""

from django.utils import timezone
from elasticsearch import exceptions as es_exceptions

from matching.directory.selectors import dishonest_organization_ids, unverified_organization_ids
from matching.offers.profile import need_profile_get
from matching.offers.selectors import open_matches_by_organization

from . import offer_cache, scoring
from .client import SearchUnavailable, cluster_info, get_client, is_configured
from .constraints import Context, es_filters, first_violation
from .indices import read_alias
from .memory import gc_paused
from .scoring import bigrams

RETRIEVE_SIZE = 200
NEAR_MISSES = 10
# Close exclusions are picked from this many close offers (sharing a category
# or form), the most relevant by text, classified by first_violation; only if
# fewer than the limit violate anything does the exact search run.
NEAR_MISS_POOL = 50


# What the ranking reads of a candidate, fetched from doc values (columnar,
# cheap) instead of _source: in Lucene 8.7 every _source read decompresses a
# whole stored-fields block, which cost ~0.7 ms a hit (140 ms for 200 hits).
# Lists come back sorted and de-duplicated; absent fields are null / empty.
_LIST_FIELDS = {
    "categories": "categories",
    "forms": "forms",
    "jurisdictions": "jurisdictions",
    "household_status_any": "household_status_any",
    "availability": "availability",
    "home_area": "home_area",
    "skills": "skills.raw",
}
_SCALAR_FIELDS = {
    "offer_type": "offer_type",
    "ref": "ref",
    "pk": "pk",
    "organization_id": "organization_id",
    "title": "title.raw",
    "min_age": "min_age",
    "max_age": "max_age",
    "budget_minor": "budget_minor",
    "max_per_case_minor": "max_per_case_minor",
    "slots": "slots",
    "starts": "starts",
    "ends": "ends",
    "location": "location",
    "radius_km": "radius_km",
    "hours_per_week": "hours_per_week",
    "active": "active",
}
DOC_VALUE_FIELDS = [
    {"field": field, "format": "yyyy-MM-dd"} if field in ("starts", "ends") else field
    for field in [*_LIST_FIELDS.values(), *_SCALAR_FIELDS.values()]
]
# "status" keeps one entry per search even when every search found nothing.
_FILTER_PATH = (
    "responses.status,responses.error,responses.hits.hits._source,responses.hits.hits.fields"
)


_LIST_ITEMS = tuple(_LIST_FIELDS.items())
_SCALAR_ITEMS = tuple(_SCALAR_FIELDS.items())


def doc_from_fields(fields):
    """A hit's doc values as the document dict the ranking reads (search.documents)."""
    get = fields.get
    doc = {name: get(field, []) for name, field in _LIST_ITEMS}
    for name, field in _SCALAR_ITEMS:
        values = get(field)
        doc[name] = values[0] if values else None
    doc["title"] = doc["title"] or ""
    doc["description"] = ""
    if doc["radius_km"] is not None:  # a float field: undo float32 rounding (0.1 km steps)
        doc["radius_km"] = round(doc["radius_km"], 3)
    if doc["location"] is not None:  # "lat, lon" (doc values are quantized to ~1 cm)
        lat, lon = doc["location"].split(",")
        doc["location"] = {"lat": float(lat), "lon": float(lon)}
    return doc


_CURRENT_INDEXES = set()
_NEW_FIELDS = ("title.raw", "service_cells")


def _is_current(index):
    """Whether ``index`` has the title.raw doc values and the service cells; an
    index built before they were added is queried the old way (whole _source,
    radius bands alone) until it is rebuilt."""
    if index not in _CURRENT_INDEXES:
        found = get_client().indices.get_field_mapping(index=index, fields=",".join(_NEW_FIELDS))
        if not found or not all(
            set(m.get("mappings", {})) >= set(_NEW_FIELDS) for m in found.values()
        ):
            return False
        _CURRENT_INDEXES.add(index)
    return True


class ElasticsearchBackend:
    name = "elasticsearch"
    SORT = ["_score", {"ref": "asc"}]

    def _text(self, profile):
        # The fields the scoring's text factor reads (title and skills), so the
        # candidates kept when more than RETRIEVE_SIZE pass are the best by it.
        return {
            "multi_match": {
                "query": profile.text[:2000],
                "fields": ["title^2", "skills"],
            }
        }

    def _fetch(self, index):
        """How to read ``index``: doc values and service cells when it has them."""
        if _is_current(index):
            return {"stored_fields": "_none_", "docvalue_fields": DOC_VALUE_FIELDS}
        return {}

    def _candidates_body(self, profile, ctx, size, fetch=None):
        filters = es_filters(profile, ctx, cells=bool(fetch))
        query = {"bool": {"filter": filters, "should": [self._text(profile)]}}
        body = {"query": query, "size": size, "sort": self.SORT, "track_total_hits": False}
        return {**body, **(fetch or {})}

    def _near_misses_body(self, profile, ctx, size, fetch=None):
        query = {
            "bool": {
                "filter": [_relaxed(profile)],
                "must_not": [{"bool": {"filter": es_filters(profile, ctx, cells=bool(fetch))}}],
                "should": [self._text(profile)],
            }
        }
        body = {"query": query, "size": size, "sort": self.SORT, "track_total_hits": False}
        return {**body, **(fetch or {})}

    def _pool_body(self, profile, size, fetch=None):
        """The close offers most relevant by text, with no constraint at all:
        sorted by score alone (no tie-break) and without a total, Lucene skips
        every block that cannot beat the hits it holds, instead of evaluating
        every constraint's negation over every close offer."""
        query = {"bool": {"filter": [_relaxed(profile)], "should": [self._text(profile)]}}
        body = {"query": query, "size": size, "sort": ["_score"], "track_total_hits": False}
        return {**body, **(fetch or {})}

    def _run(self, *builders):
        """One round trip; Elasticsearch runs the searches side by side."""
        index = read_alias("offers")
        lines = []
        try:
            fetch = self._fetch(index)
            for build in builders:
                lines += [{"index": index}, build(fetch)]
            responses = get_client().msearch(body=lines, filter_path=_FILTER_PATH)["responses"]
        except es_exceptions.NotFoundError:
            raise SearchUnavailable("index_not_found_exception") from None
        except (es_exceptions.ConnectionError, es_exceptions.TransportError):
            cluster_info()  # raises SearchUnavailable naming the address and the fix
            raise
        for response in responses:
            if "error" in response:
                raise SearchUnavailable(str(response["error"].get("type")))
        return [
            [
                doc_from_fields(hit.get("fields", {})) if "_source" not in hit else hit["_source"]
                for hit in response.get("hits", {}).get("hits", [])
            ]
            for response in responses
        ]

    def candidates(self, profile, ctx, size=RETRIEVE_SIZE):
        return self._run(lambda fetch: self._candidates_body(profile, ctx, size, fetch))[0]

    def near_misses(self, profile, ctx, size=NEAR_MISSES):
        return self._run(lambda fetch: self._near_misses_body(profile, ctx, size, fetch))[0]

    def both(self, profile, ctx, size=RETRIEVE_SIZE, excluded=NEAR_MISSES):
        """Candidates and close exclusions in one round trip: the exclusions
        are the violators among a pool of close offers (``_pool_body``); the
        exact search (``near_misses``) runs only when the pool held too few."""
        if not excluded:  # nobody will read them (an emergency's proposals)
            return self.candidates(profile, ctx, size), []
        pool_size = max(NEAR_MISS_POOL, excluded)
        candidates, pool = self._run(
            lambda fetch: self._candidates_body(profile, ctx, size, fetch),
            lambda fetch: self._pool_body(profile, pool_size, fetch),
        )
        near = [doc for doc in pool if first_violation(profile, doc, ctx)]
        if len(near) < excluded and len(pool) == pool_size:
            near = self.near_misses(profile, ctx, excluded)
        return candidates, near[:excluded]


def _relaxed(profile):
    """Close candidates: sharing a category or a form of help with the need."""
    shared = [{"terms": {"categories": list(profile.categories)}}]
    if profile.forms:
        shared.append({"terms": {"forms": list(profile.forms)}})
    return {"bool": {"should": shared, "minimum_should_match": 1}}


class InProcessBackend:
    """The same retrieval without Elasticsearch, for the demo and small deployments.

    The offers are prepared once per process and kept with inverted sets
    (search.offer_cache), keyed on the offers' version token, which any
    committed change replaces (search.versions). A match finds the offers
    that share a category or a form of help with the need (volunteers:
    a form, or any when the need names none), checks with first_violation
    only those that could pass (served where the household lives, or within
    reach of it), and takes the close exclusions among the rest. The
    candidates and exclusions are those of a walk over every offer; the
    walk, with the rows read and prepared at every match, is
    ``bench/matching.py``'s ``baseline_inprocess``.
    """

    name = "inprocess"

    def both(self, profile, ctx, size=None, excluded=NEAR_MISSES):
        return offer_cache.snapshot().select(profile, ctx, excluded)

    def candidates(self, profile, ctx, size=None):
        return self.both(profile, ctx, size, excluded=0)[0]

    def near_misses(self, profile, ctx, size=NEAR_MISSES):
        return self.both(profile, ctx, excluded=size)[1]


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
            "parts": scoring.parts(values) if i < limit else {},
            "_doc": doc,
        }
        for i, (value, doc, values, facts) in enumerate(scored)
    ]


def near_misses_for(need, *, limit=NEAR_MISSES):
    """The close offers a hard constraint excluded for ``need``, each with the
    constraint in words (shown beside a match under review)."""
    return propose(need, top=0, excluded_limit=limit)["excluded"]


def plan(profile, proposals):
    """One case, one plan: the best offer for each form of help, plus money
    from funds and projects until the amount needed is covered."""
    chosen, covered_forms, money = [], set(), 0
    needed = profile.amount_needed_minor or 0
    for proposal in proposals:
        doc = proposal["_doc"]
        new_forms = (set(doc["forms"]) & set(profile.forms)) - covered_forms
        pays = (
            min(scoring.payable_minor(doc) or 0, needed - money)
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


# A match parses a few hundred hits into ~10,000 short-lived lists and dicts;
# the collections they would set off cost ~8 ms of CPU a match, more than the
# ranking (search.memory). Not around the in-process backend: when its
# snapshot is rebuilt, the collector should see the documents it replaces.
PAUSE_GC = True


def propose(need, *, top=10, backend=None, now=None, excluded_limit=NEAR_MISSES):
    """Ranked proposals, close exclusions with reasons, and a one-case plan."""
    now = now or timezone.now()
    backend = backend or get_backend()
    profile = need_profile_get(need=need, day=timezone.localdate(now))
    ctx = Context(
        today=timezone.localdate(now),
        dishonest_orgs=frozenset(str(pk) for pk in dishonest_organization_ids()),
        unverified_orgs=frozenset(str(pk) for pk in unverified_organization_ids()),
    )
    with gc_paused(PAUSE_GC and isinstance(backend, ElasticsearchBackend)):
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
