"""Following a gift: the tracking-code box, the track page saying where the
money is now and linking what it funded, and the home page's live figures."""

import datetime as dt

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from matching.funding import services
from matching.funding.models import PayeeKind
from matching.funding.selectors import public_figures

pytestmark = pytest.mark.django_db


def pay(match, account, staff, amount):
    disbursement = services.disbursement_request(
        match=match,
        account=account,
        amount_minor=amount,
        payee_kind=PayeeKind.HOSPITAL,
        payee_name="吉林大学第一医院",
        invoice_number=f"INV-{amount}",
        actor=staff,
    )
    return services.disbursement_post(disbursement=disbursement, actor=staff)


def test_a_well_formed_code_in_the_box_goes_to_its_tracking_page(client, donation):
    response = client.get(reverse("funding:track_lookup"), {"code": f"  {donation.tracking_code} "})
    assert response.status_code == 302
    assert response["Location"] == reverse("funding:track", args=[donation.tracking_code])


def test_a_malformed_code_stays_in_the_box_with_the_reason_in_chinese_and_in_english(client, db):
    response = client.get(reverse("funding:track_lookup"), {"code": "<script>"})
    text = response.content.decode()
    assert response.status_code == 400
    assert "追踪码由字母、数字、-和_组成" in text and 'data-testid="form-errors"' in text
    assert "&lt;script&gt;" in text and "<script>" not in text.split("<main")[1]

    client.cookies["django_language"] = "en"
    english = client.get(reverse("funding:track_lookup"), {"code": "!!"}).content.decode()
    assert "A tracking code is made of letters, digits" in english


def test_the_empty_box_is_a_page_of_its_own(client, db):
    response = client.get(reverse("funding:track_lookup"))
    assert response.status_code == 200
    assert 'data-testid="track-lookup-form"' in response.content.decode()


def test_the_track_page_names_and_links_the_need_and_says_the_money_waits(
    client, donation, public_need
):
    text = client.get(reverse("funding:track", args=[donation.tracking_code])).content.decode()
    assert "善款已到账，存放在下方定向账户中，尚未拨付。" in text
    assert f'href="/needs/{public_need.pk}/"' in text
    assert public_need.title in text
    held = text.split('data-testid="gift-held">')[1].split("<")[0]
    assert held == "¥1,000.00"


def test_after_payout_and_confirmation_the_page_says_so_plainly(
    client, match, need_account, funded, staff
):
    first, _second = funded  # 6,000 then 4,000 yuan
    _disbursement, (reference, code) = pay(match, need_account, staff, 250_000)
    url = reverse("funding:track", args=[first.tracking_code])
    text = client.get(url).content.decode()
    assert "已拨付 ¥2,500.00，等待受助方确认收到。" in text
    assert text.split('data-testid="gift-held">')[1].startswith("¥3,500.00")

    services.confirmation_confirm(reference=reference, code=code)
    text = client.get(url).content.decode()
    assert "善款已拨付，受助方已确认收到。" in text
    client.cookies["django_language"] = "en"
    english = client.get(url).content.decode()
    assert "The money has been paid out and the recipient has confirmed receipt." in english
    assert "Chaoyang District" in english and "朝阳区" not in english


def test_figures_count_this_months_gifts_and_hold_back_small_payouts(
    match, need_account, funded, staff, settings
):
    settings.PUBLICATION_K = 1  # the funding fixtures publish one lone household
    pay(match, need_account, staff, 100_000)
    figures = public_figures()
    assert figures.needs_open == 1
    assert figures.raised_this_month_minor == 1_000_000  # 6,000 + 4,000 yuan, exact fen
    assert figures.disbursed_this_month_minor is None  # one household < TRANSPARENCY_MIN_NEEDS
    assert figures.households_helped == 1

    settings.TRANSPARENCY_MIN_NEEDS = 1
    settings.PUBLICATION_K = 2
    figures = public_figures()
    assert figures.disbursed_this_month_minor == 100_000
    assert figures.households_helped is None  # fewer than k households


def test_last_months_gifts_do_not_count_this_month(funded):
    next_month = timezone.now() + dt.timedelta(days=32)
    assert public_figures(now=next_month).raised_this_month_minor == 0
    assert public_figures().raised_this_month_minor == 1_000_000


def test_the_home_page_shows_the_figures_and_the_tracking_box(client, funded, settings):
    settings.PUBLICATION_K = 5
    cache.delete("cms:home-figures")
    text = client.get("/").content.decode()
    raised = text.split('data-testid="figure-raised">')[1].split("<")[0]
    assert raised == "¥10,000.00"
    assert 'data-testid="figure-needs-open">1 条' in text
    assert 'data-testid="figure-households">0 户' in text  # nobody paid yet: zero is exact
    assert f'action="{reverse("funding:track_lookup")}"' in text

    client.cookies["django_language"] = "en"
    cache.delete("cms:home-figures")
    english = client.get("/").content.decode()
    assert 'data-testid="figure-needs-open">1 need<' in english
    assert 'data-testid="figure-households">0 households<' in english
