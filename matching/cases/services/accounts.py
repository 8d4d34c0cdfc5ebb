"""Department API tokens and the case screens' group permissions."""

import hashlib
import secrets

from django.contrib.auth.models import Group, Permission
from django.db import transaction
from django.utils import timezone

from matching.directory.models import Role

from ..models import (
    ApiToken,
)
from .base import _save

# --- department API tokens ------------------------------------------------------------


def _token_hash(key):
    return hashlib.sha256(key.encode()).hexdigest()


@transaction.atomic
def api_token_issue(*, department, name):
    """Create a token; the returned key is shown once and never stored."""
    key = "dk_" + secrets.token_urlsafe(32)
    _save(ApiToken(department=department, name=name, key_hash=_token_hash(key)))
    return key


def api_token_authenticate(*, key):
    """The department a valid, active key belongs to, else None."""
    token = (
        ApiToken.objects.filter(key_hash=_token_hash(key or ""), active=True)
        .select_related("department")
        .first()
    )
    if token is None:
        return None
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now())
    return token.department


# --- admin permissions ----------------------------------------------------------------

_VIEW_CASE_MODELS = [
    "case",
    "referral",
    "discoveryreport",
    "verification",
    "assistancerecord",
    "duplicateflag",
    "deadlinerule",
    "holidayoverride",
    "localstandard",
    "economicrecord",
    "refreshrequest",
    "freshnessrule",
]
_STAFF_VIEWS = [f"cases.view_{m}" for m in _VIEW_CASE_MODELS]
ROLE_PERMISSIONS = {
    Role.CITY_STAFF: [
        *_STAFF_VIEWS,
        "cases.add_deadlinerule",
        "cases.change_deadlinerule",
        "cases.add_holidayoverride",
        "cases.change_holidayoverride",
        "cases.delete_holidayoverride",
        "cases.add_localstandard",
        "cases.change_localstandard",
        "cases.add_freshnessrule",
        "cases.change_freshnessrule",
        "audit.view_auditentry",
    ],
    Role.DISTRICT_STAFF: [*_STAFF_VIEWS, "cases.add_localstandard", "cases.change_localstandard"],
    Role.STREET_STAFF: _STAFF_VIEWS,
    Role.LIAISON: ["cases.view_referral", "cases.view_economicrecord", "cases.view_refreshrequest"],
    Role.INSPECTOR: ["audit.view_auditentry"],
}


def case_permissions_sync():
    """Give each role's group the case-screen permissions it needs (idempotent)."""
    for role, names in ROLE_PERMISSIONS.items():
        group, _created = Group.objects.get_or_create(name=Role(role).label)
        for name in names:
            app_label, codename = name.split(".")
            group.permissions.add(
                *Permission.objects.filter(content_type__app_label=app_label, codename=codename)
            )
