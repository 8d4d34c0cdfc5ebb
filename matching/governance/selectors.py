"""Reads for governance: complaints for staff, the reporter's view, public statistics."""

from django.contrib.auth.hashers import check_password
from django.db.models import Count
from django.utils.translation import gettext as _

from matching.directory.models import Jurisdiction, Profile, Role

from .models import Complaint

_CITY_WIDE = {Role.CITY_STAFF, Role.INSPECTOR}


def staff_users_at(jurisdiction):
    """Civil-affairs staff sitting exactly at ``jurisdiction`` (the unit that answers)."""
    profiles = Profile.objects.filter(
        jurisdiction=jurisdiction,
        role__in=[Role.CITY_STAFF, Role.DISTRICT_STAFF, Role.STREET_STAFF],
    )
    return [profile.user for profile in profiles.select_related("user")]


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
    return queryset.filter(routed_to__path__startswith=path) | queryset.filter(
        escalated_to__path__startswith=path
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
