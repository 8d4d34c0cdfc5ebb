"""Wagtail page types of the public site.

Published needs are workflow-enabled snippets (``matching.publication``),
not pages: 100,000 pages would weigh on Wagtail's page tree and admin
explorer, and a need's lifecycle (derive, de-identify, k-check, approve,
unpublish when the case closes) is the domain's, not the CMS's. One
routable index page lists them and serves each one (docs/publication.md).
"""

from django import forms
from django.conf import settings
from django.core.cache import cache
from django.db import models
from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django_ratelimit.core import is_ratelimited
from django_ratelimit.exceptions import Ratelimited
from wagtail.admin.panels import FieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField
from wagtail.models import Locale, Page

from matching.core.vocabulary import Category, HelpForm, Urgency
from matching.funding.selectors import public_figures
from matching.payments.targets import givable_fund_list, giving_summaries, giving_summary
from matching.publication.selectors import (
    PAGE_SIZE,
    NeedFilters,
    district_list,
    public_need_get,
    public_need_list,
    public_project_list,
)


class HomePage(Page):
    """The portal's front page: what the platform is and where to start."""

    lead = models.CharField(_("导语"), max_length=255, blank=True)
    body = RichTextField(_("正文"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("lead"), FieldPanel("body")]
    max_count = 1
    parent_page_types = ["wagtailcore.Page"]

    class Meta:
        verbose_name = _("首页")

    def route(self, request, path_components):
        """A page not yet translated is served from the Chinese tree rather than 404."""
        try:
            return super().route(request, path_components)
        except Http404:
            original = self.get_translations().filter(locale=Locale.get_default()).first()
            if not path_components or original is None:
                raise
            return original.specific.route(request, path_components)

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["figures"] = home_figures()
        context["min_paid"] = settings.TRANSPARENCY_MIN_NEEDS
        context["min_helped"] = settings.PUBLICATION_K
        return context


FIGURES_CACHE_SECONDS = 60


def home_figures():
    """The live figures, computed at most once a minute (a few aggregate queries)."""
    return cache.get_or_set("cms:home-figures", lambda: public_figures(), FIGURES_CACHE_SECONDS)


class NeedFilterForm(forms.Form):
    q = forms.CharField(label=_("关键词"), required=False, max_length=50)
    district = forms.ChoiceField(label=_("区县"), required=False)
    category = forms.ChoiceField(
        label=_("救助类别"), required=False, choices=[("", _("全部")), *Category.choices]
    )
    form = forms.ChoiceField(
        label=_("帮扶形式"), required=False, choices=[("", _("全部")), *HelpForm.choices]
    )
    urgency = forms.ChoiceField(
        label=_("紧急程度"), required=False, choices=[("", _("全部")), *Urgency.choices]
    )
    page = forms.IntegerField(required=False, min_value=1, max_value=500)

    def __init__(self, *args, districts=None, **kwargs):
        super().__init__(*args, **kwargs)
        districts = districts if districts is not None else _district_names()
        self.fields["district"].choices = [("", _("全部")), *districts.items()]

    def filters(self):
        if not self.is_valid():
            return NeedFilters()
        data = {key: value for key, value in self.cleaned_data.items() if value}
        return NeedFilters(**{**data, "q": data.get("q", "").strip()})


class NeedIndexPage(RoutablePageMixin, Page):
    """The public needs listing (facets, Chinese full-text search) and each need's page."""

    intro = models.CharField(_("导语"), max_length=255, blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["cms.HomePage"]
    subpage_types = []
    max_count = 1

    class Meta:
        verbose_name = _("求助信息列表页")

    @path("")
    def listing(self, request):
        limit_public_search(request)
        districts = _district_names()
        form = NeedFilterForm(request.GET or None, districts=districts)
        filters = form.filters()
        result = public_need_list(filters=filters)
        pages = max(1, -(-result.total // PAGE_SIZE))
        labels = _facet_labels(districts)
        query = _without_page(request)
        return self.render(
            request,
            context_overrides={
                "form": form,
                "filters": filters,
                "total": result.total,
                "needs": [_labelled(card, labels) for card in result.needs],
                "facets": _facet_links(result.facets, labels, query, form),
                "selects": _selects(form, filters),
                "page_number": filters.page,
                "has_next": filters.page < pages,
                "query_without_page": query,
                "listing_url": self.get_url(request),
            },
        )

    @path("<int:pk>/")
    def detail(self, request, pk):
        need = public_need_get(pk=pk)
        if need is None:
            raise Http404
        return render(
            request,
            "cms/need_detail.html",
            {
                "page": self,
                "need": need,
                "updates": need.updates.all()[:20],
                "funding": giving_summary(kind="need", ref=need.pk),
            },
        )


def limit_public_search(request):
    """The public listings' filters and search: ``PUBLIC_SEARCH_RATE`` per client
    address; over it, django-ratelimit's middleware answers 429 (docs/governance.md)."""
    rate = settings.PUBLIC_SEARCH_RATE or None  # empty: no limit (the listing benchmark)
    if is_ratelimited(request, group="cms.search", key="ip", rate=rate, increment=True):
        raise Ratelimited


def _district_names():
    # Read on every listing request; the division tree changes once a year.
    return cache.get_or_set(
        "cms:district-names", lambda: dict(district_list().values_list("code", "name")), 600
    )


def _facet_labels(districts):
    return {
        "district": districts,
        "category": dict(Category.choices),
        "form": dict(HelpForm.choices),
        "urgency": dict(Urgency.choices),
    }


def _labelled(card, labels):
    """A card with its labels resolved here: far cheaper than lookups in the template."""
    return {
        **card,
        "category_text": "、".join(str(labels["category"].get(c, c)) for c in card["categories"]),
    }


def _facet_links(facets, labels, query, form):
    """[(heading, [(label, count, href), …]), …] for the facets that have labels."""
    kept = "&".join(part for part in query.split("&") if part)
    links = []
    for name, counts in facets.items():
        if name not in labels:
            continue
        base = "&".join(
            part for part in kept.split("&") if part and not part.startswith(name + "=")
        )
        items = [
            (
                labels[name].get(key, key),
                count,
                f"?{base}&{name}={key}" if base else f"?{name}={key}",
            )
            for key, count in counts.items()
        ]
        links.append((name, form.fields[name].label, items))
    return links


def _selects(form, filters):
    """The filter drop-downs as plain data: Django's widget templates cost ~1 ms an option."""
    return [
        (
            name,
            str(form.fields[name].label),
            [
                (value, str(text), value == getattr(filters, name))
                for value, text in form.fields[name].choices
            ],
        )
        for name in ("district", "category", "form", "urgency")
    ]


def _without_page(request):
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


class ProjectIndexPage(Page):
    """Charity projects approved by staff, of verified organizations."""

    intro = models.CharField(_("导语"), max_length=255, blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["cms.HomePage"]
    subpage_types = []
    max_count = 1

    class Meta:
        verbose_name = _("帮扶项目列表页")

    def get_context(self, request, *args, **kwargs):
        limit_public_search(request)
        context = super().get_context(request, *args, **kwargs)
        form = NeedFilterForm(request.GET or None)
        filters = form.filters()
        context["form"] = form
        context["projects"] = public_project_list(
            district=filters.district, category=filters.category
        )[:100]
        # Raised / disbursed / balance from the ledger, one query per list.
        context["project_funding"] = giving_summaries(
            kind="project", refs=[project.pk for project in context["projects"]]
        )
        context["funds"] = givable_fund_list()[:100]
        context["fund_funding"] = giving_summaries(
            kind="fund", refs=[fund.pk for fund in context["funds"]]
        )
        context["category_labels"] = dict(Category.choices)
        context["form_labels"] = dict(HelpForm.choices)
        return context
