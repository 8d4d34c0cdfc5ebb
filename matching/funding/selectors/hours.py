"""Volunteer hours, totalled."""

from django.db.models import Sum

from ..models import VolunteerHours

# --- volunteer hours -----------------------------------------------------------------


def volunteer_hours_totals(*, volunteers=None):
    """{volunteer id: confirmed hours (Decimal)}."""
    rows = VolunteerHours.objects.filter(status=VolunteerHours.Status.CONFIRMED)
    if volunteers is not None:
        rows = rows.filter(volunteer__in=volunteers)
    totals = rows.values("volunteer").annotate(total=Sum("hours"))
    return {row["volunteer"]: row["total"] for row in totals}
