"""``manage.py seed_demo``: what a visitor and staff see in the demo city afterwards."""

import io
import re

import pytest
from django.core.management import call_command

from matching.cases.models import Case, DiscoveryReport, Household, Member
from matching.funding.models import Disbursement, InKindGift, ReceiptConfirmation, VolunteerHours
from matching.ledger.models import Transaction
from matching.notifications.models import Message
from matching.offers.models import Match, Volunteer
from matching.organizations.models import PeriodicReport, Vetting
from matching.payments.models import Donation
from matching.publication.models import PublicNeed
from search import indexer, indices
from search.public_needs import PUBLIC_NEEDS

pytestmark = [pytest.mark.django_db, pytest.mark.elasticsearch]

NEED_LINK = re.compile(r'href="/needs/(\d+)/"')
MODELS = [
    Case,
    Household,
    Member,
    PublicNeed,
    Donation,
    Match,
    Volunteer,
    Disbursement,
    ReceiptConfirmation,
    InKindGift,
    VolunteerHours,
    Transaction,
    Vetting,
    PeriodicReport,
    DiscoveryReport,
    Message,
]


@pytest.fixture
def public_index(es_client):
    es_client.indices.delete(
        index=indices.index_name("public-needs") + "*", ignore_unavailable=True
    )
    indices.ensure(PUBLIC_NEEDS)
    yield indices.read_alias("public-needs")


@pytest.fixture
def demo(public_index, es_client):
    call_command("seed_demo", stdout=io.StringIO())
    indexer.drain()
    es_client.indices.refresh(index=public_index)


def _text(html):
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def _personal_data():
    values = set()
    for member in Member.objects.all():
        values |= {member.name, member.id_number, member.phone}
    for household in Household.objects.all():
        values.add(household.address)
    for case in Case.objects.all():
        values.add(case.contact_phone)
    return {value for value in values if value}


def test_the_public_listing_shows_needs_without_personal_data(demo, client):
    response = client.get("/needs/")
    assert response.status_code == 200
    shown = set(NEED_LINK.findall(response.text))
    assert len(shown) >= 10
    assert f"共 {PublicNeed.objects.filter(live=True, withheld=False).count()} 条求助" in _text(
        response.text
    )
    pages = [response.text] + [client.get(f"/needs/{pk}/").text for pk in sorted(shown)]
    leaked = {value for value in _personal_data() for page in pages if value in page}
    assert leaked == set()


def test_gifts_and_payouts_show_on_the_transparency_and_tracking_pages(demo, client):
    # Each test seeds the whole city (~25 s), so the money checks share one.
    response = client.get("/transparency/")
    assert response.status_code == 200
    totals = re.search(r"合计 ¥([\d,.]+) ¥([\d,.]+)", _text(response.text))
    raised, disbursed = (int(float(t.replace(",", "")) * 100) for t in totals.groups())
    gifts = Donation.objects.filter(status=Donation.Status.SUCCEEDED)
    paid = Disbursement.objects.filter(status=Disbursement.Status.POSTED)
    assert raised == sum(gifts.values_list("amount_minor", flat=True)) > 0
    # Donors' money only: the government fund's payout is a supervision figure (docs/funding.md).
    social = paid.exclude(match__fund__source="government")
    assert disbursed == sum(social.values_list("amount_minor", flat=True)) > 0
    government = paid.get(match__fund__ref="DEMO-GF-1")
    assert government.match.fund.name == "朝阳区临时救助资金"
    assert government.payee_kind == "household" and government.amount_minor > 0
    # And one of its proposals waits for the department's answer (docs/funding.md).
    assert Match.objects.filter(fund__ref="DEMO-GF-1", status="proposed").exists()

    payout = paid.get(payee_kind="hospital")
    assert payout.invoice_number
    assert ReceiptConfirmation.objects.get(disbursement=payout).confirmed_at is not None
    need = PublicNeed.objects.get(case=payout.match.need)
    gift = gifts.filter(target_code=f"need:{need.pk}").order_by("pk").first()
    text = _text(client.get(f"/track/{gift.tracking_code}/").text)
    assert "已拨付" in text
    assert "受助方已确认收到" in text
    assert "¥1,200.00" in text  # the part of this gift the hospital was paid

    assert Match.objects.filter(status="approved", project__isnull=False).exists()
    assert InKindGift.objects.filter(status=InKindGift.Status.DELIVERED).exists()
    assert VolunteerHours.objects.filter(status=VolunteerHours.Status.CONFIRMED).count() >= 2
    assert gifts.filter(channel=Donation.Channel.CASH, anonymous=True).exists()
    assert gifts.filter(target_code__startswith="project:").exists()


def test_running_it_again_creates_nothing(demo):
    # Discovery reports wait in triage: one emergency, one overdue, one anonymous, and
    # the volunteer has a message (the same seeding, so no extra run). The staff's alerts
    # are sent after commit, which the test's transaction never reaches.
    pending = DiscoveryReport.objects.filter(status=DiscoveryReport.Status.PENDING)
    assert any(r.urgency == "emergency" and not r.triage_overdue for r in pending)
    assert any(r.triage_overdue for r in pending)
    assert any(r.anonymous for r in pending)
    assert Message.objects.filter(recipient__username="volunteer").exists()
    before = {model.__name__: model.objects.count() for model in MODELS}
    call_command("seed_demo", stdout=io.StringIO())
    assert {model.__name__: model.objects.count() for model in MODELS} == before
