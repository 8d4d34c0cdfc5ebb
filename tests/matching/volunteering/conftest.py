"""A household with known personal data in 朝阳区红旗街道, staff who handle it,
and volunteers who join through the service the join page calls."""

import pytest
from django.core.cache import cache

from matching.cases.models import Case
from matching.offers import services as offers
from tests.matching.cases import case_factories as cf
from tests.matching.publication import publication_factories as pf
from tests.matching.volunteering.volunteering_factories import (
    HOUSEHOLD_ADDRESS,
    HOUSEHOLD_NAME,
    propose,
    register,
)


@pytest.fixture(autouse=True)
def _clear_rate_limits():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def places(db):
    # The case factories' slice of the city: no Wagtail site or workflows needed here.
    return cf.city_tree()


@pytest.fixture
def case(places):
    case = pf.approved_case(
        places["hongqi"],
        title=f"{HOUSEHOLD_NAME}家庭因病求助",
        description=f"{HOUSEHOLD_NAME}住在{HOUSEHOLD_ADDRESS}，需要陪同就医。",
        names=[HOUSEHOLD_NAME],
        address=HOUSEHOLD_ADDRESS,
    )
    Case.objects.filter(pk=case.pk).update(forms=["daily_life"])
    case.refresh_from_db()
    return case


@pytest.fixture
def household_secrets(case):
    """What no volunteer page may ever show: the applicant's name, ID number,
    phones, address (and the case's own title, which names them)."""
    member = case.household.members.first()
    return [
        HOUSEHOLD_NAME,
        member.id_number,
        member.phone,
        case.contact_phone,
        "工农大路",
        case.title,
    ]


@pytest.fixture
def staff(places):
    return pf.staff(places["chaoyang"])


@pytest.fixture
def volunteer(places):
    return register(places, "li@example.com")


@pytest.fixture
def other_volunteer(places):
    return register(places, "wang@example.com", name="王志愿")


@pytest.fixture
def proposal(case, volunteer):
    return propose(case, volunteer)


@pytest.fixture
def task(proposal, volunteer, staff):
    """The volunteer accepted and staff approved: a task they may log hours on."""
    offers.match_respond(match=proposal, actor=volunteer.user, accept=True)
    return offers.match_decide(match=proposal, actor=staff, approve=True, reason="时间合适")


@pytest.fixture
def signed_in(client, volunteer):
    client.force_login(volunteer.user)
    return client
