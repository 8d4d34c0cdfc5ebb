"""Reads for a volunteer's workspace: only their own matches, hours and
certificates, and about a household only what ``task_brief`` returns."""

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from matching.core.vocabulary import Category, HelpForm, Urgency
from matching.directory.models import Department, Jurisdiction, Organization, Role
from matching.directory.selectors import profile_get
from matching.funding.models import VolunteerHours
from matching.offers.models import Match, MatchStatus, Volunteer

from .models import Certificate, Consent, TeamRequest

OPEN = (MatchStatus.PROPOSED, MatchStatus.ACCEPTED, MatchStatus.APPROVED)
TASK_STATUSES = (MatchStatus.ACCEPTED, MatchStatus.APPROVED)
PAST_STATUSES = (MatchStatus.DECLINED, MatchStatus.REJECTED, MatchStatus.WITHDRAWN)

DAYS = [
    ("mon", _lazy("周一")),
    ("tue", _lazy("周二")),
    ("wed", _lazy("周三")),
    ("thu", _lazy("周四")),
    ("fri", _lazy("周五")),
    ("sat", _lazy("周六")),
    ("sun", _lazy("周日")),
]
HALVES = [("am", _lazy("上午")), ("pm", _lazy("下午"))]


def slot_label(code):
    day, half = code.split("_")
    return _("%(day)s%(half)s") % {"day": dict(DAYS)[day], "half": dict(HALVES)[half]}


def volunteer_of(user):
    """The signed-in user's own volunteer record, or None."""
    if not user.is_authenticated:
        return None
    volunteers = Volunteer.objects.select_related("organization", "jurisdiction")
    return volunteers.filter(user=user).first()


def consent_current(volunteer):
    return Consent.objects.filter(volunteer=volunteer, withdrawn_at__isnull=True).first()


def _matches(volunteer):
    return Match.objects.filter(volunteer=volunteer).select_related("need__jurisdiction__parent")


def proposals(volunteer):
    return _matches(volunteer).filter(status=MatchStatus.PROPOSED).order_by("-proposed_at")


def tasks(volunteer):
    return _matches(volunteer).filter(status__in=TASK_STATUSES).order_by("-proposed_at")


def past(volunteer):
    return _matches(volunteer).filter(status__in=PAST_STATUSES).order_by("-proposed_at")[:20]


def match_get(volunteer, pk, statuses):
    """One of the volunteer's own matches in ``statuses``; 404 for anyone else's."""
    return get_object_or_404(_matches(volunteer), pk=pk, status__in=statuses)


@dataclass(frozen=True)
class TaskBrief:
    """Everything a volunteer may know about the household of a proposal or task
    (docs/permissions.md, "What a volunteer sees"). Built from the case's place,
    vocabulary and urgency only: never its title, text, members or address."""

    district: str
    street: str
    forms: list
    categories: list
    urgency: str
    emergency: bool
    slots: list
    contact: str


def _places(need):
    place = need.jurisdiction
    if place.level == Jurisdiction.Level.STREET and place.parent_id:
        return place.parent.name, place.name
    if place.level == Jurisdiction.Level.COMMUNITY:  # a community is finer than a volunteer needs
        street = place.parent
        return (street.parent.name if street.parent_id else ""), street.name
    return place.name, ""


def _contact(need):
    """A way to reach the household through the caseworker, never directly."""
    worker = need.assigned_to
    if worker is not None and worker.email:
        name = worker.get_full_name() or worker.username
        return _("经办工作人员 %(name)s（%(email)s），或拨打社会救助热线 12345") % {
            "name": name,
            "email": worker.email,
        }
    district = need.jurisdiction.path.split("/")[1:2]
    office = Department.objects.filter(
        kind=Department.Kind.CIVIL_AFFAIRS, jurisdiction_id__in=district
    ).first()
    if office is not None:
        return _("%(office)s社会救助经办人员，或拨打社会救助热线 12345") % {"office": office.name}
    return _("社会救助热线 12345")


def task_brief(match, *, with_contact):
    need = match.need
    district, street = _places(need)
    return TaskBrief(
        district=district,
        street=street,
        forms=[str(HelpForm(code).label) for code in need.forms if code in HelpForm.values],
        categories=[str(Category(c).label) for c in need.categories if c in Category.values],
        urgency=str(Urgency(need.urgency).label),
        emergency=need.urgency == Urgency.EMERGENCY,
        slots=[slot_label(code) for code in match.volunteer.availability],
        contact=_contact(need) if with_contact else "",
    )


def task_label(match):
    """'任务 #12 · 朝阳区 红旗街道 · 生活帮扶' — how hours and certificates name a task."""
    district, street = _places(match.need)
    forms = _("、").join(str(HelpForm(c).label) for c in match.need.forms if c in HelpForm.values)
    parts = [_("任务 #%(number)s") % {"number": match.pk}, f"{district} {street}".strip()]
    return " · ".join(part for part in [*parts, forms] if part)


def hours_list(volunteer, match=None):
    rows = VolunteerHours.objects.filter(volunteer=volunteer).order_by("-date", "-pk")
    return rows.filter(match=match) if match is not None else rows.select_related("match")


def hours_totals(volunteer):
    """{status: hours} of the volunteer's own entries."""
    totals = defaultdict(Decimal)
    for status, hours in hours_list(volunteer).values_list("status", "hours"):
        totals[status] += hours
    return dict(totals)


@dataclass(frozen=True)
class CertificateSummary:
    total: Decimal
    tasks: list  # [(match id, hours)]
    months: list  # [("2026-11", hours)]


def certificate_summary(volunteer):
    confirmed = hours_list(volunteer).filter(status=VolunteerHours.Status.CONFIRMED)
    by_task, by_month = defaultdict(Decimal), defaultdict(Decimal)
    for match_id, day, hours in confirmed.values_list("match_id", "date", "hours"):
        by_task[match_id] += hours
        by_month[f"{day:%Y-%m}"] += hours
    return CertificateSummary(
        total=sum(by_task.values(), Decimal("0")),
        tasks=sorted(by_task.items()),
        months=sorted(by_month.items()),
    )


def certificate_list(volunteer):
    return Certificate.objects.filter(volunteer=volunteer)


def certificate_get(volunteer, code):
    return get_object_or_404(Certificate, volunteer=volunteer, code=code)


def certificate_by_code(code):
    return Certificate.objects.filter(code=code.strip().upper()).first()


def certificate_rows(certificate):
    """The certificate's lines with task labels in the reader's language."""
    ids = [int(match_id) for match_id, _hours in certificate.lines.get("tasks", [])]
    matches = Match.objects.select_related("need__jurisdiction__parent").in_bulk(ids)
    tasks = [
        (task_label(matches[int(match_id)]) if int(match_id) in matches else f"#{match_id}", hours)
        for match_id, hours in certificate.lines.get("tasks", [])
    ]
    return tasks, certificate.lines.get("months", [])


def verified_teams():
    return Organization.objects.filter(
        kind=Organization.Kind.VOLUNTEER_TEAM, verified=True
    ).order_by("name")


def is_team_admin(user, organization):
    profile = profile_get(user=user)
    return bool(
        profile
        and profile.role == Role.CHARITY_ADMIN
        and profile.organization_id == organization.pk
        and organization.kind == Organization.Kind.VOLUNTEER_TEAM
    )


def team_request_pending(volunteer):
    return (
        TeamRequest.objects.select_related("organization")
        .filter(volunteer=volunteer, status=TeamRequest.Status.PENDING)
        .first()
    )


def team_requests_for(user):
    """The pending requests to the team the user administers (none for anyone else)."""
    profile = profile_get(user=user)
    if not (profile and profile.organization_id and is_team_admin(user, profile.organization)):
        return None
    return (
        TeamRequest.objects.select_related("volunteer__jurisdiction")
        .filter(organization_id=profile.organization_id, status=TeamRequest.Status.PENDING)
        .order_by("created_at")
    )
