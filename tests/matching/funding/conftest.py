"""Fixtures for funding: a published need of a household with known personal data,
its ledger account, a received donation, staff of the right and the wrong district."""

import pytest
from django.core.cache import cache

from matching.funding.permissions import funding_permissions_sync
from matching.ledger.models import Account
from matching.ledger.services import account_open
from matching.offers.models import Match, MatchStatus, OfferType
from matching.payments.services import donation_create, donation_receive
from matching.publication.services import public_need_derive
from tests.matching.publication import publication_factories as pf

HOUSEHOLD_NAME = "欧阳翠花"
HOUSEHOLD_ADDRESS = "长春市朝阳区红旗街道工农大路 1288 号 3 单元 502 室"


@pytest.fixture(autouse=True)
def _clear_rate_limits():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def places(db):
    tree = pf.places()
    funding_permissions_sync()
    return tree


@pytest.fixture
def case(places):
    return pf.approved_case(
        places["hongqi"], names=[HOUSEHOLD_NAME], address=HOUSEHOLD_ADDRESS, amount="20000.00"
    )


@pytest.fixture
def household_secrets(case):
    """Every piece of the household's personal data a public page must never show."""
    member = case.household.members.first()
    return [HOUSEHOLD_NAME, member.id_number, member.phone, case.contact_phone, "工农大路"]


@pytest.fixture(autouse=True)
def _one_household_is_enough(settings):
    # These tests follow money, not re-identification: with the real k = 5
    # a lone test household is withheld, and a withheld need takes no gifts
    # (its account is capped at 0). The k-check has its own tests.
    settings.PUBLICATION_K = 1


@pytest.fixture
def public_need(case, places):
    # Published, as every need that takes gifts is: a draft's account is
    # capped at 0 (payments.targets), so gifts would overflow.
    return pf.approve(public_need_derive(case=case), pf.staff(places["chaoyang"]))


@pytest.fixture
def need_account(public_need):
    return account_open(
        code=f"need:{public_need.pk}",
        kind=Account.Kind.NEED,
        category="medical",
        earmark_cap_minor=2_000_000,
    )


@pytest.fixture
def make_donation(need_account):
    def make(amount_minor=100_000, target=None, **kwargs):
        donation = donation_create(
            target_code=(target or need_account).code, amount_minor=amount_minor, **kwargs
        )
        return donation_receive(donation=donation, reason="test")

    return make


@pytest.fixture
def donation(make_donation):
    return make_donation(
        100_000, donor_name="捐赠人甲", donor_email="donor-a@example.com", anonymous=False
    )


@pytest.fixture
def staff(places):
    return pf.staff(places["chaoyang"])


@pytest.fixture
def second_staff(places):
    return pf.staff(places["chaoyang"])


@pytest.fixture
def outsider(places):
    """District staff of another district."""
    return pf.staff(places["nanguan"])


@pytest.fixture
def organization(places):
    return pf.organization(places["city"], "长春市慈善总会")


@pytest.fixture
def project(organization):
    return pf.project(organization, "大病救助项目")


@pytest.fixture
def match(case, project, public_need):
    return Match.objects.create(
        need=case,
        offer_type=OfferType.PROJECT,
        project=project,
        score=0.9,
        status=MatchStatus.APPROVED,
    )


@pytest.fixture
def funded(need_account, make_donation):
    """The need's account holds 10,000 yuan from two donations (6,000 then 4,000)."""
    first = make_donation(600_000)
    second = make_donation(400_000)
    return first, second
