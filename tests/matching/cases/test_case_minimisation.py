"""Data minimisation on the staff screens: each role sees what its task needs.

A department liaison answering a referral sees no full ID number or phone of
any household member (a minor included), nor the address; staff see ID
numbers masked on the case page, and reveal one member's full number by an
explicit, audited POST that a liaison cannot make."""

import datetime as dt

import pytest
from case_factories import PASSWORD, case, department, id_number, liaison, staff
from django.utils import timezone

from matching.audit.models import AuditEntry
from matching.cases import services
from matching.cases.models import CaseStatus, Member
from matching.directory.models import Role
from matching.directory.services import role_groups_sync

pytestmark = pytest.mark.django_db

ADDRESS = "长春市朝阳区红旗街道工农大路 1288 号 3 单元 502 室"
MOTHER_PHONE = "13804310001"
SON_PHONE = "13904310077"


@pytest.fixture(autouse=True)
def _groups(db):
    role_groups_sync()
    services.case_permissions_sync()


def login(client, user):
    assert client.login(username=user.username, password=PASSWORD)
    return client


def years_ago(*, years):
    today = timezone.localdate()
    return today.replace(year=today.year - years, day=min(today.day, 28))


@pytest.fixture
def household_case(places):
    """A mother, an adult son and a 9-year-old grandchild, under review."""
    members = [
        {
            "name": "王秀兰",
            "id_number": id_number(born=dt.date(1958, 9, 20), male=False),
            "relation": Member.Relation.SELF,
            "phone": MOTHER_PHONE,
        },
        {
            "name": "李建军",
            "id_number": id_number(born=dt.date(1986, 7, 9)),
            "relation": Member.Relation.CHILD,
            "phone": SON_PHONE,
        },
        {
            "name": "李小雨",
            "id_number": id_number(born=years_ago(years=9), male=False),
            "relation": Member.Relation.GRANDCHILD,
            "phone": "",
        },
    ]
    return case(places["hongqi"], status=CaseStatus.UNDER_REVIEW, members=members)


def masked(number):
    return number[:4] + "*" * (len(number) - 8) + number[-4:]


def _reveals(member):
    return AuditEntry.objects.filter(
        action=AuditEntry.Action.READ_PERSONAL_DATA,
        object_type="cases.member",
        object_id=str(member.pk),
    )


def test_the_liaison_sees_no_full_id_number_phone_or_address(client, places, household_case):
    health = department("health", places["chaoyang"])
    referral = services.referral_create(
        case=household_case, department=health, category="medical", actor=staff(places["chaoyang"])
    )
    page = login(client, liaison(health)).get(f"/admin/cases/referral/{referral.pk}/answer/")
    assert page.status_code == 200
    html = page.content.decode()
    members = list(household_case.household.members.all())
    assert len(members) == 3 and any(m.age < 18 for m in members)
    for member in members:
        assert member.name in html  # who the referral is about
        assert member.id_number not in html
        assert masked(member.id_number) in html
        assert member.id_number[6:14] not in html  # no birth date either
    for phone in (MOTHER_PHONE, SON_PHONE):
        assert phone not in html
    assert "138****0001" in html
    assert ADDRESS not in html and "工农大路" not in html
    assert "查看完整号码" not in html  # no reveal offered to this role
    # The case file, which the liaison of a referred department may open, alike.
    html = client.get(f"/admin/cases/case/{household_case.pk}/").content.decode()
    assert "李小雨" in html
    for member in members:
        assert member.id_number not in html
    assert MOTHER_PHONE not in html and SON_PHONE not in html and ADDRESS not in html


def test_staff_see_masked_id_numbers_and_reveal_one_by_an_audited_post(
    client, places, household_case
):
    worker = staff(places["chaoyang"])
    login(client, worker)
    son = household_case.household.members.get(relation=Member.Relation.CHILD)
    page = client.get(f"/admin/cases/case/{household_case.pk}/").content.decode()
    for member in household_case.household.members.all():
        assert member.id_number not in page
        assert masked(member.id_number) in page
    assert SON_PHONE not in page
    reveal = f"/admin/cases/case/{household_case.pk}/member/{son.pk}/reveal/"
    assert reveal in page

    assert client.get(reveal).status_code == 405  # never by a link: an explicit POST
    response = client.post(reveal)
    assert response.status_code == 200
    html = response.content.decode()
    assert son.id_number in html and SON_PHONE in html
    entry = _reveals(son).get()  # exactly one entry
    assert entry.actor == worker
    # The entry names the member, never the number.
    assert son.id_number not in f"{entry.summary}{entry.before}{entry.after}"
    others = household_case.household.members.exclude(pk=son.pk)
    assert not any(m.id_number in html for m in others)
    assert not any(_reveals(m).exists() for m in others)


@pytest.mark.parametrize("who", ["liaison", "other_district"])
def test_a_role_without_the_right_cannot_reveal(client, places, household_case, who):
    health = department("health", places["chaoyang"])
    services.referral_create(
        case=household_case, department=health, category="medical", actor=staff(places["chaoyang"])
    )
    reader = liaison(health) if who == "liaison" else staff(places["nanguan"], Role.DISTRICT_STAFF)
    son = household_case.household.members.get(relation=Member.Relation.CHILD)
    response = login(client, reader).post(
        f"/admin/cases/case/{household_case.pk}/member/{son.pk}/reveal/"
    )
    # Wagtail turns PermissionDenied into a redirect to the dashboard with a message.
    assert (response.status_code, response["Location"]) == (302, "/admin/")
    assert son.id_number not in response.content.decode()
    assert not _reveals(son).exists()


def test_a_member_of_another_household_cannot_be_revealed_through_this_case(
    client, places, household_case
):
    other = case(places["hongqi"])
    stranger = other.household.members.get()
    response = login(client, staff(places["chaoyang"])).post(
        f"/admin/cases/case/{household_case.pk}/member/{stranger.pk}/reveal/"
    )
    assert response.status_code == 302
    assert not _reveals(stranger).exists()
