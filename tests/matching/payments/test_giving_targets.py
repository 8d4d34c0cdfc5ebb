"""Ledger accounts of giving targets: opened on publication, caps kept in step."""

from decimal import Decimal

import pytest

from matching.directory.models import DishonestyRecord
from matching.ledger.models import Account, Transaction
from matching.ledger.selectors import (
    account_summaries,
    account_summary_by_code,
    transaction_entries,
)
from matching.ledger.services import account_open, funds_earmark, transaction_post
from matching.payments.targets import GivingRefused, giving_target_get
from matching.publication.services import public_need_unpublish
from tests.matching.publication import publication_factories as pf

pytestmark = pytest.mark.django_db


def _earmark(account, amount_minor, key):
    clearing = account_open(code="stripe:clearing", kind=Account.Kind.CLEARING)
    return funds_earmark(
        source=clearing, target=account, amount_minor=amount_minor, idempotency_key=key
    )


def test_publishing_a_need_opens_its_account_with_what_it_requires(published_need):
    account = Account.objects.get(code=f"need:{published_need.pk}")
    assert account.kind == Account.Kind.NEED
    assert account.category == "medical"
    assert account.earmark_cap_minor == 500_000


def test_the_cap_follows_the_need_amount(published_need):
    published_need.amount_needed = Decimal("8000.00")
    published_need.save()
    assert Account.objects.get(code=f"need:{published_need.pk}").earmark_cap_minor == 800_000


def test_an_unpublished_need_takes_no_more_and_a_late_payment_overflows(published_need):
    account = Account.objects.get(code=f"need:{published_need.pk}")
    _earmark(account, 100_000, "early")
    public_need_unpublish(need=published_need)
    account.refresh_from_db()
    assert account.earmark_cap_minor == 0
    # A card payment still in flight when the need closed: all of it overflows.
    _earmark(account, 50_000, "late")
    assert transaction_entries(idempotency_key="late") == {
        "stripe:clearing": -50_000,
        "general:medical": 50_000,
    }
    with pytest.raises(GivingRefused) as refused:
        giving_target_get(kind="need", ref=str(published_need.pk))
    assert refused.value.status == 410


def test_a_closed_case_closes_giving(published_need):
    case = published_need.case
    case.status = "closed"
    case.save()
    with pytest.raises(GivingRefused):
        giving_target_get(kind="need", ref=str(published_need.pk))


def test_projects_of_a_dishonest_organization_take_no_gifts(places):
    org = pf.organization(places["chaoyang"], "阳光助医协会")
    project = pf.project(org, "大病帮扶计划")
    target = giving_target_get(kind="project", ref=str(project.pk))
    assert target.code == f"project:{project.pk}" and target.cap_minor is None
    DishonestyRecord.objects.create(
        subject_kind="organization",
        organization=org,
        reason="虚假宣传",
        starts="2020-01-01",
        ends="2099-12-31",
    )
    with pytest.raises(GivingRefused) as refused:
        giving_target_get(kind="project", ref=str(project.pk))
    assert refused.value.status == 403 and "失信" in refused.value.message


@pytest.mark.parametrize(
    ("kind", "ref"),
    [("general", "bogus"), ("need", "999999"), ("need", "abc"), ("planet", "1"), ("fund", "1")],
)
def test_unknown_targets_are_refused(db, kind, ref):
    with pytest.raises(GivingRefused) as refused:
        giving_target_get(kind=kind, ref=ref)
    assert refused.value.status == 404


def test_a_category_general_fund_is_always_open(db):
    target = giving_target_get(kind="general", ref="education")
    assert target.code == "general:education" and target.cap_minor is None
    assert "教育救助" in target.title


def test_summaries_give_raised_disbursed_and_balance(db):
    need = account_open(code="need:1", kind=Account.Kind.NEED, category="medical")
    _earmark(need, 300_000, "gift")
    spent = account_open(code="disbursed", kind=Account.Kind.DISBURSED)
    transaction_post(
        kind=Transaction.Kind.DISBURSEMENT,
        idempotency_key="pay-hospital",
        lines=[(need, -120_000), (spent, 120_000)],
    )
    summary = account_summary_by_code(code="need:1")
    assert (summary.raised_minor, summary.disbursed_minor, summary.balance_minor) == (
        300_000,
        120_000,
        180_000,
    )
    nothing = account_summaries(codes=["need:2"])["need:2"]
    assert (nothing.raised_minor, nothing.disbursed_minor, nothing.balance_minor) == (0, 0, 0)
