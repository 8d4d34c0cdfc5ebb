"""One ``migrate`` on an empty database gives every role group its permissions.

The syncs used to run before Django had created the permission rows of
their own app: after one ``migrate`` (and ``seed_demo``) city staff and
inspectors were refused the complaint, donation and disbursement screens,
and only a second ``migrate`` repaired the groups. Checked on a fresh SQLite
file (a subprocess, as a newcomer runs it) and on the PostgreSQL test
database, which pytest-django also builds with one ``migrate``; neither
calls a sync by hand.
"""

import json

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.urls import reverse

from matching.directory.models import Jurisdiction, Role
from matching.directory.services import account_create
from tests.fresh_sqlite import fresh_sqlite_database, manage

SCREENS = ("complaints:index", "payments_donations:index", "funding_disbursements:index")

# What docs/permissions.md lets each role open, as model permissions (a
# sample per screen; the full sets are compared with a second migrate).
DOCUMENTED = {
    Role.CITY_STAFF: {
        "wagtailadmin.access_admin",
        "governance.view_complaint",
        "governance.change_complaint",
        "directory.add_dishonestyrecord",
        "payments.view_donation",
        "payments.view_stripeevent",
        "funding.view_disbursement",
        "funding.add_disbursement",
        "funding.approve_disbursement",
        "ledger.view_transaction",
        "audit.view_auditentry",
    },
    Role.DISTRICT_STAFF: {
        "governance.view_complaint",
        "payments.view_donation",
        "funding.view_disbursement",
        "funding.post_disbursement",
        "ledger.view_account",
    },
    Role.STREET_STAFF: {
        "governance.view_complaint",
        "funding.view_disbursement",
        "funding.add_inkindgift",
    },
    Role.INSPECTOR: {
        "wagtailadmin.access_admin",
        "audit.view_auditentry",
        "governance.view_complaint",
        "directory.view_dishonestyrecord",
        "payments.view_donation",
        "funding.view_disbursement",
        "funding.view_volunteerhours",
        "ledger.view_transaction",
    },
    Role.CHARITY_ADMIN: {"wagtailadmin.access_admin", "funding.confirm_volunteerhours"},
    Role.LIAISON: {"wagtailadmin.access_admin"},
}
# Never granted: street staff see no donations, inspectors write nothing.
NOT_GRANTED = {
    Role.STREET_STAFF: {"payments.view_donation", "ledger.view_transaction"},
    Role.INSPECTOR: {
        "governance.change_complaint",
        "funding.add_disbursement",
        "payments.add_donation",
    },
}


def _assert_documented(groups):
    for role, permissions in DOCUMENTED.items():
        assert permissions <= set(groups[str(role.label)]), role
    for role, permissions in NOT_GRANTED.items():
        assert not permissions & set(groups[str(role.label)]), role


# The SQLite subprocess: dump the groups, then open the screens as city staff
# and inspector with Django's test client on the same database.
_PROBE = """
import json
from django.contrib.auth.models import Group
from django.test import Client
from django.test.utils import override_settings
from django.urls import reverse
from matching.directory.models import Jurisdiction, Role
from matching.directory.services import account_create

groups = {
    group.name: sorted(
        f"{p.content_type.app_label}.{p.codename}" for p in group.permissions.all()
    )
    for group in Group.objects.all()
}
status = {}
if SCREENS:
    city = Jurisdiction.objects.create(code="220100", name="长春市", level="city", path="220100")
    with override_settings(ALLOWED_HOSTS=["testserver"], AXES_ENABLED=False):
        for role in (Role.CITY_STAFF, Role.INSPECTOR):
            user = account_create(
                username=role.value, password="Probe-pass-2026", role=role, jurisdiction=city
            )
            client = Client()
            client.force_login(user)
            for name in SCREENS:
                status[f"{role.value} {name}"] = client.get(reverse(name)).status_code
print("PROBE " + json.dumps({"groups": groups, "status": status}, ensure_ascii=False))
"""


def _probe(database, screens):
    out = manage(database, "shell", "-c", f"SCREENS = {screens!r}\n" + _PROBE).stdout
    (line,) = [line for line in out.splitlines() if line.startswith("PROBE ")]
    return json.loads(line.removeprefix("PROBE "))


def test_sqlite_one_migrate_gives_every_role_its_permissions_and_screens(tmp_path):
    database = fresh_sqlite_database(tmp_path)  # one migrate, nothing else
    first = _probe(database, SCREENS)
    _assert_documented(first["groups"])
    assert first["status"] == {
        f"{role} {name}": 200 for role in ("city_staff", "inspector") for name in SCREENS
    }
    manage(database, "migrate", "--no-input", "-v", "0")
    assert _probe(database, ())["groups"] == first["groups"]  # a second migrate adds nothing


def _groups():
    return {
        group.name: sorted(
            f"{p.content_type.app_label}.{p.codename}" for p in group.permissions.all()
        )
        for group in Group.objects.prefetch_related("permissions__content_type")
    }


@pytest.mark.django_db
@pytest.mark.postgres
def test_postgresql_one_migrate_gives_every_role_its_permissions():
    after_one = _groups()
    _assert_documented(after_one)
    call_command("migrate", verbosity=0)
    assert _groups() == after_one


@pytest.mark.django_db
@pytest.mark.postgres
@pytest.mark.parametrize("role", [Role.CITY_STAFF, Role.INSPECTOR])
@pytest.mark.parametrize("screen", SCREENS)
def test_postgresql_city_staff_and_inspector_open_the_screens(client, role, screen):
    city = Jurisdiction.objects.create(code="220100", name="长春市", level="city", path="220100")
    user = account_create(username="u", password="Probe-pass-2026", role=role, jurisdiction=city)
    client.force_login(user)
    assert client.get(reverse(screen)).status_code == 200
