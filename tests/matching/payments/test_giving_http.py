"""The public giving pages over HTTP: the split shown before paying, bad input,
Checkout against stripe-mock, the no-keys mode, refusals and the rate limit."""

import json
import re

import pytest
from django.core import mail

from matching.directory.models import DishonestyRecord
from matching.ledger.selectors import transaction_entries
from matching.payments.models import Donation
from tests.matching.payments.stripe_payloads import session, stripe_event, stripe_signature
from tests.matching.publication import publication_factories as pf

pytestmark = pytest.mark.django_db

NAMED = {"donor_name": "李明", "donor_email": "liming@example.com"}


def _url(need):
    return f"/give/need/{need.pk}/"


def test_the_page_shows_the_target_its_figures_and_the_policy(client, published_need):
    response = client.get(_url(published_need))
    page = response.content.decode()
    assert response.status_code == 200
    assert published_need.title in page
    assert "如超出该需求尚需金额，超出部分将转入同类别公益总基金（医疗救助公益总基金）" in page
    assert 'data-testid="give-form"' in page and "已筹善款" in page
    # The confirming POST is answered by a redirect to Stripe: CSP must allow it here.
    assert "form-action 'self' https://checkout.stripe.com" in response["Content-Security-Policy"]


def test_the_first_step_shows_the_split_of_the_typed_amount(client, published_need):
    response = client.post(_url(published_need), {"amount": "6,000", "anonymous": "on"})
    page = response.content.decode()
    assert response.status_code == 200
    assert 'data-testid="plan-target">¥5,000.00<' in page
    assert 'data-testid="plan-overflow">¥1,000.00<' in page
    assert "转入医疗救助公益总基金" in page
    assert not Donation.objects.exists()  # nothing before the donor confirms


@pytest.mark.parametrize(
    ("amount", "message"),
    [
        ("", "请输入捐赠金额"),
        ("abc", "请输入有效的金额"),
        ("1e3", "请输入有效的金额"),
        ("NaN", "请输入有效的金额"),
        ("12.345", "金额最多两位小数"),
        ("0", "捐赠金额必须大于零"),
        ("0.00", "捐赠金额必须大于零"),
        ("-50", "捐赠金额必须大于零"),
        ("1000000", "单笔金额不能超过 ¥999,999.99"),
        ("9" * 20, "单笔金额不能超过"),
    ],
)
def test_bad_amounts_are_refused_with_a_message(client, published_need, amount, message):
    data = {"amount": amount, "anonymous": "on", "confirmed": "on"}
    response = client.post(_url(published_need), data)
    assert response.status_code == 422
    assert message in response.content.decode()
    assert not Donation.objects.exists()


def test_a_named_gift_needs_a_name_and_an_email(client, published_need):
    response = client.post(_url(published_need), {"amount": "100"})
    page = response.content.decode()
    assert response.status_code == 422
    assert "实名捐赠请填写姓名" in page and "实名捐赠请填写电子邮箱" in page


def test_confirming_creates_a_checkout_session_and_redirects_to_stripe(client, published_need):
    data = {"amount": "88.50", "confirmed": "on", **NAMED}
    response = client.post(_url(published_need), data)
    donation = Donation.objects.get()
    assert response.status_code == 303
    assert response["Location"].startswith("https://checkout.stripe.com/")
    assert donation.amount_minor == 8850 and donation.status == Donation.Status.PENDING
    assert donation.target_code == f"need:{published_need.pk}"
    assert donation.stripe_checkout_session_id.startswith("cs_")
    assert (donation.donor_name, donation.anonymous) == ("李明", False)


ATTEMPT = re.compile(r'name="attempt" value="([0-9a-f-]{36})"')


def _confirmation(client, need, amount="300"):
    """The confirming form as the confirmation page gives it (hidden fields)."""
    page = client.post(_url(need), {"amount": amount, "anonymous": "on"}).content.decode()
    (attempt,) = ATTEMPT.findall(page)
    return {"amount": amount, "anonymous": "on", "confirmed": "on", "attempt": attempt}


def test_a_confirmation_sent_twice_makes_one_donation_and_one_payment_page(client, published_need):
    data = _confirmation(client, published_need)
    first = client.post(_url(published_need), data)
    second = client.post(_url(published_need), data)  # a double click, a reload
    donation = Donation.objects.get()
    assert first.status_code == second.status_code == 303
    assert second["Location"].startswith("https://checkout.stripe.com/")
    assert donation.amount_minor == 30_000 and donation.status == Donation.Status.PENDING
    # A new visit draws a new page: a second gift is a second donation.
    again = _confirmation(client, published_need)
    assert again["attempt"] != data["attempt"]
    assert client.post(_url(published_need), again).status_code == 303
    assert Donation.objects.count() == 2


def test_a_paid_confirmation_sent_again_shows_the_gift_not_a_new_payment(
    client, published_need, post_event
):
    data = _confirmation(client, published_need)
    client.post(_url(published_need), data)
    donation = Donation.objects.get()
    donation.stripe_payment_intent_id = f"pi_test_{donation.pk}"
    post_event(stripe_event("checkout.session.completed", session(donation)))
    response = client.post(_url(published_need), data)  # the back button, then the button
    assert response.status_code == 303
    assert response["Location"].endswith(f"/give/thanks/{donation.tracking_code}/")
    assert Donation.objects.count() == 1


def test_a_confirmation_sent_after_its_payment_page_expired_offers_to_start_again(
    client, published_need, monkeypatch
):
    import stripe

    data = _confirmation(client, published_need)
    client.post(_url(published_need), data)
    donation = Donation.objects.get()
    # stripe-mock's sessions are always open; Stripe's own expire after 24 hours.
    expired = stripe.checkout.Session.construct_from(
        {"id": donation.stripe_checkout_session_id, "status": "expired", "url": None}, "sk_test"
    )
    monkeypatch.setattr(stripe.checkout.Session, "retrieve", lambda *args, **kwargs: expired)
    response = client.post(_url(published_need), data)
    assert response.status_code == 303
    assert response["Location"].endswith(f"/give/cancelled/{donation.tracking_code}/")
    assert Donation.objects.count() == 1


def test_a_confirmation_edited_to_another_amount_is_refused(client, published_need):
    data = _confirmation(client, published_need)
    client.post(_url(published_need), data)
    response = client.post(_url(published_need), {**data, "amount": "900"})
    assert response.status_code == 422
    assert "该确认页已提交过另一笔捐赠" in response.content.decode()
    assert Donation.objects.get().amount_minor == 30_000


def test_a_completed_checkout_earmarks_and_mails_the_tracking_code(
    client, published_need, post_event, django_capture_on_commit_callbacks
):
    client.post(_url(published_need), {"amount": "6000", "confirmed": "on", **NAMED})
    donation = Donation.objects.get()
    donation.stripe_payment_intent_id = f"pi_test_{donation.pk}"
    with django_capture_on_commit_callbacks(execute=True):
        response = post_event(stripe_event("checkout.session.completed", session(donation)))
    assert response.status_code == 200
    donation.refresh_from_db()
    assert donation.status == Donation.Status.SUCCEEDED
    assert transaction_entries(idempotency_key=f"donation-{donation.pk}-received") == {
        "stripe:clearing": -600_000,
        f"need:{published_need.pk}": 500_000,
        "general:medical": 100_000,
    }
    assert [message.to for message in mail.outbox] == [["liming@example.com"]]
    assert donation.tracking_code in mail.outbox[0].body
    thanks = client.get(f"/give/thanks/{donation.tracking_code}/").content.decode()
    assert donation.tracking_code in thanks and f"/track/{donation.tracking_code}/" in thanks


def test_the_need_page_shows_raised_and_a_give_link(client, published_need, post_event):
    client.post(_url(published_need), {"amount": "1200", "confirmed": "on", "anonymous": "on"})
    donation = Donation.objects.get()
    donation.stripe_payment_intent_id = f"pi_test_{donation.pk}"
    post_event(stripe_event("checkout.session.completed", session(donation)))
    page = client.get(f"/needs/{published_need.pk}/").content.decode()
    assert 'data-testid="funding-raised">¥1,200.00<' in page
    assert f'href="/give/need/{published_need.pk}/"' in page and "我要捐赠" in page


def test_without_stripe_keys_there_is_no_card_giving(client, published_need, settings):
    settings.STRIPE_SECRET_KEY = ""
    settings.STRIPE_WEBHOOK_SECRET = ""
    settings.GIVING_BANK_ACCOUNT_NAME = "长春市慈善总会"
    settings.GIVING_BANK_NAME = "中国工商银行长春分行"
    settings.GIVING_BANK_ACCOUNT_NUMBER = "2201 0000 1111 2222"
    page = client.get(_url(published_need)).content.decode()
    assert "暂未开通在线支付" in page and "2201 0000 1111 2222" in page
    # Only the pledge is offered: the method is carried, not asked.
    assert 'name="method" value="bank_transfer"' in page and 'value="card"' not in page
    data = {"amount": "100", "confirmed": "on", "anonymous": "on"}
    response = client.post(_url(published_need), data)
    assert response.status_code == 403 and "未启用在线支付" in response.content.decode()
    assert not Donation.objects.exists()


def test_a_stripe_outage_is_a_message_not_a_500(client, published_need, settings):
    import stripe

    settings.STRIPE_API_BASE = "http://127.0.0.1:9"  # nothing listens there
    stripe.api_base, before = "http://127.0.0.1:9", stripe.api_base
    try:
        data = {"amount": "100", "confirmed": "on", "anonymous": "on"}
        response = client.post(_url(published_need), data)
    finally:
        stripe.api_base = before
    assert response.status_code == 503
    assert "暂时无法连接支付服务" in response.content.decode()


def test_closed_and_dishonest_targets_are_refused(client, published_need, places):
    case = published_need.case
    case.status = "closed"
    case.save()
    response = client.get(_url(published_need))
    assert response.status_code == 410 and "该求助已结束" in response.content.decode()
    org = pf.organization(places["chaoyang"], "失信基金会")
    project = pf.project(org, "助学计划")
    DishonestyRecord.objects.create(
        organization=org, reason="挪用善款", starts="2020-01-01", ends="2099-12-31"
    )
    response = client.post(f"/give/project/{project.pk}/", {"amount": "100", "anonymous": "on"})
    assert response.status_code == 403 and "失信" in response.content.decode()
    assert client.get("/give/general/nonsense/").status_code == 404


@pytest.mark.parametrize(
    "path",
    [
        "/give/need/²/",
        "/give/project/①/",
        "/give/fund/٣/",
        "/give/fund/" + "9" * 5000 + "/",
        "/give/need/" + "9" * 19 + "/",
        "/give/need/-1/",
    ],
)
def test_a_reference_that_is_not_a_plain_number_is_not_found(client, db, path):
    response = client.get(path)
    assert response.status_code == 404
    assert "未找到该捐赠对象" in response.content.decode()


def test_the_form_is_rate_limited(client, published_need, settings):
    settings.GIVING_RATE = "3/d"
    codes = [client.post(_url(published_need), {"amount": "abc"}).status_code for _ in range(4)]
    assert codes == [422, 422, 422, 429]


def test_unknown_tracking_codes_are_404(client, db):
    assert client.get("/give/thanks/not-a-code/").status_code == 404
    assert client.get("/give/cancelled/not-a-code/").status_code == 404


def test_the_webhook_payload_is_signed_like_stripe(db):
    # The helper the browser test uses: verified by the SDK itself.
    import stripe

    body = json.dumps(stripe_event("ping", {}))
    header = stripe_signature(body, secret="whsec_x")
    assert stripe.Webhook.construct_event(body, header, "whsec_x")["type"] == "ping"


def test_projects_and_funds_show_their_figures_and_a_give_link(client, places):
    from decimal import Decimal

    from matching.offers.models import Fund
    from matching.payments.giving import offline_donation_record
    from matching.payments.targets import giving_target_get

    org = pf.organization(places["chaoyang"], "春晖助学会")
    project = pf.project(org, "春晖助学计划")
    fund = Fund.objects.create(
        organization=org,
        name="春晖教育基金",
        categories=["education"],
        balance=Decimal("0"),
        max_per_case=Decimal("2000.00"),
    )
    offline_donation_record(
        target=giving_target_get(kind="fund", ref=str(fund.pk)),
        channel="bank_transfer",
        reference="ICBC-77",
        amount_minor=250_000,
        donor={"anonymous": True, "donor_name": "", "donor_email": ""},
        recorded_by=None,
    )
    page = client.get("/projects/").content.decode()
    assert f'href="/give/project/{project.pk}/"' in page
    assert f'href="/give/fund/{fund.pk}/"' in page and "春晖教育基金" in page
    assert 'data-testid="funding-raised">¥2,500.00<' in page
    give = client.get(f"/give/fund/{fund.pk}/").content.decode()
    assert "春晖教育基金" in give and "¥2,500.00" in give
