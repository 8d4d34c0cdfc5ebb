"""The audit log is append-only at the database level (PostgreSQL trigger)."""

import pytest
from django.db import DatabaseError, connection, transaction

from matching.audit.models import AuditEntry
from matching.audit.services import audit_record
from matching.directory.models import Jurisdiction

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]


@pytest.fixture
def entry():
    place = Jurisdiction.objects.create(code="220100", name="长春市", level="city", path="220100")
    return audit_record(
        actor=None, action=AuditEntry.Action.CREATE, obj=place, after={"name": "长春市"}
    )


def test_an_entry_names_its_object_and_the_system_actor(entry):
    assert (entry.object_type, entry.object_id, entry.actor_label) == (
        "directory.jurisdiction",
        "220100",
        "system",
    )


def test_the_database_refuses_update(entry):
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(
            "UPDATE audit_auditentry SET summary = 'rewritten' WHERE id = %s", [entry.pk]
        )
    assert AuditEntry.objects.get(pk=entry.pk).summary == ""


def test_the_database_refuses_delete(entry):
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute("DELETE FROM audit_auditentry WHERE id = %s", [entry.pk])
    assert AuditEntry.objects.filter(pk=entry.pk).exists()


def test_the_orm_is_refused_too(entry):
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEntry.objects.filter(pk=entry.pk).update(summary="x")
    with pytest.raises(DatabaseError), transaction.atomic():
        entry.delete()
    assert AuditEntry.objects.filter(pk=entry.pk).exists()


def test_inserting_stays_allowed(entry):
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM audit_auditentry")
        assert cursor.fetchone() == (1,)
