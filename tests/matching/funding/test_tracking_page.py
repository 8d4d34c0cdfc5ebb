"""The public tracking page: a gift's path by its tracking code, and nothing personal."""

import pytest
from django.test import override_settings
from django.urls import reverse

pytestmark = pytest.mark.django_db


def track_url(code):
    return reverse("funding:track", args=[code])


def test_a_received_donation_shows_where_its_money_was_earmarked(client, donation):
    response = client.get(track_url(donation.tracking_code))
    text = response.content.decode()
    assert response.status_code == 200
    assert "已收到" in text
    assert "¥1,000.00" in text
    assert 'data-testid="step-donation"' in text
    assert "医疗救助" in text  # the category
    assert "朝阳区" in text  # the district, from the published need


def test_money_beyond_the_need_is_shown_going_to_the_general_fund(client, make_donation):
    donation = make_donation(2_500_000)
    text = client.get(track_url(donation.tracking_code)).content.decode()
    assert "¥20,000.00" in text  # to the need (its cap)
    assert "¥5,000.00" in text  # the rest, to the category's general fund
    assert "类别总基金" in text


def test_an_unknown_code_is_a_friendly_404_in_chinese(client, db):
    response = client.get(track_url("no-such-code"))
    assert response.status_code == 404
    assert "未找到该追踪码" in response.content.decode()


def test_the_page_shows_no_donor_contact_details(client, donation):
    text = client.get(track_url(donation.tracking_code)).content.decode()
    assert "donor-a@example.com" not in text
    assert "捐赠人甲" not in text


@override_settings(FUNDING_TRACK_RATE="3/d")
def test_the_tracking_page_is_rate_limited(client, donation):
    codes = [client.get(track_url(donation.tracking_code)).status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]


def test_the_steps_are_in_english_when_the_visitor_chose_english(client, donation):
    client.cookies["django_language"] = "en"
    text = client.get(track_url(donation.tracking_code)).content.decode()
    assert "Donation received for this target" in text
    assert "定向入账" not in text
