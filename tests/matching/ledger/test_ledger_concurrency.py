"""No over-funding under real concurrency on PostgreSQL."""

import threading

import pytest
from django.db import connection

from matching.ledger.models import Account
from matching.ledger.selectors import account_balance, transaction_unbalanced_list
from matching.ledger.services import funds_earmark

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.postgres]

DONORS = 100
# 73 yuan each: 7,300 yuan in all against a 5,000-yuan cap, so one donation
# straddles the cap and has to be split.
GIFT = 7_300


def _donate_all_at_once(*, clearing, target):
    start = threading.Barrier(DONORS)
    errors = []

    def donate(number):
        try:
            start.wait()
            funds_earmark(
                source=clearing, target=target, amount_minor=GIFT, idempotency_key=f"race-{number}"
            )
        except Exception as error:
            errors.append(error)
        finally:
            connection.close()  # each thread had its own connection

    threads = [threading.Thread(target=donate, args=(n,)) for n in range(DONORS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return errors


def test_a_hundred_simultaneous_donations_never_overfund_a_need(clearing, need_account):
    errors = _donate_all_at_once(clearing=clearing, target=need_account)

    assert errors == []
    general = Account.objects.get(code="general:medical")
    assert account_balance(account=need_account) == 500_000
    assert account_balance(account=general) == DONORS * GIFT - 500_000
    assert account_balance(account=clearing) == -DONORS * GIFT
    assert not transaction_unbalanced_list().exists()
