"""The match review queue in the Wagtail admin.

Staff of the need's jurisdiction approve or reject; the offering charity
accepts or declines. Every decision goes through matching.offers.services,
which checks who may do what; the screens never show personal data.
"""

from django import forms
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail.admin.ui.tables import Column, DateColumn, TitleColumn
from wagtail.permission_policies.base import BasePermissionPolicy
from wagtail.permissions import register_permission_policy

from matching.core.admin import ReadOnlyViewSet, reported_errors, scoped_index
from matching.directory.models import Role
from matching.directory.selectors import profile_get, staff_profile

from . import selectors, services
from .models import Match, MatchStatus


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


def queue_marks(match):
    return "；".join(mark for mark in (note(match) for note in QUEUE_MARKS) if mark)


class MatchQueueViewSet(ReadOnlyViewSet):
    model = Match
    name = "matches"
    menu_label = _("匹配审核")
    icon = "link"
    add_to_admin_menu = True
    menu_order = 210
    index_view_class = scoped_index(selectors.match_queue)

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
        Column("score", label=_("匹配分")),
        Column("status", label=_("状态"), accessor="get_status_display"),
        Column("marks", label=_("审批提示"), accessor=queue_marks),
        DateColumn("proposed_at", label=_("提出时间")),
    ]


class DecisionForm(forms.Form):
    reason = forms.CharField(
        label=_("理由"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    confirm = forms.BooleanField(label=_("我已核实：此决定不可撤销，确认提交"), required=False)


# Rejecting or declining a match ends it for good; applied only with "confirm"
# ticked (checked here, not by a script in the page).
IRREVERSIBLE = {"reject", "decline"}


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


def match_review(request, pk):
    """One match: its reasons, and the buttons this user may press."""
    match = get_object_or_404(selectors.match_queue(user=request.user), pk=pk)
    form = DecisionForm(request.POST or None)
    decision = request.POST.get("decision")
    if request.method == "POST" and decision in DECISIONS and form.is_valid():
        if decision in IRREVERSIBLE and not form.cleaned_data["confirm"]:
            messages.error(request, _("此决定不可撤销，请勾选确认后再提交。"))
            return redirect(request.path)
        with reported_errors(request) as outcome:
            DECISIONS[decision](match, request.user, form.cleaned_data["reason"])
        if outcome.ok:
            messages.success(request, _("已记录。"))
            return redirect("matches:index")
    is_staff = staff_profile(request.user) is not None
    return render(
        request,
        "offers/admin/match_review.html",
        {
            "match": match,
            "marks": queue_marks(match),
            "form": form,
            "is_staff": is_staff,
            "can_respond": not is_staff
            and services.ALLOWED.allowed(match.status, MatchStatus.ACCEPTED),
            "can_decide": is_staff and services.ALLOWED.allowed(match.status, MatchStatus.REJECTED),
        },
    )


def admin_urls():
    return [path("matches/review/<int:pk>/", match_review, name="offers_admin_match_review")]
