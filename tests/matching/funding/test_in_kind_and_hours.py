"""In-kind gifts (with their own tracking code) and volunteer hours."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from matching.core.errors import DomainError, refusal_message
from matching.directory.models import Role
from matching.directory.services import account_create
from matching.funding import selectors, services
from matching.funding.models import InKindGift, VolunteerHours
from matching.offers.models import Match, MatchStatus, OfferType
from tests.matching.publication import publication_factories as pf
from tests.matching_city import volunteer

pytestmark = pytest.mark.django_db


def record(staff, public_need, **kwargs):
    values = {
        "items": "轮椅",
        "quantity": Decimal("1"),
        "unit": "台",
        "estimated_value_minor": 120_000,
        "need": public_need,
        "donor_name": "某爱心企业",
        "anonymous": False,
    }
    values.update(kwargs)
    return services.in_kind_gift_record(actor=staff, **values)


def test_an_in_kind_gift_is_delivered_confirmed_and_tracked(client, staff, public_need):
    gift = record(staff, public_need)
    assert gift.status == InKindGift.Status.PENDING
    gift, (reference, code) = services.in_kind_gift_deliver(gift=gift, actor=staff)
    assert gift.status == InKindGift.Status.DELIVERED
    services.confirmation_confirm(reference=reference, code=code)
    gift.refresh_from_db()
    assert gift.status == InKindGift.Status.CONFIRMED
    text = client.get(reverse("funding:track", args=[gift.tracking_code])).content.decode()
    assert "轮椅 1台" in text
    assert "¥1,200.00" in text
    assert "已送达" in text and "受助方已确认收到" in text
    assert "朝阳区" in text


@pytest.mark.parametrize("target", ["none", "both"])
def test_an_in_kind_gift_needs_exactly_one_target(staff, public_need, project, target):
    kwargs = {"need": None} if target == "none" else {"project": project}
    with pytest.raises(ValidationError, match="二选一"):
        record(staff, public_need, **kwargs)
    assert not InKindGift.objects.exists()


def test_an_in_kind_gift_to_a_project_needs_no_household_code(staff, project):
    gift = record(staff, None, need=None, project=project)
    _gift, issued = services.in_kind_gift_deliver(gift=gift, actor=staff)
    assert issued is None


def test_staff_of_another_district_cannot_record_for_the_need(outsider, public_need):
    with pytest.raises(PermissionDenied):
        record(outsider, public_need)


def test_a_bad_quantity_or_value_is_refused(staff, public_need):
    with pytest.raises(ValidationError):
        record(staff, public_need, quantity=Decimal("0"))
    with pytest.raises(ValidationError, match="整数"):
        record(staff, public_need, estimated_value_minor=12.5)


def volunteer_for(organization, places):
    user = account_create(
        username=f"volunteer-{organization.pk}",
        password=pf.PASSWORD,
        role=Role.VOLUNTEER,
        jurisdiction=places["chaoyang"],
        organization=organization,
    )
    return volunteer(
        f"V-{organization.pk}", at=(43.87, 125.30), organization=organization, user=user
    )


@pytest.fixture
def volunteer_match(case, places, organization):
    helper = volunteer_for(organization, places)
    return Match.objects.create(
        need=case,
        offer_type=OfferType.VOLUNTEER,
        volunteer=helper,
        score=0.5,
        status=MatchStatus.APPROVED,
    )


def log(volunteer_match, actor, hours="2.5", days_ago=1):
    return services.volunteer_hours_log(
        volunteer=volunteer_match.volunteer,
        match=volunteer_match,
        date=datetime.date.today() - datetime.timedelta(days=days_ago),
        hours=Decimal(hours),
        actor=actor,
        note="陪同就医",
    )


def test_hours_are_confirmed_by_the_volunteers_organization_and_totalled(
    volunteer_match, staff, organization, places
):
    admin = pf.charity_user(organization, role=Role.CHARITY_ADMIN)
    member = pf.charity_user(organization, role=Role.CHARITY_MEMBER)
    first = log(volunteer_match, staff, "2.5")
    second = log(volunteer_match, volunteer_match.volunteer.user, "1.25", days_ago=2)
    rejected = log(volunteer_match, staff, "3")
    with pytest.raises(PermissionDenied):
        services.volunteer_hours_decide(entry=first, actor=member, confirm=True)
    with pytest.raises(PermissionDenied):
        services.volunteer_hours_decide(entry=first, actor=staff, confirm=True)
    services.volunteer_hours_decide(entry=first, actor=admin, confirm=True)
    services.volunteer_hours_decide(entry=second, actor=admin, confirm=True)
    with pytest.raises(ValidationError, match="理由"):
        services.volunteer_hours_decide(entry=rejected, actor=admin, confirm=False)
    services.volunteer_hours_decide(entry=rejected, actor=admin, confirm=False, reason="重复登记")
    assert VolunteerHours.objects.get(pk=rejected.pk).status == VolunteerHours.Status.REJECTED
    totals = selectors.volunteer_hours_totals()
    assert totals[volunteer_match.volunteer.pk] == Decimal("3.75")


def test_another_organizations_admin_cannot_confirm(volunteer_match, staff, places):
    other = pf.organization(places["city"], "另一家社工站")
    admin = pf.charity_user(other, role=Role.CHARITY_ADMIN)
    entry = log(volunteer_match, staff)
    with pytest.raises(PermissionDenied):
        services.volunteer_hours_decide(entry=entry, actor=admin, confirm=True)


@pytest.mark.parametrize("hours", ["0", "24.5", "-1"])
def test_impossible_hours_are_refused(volunteer_match, staff, hours):
    with pytest.raises(ValidationError):
        log(volunteer_match, staff, hours)
    assert not VolunteerHours.objects.exists()


def test_hours_in_the_future_or_by_a_stranger_are_refused(volunteer_match, staff, outsider):
    with pytest.raises(ValidationError, match="晚于今天"):
        log(volunteer_match, staff, days_ago=-1)
    with pytest.raises(PermissionDenied):
        log(volunteer_match, outsider)


def test_confirmed_hours_reach_the_transparency_page_merged_when_the_cell_is_small(
    client, volunteer_match, staff, organization, public_need
):
    import csv
    import io

    admin = pf.charity_user(organization, role=Role.CHARITY_ADMIN)
    services.volunteer_hours_decide(
        entry=log(volunteer_match, staff, "2"), actor=admin, confirm=True
    )
    log(volunteer_match, staff, "5")  # not confirmed: not counted
    body = client.get(reverse("funding:transparency_csv")).content.decode("utf-8-sig")
    rows = {(row[0], row[1]): row for row in csv.reader(io.StringIO(body))}
    # One need in 朝阳区 (fewer than 3): merged into 其他 x 其他.
    assert rows[("其他", "其他")][6] == "2.00"
    assert rows[("合计", "")][6] == "2.00"
    assert "朝阳区" not in body


def test_a_gift_is_delivered_once_and_only_a_delivered_gift_is_confirmed(staff, public_need):
    gift = record(staff, public_need)
    gift, (reference, code) = services.in_kind_gift_deliver(gift=gift, actor=staff)
    with pytest.raises(DomainError) as refused:
        services.in_kind_gift_deliver(gift=gift, actor=staff)
    assert refusal_message(refused.value) == "该物资已登记送达。"
    # A receipt confirmed for a gift no longer delivered leaves the gift as it is.
    InKindGift.objects.filter(pk=gift.pk).update(status=InKindGift.Status.PENDING)
    services.confirmation_confirm(reference=reference, code=code)
    gift.refresh_from_db()
    assert gift.status == InKindGift.Status.PENDING


def test_decided_hours_cannot_be_decided_again(volunteer_match, staff, organization):
    admin = pf.charity_user(organization, role=Role.CHARITY_ADMIN)
    entry = services.volunteer_hours_decide(
        entry=log(volunteer_match, staff), actor=admin, confirm=False, reason="日期有误"
    )
    with pytest.raises(DomainError) as refused:
        services.volunteer_hours_decide(entry=entry, actor=admin, confirm=True)
    assert refusal_message(refused.value) == "该记录已处理。"
    entry.refresh_from_db()
    assert entry.status == VolunteerHours.Status.REJECTED
