"""Opening a household's verification (income and assets) is an audited read."""

import datetime as dt
from decimal import Decimal

import pytest
from case_factories import PASSWORD, StandardFactory, case, department, staff
from django.utils import timezone

from matching.audit.models import AuditEntry
from matching.cases import services
from matching.directory.services import role_groups_sync

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _groups(db):
    role_groups_sync()
    services.case_permissions_sync()


@pytest.fixture
def verification(places):
    StandardFactory(jurisdiction=places["chaoyang"], monthly_line_per_person="720.00")
    family = case(places["hongqi"])
    services.economic_record_submit(
        department=department("human_resources", places["chaoyang"]),
        id_number=family.household.members.get().id_number,
        kind="income",
        label="工资",
        amount=Decimal("900.00"),
        as_of=timezone.localdate() - dt.timedelta(days=30),  # current data
    )
    return services.case_verify(case=family, actor=staff(places["chaoyang"]))


def _reads(verification):
    return AuditEntry.objects.filter(
        action=AuditEntry.Action.READ_PERSONAL_DATA,
        object_type="cases.case",
        object_id=str(verification.case_id),
    )


def test_opening_a_verification_is_logged_as_a_personal_data_read(client, places, verification):
    url = f"/admin/cases_verifications/inspect/{verification.pk}/"
    client.force_login(staff(places["nanguan"]))
    assert client.get(url).status_code == 404  # another district: refused, not a read
    assert not _reads(verification).exists()
    reader = staff(places["chaoyang"])
    assert client.login(username=reader.username, password=PASSWORD)
    response = client.get(url)
    assert response.status_code == 200 and "900.00" in response.content.decode()
    (read,) = _reads(verification)
    assert read.actor == reader and read.jurisdiction_path == verification.case.jurisdiction.path
    assert "900" not in read.summary and read.after is None
