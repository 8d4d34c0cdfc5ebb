"""The donor's account page: every kind of gift with its code and status, PDF
receipts of received gifts, claiming past gifts by e-mail, and sign-up."""

import io
import re

import pytest
from django.core import mail
from pypdf import PdfReader

from matching.directory.models import Profile, Role
from matching.directory.services import account_create
from matching.payments.donors import claim_token_make, donation_owner_link
from matching.payments.giving import offline_donation_record
from matching.payments.models import Donation, DonationOwner
from matching.payments.services import donation_create, donation_receive, donation_status_set
from matching.payments.targets import giving_target_get
from tests.matching.payments import recurring_payloads as rp
from tests.matching.publication import publication_factories as pf

pytestmark = pytest.mark.django_db
ANON = {"anonymous": True, "donor_name": "", "donor_email": ""}


def _donor(places, email, name=""):
    return account_create(
        username=email,
        password="a-long-secret-42",
        role=Role.DONOR,
        jurisdiction=places["city"],
        email=email,
        full_name=name,
    )


@pytest.fixture
def donor(places):
    return _donor(places, "li@example.com", "李四")


@pytest.fixture
def project(places):
    return pf.project(pf.organization(places["chaoyang"], "阳光助医协会"), "大病帮扶计划")


def _card_gift(target_code, amount_minor, *, email="", received=True):
    donation = donation_create(
        target_code=target_code, amount_minor=amount_minor, donor_email=email, anonymous=True
    )
    return donation_receive(donation=donation) if received else donation


def _bank_gift(project, reference, amount_minor, *, email=""):
    donation, _created = offline_donation_record(
        target=giving_target_get(kind="project", ref=str(project.pk)),
        channel="bank_transfer",
        reference=reference,
        amount_minor=amount_minor,
        donor={**ANON, "donor_email": email},
        recorded_by=None,
    )
    return donation


def _monthly_instalment(post_event, donor, project):
    from matching.payments.recurring import recurring_gift_checkout_start

    gift, _session = recurring_gift_checkout_start(
        user=donor,
        target=giving_target_get(kind="project", ref=str(project.pk)),
        amount_minor=3_000,
        anonymous=True,
        urls_for=lambda gift: ("https://example.org/ok", "https://example.org/back"),
    )
    post_event(rp.event("customer.subscription.created", rp.subscription(gift)))
    post_event(rp.event("invoice.paid", rp.invoice(gift, 1)))
    return Donation.objects.get(instalment__recurring_gift=gift)


def _gift_items(page):
    return re.findall(r'data-testid="gift" data-code="([^"]+)"', page)


def test_the_account_lists_card_bank_transfer_and_monthly_gifts_with_codes_and_status(
    client, donor, project, published_need, post_event
):
    card = _card_gift(f"need:{published_need.pk}", 20_000)
    donation_owner_link(donation=card, user=donor)
    pending = _card_gift(f"project:{project.pk}", 7_700, received=False)
    donation_owner_link(donation=pending, user=donor)
    bank = _bank_gift(project, "ICBC-001", 150_000)
    donation_owner_link(donation=bank, user=donor)
    monthly = _monthly_instalment(post_event, donor, project)
    someone_elses = _card_gift(f"project:{project.pk}", 99_900)

    client.force_login(donor)
    page = client.get("/accounts/me/").content.decode()
    assert set(_gift_items(page)) == {
        card.tracking_code,
        pending.tracking_code,
        bank.tracking_code,
        monthly.tracking_code,
    }
    assert someone_elses.tracking_code not in page and "¥999.00" not in page
    for donation in (card, bank, monthly):
        assert f'href="/track/{donation.tracking_code}/"' in page
        assert f"/accounts/me/gifts/{donation.tracking_code}/receipt.pdf" in page
    assert f"/accounts/me/gifts/{pending.tracking_code}/receipt.pdf" not in page
    assert "¥200.00" in page and "¥1,500.00" in page and "¥30.00" in page
    assert "已到账" in page and "待支付" in page and "银行转账" in page and "月捐" in page
    assert "帮扶项目：大病帮扶计划" in page  # the earmark in words, not "project:3"
    assert 'data-testid="recurring-gift"' in page and "每月 ¥30.00" in page
    assert "下次扣款" in page


def test_the_receipt_pdf_shows_the_amount_code_earmark_and_issuer(client, donor, project):
    gift = _bank_gift(project, "ICBC-002", 123_456)
    donation_owner_link(donation=gift, user=donor)
    client.force_login(donor)
    response = client.get(f"/accounts/me/gifts/{gift.tracking_code}/receipt.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert "attachment" in response["Content-Disposition"]
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert "¥1,234.56" in text and gift.tracking_code in text
    assert "大病帮扶计划" in text and "长春市民政局" in text and "银行转账" in text


def test_receipts_only_for_the_donors_own_received_gifts(client, donor, project, places):
    pending = _card_gift(f"project:{project.pk}", 5_000, received=False)
    donation_owner_link(donation=pending, user=donor)
    refunded = _card_gift(f"project:{project.pk}", 6_000)
    donation_owner_link(donation=refunded, user=donor)
    donation_status_set(donation=refunded, to_status=Donation.Status.REFUNDED)
    other = _card_gift(f"project:{project.pk}", 8_000)
    donation_owner_link(donation=other, user=_donor(places, "wang@example.com"))
    client.force_login(donor)
    for donation in (pending, refunded, other):
        url = f"/accounts/me/gifts/{donation.tracking_code}/receipt.pdf"
        assert client.get(url).status_code == 404
    client.logout()
    assert client.get(f"/accounts/me/gifts/{other.tracking_code}/receipt.pdf").status_code == 302


def test_a_gift_given_signed_in_is_linked_to_the_account(client, donor, published_need):
    client.force_login(donor)
    url = f"/give/need/{published_need.pk}/"
    form = {"amount": "100", "anonymous": "on"}
    confirm = client.post(url, form).content.decode()
    attempt = re.search(r'name="attempt" value="([^"]+)"', confirm).group(1)
    response = client.post(url, {**form, "confirmed": "True", "attempt": attempt})
    assert response.status_code == 303
    owner = DonationOwner.objects.get()
    assert owner.user == donor and owner.how == DonationOwner.How.SIGNED_IN


def _claim_link(email):
    (message,) = [m for m in mail.outbox if email in m.to]
    return re.search(r"http://testserver(/accounts/me/claim/[^/\s]+/)", message.body).group(1)


def test_claiming_links_every_past_gift_given_with_the_email(client, donor, project):
    first = _card_gift(f"project:{project.pk}", 10_000, email="Li.Old@Example.com")
    second = _bank_gift(project, "ICBC-003", 20_000, email="li.old@example.com")
    stranger = _card_gift(f"project:{project.pk}", 30_000, email="zhao@example.com")
    client.force_login(donor)
    response = client.post("/accounts/me/claim/", {"email": "li.old@example.com"})
    assert response.status_code == 200 and 'data-testid="claim-sent"' in response.content.decode()
    assert not DonationOwner.objects.exists()  # nothing linked before the e-mail is proven

    followed = client.get(_claim_link("li.old@example.com"), follow=True)
    assert "已将 2 笔捐赠关联到您的账户" in followed.content.decode()
    linked = set(DonationOwner.objects.filter(user=donor).values_list("donation", flat=True))
    assert linked == {first.pk, second.pk} and stranger.pk not in linked


def test_the_claim_answer_is_the_same_whether_or_not_gifts_exist(client, donor, project):
    _card_gift(f"project:{project.pk}", 10_000, email="has@example.com")
    client.force_login(donor)
    with_gifts = client.post("/accounts/me/claim/", {"email": "has@example.com"})
    without = client.post("/accounts/me/claim/", {"email": "none@example.com"})
    assert with_gifts.status_code == without.status_code == 200
    strip = lambda r, e: r.content.decode().replace(e, "")  # noqa: E731
    csrf = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"')
    assert csrf.sub("", strip(with_gifts, "has@example.com")) == csrf.sub(
        "", strip(without, "none@example.com")
    )
    assert {tuple(m.to) for m in mail.outbox} == {("has@example.com",), ("none@example.com",)}


def test_a_wrong_expired_or_someone_elses_claim_link_is_refused(
    client, donor, project, places, settings
):
    gift = _card_gift(f"project:{project.pk}", 10_000, email="li.old@example.com")
    other = _donor(places, "wang@example.com")
    token = claim_token_make(user=donor, email="li.old@example.com")

    client.force_login(other)
    refused = client.get(f"/accounts/me/claim/{token}/")
    assert refused.status_code == 400 and "该链接属于另一个账户" in refused.content.decode()
    assert "li.old" not in refused.content.decode()

    client.force_login(donor)
    tampered = client.get(f"/accounts/me/claim/{token[:-2]}xx/")
    assert tampered.status_code == 400 and "该链接无效" in tampered.content.decode()
    settings.DONOR_LINK_MAX_AGE = -1
    expired = client.get(f"/accounts/me/claim/{token}/")
    assert expired.status_code == 400 and "该链接已过期" in expired.content.decode()
    assert not DonationOwner.objects.filter(donation=gift).exists()
    assert gift.tracking_code not in client.get("/accounts/me/").content.decode()


def test_a_claimed_gift_is_never_moved_to_another_account(client, donor, project, places):
    gift = _card_gift(f"project:{project.pk}", 10_000, email="shared@example.com")
    donation_owner_link(donation=gift, user=donor)
    other = _donor(places, "wang@example.com")
    client.force_login(other)
    token = claim_token_make(user=other, email="shared@example.com")
    page = client.get(f"/accounts/me/claim/{token}/", follow=True).content.decode()
    assert "没有找到" in page and gift.tracking_code not in page
    assert DonationOwner.objects.get(donation=gift).user == donor


def test_claiming_is_for_signed_in_donors_and_rate_limited(client, donor, places, settings):
    assert client.get("/accounts/me/claim/").status_code == 302  # to the login page
    staff = pf.staff(places["chaoyang"])
    client.force_login(staff)
    assert client.get("/accounts/me/claim/").status_code == 403
    settings.DONOR_ACCOUNT_RATE = "2/h"
    client.force_login(donor)
    codes = [
        client.post("/accounts/me/claim/", {"email": f"a{n}@example.com"}).status_code
        for n in range(3)
    ]
    assert codes == [200, 200, 429]
    bad = client.post("/accounts/me/claim/", {"email": "not-an-address"})
    assert bad.status_code in (422, 429)


def test_other_roles_keep_their_account_page(client, places):
    staff = pf.staff(places["chaoyang"])
    client.force_login(staff)
    page = client.get("/accounts/me/").content.decode()
    assert 'data-testid="role"' in page and 'data-testid="gifts"' not in page


def _signup_link(email):
    (message,) = [m for m in mail.outbox if email in m.to]
    found = re.search(r"http://testserver(/accounts/signup/donor/confirm/[^/\s]+/)", message.body)
    return found.group(1) if found else None


def test_a_donor_signs_up_and_confirms_by_email(client, places):
    form = {
        "full_name": "陈五",
        "email": "Chen@Example.com",
        "password1": "a-long-secret-42",
        "password2": "a-long-secret-42",
    }
    response = client.post("/accounts/signup/donor/", form)
    assert response.status_code == 200 and 'data-testid="signup-sent"' in response.content.decode()
    assert not client.login(username="chen@example.com", password="a-long-secret-42")
    page = client.get(_signup_link("chen@example.com"), follow=True).content.decode()
    assert "注册完成" in page and 'data-testid="gifts"' in page
    profile = Profile.objects.get(user__email="chen@example.com")
    assert profile.role == Role.DONOR and profile.user.is_active
    assert profile.user.groups.filter(name=Role.DONOR.label).exists()


def test_signing_up_with_a_taken_address_answers_alike_and_creates_nothing(client, donor):
    secret = "x-long-secret-99"
    form = {"email": "li@example.com", "password1": secret, "password2": secret}
    response = client.post("/accounts/signup/donor/", form)
    assert response.status_code == 200 and 'data-testid="signup-sent"' in response.content.decode()
    assert _signup_link("li@example.com") is None  # the mail says the account exists
    donor.refresh_from_db()
    assert donor.check_password("a-long-secret-42")


def test_sign_up_refuses_bad_input_with_a_message_and_bad_links(client, places):
    mismatch = client.post(
        "/accounts/signup/donor/",
        {"email": "x@example.com", "password1": "a-long-secret-42", "password2": "other-42x"},
    )
    assert mismatch.status_code == 422 and "两次输入的密码不一致" in mismatch.content.decode()
    weak = client.post(
        "/accounts/signup/donor/",
        {"email": "x@example.com", "password1": "123", "password2": "123"},
    )
    assert weak.status_code == 422 and not mail.outbox
    bad = client.get("/accounts/signup/donor/confirm/nonsense/")
    assert bad.status_code == 400 and "该链接无效" in bad.content.decode()


def test_the_account_page_in_english_has_no_chinese_of_ours(client, donor, project, settings):
    gift = _bank_gift(project, "ICBC-004", 10_000)
    donation_owner_link(donation=gift, user=donor)
    client.force_login(donor)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get("/accounts/me/").content.decode()
    assert "My gifts" in page and "Download receipt (PDF)" in page and "Claim past gifts" in page
    for chinese in ("我的捐赠", "下载收据", "认领", "月捐", "追踪码", "银行转账", "已到账"):
        assert chinese not in page, chinese


def test_the_account_page_costs_the_same_queries_for_many_gifts(client, donor, project):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(donor)

    def queries_with(count):
        for n in range(count - donor.donations_owned.count()):
            donation_owner_link(donation=_card_gift(f"project:{project.pk}", 100 + n), user=donor)
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/accounts/me/").status_code == 200
        return len(captured)

    # Warm the navbar's cached lookups (public listing pages, site, locale) first.
    assert client.get("/accounts/me/").status_code == 200
    assert queries_with(2) == queries_with(12)
