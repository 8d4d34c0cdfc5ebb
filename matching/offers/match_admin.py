"""The match review queue in the Wagtail admin.

Staff of the need's jurisdiction approve or reject; the offering charity (or,
for a government fund, its department's liaisons and the civil-affairs staff
of the department's jurisdiction) accepts or declines. Every decision goes
through matching.offers.services, which checks who may do what; the screens
never show personal data.
"""

import logging

from django import forms
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db import models
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from wagtail.admin.ui.tables import Column, DateColumn, TitleColumn
from wagtail.permission_policies.base import BasePermissionPolicy
from wagtail.permissions import register_permission_policy

from matching.core.admin import ReadOnlyViewSet, ScopedIndexView, reported_errors, scoped_index
from matching.core.errors import REFUSALS, refusal_message
from matching.core.vocabulary import Urgency
from matching.directory.models import Role
from matching.directory.selectors import profile_get, staff_profile

from . import explain, selectors, services
from .models import Match, MatchStatus, OfferType

logger = logging.getLogger(__name__)


class QueuePolicy(BasePermissionPolicy):
    """Viewing the queue is what staff and offering organizations do; which
    matches they see is the selector's business, and every decision the
    services'. Nothing is added, edited or deleted through generic views."""

    ROLES = (
        Role.CITY_STAFF,
        Role.DISTRICT_STAFF,
        Role.STREET_STAFF,
        Role.CHARITY_ADMIN,
        Role.CHARITY_MEMBER,
        Role.LIAISON,  # a department answers for its government funds
    )

    def user_has_permission(self, user, action):
        if action != "view" or not user.is_authenticated:
            return False
        profile = profile_get(user=user)
        return user.is_superuser or bool(profile and profile.role in self.ROLES)

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, action) for action in actions)

    def users_with_any_permission(self, actions):
        return get_user_model().objects.none()


register_permission_policy(Match, QueuePolicy(Match))

# Functions ``match -> str`` whose non-empty results the queue and the review
# page show beside a match (governance adds "待第二人审批" and "回避").
QUEUE_MARKS = []
# Functions ``[match] -> None`` that read, in one query for a whole page, what a
# QUEUE_MARKS function would otherwise ask row by row.
QUEUE_PREFETCH = []


def queue_marks(match):
    return "；".join(mark for mark in (note(match) for note in QUEUE_MARKS) if mark)


def queue_prefetch(matches):
    matches = list(matches)
    if matches:
        for prefetch in QUEUE_PREFETCH:
            prefetch(matches)
    return matches


class MatchQueueIndexView(ScopedIndexView):
    def get_table(self, object_list):
        return super().get_table(queue_prefetch(object_list))


class MatchQueueViewSet(ReadOnlyViewSet):
    model = Match
    name = "matches"
    menu_label = _("匹配审核")
    icon = "link"
    add_to_admin_menu = True
    menu_order = 210
    index_view_class = scoped_index(selectors.match_queue, base=MatchQueueIndexView)

    list_filter = ["status", "offer_type"]
    list_export = ["need", "offer_type", "score", "status", "proposed_at", "decided_at"]
    list_display = [
        TitleColumn(
            "need",
            label=_("求助"),
            accessor="need.receipt_number",
            get_url=lambda match: reverse("offers_admin_match_review", args=[match.pk]),
        ),
        Column("urgency", label=_("紧急程度"), accessor="need.get_urgency_display"),
        Column("offer", label=_("帮扶资源"), accessor="offer"),
        Column("offer_type", label=_("资源类型"), accessor="get_offer_type_display"),
        Column("score", label=_("匹配分（满分 100）"), accessor=lambda m: explain.points(m.score)),
        Column("status", label=_("状态"), accessor="get_status_display"),
        Column("marks", label=_("审批提示"), accessor=queue_marks),
        DateColumn("proposed_at", label=_("提出时间")),
    ]


class RejectReason(models.TextChoices):
    NOT_ELIGIBLE = "not_eligible", _("求助家庭不符合该资源的条件")
    ALREADY_HELPED = "already_helped", _("已由其他救助或资源解决")
    DUPLICATE = "duplicate", _("与已获救助重复")
    OFFER_UNFIT = "offer_unfit", _("资源不适合该家庭的实际需要")
    HOUSEHOLD_DECLINED = "household_declined", _("求助家庭不愿接受")
    OTHER = "other", _("其他原因")


class DeclineReason(models.TextChoices):
    """Why the offer side declines a proposal (a charity, or a department for its fund)."""

    EXHAUSTED = "exhausted", _("资源已用完或名额已满")
    OUT_OF_PURPOSE = "out_of_purpose", _("求助不在本资源的用途范围内")
    CANNOT_ARRANGE = "cannot_arrange", _("时间或地点无法安排")
    OTHER = "other", _("其他原因")


class DecisionForm(forms.Form):
    reason = forms.CharField(
        label=_("理由"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    reject_code = forms.ChoiceField(
        label=_("驳回原因"), required=False, choices=[("", "---------"), *RejectReason.choices]
    )
    decline_code = forms.ChoiceField(
        label=_("谢绝原因"), required=False, choices=[("", "---------"), *DeclineReason.choices]
    )
    confirm = forms.BooleanField(label=_("我已核实：此决定不可撤销，确认提交"), required=False)

    def reason_for(self, decision):
        """The reason recorded: a rejection's or a refusal's listed reason, then the text.
        The listed label is recorded in Chinese, the staff's language."""
        text = self.cleaned_data["reason"].strip()
        if decision == "decline":
            with translation.override("zh-hans"):
                label = str(DeclineReason(self.cleaned_data["decline_code"]).label)
            return f"{label}：{text}" if text else label
        if decision != "reject":
            return text
        return f"{RejectReason(self.cleaned_data['reject_code']).label}：{text}" if text else ""


# Rejecting or declining a match ends it for good; applied only with "confirm"
# ticked (checked here, not by a script in the page).
IRREVERSIBLE = {"reject", "decline"}

# Functions ``need -> [{"offer", "type", "reason"}]``: the close offers a hard
# constraint excluded for the need (the search app adds the matcher's).
EXCLUSION_SOURCES = []


DECISIONS = {
    "approve": lambda match, user, reason: services.match_decide(
        match=match, actor=user, approve=True, reason=reason
    ),
    "reject": lambda match, user, reason: services.match_decide(
        match=match, actor=user, approve=False, reason=reason
    ),
    "accept": lambda match, user, reason: services.match_respond(
        match=match, actor=user, accept=True, reason=reason
    ),
    "decline": lambda match, user, reason: services.match_respond(
        match=match, actor=user, accept=False, reason=reason
    ),
}


def _refusal_before_deciding(decision, form):
    if decision in IRREVERSIBLE and not form.cleaned_data["confirm"]:
        return _("此决定不可撤销，请勾选确认后再提交。")
    if decision == "reject" and not form.cleaned_data["reject_code"]:
        return _("驳回匹配须从列表中选择驳回原因。")
    if decision == "decline" and not form.cleaned_data["decline_code"]:
        return _("谢绝匹配须从列表中选择谢绝原因。")
    return None


def _offer_named(offer_type, ref):
    model = services.OFFER_MODELS.get(offer_type)
    found = model.objects.filter(ref=ref).first() if model else None
    return str(found) if found else ref


def _exclusions(need):
    """The close offers excluded for ``need``, named, with the constraint in words."""
    rows = []
    for source in EXCLUSION_SOURCES:
        try:
            found = source(need)
        except Exception as error:  # search down or refusing: the page works without them
            # The class only: a search error's message can quote the query (the need's text).
            logger.warning(
                "close exclusions unavailable for match review: %s", type(error).__name__
            )
            return None
        for item in found:
            offer_type = item["type"]
            rows.append(
                {
                    "offer": _offer_named(offer_type, item["offer"]),
                    "type": OfferType(offer_type).label if offer_type in OfferType else offer_type,
                    "reason": item["reason"],
                }
            )
    return rows


def _candidates(match):
    """Every match proposed for the same need, best first, each with its points
    by factor and why it ranks below this one."""
    rows = []
    for other in Match.objects.filter(need=match.need).order_by("-score", "id"):
        rows.append(
            {
                "match": other,
                "is_this": other.pk == match.pk,
                "points": explain.points(other.score),
                "parts": explain.score_parts(other),
                "why_lower": explain.why_lower(match, other),
            }
        )
    return rows


def _review_context(request, match, form):
    is_staff = staff_profile(request.user) is not None
    return {
        "match": match,
        "marks": queue_marks(match),
        "form": form,
        "is_staff": is_staff,
        "points": explain.points(match.score),
        "parts": explain.score_parts(match),
        "reasons": explain.named_reasons(match.reasons),
        "candidates": _candidates(match) if is_staff else [],
        "exclusions": _exclusions(match.need) if is_staff else [],
        "reject_reasons": RejectReason.choices,
        "decline_reasons": DeclineReason.choices,
        "can_respond": services.ALLOWED.allowed(match.status, MatchStatus.ACCEPTED)
        and services.speaks_for_offer(request.user, match),
        "can_decide": is_staff and services.ALLOWED.allowed(match.status, MatchStatus.REJECTED),
        "can_approve": is_staff and services.ALLOWED.allowed(match.status, MatchStatus.APPROVED),
    }


def match_review(request, pk):
    """One match: its score's parts, its rivals, and the buttons this user may press."""
    match = get_object_or_404(selectors.match_queue(user=request.user), pk=pk)
    form = DecisionForm(request.POST or None)
    decision = request.POST.get("decision")
    if request.method == "POST" and decision in DECISIONS and form.is_valid():
        refusal = _refusal_before_deciding(decision, form)
        if refusal:
            messages.error(request, refusal)
            return redirect(request.path)
        with reported_errors(request) as outcome:
            DECISIONS[decision](match, request.user, form.reason_for(decision))
        if outcome.ok:
            messages.success(request, _("已记录。"))
            return redirect("matches:index")
    elif request.method == "POST" and decision in DECISIONS:
        messages.error(request, _("所选原因无效，请从列表中重新选择。"))
    return render(request, "offers/admin/match_review.html", _review_context(request, match, form))


def emergency_lane(user):
    """Emergency matches the offer side accepted, awaiting this staff member's approval."""
    return (
        selectors.match_queue(user=user)
        .filter(need__urgency=Urgency.EMERGENCY, status=MatchStatus.ACCEPTED)
        .select_related("need", "project", "fund", "volunteer")
    )


def _approve_one(match, user, reason):
    """Approve through the one service (four-eyes, recusal, second approver);
    returns (outcome, text) for the results table."""
    try:
        services.match_decide(match=match, actor=user, approve=True, reason=reason)
    except REFUSALS as error:
        return "refused", refusal_message(error)
    match.refresh_from_db(fields=["status"])
    if match.status == MatchStatus.APPROVED:
        return "approved", _("已批准")
    return "first", _("已记录第一人审批，待另一名工作人员审批")


def emergency_approve(request):
    """Bulk approval of the emergency lane: each ticked match goes through the
    same service as one approval, so every rule still applies and each is
    recorded; refusals are listed next to the match, not hidden."""
    if staff_profile(request.user) is None:
        raise PermissionDenied
    lane = emergency_lane(request.user)
    results = []
    if request.method == "POST":
        chosen = lane.filter(pk__in=[v for v in request.POST.getlist("match") if v.isdigit()])
        reason = request.POST.get("reason", "").strip() or _("救急难快速审批")
        if not chosen:
            messages.error(request, _("请至少勾选一个匹配。"))
        for match in chosen:
            outcome, text = _approve_one(match, request.user, reason)
            results.append({"match": match, "outcome": outcome, "text": text})
        lane = emergency_lane(request.user)
    rows = [
        {"match": m, "points": explain.points(m.score), "marks": queue_marks(m)}
        for m in queue_prefetch(lane)
    ]
    return render(request, "offers/admin/emergency_lane.html", {"rows": rows, "results": results})


def admin_urls():
    return [
        path("matches/review/<int:pk>/", match_review, name="offers_admin_match_review"),
        path("matches/emergency/", emergency_approve, name="offers_admin_emergency_lane"),
    ]
