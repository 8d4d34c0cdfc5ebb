"""The public needs index: only published, de-identified fields of public needs.

The document is built from ``need_card`` — the very fields the public pages
show — so nothing reaches this index that the public site would not print.
Rows leave the index as soon as they stop being public (unpublished,
withheld by the k-check, case closed): the source's queryset is
``PublicNeed.objects.public()`` and the indexer deletes what falls outside.

Query builders are pure functions of cleaned filters (``NeedFilters``);
``listing`` runs them and is registered as the public listing's backend.
"""

from decimal import Decimal

from elasticsearch_dsl import A, Date, Document, Keyword, Long, Q, Search, Text

from matching.core.vocabulary import Category, HelpForm, Urgency
from matching.publication.models import PublicNeed
from matching.publication.selectors import (
    NEARLY_FUNDED,
    NEWEST,
    PAGE_SIZE,
    NeedListing,
    nearly_permille,
    need_card,
    register_listing_backend,
)

from . import registry
from .client import get_client
from .documents import chinese, minor_units
from .indices import read_alias

INDEX = "public-needs"
FACETS = {
    "district": 50,  # every district, county and development zone
    "category": len(Category.values),
    "form": len(HelpForm.values),
    "urgency": len(Urgency.values),
    "funding": 4,
}
FILTER_FIELDS = {"district": "district", "category": "categories", "form": "forms"}


class PublicNeedDocument(Document):
    pk = Long()
    title = Text(analyzer=chinese)
    story = Text(analyzer=chinese)
    district = Keyword()
    district_name = Keyword(index=False)
    street = Keyword()
    street_name = Keyword(index=False)
    categories = Keyword()
    forms = Keyword()
    urgency = Keyword()
    urgent = Long()
    amount_needed_minor = Long()
    raised_minor = Long()
    funding = Keyword()
    nearly = Long()  # per mille funded while still open to gifts; -1 otherwise
    age_bands = Keyword()
    size_band = Keyword()
    statuses = Keyword()
    opened_month = Keyword()
    updated_at = Date()

    class Index:
        name = INDEX
        # Shards and replicas: ELASTICSEARCH_SHARDS/_REPLICAS, set by indices.create_concrete.
        settings = {"refresh_interval": "1s"}


def prepare_public_need(need):
    card = need_card(need)
    return {
        **{key: value for key, value in card.items() if key not in _MONEY_FIELDS},
        "urgent": 1 if card["urgency"] == Urgency.EMERGENCY else 0,
        "amount_needed_minor": minor_units(card["amount_needed"]),
        "raised_minor": minor_units(card["raised_amount"]),
        "nearly": nearly_permille(card["amount_needed"], card["raised_amount"]),
        "updated_at": need.updated_at,
    }


_MONEY_FIELDS = {"amount_needed", "raised_amount", "progress_percent"}


def card_from_source(source):
    """A search hit as the same card the database path returns."""
    amount = source.get("amount_needed_minor")
    raised = Decimal(source.get("raised_minor") or 0) / 100
    amount_yuan = None if amount is None else Decimal(amount) / 100
    card = {key: value for key, value in source.items() if key in _CARD_KEYS}
    card["amount_needed"] = amount_yuan
    card["raised_amount"] = raised
    card["progress_percent"] = min(100, int(raised * 100 / amount_yuan)) if amount_yuan else 0
    return card


_CARD_KEYS = {
    "pk",
    "title",
    "story",
    "district",
    "district_name",
    "street",
    "street_name",
    "categories",
    "forms",
    "urgency",
    "funding",
    "age_bands",
    "size_band",
    "statuses",
    "opened_month",
}


# --- pure query builders -------------------------------------------------------------------


def text_query(q):
    return Q(
        "multi_match",
        query=q,
        fields=["title^2", "story"],
        type="best_fields",
        operator="and",
    )


def filter_clauses(filters):
    clauses = [
        Q("term", **{field: getattr(filters, name)})
        for name, field in FILTER_FIELDS.items()
        if getattr(filters, name)
    ]
    if filters.urgency:
        clauses.append(Q("term", urgency=filters.urgency))
    return clauses


def sort_clauses(filters):
    """The database twin is ``matching.publication.selectors._sorted``; a search
    for words ranks by relevance first under the default order."""
    if filters.sort == NEWEST:
        return [{"opened_month": "desc"}, {"pk": "desc"}]
    if filters.sort == NEARLY_FUNDED:
        # An index built before the field existed sorts as if every need had -1.
        nearly = {"order": "desc", "missing": "_last", "unmapped_type": "long"}
        return [{"nearly": nearly}, {"urgent": "desc"}, {"pk": "desc"}]
    relevance = ["_score"] if filters.q else []
    return [*relevance, {"urgent": "desc"}, {"opened_month": "asc"}, {"pk": "asc"}]


def listing_search(filters, *, page_size=PAGE_SIZE, index=None):
    """Search for one page of the listing, with facet aggregations over the filtered set."""
    search = Search(index=index or read_alias(INDEX))
    query = Q("bool", must=[text_query(filters.q)] if filters.q else [Q("match_all")])
    query.filter = filter_clauses(filters)
    search = search.query(query).sort(*sort_clauses(filters))
    start = (max(filters.page, 1) - 1) * page_size
    search = search[start : start + page_size].extra(track_total_hits=True)
    for name, size in FACETS.items():
        field = FILTER_FIELDS.get(name, name)
        search.aggs.bucket(name, A("terms", field=field, size=size))
    return search


def facets_from(response):
    aggregations = response.aggregations.to_dict()
    return {
        name: {bucket["key"]: bucket["doc_count"] for bucket in aggregations[name]["buckets"]}
        for name in FACETS
    }


def listing(*, filters, page_size=PAGE_SIZE):
    response = listing_search(filters, page_size=page_size).using(get_client()).execute()
    return NeedListing(
        needs=[card_from_source(hit.to_dict()) for hit in response.hits],
        total=response.hits.total.value,
        facets=facets_from(response),
    )


PUBLIC_NEEDS = registry.register(
    registry.IndexSpec(
        name=INDEX,
        document=PublicNeedDocument,
        sources=(
            registry.Source(
                PublicNeed,
                lambda: PublicNeed.objects.public().select_related("district", "street"),
                prepare_public_need,
                "need-",
            ),
        ),
    )
)
register_listing_backend(listing)
