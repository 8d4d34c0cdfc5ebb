"""Simultaneous payouts from one need's account never spend more than it holds."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from matching.funding import services
from matching.funding.models import Disbursement, PayeeKind
from matching.ledger.selectors import account_balance, transaction_unbalanced_list

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.postgres]
STAFF = 8


def at_once(work, count):
    start = threading.Barrier(count)
    outcomes = []

    def run(number):
        try:
            start.wait()
            outcomes.append(work(number))
        except ValidationError as error:
            outcomes.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(n,)) for n in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes


def test_racing_requests_and_posts_never_overspend(match, need_account, funded, staff):
    # 10,000 yuan in the account; eight staff ask for 3,000 yuan each at once.
    def request_and_post(number):
        disbursement = services.disbursement_request(
            match=match,
            account=need_account,
            amount_minor=300_000,
            payee_kind=PayeeKind.HOSPITAL,
            payee_name="吉林大学第一医院",
            invoice_number=f"INV-{number}",
            actor=staff,
        )
        return services.disbursement_post(disbursement=disbursement, actor=staff)

    outcomes = at_once(request_and_post, STAFF)
    refused = [o for o in outcomes if isinstance(o, ValidationError)]
    assert len(refused) == STAFF - 3
    assert Disbursement.objects.filter(status=Disbursement.Status.POSTED).count() == 3
    assert account_balance(account=need_account) == 100_000
    assert not transaction_unbalanced_list().exists()


def test_posting_the_same_payout_at_once_pays_once(match, need_account, funded, staff):
    disbursement = services.disbursement_request(
        match=match,
        account=need_account,
        amount_minor=300_000,
        payee_kind=PayeeKind.SCHOOL,
        payee_name="红旗街小学",
        invoice_number="INV-X",
        actor=staff,
    )
    outcomes = at_once(
        lambda _n: services.disbursement_post(disbursement=disbursement, actor=staff), 4
    )
    codes = [code for _d, code in outcomes if code is not None]
    assert len(codes) == 1  # one post issued the receipt code; the others found it posted
    assert account_balance(account=need_account) == 700_000
