"""A slice of Changchun and staff accounts for the governance tests."""

import datetime as dt

from matching.directory.models import Jurisdiction, Organization, Role
from matching.directory.services import account_create, role_groups_sync
from matching.governance.services import governance_permissions_sync

PASSWORD = "gov-test-pass-2026"


def _node(code, name, level, parent=None):
    path = f"{parent.path}/{code}" if parent else code
    node, _ = Jurisdiction.objects.get_or_create(
        code=code, defaults={"name": name, "level": level, "parent": parent, "path": path}
    )
    return node


def city_tree():
    city = _node("220100", "长春市", "city")
    chaoyang = _node("220104", "朝阳区", "district", city)
    nanguan = _node("220102", "南关区", "district", city)
    return {
        "city": city,
        "chaoyang": chaoyang,
        "nanguan": nanguan,
        "hongqi": _node("220104007", "红旗街道", "street", chaoyang),
        "nanling": _node("220102001", "南岭街道", "street", nanguan),
    }


_counter = iter(range(1, 100_000))


def account(role, place, organization=None):
    role_groups_sync()
    governance_permissions_sync()
    username = f"{role}-{place.code}-{next(_counter)}"
    return account_create(
        username=username,
        password=PASSWORD,
        role=role,
        jurisdiction=place,
        organization=organization,
        email=f"{username}@assist.example",
    )


def staff(place, role=Role.DISTRICT_STAFF):
    return account(role, place)


def organization(place, name="长春市爱心助困协会"):
    return Organization.objects.create(name=name, kind="charity", jurisdiction=place, verified=True)


TODAY = dt.date(2026, 11, 30)
