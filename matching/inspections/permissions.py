"""Which roles open the inspection screens. A permission only opens a screen:
the selectors scope every list (the team, or the inspected unit), and the
services decide who records, submits and reviews."""

from django.contrib.auth.models import Group, Permission
from django.db.models import Q

from matching.directory.models import Role

_READ = ["inspections.view_inspection", "inspections.view_finding"]
ROLE_PERMISSIONS = {
    Role.CITY_STAFF: [*_READ, "inspections.add_inspection"],
    Role.INSPECTOR: [*_READ, "inspections.add_inspection"],
    Role.DISTRICT_STAFF: _READ,
    Role.STREET_STAFF: _READ,
    Role.LIAISON: _READ,
}


def inspections_permissions_sync(sender=None, **kwargs):
    """Give each role's group its permissions on this app's models (idempotent)."""
    for role, names in ROLE_PERMISSIONS.items():
        group, _created = Group.objects.get_or_create(name=Role(role).label)
        wanted = Q(pk__in=[])
        for name in names:
            app_label, codename = name.split(".")
            wanted |= Q(content_type__app_label=app_label, codename=codename)
        group.permissions.add(*Permission.objects.filter(wanted))
