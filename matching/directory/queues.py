"""The subordinate units a supervisor's dashboard splits its queues by."""

from matching.core.workqueue import units_register

from .models import Jurisdiction, Role
from .selectors import profile_get

SUPERVISORS = frozenset({Role.CITY_STAFF, Role.DISTRICT_STAFF, Role.INSPECTOR})


def subordinate_units(user):
    """City staff and inspectors: the districts; district staff: their streets."""
    profile = profile_get(user=user)
    if profile is None or profile.role not in SUPERVISORS:
        return []
    return list(Jurisdiction.objects.filter(parent=profile.jurisdiction_id).order_by("code"))


def subordinate_unit(user, code):
    return next((unit for unit in subordinate_units(user) if unit.pk == code), None)


units_register(units=subordinate_units, unit=subordinate_unit)
