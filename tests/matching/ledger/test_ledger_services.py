from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from matching.ledger.models import Account, Transaction
from matching.ledger.money import format_yuan, minor_to_yuan, yuan_to_minor
from matching.ledger.selectors import (
    account_balance,
    account_earmarked_total,
    account_room,
    account_summary,
    allocation_plan,
    allocation_policy_text,
    transaction_unbalanced_list,
)
from matching.ledger.services import (
    account_cap_set,
    account_open,
    funds_earmark,
    transaction_post,
    transaction_reverse,
)

pytestmark = pytest.mark.django_db


def test_yuan_parse_and_display_use_integers_and_decimal_only():
    assert yuan_to_minor("5,000") == 500_000
    assert yuan_to_minor(Decimal("12.34")) == 1234
    assert minor_to_yuan(1234) == Decimal("12.34")
    assert format_yuan(123456) == "¥1,234.56"
    with pytest.raises(ValueError):
        yuan_to_minor("1.001")


def test_a_balanced_transaction_moves_money_and_balances_are_derived(clearing, need_account):
    posted, created = transaction_post(
        kind=Transaction.Kind.DONATION,
        idempotency_key="k1",
        lines=[(clearing, -10_000), (need_account, 10_000)],
    )
    assert created and posted.entries.count() == 2
    assert account_balance(account=need_account) == 10_000
    assert account_balance(account=clearing) == -10_000


def test_posting_the_same_key_twice_posts_once(clearing, need_account):
    lines = [(clearing, -100), (need_account, 100)]
    first, _ = transaction_post(kind="donation", idempotency_key="same", lines=lines)
    again, created = transaction_post(kind="donation", idempotency_key="same", lines=lines)
    assert again == first and not created
    assert account_balance(account=need_account) == 100


@pytest.mark.parametrize("lines_amounts", [(-100, 99), (100,), (-100.0, 100.0)])
def test_the_service_refuses_unbalanced_or_non_integer_lines(clearing, need_account, lines_amounts):
    lines = list(zip([clearing, need_account], lines_amounts, strict=False))
    with pytest.raises(ValidationError):
        transaction_post(kind="donation", idempotency_key="bad", lines=lines)
    assert not Transaction.objects.exists()


def test_earmarking_fills_the_cap_and_sends_the_rest_to_the_category_fund(clearing, need_account):
    funds_earmark(source=clearing, target=need_account, amount_minor=450_000, idempotency_key="d1")
    funds_earmark(source=clearing, target=need_account, amount_minor=80_000, idempotency_key="d2")
    general = Account.objects.get(code="general:medical")
    assert account_balance(account=need_account) == 500_000
    assert account_balance(account=general) == 30_000
    assert account_room(account=need_account) == 0
    assert not transaction_unbalanced_list().exists()


def test_the_displayed_plan_and_policy_name_the_overflow_fund(clearing, need_account):
    funds_earmark(source=clearing, target=need_account, amount_minor=499_500, idempotency_key="d1")
    plan = allocation_plan(account=need_account, amount_minor=2_000)
    assert (plan.to_target_minor, plan.to_overflow_minor) == (500, 1_500)
    assert plan.overflow_code == "general:medical"
    assert "general:medical" in allocation_policy_text(account=need_account)


def test_an_uncapped_general_fund_takes_everything(clearing):
    fund = account_open(code="general:education", kind=Account.Kind.GENERAL, category="education")
    funds_earmark(source=clearing, target=fund, amount_minor=10**9, idempotency_key="big")
    assert account_balance(account=fund) == 10**9


def test_a_reversal_undoes_a_transaction_and_reopens_room(clearing, need_account):
    original, _ = funds_earmark(
        source=clearing, target=need_account, amount_minor=600_000, idempotency_key="d1"
    )
    transaction_reverse(original=original, idempotency_key="d1-reversed")
    assert account_balance(account=need_account) == 0
    assert account_earmarked_total(account=need_account) == 0
    assert account_room(account=need_account) == 500_000
    assert account_balance(account=Account.objects.get(code="general:medical")) == 0


def test_the_summary_shows_raised_disbursed_and_balance(clearing, need_account):
    funds_earmark(source=clearing, target=need_account, amount_minor=300_000, idempotency_key="d1")
    disbursed = account_open(code="disbursed", kind=Account.Kind.DISBURSED)
    transaction_post(
        kind=Transaction.Kind.DISBURSEMENT,
        idempotency_key="pay1",
        lines=[(need_account, -120_000), (disbursed, 120_000)],
    )

    summary = account_summary(account=need_account)

    assert (summary.raised_minor, summary.disbursed_minor, summary.balance_minor) == (
        300_000,
        120_000,
        180_000,
    )
    # Spending the need's money does not reopen room under its cap.
    assert account_room(account=need_account) == 200_000


def test_lowering_a_cap_below_what_was_earmarked_leaves_no_room(clearing, need_account):
    funds_earmark(source=clearing, target=need_account, amount_minor=300_000, idempotency_key="d1")
    need_account = account_cap_set(account=need_account, earmark_cap_minor=200_000)

    assert account_room(account=need_account) == 0
    funds_earmark(source=clearing, target=need_account, amount_minor=5_000, idempotency_key="d2")
    assert account_balance(account=need_account) == 300_000


def test_an_account_code_follows_the_pattern():
    with pytest.raises(ValidationError):
        account_open(code="Need 17", kind=Account.Kind.NEED)
