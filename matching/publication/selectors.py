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
from django.db.models import Case, Count, DecimalField, F, Q, Value, When
from django.utils.translation import gettext_lazy as _

from matching.core.vocabulary import Category, HelpForm, Urgency
from matching.directory.models import Jurisdiction
from matching.offers.models import MatchStatus, OfferStatus, Project

from .models import PublicNeed

PAGE_SIZE = 20

# The listing's sort orders (docs/publication.md, "Sort orders"); the first is the default.
URGENT, NEARLY_FUNDED, NEWEST = "urgent", "nearly_funded", "newest"
SORTS = {URGENT: _("最紧急"), NEARLY_FUNDED: _("即将筹满"), NEWEST: _("最新发布")}


@dataclass(frozen=True)
class NeedFilters:
    """Cleaned filters of the public listing (all optional)."""

    q: str = ""
    district: str = ""
    category: str = ""
    form: str = ""
    urgency: str = ""
    sort: str = URGENT
    page: int = 1


@dataclass
class NeedListing:
    needs: list
    total: int
    facets: dict = field(default_factory=dict)


def district_list():
    return Jurisdiction.objects.filter(level=Jurisdiction.Level.DISTRICT).order_by("code")


def place_names(*, codes):
    return dict(Jurisdiction.objects.filter(code__in=codes).values_list("code", "name"))


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
    needs = _sorted(queryset, filters.sort).select_related("district", "street")[
        start : start + page_size
    ]
    return NeedListing(
        needs=[need_card(need) for need in needs], total=total, facets=_facets(queryset)
    )


def _sorted(queryset, sort):
    """The database twin of ``search.public_needs.sort_clauses``.

    Urgency codes sort "emergency" before "normal" alphabetically.
    """
    if sort == NEWEST:
        return queryset.order_by("-opened_month", "-pk")
    if sort == NEARLY_FUNDED:
        return queryset.annotate(nearly=_nearly_expression()).order_by("-nearly", "urgency", "-pk")
    return queryset.order_by("urgency", "opened_month", "pk")


def _nearly_expression():
    """Share funded (per mille) of a need still open to gifts; -1 for funded or no goal."""
    return Case(
        When(
            amount_needed__gt=0,
            raised_amount__lt=F("amount_needed"),
            then=F("raised_amount") * 1000 / F("amount_needed"),
        ),
        default=Value(-1),
        output_field=DecimalField(max_digits=12, decimal_places=2),
    )


def nearly_permille(amount_needed, raised):
    """``_nearly_expression`` in Python, for the search index."""
    if not amount_needed or raised >= amount_needed:
        return -1
    return int(raised * 1000 / amount_needed)


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


def public_need_related(*, need, limit=3):
    """Other public needs of the same first category, the same district first."""
    if not need.categories:
        return []
    queryset = (
        public_need_queryset(filters=NeedFilters(category=need.categories[0]))
        .exclude(pk=need.pk)
        .select_related("district", "street")
    )
    near = list(queryset.filter(district_id=need.district_id).order_by("urgency", "-pk")[:limit])
    if len(near) < limit:
        others = queryset.exclude(district_id=need.district_id).order_by("urgency", "-pk")
        near += list(others[: limit - len(near)])
    return [need_card(other) for other in near]


def public_projects():
    return Project.objects.filter(
        live=True, organization__verified=True, status=OfferStatus.ACTIVE
    ).select_related("organization")


def public_project_get(*, pk):
    """A project the public may see (``public_project_list``'s rule), or None."""
    return public_projects().filter(pk=pk).first()


def project_served_need_list(*, project, limit=50):
    """Public needs whose case this project serves through a staff-approved match."""
    return [
        need_card(need)
        for need in PublicNeed.objects.public()
        .filter(case__matches__project=project, case__matches__status=MatchStatus.APPROVED)
        .select_related("district", "street")
        .distinct()
        .order_by("-pk")[:limit]
    ]


def public_project_list(*, district="", category=""):
    """Projects the public may see: approved by staff, of a verified organization, active."""
    queryset = public_projects()
    if district:
        queryset = queryset.filter(
            _holds("jurisdictions", district) | _holds("jurisdictions", CITY_CODE)
        )
    if category:
        queryset = queryset.filter(_holds("categories", category))
    return queryset.order_by("-updated_at")


CITY_CODE = "220100"
