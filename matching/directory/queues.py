"""What the directory answers the admin kit: the subordinate units a supervisor's
dashboard splits its queues by, and the users' saved filters."""

from matching.core.saved_filters import saved_filters_register
from matching.core.workqueue import units_register

from .models import Jurisdiction, Role
from .selectors import profile_get, profiles_memoized, saved_filter_list
from .services import saved_filter_save

SUPERVISORS = frozenset({Role.CITY_STAFF, Role.DISTRICT_STAFF, Role.INSPECTOR})


def subordinate_units(user):
    """City staff and inspectors: the districts; district staff: their streets."""
    profile = profile_get(user=user)
    if profile is None or profile.role not in SUPERVISORS:
        return []
    return list(Jurisdiction.objects.filter(parent=profile.jurisdiction_id).order_by("code"))


def subordinate_unit(user, code):
    return next((unit for unit in subordinate_units(user) if unit.pk == code), None)


units_register(units=subordinate_units, unit=subordinate_unit, memo=profiles_memoized)


def _saved_list(user, list_name):
    return [
        (saved.name, saved.query) for saved in saved_filter_list(user=user, list_name=list_name)
    ]


def _saved_save(user, list_name, name, query):
    return saved_filter_save(user=user, list_name=list_name, name=name, query=query)


saved_filters_register(list=_saved_list, save=_saved_save)
