"""Reads for governance: complaints for staff, the reporter's view, public statistics."""

import datetime as dt
import re

from django.contrib.auth.hashers import check_password
from django.db.models import Count
from django.utils.translation import gettext as _

from matching.cases.models import Case
from matching.core.scope import subtree
from matching.directory.models import Jurisdiction, Profile, Role

from .models import Complaint, Recusal

_CITY_WIDE = {Role.CITY_STAFF, Role.INSPECTOR}


def staff_users_at(jurisdiction):
    """Civil-affairs staff sitting exactly at ``jurisdiction`` (the unit that answers)."""
    profiles = Profile.objects.filter(
        jurisdiction=jurisdiction,
        role__in=[Role.CITY_STAFF, Role.DISTRICT_STAFF, Role.STREET_STAFF],
    )
    return [profile.user for profile in profiles.select_related("user")]


# A case's receipt number (see ``matching.cases.services.intake``), as a reporter
# names it in the complaint's subject or text.
_CASE_RECEIPT = re.compile(r"CC\d{6}[0-9A-Z]{8}")


def complaint_cases(*, complaint):
    """The cases a complaint concerns: those whose receipt number it names."""
    text = f"{complaint.subject_name} {complaint.content}".upper()
    numbers = set(_CASE_RECEIPT.findall(text))
    if not numbers:
        return []
    queryset = Case.objects.filter(receipt_number__in=numbers)
    return list(queryset.select_related("household", "jurisdiction").order_by("pk"))


def complaint_list_for(*, user):
    """Complaints routed to, or escalated to, a unit inside the user's jurisdiction."""
    queryset = Complaint.objects.select_related("district", "routed_to", "escalated_to")
    if user.is_superuser:
        return queryset
    profile = Profile.objects.filter(user=user).select_related("jurisdiction").first()
    if profile is None:
        return queryset.none()
    if profile.role in _CITY_WIDE:
        return queryset
    if profile.role not in (Role.DISTRICT_STAFF, Role.STREET_STAFF):
        return queryset.none()
    path = profile.jurisdiction.path
    return queryset.filter(
        subtree(path, field="routed_to__path") | subtree(path, field="escalated_to__path")
    )


def complaint_follow(*, receipt_number, follow_code):
    """The complaint for a receipt number and its follow-up code, else None.

    An unknown number and a wrong code give the same answer.
    """
    complaint = Complaint.objects.filter(receipt_number=receipt_number.strip().upper()).first()
    if complaint is None or not check_password(follow_code, complaint.follow_code_hash):
        return None
    return complaint


def complaint_statistics():
    """Counts by district, subject kind and outcome: no receipt, no text, no person."""
    rows = (
        Complaint.objects.values("district__code", "district__name", "subject_kind", "outcome")
        .annotate(count=Count("id"))
        .order_by("district__code", "subject_kind", "outcome")
    )
    subjects = dict(Complaint.Subject.choices)
    outcomes = dict(Complaint.Outcome.choices)
    return [
        {
            "district_code": row["district__code"],
            "district": row["district__name"],
            "subject": subjects[row["subject_kind"]],
            "outcome": outcomes.get(row["outcome"]) or _("未办结"),
            "outcome_code": row["outcome"] or "open",
            "count": row["count"],
        }
        for row in rows
    ]


def complaint_totals():
    return {
        "filed": Complaint.objects.count(),
        "concluded": Complaint.objects.filter(status=Complaint.Status.CONCLUDED).count(),
        "escalated": Complaint.objects.filter(escalated_at__isnull=False).count(),
    }


def district_of(place):
    """The county-level unit ``place`` falls under (itself for a district or the city)."""
    if place.level in (Jurisdiction.Level.CITY, Jurisdiction.Level.DISTRICT):
        return place
    return Jurisdiction.objects.get(code=place.district_code)


def _period(field, start, end):
    """Dates are inclusive days; datetimes a half-open interval [start, end)."""
    if isinstance(start, dt.datetime) and isinstance(end, dt.datetime):
        return {f"{field}__gte": start, f"{field}__lt": end}
    return {f"{field}__date__gte": start, f"{field}__date__lte": end}


def recusal_list(*, jurisdiction, start, end):
    """Recusals for items inside ``jurisdiction`` (its whole subtree) in the period."""
    return Recusal.objects.filter(subtree(jurisdiction.path), **_period("at", start, end))


def recusal_count(*, jurisdiction, start, end):
    """How many times staff stood aside (回避) in ``jurisdiction`` during the period."""
    return recusal_list(jurisdiction=jurisdiction, start=start, end=end).count()
