"""Publicity (公示, seed §2.7): policy documents, notices, the public
implementation figures and the disclosure of organizations' dishonesty
records. Decisions in docs/publicity.md."""

import datetime

from django import forms
from django.core.cache import cache
from django.db import models
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page

from matching.core.vocabulary import Category
from matching.directory.selectors import disclosed_dishonesty_list
from matching.supervision.public import implementation_figures


class PolicyBody(blocks.StreamBlock):
    heading = blocks.CharBlock(label=_("小标题"), form_classname="title")
    paragraph = blocks.RichTextBlock(
        label=_("段落"), features=["bold", "italic", "ol", "ul", "link", "document-link"]
    )
    attachment = DocumentChooserBlock(label=_("附件"))


class PolicyIndexPage(Page):
    """政策文件: the policy documents in force and those that were."""

    intro = models.CharField(_("导语"), max_length=255, blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["cms.HomePage"]
    subpage_types = ["cms.PolicyPage"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("政策文件列表页")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        today = timezone.localdate()
        policies = PolicyPage.objects.child_of(self).live().specific().order_by("-effective_from")
        context["in_force"] = [p for p in policies if p.in_force_on(today)]
        context["not_in_force"] = [p for p in policies if not p.in_force_on(today)]
        return context


class PolicyPage(Page):
    """One policy document: the scheme, the standard it sets, its dates and issuer."""

    scheme = models.CharField(
        _("救助项目"),
        max_length=20,
        choices=Category.choices,
        blank=True,
        help_text=_("留空表示适用于各项社会救助。"),
    )
    standard = models.CharField(
        _("标准"), max_length=255, help_text=_("例如：城市低保标准每人每月 760 元。")
    )
    effective_from = models.DateField(_("施行日期"))
    effective_to = models.DateField(_("废止日期"), null=True, blank=True)
    issuer = models.CharField(_("发文机关"), max_length=128)
    document_number = models.CharField(_("文号"), max_length=64, blank=True)
    body = StreamField(PolicyBody(), verbose_name=_("正文"), blank=True)

    content_panels = [
        *Page.content_panels,
        MultiFieldPanel(
            [
                FieldPanel("scheme"),
                FieldPanel("standard"),
                FieldPanel("issuer"),
                FieldPanel("document_number"),
                FieldPanel("effective_from"),
                FieldPanel("effective_to"),
            ],
            heading=_("文件信息"),
        ),
        FieldPanel("body"),
    ]
    parent_page_types = ["cms.PolicyIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("政策文件")

    def clean(self):
        super().clean()
        if self.effective_to and self.effective_from and self.effective_to < self.effective_from:
            raise forms.ValidationError({"effective_to": _("废止日期不能早于施行日期。")})

    @property
    def scheme_label(self):
        return self.get_scheme_display() if self.scheme else _("各项社会救助")

    def in_force_on(self, day):
        return self.effective_from <= day and (
            self.effective_to is None or day <= self.effective_to
        )


class NoticeIndexPage(Page):
    """公示公告: announcements and public notices, newest first."""

    intro = models.CharField(_("导语"), max_length=255, blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["cms.HomePage"]
    subpage_types = ["cms.NoticePage"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("公示公告列表页")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["notices"] = (
            NoticePage.objects.child_of(self).live().specific().order_by("-published_on")
        )
        return context


class NoticePage(Page):
    """An announcement (公告) or a public notice (公示) with its objection period."""

    class Kind(models.TextChoices):
        ANNOUNCEMENT = "announcement", _("公告")
        PUBLIC_NOTICE = "public_notice", _("公示")

    kind = models.CharField(_("类别"), max_length=16, choices=Kind.choices)
    published_on = models.DateField(_("发布日期"))
    notice_until = models.DateField(
        _("公示截止日期"), null=True, blank=True, help_text=_("公示期内可通过投诉建议提出异议。")
    )
    issuer = models.CharField(_("发布单位"), max_length=128)
    body = RichTextField(_("正文"))

    content_panels = [
        *Page.content_panels,
        FieldPanel("kind"),
        FieldPanel("issuer"),
        FieldPanel("published_on"),
        FieldPanel("notice_until"),
        FieldPanel("body"),
    ]
    parent_page_types = ["cms.NoticeIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("公示公告")

    def clean(self):
        super().clean()
        if self.notice_until and self.published_on and self.notice_until < self.published_on:
            raise forms.ValidationError({"notice_until": _("公示截止日期不能早于发布日期。")})


# --- implementation figures ------------------------------------------------------------

MONTHS_OFFERED = 12
QUARTERS_OFFERED = 4
# A closed period's figures change only when late rows are back-dated; the current one
# changes by the minute.
CACHE_CLOSED_SECONDS = 3600
CACHE_OPEN_SECONDS = 300


def _month_start(day):
    return day.replace(day=1)


def _add_months(day, months):
    index = day.year * 12 + day.month - 1 + months
    return datetime.date(index // 12, index % 12 + 1, 1)


def period_choices(today):
    """("2026-10", label) for the last months, ("2026-Q3", label) for the last quarters,
    newest first; the current month and quarter included."""
    month = _month_start(today)
    months = [_add_months(month, -n) for n in range(MONTHS_OFFERED)]
    choices = [
        (f"{m:%Y-%m}", _("%(year)s年%(month)s月") % {"year": m.year, "month": m.month})
        for m in months
    ]
    quarter_start = _add_months(month, -((month.month - 1) % 3))
    for n in range(QUARTERS_OFFERED):
        q = _add_months(quarter_start, -3 * n)
        number = (q.month - 1) // 3 + 1
        label = _("%(year)s年第%(quarter)s季度") % {"year": q.year, "quarter": number}
        choices.append((f"{q.year}-Q{number}", label))
    return choices


def period_bounds(code):
    """ "2026-10" or "2026-Q4" → (first day, first day after)."""
    year, part = code.split("-")
    if part.startswith("Q"):
        first = datetime.date(int(year), (int(part[1:]) - 1) * 3 + 1, 1)
        return first, _add_months(first, 3)
    first = datetime.date(int(year), int(part), 1)
    return first, _add_months(first, 1)


class PeriodForm(forms.Form):
    period = forms.ChoiceField(label=_("统计期间"))

    def __init__(self, *args, today, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["period"].choices = period_choices(today)
        self.fields["period"].widget.attrs["class"] = "form-select"
        self.fields["period"].error_messages["invalid_choice"] = _(
            "请从列表中选择统计期间，已显示上月数据。"
        )

    def chosen(self, default):
        if self.is_bound and self.is_valid():
            return self.cleaned_data["period"]
        return default


def cached_implementation_figures(code, *, today):
    """The figures of one period, from the cache when another visitor asked recently."""
    first, following = period_bounds(code)
    closed = following <= today
    # Per language: the category and department labels are rendered into the rows.
    key = f"cms:implementation-figures:{get_language()}:{code}"

    def compute():
        start, end = (
            timezone.make_aware(datetime.datetime.combine(day, datetime.time()))
            for day in (first, following)
        )
        return implementation_figures(start=start, end=end)

    seconds = CACHE_CLOSED_SECONDS if closed else CACHE_OPEN_SECONDS
    return cache.get_or_set(key, compute, seconds)


class ImplementationFiguresPage(Page):
    """执行情况公示: the supervision figures of a month or quarter, k-anonymous."""

    intro = models.CharField(_("导语"), max_length=255, blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["cms.HomePage"]
    subpage_types = []
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("执行情况公示页")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        today = timezone.localdate()
        default = f"{_add_months(_month_start(today), -1):%Y-%m}"
        form = PeriodForm(request.GET or None, today=today)
        code = form.chosen(default)
        context["form"] = form
        context["period_label"] = dict(period_choices(today))[code]
        context["figures"] = cached_implementation_figures(code, today=today)
        context["english"] = (get_language() or "").startswith("en")
        return context


class DishonestyDisclosurePage(Page):
    """失信公示: organizations under a dishonesty record in force. Never applicants."""

    intro = models.CharField(_("导语"), max_length=255, blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["cms.HomePage"]
    subpage_types = []
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("失信公示页")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["records"] = list(disclosed_dishonesty_list())
        return context


PUBLICITY_PAGE_TYPES = (
    PolicyIndexPage,
    NoticeIndexPage,
    ImplementationFiguresPage,
    DishonestyDisclosurePage,
)
