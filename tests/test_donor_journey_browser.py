"""Issue 19's whole donor journey in Chromium, on a phone (390x844, with the
navbar's menu button and the filter drawer) and a desktop (1366x900), by
clicking links and buttons only after the home page:

home -> sign in -> the needs listing through the navigation -> filter and sort
-> a need -> give by bank-transfer pledge -> thanks (transfer reference, bank
account, tracking code) -> city staff confirm the pledge (phone: one by one in
the admin's pledge list; desktop: a bank statement CSV, previewed, confirmed)
-> the donor follows the tracking code to the track page (received) -> the
donor's account lists the gift as received with a receipt link.

The phone runs with the Stripe keys blanked (the embedded situation: only the
pledge exists); the desktop runs over stripe-mock and first takes the card path
as far as Stripe Checkout's redirect, then comes back and pledges instead.
"""

import re

import pytest
import requests
from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.urls import reverse
from wagtail.models import Site

from matching.directory.models import Role
from matching.directory.services import account_create, role_groups_sync
from matching.payments.models import Donation, GivingBankSettings
from matching.payments.permissions import payments_permissions_sync
from matching.publication.models import PublicNeed
from matching.publication.services import public_need_derive
from tests.browser_kit import assert_accessible, new_page, shoot
from tests.matching.publication import publication_factories as pf

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

STRIPE_CHECKOUT = re.compile(r"^https://checkout\.stripe\.com/")
DONOR_EMAIL = "wang.fang@example.com"
DONOR_PASSWORD = "a-long-donor-secret-42"
ACCOUNT_NUMBER = "2205 0161 0000 0000 1234"
CHOSEN = "化疗费用快筹满了"


@pytest.fixture(autouse=True)
def _fresh_content_types():
    # A transactional test before this one may have re-created the content types.
    ContentType.objects.clear_cache()
    ContentType.objects.get_for_models(*apps.get_models())


@pytest.fixture
def city(settings):
    """Four published needs (one nearly funded), the bank account pledges go to,
    a donor account and a city-staff user who may confirm pledges."""
    settings.ELASTICSEARCH_URL = ""  # the database listing; the index has its own tests
    settings.ELASTICSEARCH_HOSTS = []
    settings.PUBLICATION_K = 1
    settings.PUBLIC_SEARCH_RATE = ""
    cache.clear()
    places = pf.places()
    needs = {}
    for title, place, categories, raised in [
        ("透析费用求助", "hongqi", ["medical"], 0),
        (CHOSEN, "hongqi", ["medical"], 4500),
        ("南关的住院费用求助", "nanling", ["medical"], 0),
        ("高中学费求助", "hongqi", ["education"], 0),
    ]:
        case = pf.approved_case(places[place], title=title, categories=categories, amount="5000")
        need = public_need_derive(case=case)
        need.save_revision().publish()
        PublicNeed.objects.filter(pk=need.pk).update(raised_amount=raised)
        needs[title] = need
    GivingBankSettings.objects.update_or_create(
        site=Site.objects.get(is_default_site=True),
        defaults={
            "account_name": "长春市慈善总会",
            "bank_name": "中国建设银行长春分行",
            "account_number": ACCOUNT_NUMBER,
        },
    )
    role_groups_sync()
    payments_permissions_sync()
    donor = account_create(
        username=DONOR_EMAIL,
        password=DONOR_PASSWORD,
        role=Role.DONOR,
        jurisdiction=places["city"],
        email=DONOR_EMAIL,
        full_name="王芳",
    )
    staff = pf.staff(places["city"], role=Role.CITY_STAFF)
    yield needs[CHOSEN], donor, staff
    cache.clear()


def _styled(page):
    """Bootstrap's script and styles are in, so the drawer and the menu work."""
    page.wait_for_function(
        "() => window.bootstrap !== undefined && [...document.styleSheets].some("
        "s => (s.href || '').includes('bootstrap.min.css'))"
    )


def _nav(page, size, testid):
    """Follow a navbar entry; on a phone it waits behind the menu button, and
    some entries wait in a dropdown (docs/design.md, "The navbar")."""
    link = page.get_by_test_id(testid)
    if size == "phone":
        assert not link.is_visible()
        page.get_by_test_id("nav-toggle").click()
        # Bootstrap's collapse has finished opening (no click on a moving menu).
        page.wait_for_function(
            "() => document.getElementById('site-nav').classList.contains('show')"
        )
    menu = link.locator("xpath=ancestor::li[contains(@class, 'dropdown')]")
    if menu.count() and not link.is_visible():
        # Under "更多" or the account menu: open it first, as a visitor would.
        menu.locator("[data-bs-toggle=dropdown]").click()
    link.wait_for(state="visible")
    link.click()


def _sign_in_from_home(page, live_server, size):
    page.goto(live_server.url + "/")
    _styled(page)
    assert_accessible(page)
    shoot(page, "journey-home")
    _nav(page, size, "sign-in")
    page.wait_for_url("**/accounts/login/**")
    page.locator("#id_username").fill(DONOR_EMAIL)
    page.locator("#id_password").fill(DONOR_PASSWORD)
    page.locator("form button[type=submit]").last.click()
    page.get_by_test_id("my-account").wait_for(state="attached")
    page.get_by_test_id("brand").click()  # back to the home page
    page.wait_for_url(live_server.url + "/")
    _styled(page)


def _filter_sort_and_open(page, size, need):
    _nav(page, size, "nav-needs")
    page.wait_for_url("**/needs/")
    _styled(page)
    assert page.get_by_test_id("need-card").count() == 4
    assert_accessible(page)
    drawer = page.get_by_test_id("need-filter-drawer")
    if size == "phone":
        assert not page.get_by_test_id("need-filter-submit").is_visible()
        page.get_by_test_id("need-filter-open").click()
        page.wait_for_function(
            "() => document.getElementById('need-filter-drawer').classList.contains('show')"
        )
    drawer.get_by_label("救助类别").select_option("medical")
    drawer.get_by_label("排序").select_option("nearly_funded")
    shoot(page, "journey-filter")
    drawer.get_by_test_id("need-filter-submit").click()
    page.wait_for_url("**/needs/?*")
    _styled(page)
    cards = page.get_by_test_id("need-card")
    assert cards.count() == 3  # the school fees need is filtered out
    assert cards.first.get_by_test_id("need-card-link").inner_text() == CHOSEN  # nearly funded
    assert_accessible(page)
    shoot(page, "journey-listing-filtered")

    cards.first.get_by_test_id("need-card-link").click()
    page.wait_for_url(f"**/needs/{need.pk}/")
    _styled(page)
    assert CHOSEN in page.get_by_role("heading", level=1).inner_text()
    assert_accessible(page)
    shoot(page, "journey-need")
    give = page.get_by_test_id("give-link-phone" if size == "phone" else "give-link")
    give.click()
    page.wait_for_url(f"**/give/need/{need.pk}/")
    assert CHOSEN in page.get_by_test_id("give-target").inner_text()
    assert_accessible(page)
    shoot(page, "journey-give")


def _card_to_stripe_checkout_and_back(page, settings):
    """The donor starts paying by card: the session is created at stripe-mock and
    the browser is sent to its URL. A stand-in for Stripe's hosted page offers,
    as the real one does, the way back to the site's cancel URL; the donor takes
    it and switches to a bank-transfer pledge."""
    sent_to = []
    base = page.url.split("/give/")[0]

    def stripe_page(route):
        sent_to.append(route.request.url)
        card = Donation.objects.get(stripe_checkout_session_id__gt="")
        back = reverse("giving:cancelled", args=[card.tracking_code])
        body = f'<h1>Stripe Checkout</h1><a href="{base}{back}">Back</a>'
        route.fulfill(status=200, content_type="text/html", body=body)

    page.route(STRIPE_CHECKOUT, stripe_page)
    assert page.get_by_test_id("card-disabled").count() == 0  # paying online is offered
    page.get_by_label("捐赠金额（元）").fill("200")
    page.get_by_test_id("give-next").click()
    assert page.get_by_test_id("give-amount").inner_text() == "¥200.00"
    assert page.get_by_test_id("give-method").inner_text() == "在线支付"
    page.get_by_test_id("give-pay").click()
    page.wait_for_url(STRIPE_CHECKOUT)

    card = Donation.objects.get(stripe_checkout_session_id__gt="")
    assert card.status == Donation.Status.PENDING and card.amount_minor == 20_000
    # The session exists at stripe-mock, and the browser went to its URL.
    at_mock = requests.get(
        f"{settings.STRIPE_API_BASE}/v1/checkout/sessions/{card.stripe_checkout_session_id}",
        auth=(settings.STRIPE_SECRET_KEY, ""),
        timeout=10,
    )
    assert at_mock.status_code == 200
    assert len(sent_to) == 1 and sent_to[0] == page.url and STRIPE_CHECKOUT.match(page.url)

    page.get_by_role("link", name="Back").click()
    page.wait_for_url(f"{base}/give/cancelled/{card.tracking_code}/")
    assert page.get_by_test_id("give-cancelled").is_visible()
    assert_accessible(page)
    shoot(page, "journey-cancelled")
    page.get_by_test_id("give-by-transfer").click()
    page.wait_for_url("**/give/need/*/?method=bank_transfer")
    return card


def _pledge(page, size):
    transfer = page.get_by_label("银行转账认捐（先登记，再转账）")
    if size == "desktop":  # came back from Stripe by the cancelled page's transfer link
        assert transfer.is_checked()
    else:  # the embedded situation: no online payment, the pledge is the only way
        assert page.get_by_test_id("card-disabled").is_visible()
        assert page.get_by_label("在线支付（银行卡等）").count() == 0
    page.get_by_label("捐赠金额（元）").fill("300")
    page.get_by_test_id("give-next").click()
    assert page.get_by_test_id("give-amount").inner_text() == "¥300.00"
    assert page.get_by_test_id("give-method").inner_text() == "银行转账认捐"
    assert_accessible(page)
    page.get_by_test_id("give-pay").click()
    page.get_by_test_id("transfer-reference").wait_for()
    pledge = Donation.objects.get(transfer_reference__gt="")
    assert pledge.status == Donation.Status.PENDING and pledge.amount_minor == 30_000
    assert page.get_by_test_id("transfer-reference").inner_text() == pledge.transfer_reference
    assert page.get_by_test_id("bank-account-number").inner_text() == ACCOUNT_NUMBER
    assert page.get_by_test_id("tracking-code").inner_text() == pledge.tracking_code
    assert_accessible(page)
    shoot(page, "journey-thanks")
    return pledge


def _staff_signs_in(page, live_server, staff):
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("input[name=username]", staff.username)
    page.fill("input[name=password]", pf.PASSWORD)
    page.locator("form button[type=submit], form input[type=submit]").last.click()
    page.wait_for_load_state()


def _confirm_one_by_one(page, live_server, pledge):
    page.goto(f"{live_server.url}/admin/payments_pledges/")
    page.get_by_role("link", name=pledge.transfer_reference).click()
    page.get_by_label("银行交易流水号").fill("CCB20261207001")
    page.get_by_role("button", name="确认到账").click()
    page.wait_for_url(f"{live_server.url}/admin/payments_pledges/")
    assert f"认捐 {pledge.transfer_reference} 已确认到账 ¥300.00。" in page.content()
    shoot(page, "journey-staff-confirmed")


def _confirm_by_statement(page, live_server, pledge, tmp_path):
    statement = tmp_path / "statement.csv"
    statement.write_bytes(
        (
            "交易日期,收入金额,交易附言,交易流水号\n"
            f"2026-12-07,300.00,认捐{pledge.transfer_reference},CCB20261207002\n"
            "2026-12-07,88.00,工资,CCB20261207003\n"
        ).encode("gbk")
    )
    page.goto(f"{live_server.url}/admin/payments/statements/upload/")
    page.get_by_label("银行流水文件（CSV 或 XLSX）").set_input_files(str(statement))
    page.get_by_role("button", name="上传并核对").click()
    matched = page.get_by_test_id("statement-matched")
    matched.wait_for()
    assert pledge.transfer_reference in matched.inner_text()  # the preview
    assert "CCB20261207003" in page.get_by_test_id("statement-unmatched").inner_text()
    pledge.refresh_from_db()
    assert pledge.status == Donation.Status.PENDING  # nothing confirmed by a preview
    page.get_by_test_id("statement-confirm-form").get_by_role("button").click()
    page.get_by_test_id("statement-confirmed").wait_for()
    assert "已确认 1 笔认捐到账" in page.content()
    shoot(page, "journey-staff-statement")


@pytest.mark.parametrize("size", ["phone", "desktop"])
def test_the_whole_donor_journey(live_server, browser, city, settings, size, tmp_path):
    need, _donor, staff = city
    if size == "phone":
        settings.STRIPE_SECRET_KEY = settings.STRIPE_WEBHOOK_SECRET = ""
    page = new_page(browser, size)
    try:
        _sign_in_from_home(page, live_server, size)
        _filter_sort_and_open(page, size, need)
        card = _card_to_stripe_checkout_and_back(page, settings) if size == "desktop" else None
        pledge = _pledge(page, size)

        staff_page = new_page(browser, size)
        try:
            _staff_signs_in(staff_page, live_server, staff)
            if size == "phone":
                _confirm_one_by_one(staff_page, live_server, pledge)
            else:
                _confirm_by_statement(staff_page, live_server, pledge, tmp_path)
        finally:
            staff_page.context.close()
        pledge.refresh_from_db()
        assert pledge.status == Donation.Status.SUCCEEDED

        # The donor follows the tracking code from the thanks page.
        page.get_by_test_id("track-link").click()
        page.wait_for_url(f"**/track/{pledge.tracking_code}/")
        assert page.get_by_test_id("gift-status").inner_text() == "已到账"
        assert "¥300.00" in page.get_by_test_id("gift-summary").inner_text()
        assert_accessible(page)
        shoot(page, "journey-track")

        _nav(page, size, "my-account")
        page.wait_for_url("**/accounts/me/")
        gift = page.locator(f'[data-testid="gift"][data-code="{pledge.tracking_code}"]')
        assert gift.get_by_test_id("gift-amount").inner_text() == "¥300.00"
        assert "已到账" in gift.get_by_test_id("gift-status").inner_text()
        receipt = gift.get_by_test_id("receipt-link")
        assert receipt.is_visible()
        assert receipt.get_attribute("href") == reverse(
            "donor:receipt", args=[pledge.tracking_code]
        )
        if card is not None:  # the abandoned card payment is listed, not yet received
            card_item = page.locator(f'[data-testid="gift"][data-code="{card.tracking_code}"]')
            assert "已到账" not in card_item.get_by_test_id("gift-status").inner_text()
        assert page.evaluate("document.documentElement.scrollWidth") <= page.viewport_size["width"]
        assert_accessible(page)
        shoot(page, "journey-account")
    finally:
        page.context.close()
