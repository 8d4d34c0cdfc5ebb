"""Monthly gifts through Stripe subscriptions: Checkout at stripe-mock, then
signed webhook deliveries in any order and repetition (docs/ledger.md,
"Recurring gifts")."""

import re
import time

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from matching.directory.models import Role
from matching.directory.services import account_create
from matching.ledger.models import Transaction
from matching.ledger.selectors import account_balance, transaction_unbalanced_list
from matching.payments.models import (
    Donation,
    DonationOwner,
    RecurringGift,
    RecurringInstalment,
    StripeEvent,
)
from matching.payments.recurring import recurring_gift_checkout_start
from matching.payments.targets import giving_target_get
from tests.matching.payments import recurring_payloads as rp
from tests.matching.publication import publication_factories as pf

pytestmark = pytest.mark.django_db
AMOUNT = 5_000  # fifty yuan a month


@pytest.fixture
def donor(places):
    return account_create(
        username="li@example.com",
        password="a-long-secret-42",
        role=Role.DONOR,
        jurisdiction=places["city"],
        email="li@example.com",
        full_name="李四",
    )


@pytest.fixture
def project(places):
    org = pf.organization(places["chaoyang"], "阳光助医协会")
    return pf.project(org, "大病帮扶计划")


@pytest.fixture
def gift(donor, project):
    """A monthly gift whose Checkout Session was created at stripe-mock."""
    target = giving_target_get(kind="project", ref=str(project.pk))
    gift, session = recurring_gift_checkout_start(
        user=donor,
        target=target,
        amount_minor=AMOUNT,
        anonymous=True,
        urls_for=lambda gift: ("https://example.org/ok", "https://example.org/back"),
    )
    assert session.url.startswith("https://checkout.stripe.com/")
    return gift


def _instalments(gift):
    return Donation.objects.filter(instalment__recurring_gift=gift).order_by("pk")


def _received_postings(gift):
    keys = [f"donation-{d.pk}-received" for d in _instalments(gift)]
    return Transaction.objects.filter(idempotency_key__in=keys)


def _project_balance(project):
    from matching.ledger.models import Account

    return account_balance(account=Account.objects.get(code=f"project:{project.pk}"))


def test_a_signed_in_donor_starts_a_monthly_gift_at_stripe_checkout(client, donor, project):
    client.force_login(donor)
    url = f"/give/monthly/project/{project.pk}/"
    page = client.get(url)
    assert page.status_code == 200 and "大病帮扶计划" in page.content.decode()
    response = client.post(url, {"amount": "50", "anonymous": "on", "agreed": "on"})
    assert response.status_code == 303
    assert response["Location"].startswith("https://checkout.stripe.com/")
    gift = RecurringGift.objects.get(donor=donor)
    assert (gift.amount_minor, gift.target_code) == (AMOUNT, f"project:{project.pk}")
    assert gift.status == RecurringGift.Status.PENDING
    assert gift.stripe_checkout_session_id.startswith("cs_")
    assert not Donation.objects.exists()  # nothing is counted before an invoice is paid


def test_the_monthly_form_refuses_bad_input_and_needs_consent(client, donor, project):
    client.force_login(donor)
    url = f"/give/monthly/project/{project.pk}/"
    no_consent = client.post(url, {"amount": "50"})
    assert no_consent.status_code == 422 and "请确认同意每月自动扣款" in no_consent.content.decode()
    summary = no_consent.content.decode().split('data-testid="error-summary"')[1].split("</div>")[0]
    assert 'href="#id_agreed"' in summary and "请确认同意每月自动扣款" in summary
    bad = client.post(url, {"amount": "5e3", "agreed": "on"})
    assert bad.status_code == 422 and "请输入有效的金额" in bad.content.decode()
    assert not RecurringGift.objects.exists()


def test_a_visitor_is_asked_to_sign_in_and_needs_are_not_monthly_targets(
    client, project, published_need
):
    page = client.get(f"/give/monthly/project/{project.pk}/").content.decode()
    assert 'data-testid="monthly-login"' in page and "/accounts/signup/donor/" in page
    assert client.get(f"/give/monthly/need/{published_need.pk}/").status_code == 404
    assert client.post("/give/monthly/fund/999/", {"amount": "5"}).status_code == 404


def test_two_invoices_one_delivered_twice_one_out_of_order_make_two_ledger_entries(
    post_event, gift, project
):
    # The second month's invoice arrives first of all, before Stripe has even
    # told us the subscription exists; the first month's comes last, twice,
    # and once more under its other event type.
    second = rp.event("invoice.paid", rp.invoice(gift, 2), created=rp.month(2)[0])
    first = rp.event("invoice.paid", rp.invoice(gift, 1), created=rp.month(1)[0])
    first_again = rp.event("invoice.payment_succeeded", rp.invoice(gift, 1), created=rp.month(1)[0])
    for delivery in [
        second,
        rp.event("checkout.session.completed", rp.checkout_completed(gift)),
        rp.event("customer.subscription.created", rp.subscription(gift), created=rp.month(1)[0]),
        first,
        first,
        first_again,
        second,
    ]:
        assert post_event(delivery).status_code == 200

    instalments = list(_instalments(gift))
    assert len(instalments) == 2
    assert {d.status for d in instalments} == {Donation.Status.SUCCEEDED}
    assert len({d.tracking_code for d in instalments}) == 2  # each its own gift
    assert _received_postings(gift).count() == 2
    assert _project_balance(project) == 2 * AMOUNT
    assert set(
        RecurringInstalment.objects.filter(recurring_gift=gift).values_list(
            "stripe_invoice_id", flat=True
        )
    ) == {f"in_test_{gift.pk}_1", f"in_test_{gift.pk}_2"}
    assert DonationOwner.objects.filter(user=gift.donor).count() == 2
    gift.refresh_from_db()
    assert gift.status == RecurringGift.Status.ACTIVE
    assert gift.stripe_subscription_id == rp.subscription_id(gift)
    # The next charge is after the latest month paid, not the stale subscription event's.
    assert int(gift.current_period_end.timestamp()) == rp.month(2)[1]
    assert StripeEvent.objects.filter(event_id=first["id"]).count() == 1


def test_a_failed_payment_is_shown_and_not_counted_and_a_retry_that_succeeds_is(
    client, post_event, gift, project
):
    post_event(rp.event("customer.subscription.created", rp.subscription(gift)))
    failed = rp.invoice(gift, 1, status="open", amount_paid=0)
    assert post_event(rp.event("invoice.payment_failed", failed)).status_code == 200

    (instalment,) = _instalments(gift)
    assert instalment.status == Donation.Status.FAILED
    assert not _received_postings(gift).exists() and _project_balance(project) == 0
    gift.refresh_from_db()
    assert gift.status == RecurringGift.Status.PAST_DUE and gift.last_failure_at

    client.force_login(gift.donor)
    page = client.get("/accounts/me/").content.decode()
    assert 'data-testid="failed-payments"' in page and "扣款失败" in page
    assert "未计入捐赠" in page and "¥50.00" in page
    assert f"/accounts/me/gifts/{instalment.tracking_code}/receipt.pdf" not in page

    # Stripe retries the same invoice and it is paid: the same gift, counted once.
    post_event(rp.event("invoice.paid", rp.invoice(gift, 1)))
    post_event(rp.event("invoice.payment_failed", failed))  # a stale failure changes nothing
    (instalment,) = _instalments(gift)
    assert instalment.status == Donation.Status.SUCCEEDED
    assert _received_postings(gift).count() == 1 and _project_balance(project) == AMOUNT
    gift.refresh_from_db()
    assert gift.status == RecurringGift.Status.ACTIVE


def test_staff_see_failed_monthly_payments_in_the_admin(client, post_event, gift, places):
    post_event(rp.event("invoice.payment_failed", rp.invoice(gift, 1, amount_paid=0)))
    staff = pf.staff(places["city"], role=Role.CITY_STAFF)
    client.force_login(staff)
    listing = client.get("/admin/payments_recurring_gifts/")
    assert listing.status_code == 200
    page = listing.content.decode()
    assert "扣款失败" in page and "¥50.00" in page


def test_an_invoice_with_another_amount_is_recorded_but_not_posted(post_event, gift):
    post_event(rp.event("invoice.paid", rp.invoice(gift, 1, amount=AMOUNT + 1)))
    assert not _instalments(gift).exists()
    assert StripeEvent.objects.get(type="invoice.paid").outcome == StripeEvent.Outcome.IGNORED


def test_an_invoice_that_is_not_ours_is_unmatched(post_event, gift):
    stranger = rp.invoice(gift, 1, metadata=False, subscription="sub_someone_else")
    post_event(rp.event("invoice.paid", stranger))
    assert StripeEvent.objects.get(type="invoice.paid").outcome == StripeEvent.Outcome.UNMATCHED
    assert not Donation.objects.exists()


def test_cancelling_stops_every_later_ledger_entry(client, post_event, gift, project):
    post_event(rp.event("customer.subscription.created", rp.subscription(gift)))
    post_event(rp.event("invoice.paid", rp.invoice(gift, 1)))
    client.force_login(gift.donor)

    confirm = client.get(f"/accounts/me/monthly/{gift.pk}/cancel/").content.decode()
    assert 'data-testid="confirm-cancel"' in confirm and 'data-testid="keep-recurring"' in confirm
    gift.refresh_from_db()
    assert gift.status == RecurringGift.Status.ACTIVE  # showing the page changes nothing

    response = client.post(f"/accounts/me/monthly/{gift.pk}/cancel/")  # stripe-mock cancels
    assert response.status_code == 302 and response["Location"] == "/accounts/me/"
    again = client.post(f"/accounts/me/monthly/{gift.pk}/cancel/")  # a double click
    assert again.status_code == 302 and again["Location"] == "/accounts/me/"
    gift.refresh_from_db()
    assert gift.status == RecurringGift.Status.CANCEL_REQUESTED and gift.cancelled_at

    now = int(time.time())
    late = rp.invoice(gift, 9, period=(now + 3600, now + 31 * rp.DAY))
    post_event(rp.event("invoice.paid", late))
    post_event(rp.event("customer.subscription.deleted", rp.subscription(gift, status="canceled")))
    stale = rp.subscription(gift, status="active")
    post_event(rp.event("customer.subscription.updated", stale, created=now - 3600))
    post_event(rp.event("invoice.payment_succeeded", late))

    assert _instalments(gift).count() == 1 and _received_postings(gift).count() == 1
    assert _project_balance(project) == AMOUNT
    late_event = StripeEvent.objects.get(type="invoice.paid", payload__data__object__id=late["id"])
    assert late_event.outcome == StripeEvent.Outcome.IGNORED
    gift.refresh_from_db()
    assert gift.status == RecurringGift.Status.CANCELLED
    page = client.get("/accounts/me/").content.decode()
    assert "已取消" in page and 'data-testid="cancel-recurring"' not in page


def test_a_late_invoice_for_a_month_before_the_cancellation_still_counts(
    client, post_event, gift, project
):
    post_event(rp.event("customer.subscription.created", rp.subscription(gift)))
    client.force_login(gift.donor)
    client.post(f"/accounts/me/monthly/{gift.pk}/cancel/")
    post_event(rp.event("invoice.paid", rp.invoice(gift, 1)))  # October, paid before we heard
    assert _received_postings(gift).count() == 1 and _project_balance(project) == AMOUNT


def test_a_donor_cannot_see_or_cancel_someone_elses_monthly_gift(client, post_event, gift, places):
    post_event(rp.event("customer.subscription.created", rp.subscription(gift)))
    other = account_create(
        username="wang@example.com",
        password="a-long-secret-43",
        role=Role.DONOR,
        jurisdiction=places["city"],
        email="wang@example.com",
    )
    client.force_login(other)
    assert client.get(f"/accounts/me/monthly/{gift.pk}/cancel/").status_code == 404
    assert client.post(f"/accounts/me/monthly/{gift.pk}/cancel/").status_code == 404
    assert "大病帮扶计划" not in client.get("/accounts/me/").content.decode()
    gift.refresh_from_db()
    assert gift.status == RecurringGift.Status.ACTIVE


# --- whatever a signed subscription event holds: recorded and applied, never a failure ---

# No NUL (the webhook refuses it, docs/ledger.md) and no lone surrogates (JSON
# from Stripe has none; see the report on the webhook's handling of them).
_text = st.text(st.characters(exclude_categories=["Cs"], exclude_characters="\x00"), max_size=300)
_scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    _text,
)
_values = st.recursive(
    _scalars,
    lambda children: st.lists(children, max_size=3) | st.dictionaries(_text, children, max_size=3),
    max_leaves=8,
)


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    event_type=st.sampled_from(
        [
            "invoice.paid",
            "invoice.payment_succeeded",
            "invoice.payment_failed",
            "customer.subscription.updated",
            "customer.subscription.deleted",
            "checkout.session.completed",
        ]
    ),
    fields=st.dictionaries(
        st.sampled_from(
            [
                "id",
                "status",
                "amount_paid",
                "currency",
                "subscription",
                "customer",
                "payment_intent",
                "lines",
                "current_period_end",
                "canceled_at",
                "payment_status",
            ]
        ),
        _values,
    ),
    ours=st.booleans(),
    pays=st.booleans(),
)
def test_random_subscription_events_never_fail_and_keep_the_ledger_balanced(
    post_event, gift, event_type, fields, ours, pays
):
    obj = {"object": "invoice" if event_type.startswith("invoice") else "subscription", **fields}
    if event_type.startswith("checkout"):
        obj.update(object="checkout.session", mode="subscription")
    if ours:
        obj["metadata"] = {"recurring_gift_id": str(gift.pk)}
        obj["subscription_details"] = {"metadata": obj["metadata"]}
    if pays:  # the amount agreed, so that the random rest reaches the posting
        obj.update(amount_paid=AMOUNT, currency="cny")
    assert post_event(rp.event(event_type, obj)).status_code == 200
    assert not StripeEvent.objects.filter(outcome=StripeEvent.Outcome.FAILED).exists()
    assert not transaction_unbalanced_list().exists()
    for donation in _instalments(gift):
        key = f"donation-{donation.pk}-received"
        assert Transaction.objects.filter(idempotency_key=key).count() <= 1


def test_an_abandoned_subscription_checkout_expires_the_gift(client, post_event, gift):
    expired = {**rp.checkout_completed(gift), "status": "expired", "payment_status": "unpaid"}
    expired.pop("subscription")
    post_event(rp.event("checkout.session.expired", expired))
    gift.refresh_from_db()
    assert gift.status == RecurringGift.Status.EXPIRED
    client.force_login(gift.donor)
    page = client.get("/accounts/me/").content.decode()
    assert "未开通" in page and 'data-testid="cancel-recurring"' not in page


def test_one_form_page_sent_twice_starts_one_monthly_gift(client, donor, project):
    client.force_login(donor)
    url = f"/give/monthly/project/{project.pk}/"
    attempt = re.search(r'name="attempt" value="([^"]+)"', client.get(url).content.decode())[1]
    form = {"amount": "50", "agreed": "on", "attempt": attempt}
    first = client.post(url, form)
    again = client.post(url, form)  # a double click or a reload
    assert first.status_code == again.status_code == 303
    assert RecurringGift.objects.count() == 1
    gift = RecurringGift.objects.get()
    assert again["Location"] in (first["Location"], f"/accounts/me/?monthly={gift.pk}")
    changed = client.post(url, {**form, "amount": "80"})
    assert changed.status_code == 422 and "该页面已提交过另一笔月捐" in changed.content.decode()
    assert RecurringGift.objects.count() == 1


def test_the_monthly_form_is_rate_limited_like_the_giving_page(client, donor, project, settings):
    settings.GIVING_RATE = "1/m"
    client.force_login(donor)
    url = f"/give/monthly/project/{project.pk}/"
    assert client.post(url, {"amount": "x"}).status_code == 422
    assert client.post(url, {"amount": "x"}).status_code == 429


def test_a_monthly_gift_stops_when_its_project_closes_and_the_donor_is_told(
    client, post_event, gift, project, places
):
    """Next month's charge was agreed for this project: when it closes, the
    subscription is cancelled at Stripe (stripe-mock), the donor reads why in
    the inbox, and a charge Stripe still sends for a later month is not booked."""
    from matching.notifications.models import Message
    from matching.offers.models import OfferStatus
    from matching.payments.pledge_tasks import recurring_gifts_closed_targets

    post_event(rp.event("customer.subscription.created", rp.subscription(gift)))
    post_event(rp.event("invoice.paid", rp.invoice(gift, 1)))
    other_project = pf.project(pf.organization(places["chaoyang"], "助学会"), "助学计划")
    other_target = giving_target_get(kind="project", ref=str(other_project.pk))
    other, _session = recurring_gift_checkout_start(
        user=gift.donor,
        target=other_target,
        amount_minor=AMOUNT,
        anonymous=True,
        urls_for=lambda gift: ("https://example.org/ok", "https://example.org/back"),
    )
    post_event(rp.event("customer.subscription.created", rp.subscription(other)))

    assert recurring_gifts_closed_targets.call() == 0  # both projects open: nothing stops
    project.status = OfferStatus.CLOSED
    project.save()
    assert recurring_gifts_closed_targets.call() == 1
    assert recurring_gifts_closed_targets.call() == 0  # a second run stops nothing twice

    gift.refresh_from_db()
    other.refresh_from_db()
    assert gift.status == RecurringGift.Status.CANCEL_REQUESTED and gift.cancelled_at
    assert other.status == RecurringGift.Status.ACTIVE
    (message,) = Message.objects.filter(recipient=gift.donor)
    assert "大病帮扶计划" in message.subject and "50.00" in message.body
    assert "不会再扣款" in message.body

    now = int(time.time())
    post_event(
        rp.event("invoice.paid", rp.invoice(gift, 2, period=(now + 3600, now + 31 * rp.DAY)))
    )
    assert _instalments(gift).count() == 1 and _project_balance(project) == AMOUNT
