import pytest
from django.db import connection

from matching.directory.models import Jurisdiction, Organization

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]


def test_the_suite_runs_on_postgresql_15():
    assert connection.vendor == "postgresql"
    assert connection.pg_version // 10000 == 15


def test_an_organization_round_trips_through_postgresql():
    Jurisdiction.objects.create(code="220100", name="长春市", level="city", path="220100")
    saved = Organization.objects.create(
        name="长春市慈善总会",
        kind="charity",
        jurisdiction_id="220100",
        credit_code="53220100MA1234567Y",
    )
    with connection.cursor() as cursor:
        cursor.execute("SELECT name FROM directory_organization WHERE id = %s", [saved.pk])
        assert cursor.fetchone() == ("长春市慈善总会",)
    assert Organization.objects.get(pk=saved.pk).jurisdiction.name == "长春市"
