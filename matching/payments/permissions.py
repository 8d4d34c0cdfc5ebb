"""Which staff roles see donations in the admin and record offline gifts.

Donors' e-mail addresses are personal data: only city staff (who answer
donors and reconcile the bank account) see them, in the listing and the
inspect view; Stripe events carry billing details and are city staff's only.
"""

from django.contrib.auth.models import Group, Permission

from matching.directory.models import Role
from matching.directory.selectors import profile_get

ROLE_PERMISSIONS = {
    # The receiving bank account is the city's: city staff confirm pledges
    # and edit it (Wagtail settings → 收款银行账户).
    Role.CITY_STAFF: [
        "view_donation",
        "add_donation",
        "view_stripeevent",
        "view_recurringgift",
        "confirm_pledge",
        "change_givingbanksettings",
    ],
    Role.DISTRICT_STAFF: ["view_donation", "add_donation", "view_recurringgift"],
    Role.INSPECTOR: ["view_donation", "view_recurringgift"],
}


def payments_permissions_sync():
    """Give each role's group its permissions on donations and events (idempotent)."""
    for role, codenames in ROLE_PERMISSIONS.items():
        group, _created = Group.objects.get_or_create(name=Role(role).label)
        group.permissions.add(
            *Permission.objects.filter(content_type__app_label="payments", codename__in=codenames)
        )


def can_see_donor_contact(user):
    if user.is_superuser:
        return True
    profile = profile_get(user=user)
    return bool(profile and profile.role == Role.CITY_STAFF)
