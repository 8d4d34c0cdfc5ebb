"""Complaints due (``matching/core/workqueue.py``)."""

from datetime import timedelta

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from matching.core.workqueue import queue_register
from matching.directory.models import Role
from matching.directory.selectors import profile_get

from .models import Complaint
from .selectors import complaint_list_for

DUE_WITHIN = timedelta(days=3)
READERS = frozenset({Role.CITY_STAFF, Role.DISTRICT_STAFF, Role.STREET_STAFF, Role.INSPECTOR})


def complaints_due(*, user):
    """Open complaints overdue or due within three days."""
    profile = profile_get(user=user)
    if profile is None or profile.role not in READERS:
        return None
    return (
        complaint_list_for(user=user)
        .exclude(status=Complaint.Status.CONCLUDED)
        .filter(due_at__lt=timezone.now() + DUE_WITHIN)
    )


queue_register(
    key="complaints_due",
    label=_("即将到期的投诉"),
    rows=complaints_due,
    index_url_name="complaints:index",
    order=80,
    deadline="due_at",
    unit_field="routed_to__path",
    icon="mail",
)
