"""A domain error reads the same on a page, on an admin screen and in the API."""

import pytest
from django.core.cache import cache
from django.test import Client

from matching.core.errors import DomainError, refusal_message
from matching.funding import services as funding_services
from matching.offers.models import Match, MatchStatus
from matching.offers.services import match_decide
from tests.matching.governance.recusal_factories import PASSWORD, accepted_match, staff_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def rejected():
    """A match staff have rejected: approving it is a move the map refuses."""
    setting = accepted_match()
    worker = staff_user(setting["chaoyang"])
    match_decide(match=setting["match"], actor=worker, approve=False, reason="材料不全")
    with pytest.raises(DomainError) as refused:
        match_decide(match=setting["match"], actor=worker, approve=True)
    return {**setting, "worker": worker, "message": refusal_message(refused.value)}


def signed_in(user):
    client = Client()
    assert client.login(username=user.username, password=PASSWORD)
    return client


def test_the_refusal_names_the_move(rejected):
    assert rejected["message"] == "匹配当前为“已驳回”，不能变为“已批准”。"


def test_the_api_answers_a_domain_error_with_its_message(rejected):
    response = signed_in(rejected["worker"]).post(
        f"/api/v1/staff/matches/{rejected['match'].pk}/decision",
        {"decision": "approve", "reason": ""},
        content_type="application/json",
    )
    assert response.status_code == 409
    assert response.json() == {"detail": rejected["message"]}
    assert Match.objects.get(pk=rejected["match"].pk).status == MatchStatus.REJECTED


def test_the_admin_screen_shows_the_same_message(rejected):
    response = signed_in(rejected["worker"]).post(
        f"/admin/matches/review/{rejected['match'].pk}/",
        {"decision": "approve", "reason": ""},
        follow=True,
    )
    assert response.status_code == 200
    assert rejected["message"] in response.text
    assert Match.objects.get(pk=rejected["match"].pk).status == MatchStatus.REJECTED


def test_a_public_page_shows_the_services_message(client):
    cache.clear()  # the confirm page is rate limited per address
    with pytest.raises(DomainError) as refused:
        funding_services.confirmation_confirm(reference="R0000000000", code="123456")
    response = client.post("/confirm/", {"reference": "R0000000000", "code": "123456"})
    assert response.status_code == 400
    assert refusal_message(refused.value) in response.content.decode()
