"""Which roles work with disbursements, in-kind gifts, volunteer hours and the
ledger in the admin. The services still check jurisdiction, four eyes and
the organization on every action: a permission only opens the screen."""

from django.contrib.auth.models import Group, Permission
from django.db.models import Q

from matching.directory.models import Role

_CASEWORK = [
    "funding.view_disbursement",
    "funding.add_disbursement",
    "funding.view_inkindgift",
    "funding.add_inkindgift",
    "funding.change_inkindgift",
    "funding.view_volunteerhours",
    "funding.add_volunteerhours",
    "funding.view_receiptconfirmation",
]
_SUPERVISING = [
    "funding.approve_disbursement",
    "funding.post_disbursement",
    "ledger.view_account",
    "ledger.view_transaction",
]
ROLE_PERMISSIONS = {
    Role.CITY_STAFF: _CASEWORK + _SUPERVISING,
    Role.DISTRICT_STAFF: _CASEWORK + _SUPERVISING,
    Role.STREET_STAFF: _CASEWORK,
    Role.INSPECTOR: [
        "funding.view_disbursement",
        "funding.view_inkindgift",
        "funding.view_volunteerhours",
        "ledger.view_account",
        "ledger.view_transaction",
    ],
    Role.CHARITY_ADMIN: ["funding.view_volunteerhours", "funding.confirm_volunteerhours"],
}


def funding_permissions_sync():
    """Give each role's group its funding and ledger permissions (idempotent)."""
    for role, names in ROLE_PERMISSIONS.items():
        group, _created = Group.objects.get_or_create(name=Role(role).label)
        wanted = Q(pk__in=[])
        for name in names:
            app_label, codename = name.split(".")
            wanted |= Q(content_type__app_label=app_label, codename=codename)
        group.permissions.add(*Permission.objects.filter(wanted))
