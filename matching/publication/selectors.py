"""Reads of published needs for the public site.

``public_need_list`` serves the listing from the registered search backend
(``search.public_needs`` registers Elasticsearch when it is configured) and
from the database otherwise; the database path is also the benchmark's
baseline. Both return the same *cards*: plain dicts of published fields
(``need_card``). Only ``PublicNeed.objects.public()`` is ever read.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.db import connection
from django.db.models import Count, Q

from matching.core.vocabulary import Category, HelpForm, Urgency
from matching.directory.models import Jurisdiction
from matching.offers.models import OfferStatus, Project

from .models import PublicNeed

PAGE_SIZE = 20


@dataclass(frozen=True)
class NeedFilters:
    """Cleaned filters of the public listing (all optional)."""

    q: str = ""
    district: str = ""
    category: str = ""
    form: str = ""
    urgency: str = ""
    page: int = 1


@dataclass
class NeedListing:
    needs: list
    total: int
    facets: dict = field(default_factory=dict)


def district_list():
    return Jurisdiction.objects.filter(level=Jurisdiction.Level.DISTRICT).order_by("code")


def public_need_get(*, pk):
    return PublicNeed.objects.public().select_related("district", "street").filter(pk=pk).first()


def _holds(field_name, code):
    """A JSON list field containing ``code`` (SQLite, the embedded default, lacks ``contains``)."""
    if connection.vendor == "sqlite":
        return Q(**{f"{field_name}__icontains": f'"{code}"'})
    return Q(**{f"{field_name}__contains": [code]})


def public_need_queryset(*, filters):
    queryset = PublicNeed.objects.public()
    if filters.district:
        queryset = queryset.filter(district_id=filters.district)
    if filters.category:
        queryset = queryset.filter(_holds("categories", filters.category))
    if filters.form:
        queryset = queryset.filter(_holds("forms", filters.form))
    if filters.urgency:
        queryset = queryset.filter(urgency=filters.urgency)
    if filters.q:
        queryset = queryset.filter(Q(title__icontains=filters.q) | Q(story__icontains=filters.q))
    return queryset


_backend: dict[str, Callable] = {}


def register_listing_backend(listing: Callable) -> None:
    """Let the search app serve the listing: ``listing(filters=, page_size=) -> NeedListing``."""
    _backend["listing"] = listing


def public_need_list(*, filters, page_size=PAGE_SIZE):
    """One page of public needs with facet counts, from the search backend if configured."""
    listing = _backend.get("listing")
    if listing is not None and (settings.ELASTICSEARCH_HOSTS or settings.ELASTICSEARCH_URL):
        return listing(filters=filters, page_size=page_size)
    return public_need_list_from_database(filters=filters, page_size=page_size)


def public_need_list_from_database(*, filters, page_size=PAGE_SIZE):
    """Emergencies first, then newest; facets counted over the filtered set."""
    queryset = public_need_queryset(filters=filters)
    total = queryset.count()
    start = (max(filters.page, 1) - 1) * page_size
    needs = queryset.select_related("district", "street").order_by("urgency", "-pk")[
        start : start + page_size
    ]
    return NeedListing(
        needs=[need_card(need) for need in needs], total=total, facets=_facets(queryset)
    )


def funding_status(amount_needed, raised):
    if not amount_needed:
        return "no_amount"
    if raised >= amount_needed:
        return "funded"
    return "partly_funded" if raised > 0 else "unfunded"


def need_card(need):
    """The published fields of a need, as the listing and the search index show them."""
    amount = need.amount_needed
    raised = need.raised_amount or Decimal("0")
    return {
        "pk": need.pk,
        "title": need.title,
        "story": need.story,
        "district": need.district_id,
        "district_name": need.district.name,
        "street": need.street_id,
        "street_name": need.street.name if need.street_id else None,
        "categories": list(need.categories),
        "forms": list(need.forms),
        "urgency": need.urgency,
        "amount_needed": amount,
        "raised_amount": raised,
        "funding": funding_status(amount, raised),
        "progress_percent": need.progress_percent,
        "age_bands": need.age_bands,
        "size_band": need.size_band,
        "statuses": need.statuses,
        "opened_month": need.opened_month,
    }


def _facets(queryset):
    districts = dict(
        queryset.order_by()
        .values_list("district_id")
        .annotate(n=Count("pk"))
        .values_list("district_id", "n")
    )
    urgencies = dict(
        queryset.order_by()
        .values_list("urgency")
        .annotate(n=Count("pk"))
        .values_list("urgency", "n")
    )
    categories = {
        code: n
        for code in Category.values
        if (n := queryset.filter(_holds("categories", code)).count())
    }
    forms = {
        code: n for code in HelpForm.values if (n := queryset.filter(_holds("forms", code)).count())
    }
    return {
        "district": districts,
        "category": categories,
        "form": forms,
        "urgency": {code: urgencies.get(code, 0) for code in Urgency.values},
    }


def public_project_list(*, district="", category=""):
    """Projects the public may see: approved by staff, of a verified organization, active."""
    queryset = Project.objects.filter(
        live=True, organization__verified=True, status=OfferStatus.ACTIVE
    ).select_related("organization")
    if district:
        queryset = queryset.filter(
            _holds("jurisdictions", district) | _holds("jurisdictions", CITY_CODE)
        )
    if category:
        queryset = queryset.filter(_holds("categories", category))
    return queryset.order_by("-updated_at")


CITY_CODE = "220100"
