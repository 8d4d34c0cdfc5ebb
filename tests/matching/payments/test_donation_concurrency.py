"""A hundred donors racing for the last 5,000 yuan of a need, on PostgreSQL."""

import threading

import pytest
from django.db import connection

from matching.ledger.models import Account
from matching.ledger.selectors import account_balance, transaction_unbalanced_list
from matching.payments.models import Donation
from matching.payments.services import donation_create, donation_receive

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.postgres]

DONORS = 100
GIFT = 8_800  # 88 yuan each: 8,800 yuan against 5,000 still needed


def _receive_all_at_once(donations):
    start = threading.Barrier(len(donations))
    errors = []

    def receive(donation):
        try:
            start.wait()
            donation_receive(donation=donation, reason="race")
        except Exception as error:
            errors.append(error)
        finally:
            connection.close()  # each thread had its own connection

    threads = [threading.Thread(target=receive, args=(d,)) for d in donations]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return errors


def test_simultaneous_donations_earmark_at_most_what_the_need_still_requires(need_account):
    # stripe:clearing and general:medical are not opened beforehand: the
    # donors also race to open them.
    donations = [
        donation_create(target_code=need_account.code, amount_minor=GIFT) for _ in range(DONORS)
    ]

    assert _receive_all_at_once(donations) == []

    assert account_balance(account=need_account) == 500_000
    general = Account.objects.get(code="general:medical")
    assert account_balance(account=general) == DONORS * GIFT - 500_000
    assert not Donation.objects.exclude(status=Donation.Status.SUCCEEDED).exists()
    assert not transaction_unbalanced_list().exists()
