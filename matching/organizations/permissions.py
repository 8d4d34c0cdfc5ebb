"""Which staff roles open the vetting, delivery-report and periodic-report screens.
The services still check the staff member's jurisdiction on every decision."""

from django.contrib.auth.models import Group, Permission
from django.db.models import Q

from matching.directory.models import Role

_STAFF = [
    "organizations.view_vetting",
    "organizations.change_vetting",
    "organizations.view_deliveryreport",
    "organizations.change_deliveryreport",
    "organizations.view_periodicreport",
]
ROLE_PERMISSIONS = {
    Role.CITY_STAFF: _STAFF,
    Role.DISTRICT_STAFF: _STAFF,
}


def organizations_permissions_sync(sender=None, **kwargs):
    """Give each role's group its permissions on this app's models (idempotent)."""
    for role, names in ROLE_PERMISSIONS.items():
        group, _created = Group.objects.get_or_create(name=Role(role).label)
        wanted = Q(pk__in=[])
        for name in names:
            app_label, codename = name.split(".")
            wanted |= Q(content_type__app_label=app_label, codename=codename)
        group.permissions.add(*Permission.objects.filter(wanted))
