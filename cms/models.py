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
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _
from django_ratelimit.core import is_ratelimited
from django_ratelimit.exceptions import Ratelimited
from wagtail.admin.panels import FieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField
from wagtail.models import Locale, Page

from cms.publicity import (  # noqa: F401 - the publicity page types register here
    DishonestyDisclosurePage,
    ImplementationFiguresPage,
    NoticeIndexPage,
    NoticePage,
    PolicyIndexPage,
    PolicyPage,
)
from matching.core.vocabulary import Category, HelpForm, HouseholdStatus, Urgency
from matching.directory.place_names import romanize_place
from matching.funding.selectors import need_progress_updates, public_figures
from matching.payments.targets import (
    givable_fund_list,
    giving_summaries,
    giving_summary,
    target_for,
)
from matching.publication.selectors import (
    PAGE_SIZE,
    SORTS,
    NeedFilters,
    district_list,
    place_names,
    project_served_need_list,
    public_need_get,
    public_need_list,
    public_need_related,
    public_project_get,
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
        context["publicity"] = publicity_pages(self)
        return context


PUBLICITY_ICONS = {
    "policyindexpage": "file-earmark-text",
    "noticeindexpage": "megaphone",
    "implementationfigurespage": "bar-chart",
    "dishonestydisclosurepage": "exclamation-octagon",
}


def publicity_pages(home):
    """The home page's publicity children (信息公开), in the page's own language."""
    children = home.get_children().live().specific().order_by("path")
    return [
        (child, PUBLICITY_ICONS[child._meta.model_name])
        for child in children
        if child._meta.model_name in PUBLICITY_ICONS
    ]


FIGURES_CACHE_SECONDS = 60


def home_figures():
    """The live figures, computed at most once a minute (a few aggregate queries)."""
    return cache.get_or_set("cms:home-figures", lambda: public_figures(), FIGURES_CACHE_SECONDS)


# What a gift to a need of each category pays for, and to whom the money goes
# (payouts go to the hospital, school, landlord or household: docs/funding.md).
CATEGORY_USES = {
    "subsistence": _("基本生活开支和冬季取暖费，按月拨付给受助家庭"),
    "extreme_poverty": _("日常照料和生活用品，拨付给供养机构或受助家庭"),
    "disaster": _("灾后临时住所、衣被和口粮，拨付给供货商或受助家庭"),
    "medical": _("医保报销后自付的医药费和住院费，凭票据直接拨付给医院"),
    "education": _("学费、住宿费和学习用品，凭缴费通知直接拨付给学校"),
    "housing": _("房租或危房修缮，凭合同拨付给房东或施工单位"),
    "employment": _("职业技能培训和求职期间的生活补贴"),
    "temporary": _("突发困难期间的应急生活费，拨付给受助家庭"),
    "judicial": _("案件受害人的医疗和生活困难补助，拨付给受助家庭"),
}


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
    sort = forms.ChoiceField(label=_("排序"), required=False, choices=list(SORTS.items()))
    page = forms.IntegerField(required=False, min_value=1, max_value=500)

    def __init__(self, *args, districts=None, **kwargs):
        super().__init__(*args, **kwargs)
        districts = districts if districts is not None else _district_names()
        english = (get_language() or "").startswith("en")
        self.fields["district"].choices = [
            ("", _("全部")),
            *(
                (code, romanize_place(name) if english else name)
                for code, name in districts.items()
            ),
        ]
        for field in self.fields.values():
            field.widget.attrs["class"] = (
                "form-select" if isinstance(field, forms.ChoiceField) else "form-control"
            )

    def filters(self):
        """The valid fields as filters: one bad value (a hand-edited URL) drops
        only itself, not the visitor's other filters."""
        if not self.is_bound:
            return NeedFilters()
        self.is_valid()
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
        result = public_need_list(filters=filters, page_size=PAGE_SIZE)
        labels = _facet_labels(districts)
        return self.render(
            request,
            context_overrides={
                "form": form,
                "filters": filters,
                "total": result.total,
                "needs": [_labelled(card, labels) for card in result.needs],
                "selects": _selects(form, filters, result.facets),
                "sorts": _sorts(filters),
                "chosen": _chosen(filters, labels, request),
                "pagination": _pagination(filters.page, result.total, _without_page(request)),
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
                "categories": [
                    (code, Category(code).label, CATEGORY_USES.get(code, ""))
                    for code in need.categories
                ],
                "updates": need_progress_updates(need=need),
                "funding": giving_summary(kind="need", ref=need.pk),
                "related": [
                    _labelled(card, _facet_labels(_district_names()))
                    for card in public_need_related(need=need)
                ],
                "share_url": request.build_absolute_uri(),
                "listing_url": self.get_url(request),
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
        "category_text": gettext("、").join(
            str(labels["category"].get(c, c)) for c in card["categories"]
        ),
    }


FACETS = ("district", "category", "form", "urgency")


def _selects(form, filters, facets):
    """The filters as plain data, each option with its count in the filtered set.

    This is the one place facets appear. Plain data, not Django's widget
    templates: those cost ~1 ms an option.
    """
    selects = []
    for name in FACETS:
        counts = facets.get(name, {})
        options = [
            (
                value,
                str(text),
                value == getattr(filters, name),
                counts.get(value) if value else None,
            )
            for value, text in form.fields[name].choices
        ]
        selects.append((name, str(form.fields[name].label), options))
    return selects


def _sorts(filters):
    return [(value, str(text), value == filters.sort) for value, text in SORTS.items()]


def _chosen(filters, labels, request):
    """The filters in force, each with the link that removes it."""
    chosen = []
    for name in ("q", *FACETS):
        value = getattr(filters, name)
        if not value:
            continue
        query = request.GET.copy()
        query.pop(name, None)
        query.pop("page", None)
        text = value if name == "q" else labels[name].get(value, value)
        chosen.append((name, str(text), f"?{query.urlencode()}"))
    return chosen


def _pagination(page, total, query):
    """Page links around the current page: [(number or None for a gap, href)]."""
    pages = max(1, -(-total // PAGE_SIZE))
    prefix = f"?{query}&page=" if query else "?page="
    shown = sorted({1, pages, *range(max(1, page - 2), min(pages, page + 2) + 1)})
    links, previous = [], 0
    for number in shown:
        if number - previous > 1:
            links.append((None, ""))
        links.append((number, f"{prefix}{number}"))
        previous = number
    return {
        "page": page,
        "pages": pages,
        "links": links,
        "previous": f"{prefix}{page - 1}" if page > 1 else "",
        "next": f"{prefix}{page + 1}" if page < pages else "",
    }


def _without_page(request):
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


class ProjectIndexPage(RoutablePageMixin, Page):
    """Charity projects approved by staff, of verified organizations, and each one's page."""

    intro = models.CharField(_("导语"), max_length=255, blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["cms.HomePage"]
    subpage_types = []
    max_count = 1

    class Meta:
        verbose_name = _("帮扶项目列表页")

    @path("<int:pk>/")
    def detail(self, request, pk):
        project = public_project_get(pk=pk)
        if project is None:
            raise Http404
        return render(
            request,
            "cms/project_detail.html",
            {
                "page": self,
                "project": project,
                "funding": giving_summary(kind="project", ref=project.pk),
                "givable": target_for(project).open,
                "served": project_served_need_list(project=project),
                "category_labels": [Category(code).label for code in project.categories],
                "form_labels": [HelpForm(code).label for code in project.forms],
                "status_labels": [
                    HouseholdStatus(code).label for code in project.household_status_any
                ],
                "places": _project_places(project.jurisdictions),
                "needs_url": _needs_url(self, request),
            },
        )

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


def _project_places(codes):
    """Names of the divisions a project serves, the city itself as "长春全市"."""
    names = place_names(codes=codes)
    return [_("长春全市") if code == "220100" else names.get(code, code) for code in codes]


def _needs_url(page, request):
    index = NeedIndexPage.objects.live().first()
    return index.get_url(request) if index else ""
