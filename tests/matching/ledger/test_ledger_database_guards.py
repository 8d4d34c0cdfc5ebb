"""The database, not only the Python code, keeps the ledger honest."""

import pytest
from django.db import DatabaseError, IntegrityError, connection, transaction

from matching.ledger.models import Entry, Transaction
from matching.ledger.services import transaction_post

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]


@pytest.fixture
def posted(clearing, need_account):
    posted, _ = transaction_post(
        kind="donation", idempotency_key="k", lines=[(clearing, -500), (need_account, 500)]
    )
    return posted


def _sql_refused(sql, params):
    with (
        pytest.raises(DatabaseError) as refused,
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(sql, params)
    return str(refused.value)


def test_postgresql_refuses_update_of_an_entry(posted):
    entry = posted.entries.first()
    message = _sql_refused("UPDATE ledger_entry SET amount_minor = 1 WHERE id = %s", [entry.pk])
    assert "append-only" in message
    assert Entry.objects.get(pk=entry.pk).amount_minor == entry.amount_minor


def test_postgresql_refuses_delete_of_an_entry(posted):
    entry = posted.entries.first()
    assert "append-only" in _sql_refused("DELETE FROM ledger_entry WHERE id = %s", [entry.pk])
    assert Entry.objects.filter(pk=entry.pk).exists()


def test_postgresql_refuses_update_and_delete_of_a_transaction(posted):
    assert "append-only" in _sql_refused(
        "UPDATE ledger_transaction SET memo = 'x' WHERE id = %s", [posted.pk]
    )
    assert "append-only" in _sql_refused(
        "DELETE FROM ledger_transaction WHERE id = %s", [posted.pk]
    )


def test_the_orm_cannot_delete_entries_either(posted):
    with pytest.raises(IntegrityError), transaction.atomic():
        Entry.objects.filter(transaction=posted).delete()


def test_postgresql_refuses_an_unbalanced_transaction_at_commit(clearing, need_account):
    with (
        pytest.raises(IntegrityError) as refused,
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(
            "INSERT INTO ledger_transaction (kind, memo, idempotency_key, created_at)"
            " VALUES ('donation', '', 'raw', now()) RETURNING id"
        )
        (txn_id,) = cursor.fetchone()
        cursor.execute(
            "INSERT INTO ledger_entry (transaction_id, account_id, amount_minor)"
            " VALUES (%s, %s, -500), (%s, %s, 499)",
            [txn_id, clearing.pk, txn_id, need_account.pk],
        )
        # The test runs inside an outer transaction that never commits;
        # this fires the deferred check now, exactly as COMMIT would.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    assert "unbalanced" in str(refused.value)
    assert not Transaction.objects.filter(idempotency_key="raw").exists()


def test_postgresql_refuses_a_transaction_without_entries():
    with pytest.raises(IntegrityError), transaction.atomic():
        Transaction.objects.create(kind="donation", idempotency_key="empty")
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
