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
        settings = {"number_of_shards": 1, "number_of_replicas": 0, "refresh_interval": "1s"}


NO_LIMIT_INT = 2**31 - 1
NO_LIMIT_MINOR = 2**63 - 1
ANY = "*"


def filter_keys(doc):
    """The document with its filter keys added (see OfferDocument)."""
    volunteer = doc["offer_type"] == "volunteer"
    return {
        **doc,
        "home_area": doc.get("home_area", []),
        "category_keys": [ANY] if volunteer else doc["categories"],
        "status_keys": doc["household_status_any"] or [ANY],
        "age_low": doc["min_age"] if doc["min_age"] is not None else 0,
        "age_high": doc["max_age"] if doc["max_age"] is not None else 255,
        "slots_left": doc["slots"] if doc["slots"] is not None else NO_LIMIT_INT,
        "money_left": doc["budget_minor"] if doc["budget_minor"] is not None else NO_LIMIT_MINOR,
        "start_day": doc["starts"] or "1900-01-01",
        "end_day": doc["ends"] or "2999-12-31",
        "available": (not volunteer) or bool(doc["availability"] and doc["hours_per_week"]),
        "service_cells": service_cells(_lat_lon(doc), doc["radius_km"]) if volunteer else [],
    }


def _lat_lon(doc):
    location = doc.get("location")
    if not location or location.get("lat") is None or location.get("lon") is None:
        return None
    return (location["lat"], location["lon"])


def _eligibility(offer):
    return {
        "household_status_any": list(offer.household_status_any or []),
        "min_age": offer.min_age,
        "max_age": offer.max_age,
    }


def _keyed(prepare):
    def prepare_with_keys(row):
        return filter_keys(prepare(row))

    prepare_with_keys.__name__ = prepare.__name__
    return prepare_with_keys


def prepare_project(project):
    return {
        "offer_type": "project",
        "ref": project.ref or f"project-{project.pk}",
        "pk": str(project.pk),
        "organization_id": str(project.organization_id),
        "title": project.title,
        "description": project.description,
        "skills": [],
        "categories": list(project.categories),
        "forms": list(project.forms),
        "jurisdictions": list(project.jurisdictions),
        **_eligibility(project),
        "budget_minor": minor_units(project.budget_remaining),
        "max_per_case_minor": minor_units(project.max_per_case),
        "slots": project.slots_remaining,
        "starts": project.starts,
        "ends": project.ends,
        "location": None,
        "radius_km": None,
        "availability": [],
        "hours_per_week": None,
        "active": project.status == OfferStatus.ACTIVE and project.live,
    }


def prepare_volunteer(volunteer):
    return {
        "offer_type": "volunteer",
        "ref": volunteer.ref or f"volunteer-{volunteer.pk}",
        "pk": str(volunteer.pk),
        "organization_id": str(volunteer.organization_id) if volunteer.organization_id else None,
        "title": volunteer.name,
        "description": "",
        "skills": list(volunteer.skills),
        "categories": [],
        "forms": list(volunteer.forms),
        "jurisdictions": [],
        "home_area": volunteer.jurisdiction.path.split("/"),
        "household_status_any": [],
        "min_age": None,
        "max_age": None,
        "budget_minor": None,
        "max_per_case_minor": None,
        "slots": None,
        "starts": None,
        "ends": None,
        "location": {"lat": volunteer.lat, "lon": volunteer.lon},
        "radius_km": float(volunteer.radius_km),
        "availability": list(volunteer.availability),
        "hours_per_week": volunteer.hours_per_week,
        "active": volunteer.active,
    }


def prepare_fund(fund):
    return {
        "offer_type": "fund",
        "ref": fund.ref or f"fund-{fund.pk}",
        "pk": str(fund.pk),
        "organization_id": str(fund.organization_id),
        "title": fund.name,
        "description": "",
        "skills": [],
        "categories": list(fund.categories),
        "forms": ["material"],
        # A fund serves where its organization is registered (220100: city-wide).
        "jurisdictions": [fund.organization.jurisdiction_id],
        **_eligibility(fund),
        "budget_minor": minor_units(fund.balance),
        "max_per_case_minor": minor_units(fund.max_per_case),
        "slots": None,
        "starts": None,
        "ends": None,
        "location": None,
        "radius_km": None,
        "availability": [],
        "hours_per_week": None,
        "active": fund.active,
    }


OFFERS = registry.register(
    registry.IndexSpec(
        name="offers",
        document=OfferDocument,
        sources=(
            registry.Source(
                Project, lambda: Project.objects.all(), _keyed(prepare_project), "project-"
            ),
            registry.Source(
                Volunteer,
                lambda: Volunteer.objects.select_related("jurisdiction"),
                _keyed(prepare_volunteer),
                "volunteer-",
            ),
            registry.Source(
                Fund,
                lambda: Fund.objects.select_related("organization"),
                _keyed(prepare_fund),
                "fund-",
            ),
        ),
    )
)
