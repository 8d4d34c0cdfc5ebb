"""The indexes: their mappings and how a row becomes a document.

The ``offers`` index holds every project, volunteer and fund in one shape
(the fields the matcher filters and scores on). The ``prepare_*`` functions
are also what the in-process backend evaluates, so both backends see the
very same documents.
"""

from decimal import Decimal

from elasticsearch_dsl import (
    Boolean,
    Date,
    Document,
    Float,
    GeoPoint,
    Integer,
    Keyword,
    Long,
    Text,
    analyzer,
)

from matching.offers.models import Fund, OfferStatus, Project, Volunteer

from . import registry
from .constraints import service_cells

# CJK bigrams: 透析, 助学金, 独居老人 match as words without a dictionary.
# docs/search.md records why this analyser was chosen.
chinese = analyzer("chinese", tokenizer="standard", filter=["cjk_width", "lowercase", "cjk_bigram"])


def minor_units(amount):
    """Yuan (Decimal) to fen (int); None stays None (no limit)."""
    return None if amount is None else int((Decimal(amount) * 100).to_integral_value())


class OfferDocument(Document):
    """What the matcher reads and filters on. A field only *read* (from doc
    values, search.matcher.DOC_VALUE_FIELDS) is not indexed; a field only
    *filtered* with term/terms has no doc values; the description is kept in
    _source (reconcile compares it) but not analysed: no query reads it.
    Ranges keep both (Elasticsearch checks a range on doc values when another
    clause leads). Changing any of this needs ``search_rebuild offers``."""

    offer_type = Keyword(index=False)
    ref = Keyword()
    pk = Keyword(index=False)
    organization_id = Keyword()
    # title.raw and skills.raw: doc values the matcher reads instead of _source
    # (search.matcher.DOC_VALUE_FIELDS).
    title = Text(analyzer=chinese, fields={"raw": Keyword()})
    description = Text(index=False)
    skills = Text(analyzer=chinese, fields={"raw": Keyword()})
    categories = Keyword()
    forms = Keyword()
    jurisdictions = Keyword()
    household_status_any = Keyword(index=False)
    min_age = Integer(index=False)
    max_age = Integer(index=False)
    budget_minor = Long(index=False)
    max_per_case_minor = Long(index=False)
    slots = Integer(index=False)
    starts = Date(index=False)
    ends = Date(index=False)
    location = GeoPoint()
    radius_km = Float()  # the radius bands of an index built before service cells
    availability = Keyword(index=False)
    hours_per_week = Integer(index=False)
    active = Boolean()
    home_area = Keyword()
    # Filter keys: every "no limit" becomes a value that passes a plain term
    # or range, so retrieval never needs a must_not/exists clause (those make
    # Lucene walk every document). Derived by filter_keys(); not shown to anyone.
    category_keys = Keyword(doc_values=False)
    status_keys = Keyword(doc_values=False)
    age_low = Integer()
    age_high = Integer()
    slots_left = Integer()
    money_left = Long()
    start_day = Date()
    end_day = Date()
    available = Boolean(doc_values=False)
    service_cells = Keyword(doc_values=False)  # volunteers: search.constraints.service_cells

    class Index:
        name = "offers"
        # Shards and replicas: ELASTICSEARCH_SHARDS/_REPLICAS, set by indices.create_concrete.
        settings = {"refresh_interval": "1s"}


NO_LIMIT_INT = 2**31 - 1
NO_LIMIT_MINOR = 2**63 - 1
ANY = "*"
ACTIVE = OfferStatus.ACTIVE.value


def filter_keys(doc):
    """Add the filter keys (see OfferDocument) to ``doc``, in place."""
    volunteer = doc["offer_type"] == "volunteer"
    min_age, max_age = doc["min_age"], doc["max_age"]
    slots, budget = doc["slots"], doc["budget_minor"]
    doc["category_keys"] = [ANY] if volunteer else doc["categories"]
    doc["status_keys"] = doc["household_status_any"] or [ANY]
    doc["age_low"] = 0 if min_age is None else min_age
    doc["age_high"] = 255 if max_age is None else max_age
    doc["slots_left"] = NO_LIMIT_INT if slots is None else slots
    doc["money_left"] = NO_LIMIT_MINOR if budget is None else budget
    doc["start_day"] = doc["starts"] or "1900-01-01"
    doc["end_day"] = doc["ends"] or "2999-12-31"
    doc["available"] = (not volunteer) or bool(doc["availability"] and doc["hours_per_week"])
    doc["service_cells"] = service_cells(_lat_lon(doc), doc["radius_km"]) if volunteer else []
    return doc


def _lat_lon(doc):
    location = doc.get("location")
    if not location or location.get("lat") is None or location.get("lon") is None:
        return None
    return (location["lat"], location["lon"])


# Each source reads plain values, not model instances (``.values(*FIELDS)``):
# building a model instance per row (with its init signals) cost the outbox
# drain more CPU than preparing the document (docs/performance.md).
# "pk" is each row's key (registry.Source.row_key).
ELIGIBILITY = ("household_status_any", "min_age", "max_age")
PROJECT_FIELDS = (
    "pk", "ref", "organization_id", "title", "description", "categories", "forms",
    "jurisdictions", *ELIGIBILITY, "budget_remaining", "max_per_case", "slots_remaining",
    "starts", "ends", "status", "live",
)  # fmt: skip
VOLUNTEER_FIELDS = (
    "pk", "ref", "organization_id", "name", "skills", "forms", "jurisdiction__path",
    "lat", "lon", "radius_km", "availability", "hours_per_week", "active",
)  # fmt: skip
FUND_FIELDS = (
    "pk", "ref", "organization_id", "name", "categories", "jurisdictions", *ELIGIBILITY,
    "organization__jurisdiction_id", "department__jurisdiction_id", "balance", "max_per_case",
    "active",
)  # fmt: skip


def prepare_project(row):
    pk = row["pk"]
    return filter_keys(
        {
            "offer_type": "project",
            "ref": row["ref"] or f"project-{pk}",
            "pk": str(pk),
            "organization_id": str(row["organization_id"]),
            "title": row["title"],
            "description": row["description"],
            "skills": [],
            "categories": list(row["categories"]),
            "forms": list(row["forms"]),
            "jurisdictions": list(row["jurisdictions"]),
            "home_area": [],
            "household_status_any": list(row["household_status_any"] or []),
            "min_age": row["min_age"],
            "max_age": row["max_age"],
            "budget_minor": minor_units(row["budget_remaining"]),
            "max_per_case_minor": minor_units(row["max_per_case"]),
            "slots": row["slots_remaining"],
            "starts": row["starts"],
            "ends": row["ends"],
            "location": None,
            "radius_km": None,
            "availability": [],
            "hours_per_week": None,
            "active": row["status"] == ACTIVE and row["live"],
        }
    )


def prepare_volunteer(row):
    pk = row["pk"]
    organization = row["organization_id"]
    return filter_keys(
        {
            "offer_type": "volunteer",
            "ref": row["ref"] or f"volunteer-{pk}",
            "pk": str(pk),
            "organization_id": str(organization) if organization else None,
            "title": row["name"],
            "description": "",
            "skills": list(row["skills"]),
            "categories": [],
            "forms": list(row["forms"]),
            "jurisdictions": [],
            "home_area": row["jurisdiction__path"].split("/"),
            "household_status_any": [],
            "min_age": None,
            "max_age": None,
            "budget_minor": None,
            "max_per_case_minor": None,
            "slots": None,
            "starts": None,
            "ends": None,
            "location": {"lat": row["lat"], "lon": row["lon"]},
            "radius_km": float(row["radius_km"]),
            "availability": list(row["availability"]),
            "hours_per_week": row["hours_per_week"],
            "active": row["active"],
        }
    )


def fund_areas(row):
    """The codes a fund serves: those it names, or else where its owner (the
    organization, or a government fund's department) sits (220100: city-wide)."""
    owner = row["organization__jurisdiction_id"] or row["department__jurisdiction_id"]
    return list(row["jurisdictions"] or ([owner] if owner else []))


def prepare_fund(row):
    pk = row["pk"]
    return filter_keys(
        {
            "offer_type": "fund",
            "ref": row["ref"] or f"fund-{pk}",
            "pk": str(pk),
            # A government fund has no organization (docs/funding.md).
            "organization_id": str(row["organization_id"]) if row["organization_id"] else None,
            "title": row["name"],
            "description": "",
            "skills": [],
            "categories": list(row["categories"]),
            "forms": ["material"],
            "jurisdictions": fund_areas(row),
            "home_area": [],
            "household_status_any": list(row["household_status_any"] or []),
            "min_age": row["min_age"],
            "max_age": row["max_age"],
            "budget_minor": minor_units(row["balance"]),
            "max_per_case_minor": minor_units(row["max_per_case"]),
            "slots": None,
            "starts": None,
            "ends": None,
            "location": None,
            "radius_km": None,
            "availability": [],
            "hours_per_week": None,
            "active": row["active"],
        }
    )


OFFERS = registry.register(
    registry.IndexSpec(
        name="offers",
        document=OfferDocument,
        sources=(
            registry.Source(
                Project,
                lambda: Project.objects.order_by().values(*PROJECT_FIELDS),
                prepare_project,
                "project-",
                fields=PROJECT_FIELDS,
            ),
            registry.Source(
                Volunteer,
                lambda: Volunteer.objects.order_by().values(*VOLUNTEER_FIELDS),
                prepare_volunteer,
                "volunteer-",
                fields=VOLUNTEER_FIELDS,
            ),
            registry.Source(
                Fund,
                lambda: Fund.objects.order_by().values(*FUND_FIELDS),
                prepare_fund,
                "fund-",
                fields=FUND_FIELDS,
            ),
        ),
    )
)
