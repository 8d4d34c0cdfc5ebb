"""Calendars that know their limits: a deadline running into a year whose holiday
schedule is not published is provisional and says so to staff; city staff enter
the year's schedule in the admin, it wins over the holidays package, and open
deadlines are recomputed."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from case_factories import PASSWORD, case, department, staff

from matching.cases import deadlines, services
from matching.cases.models import CaseStatus, HolidayOverride, Referral
from matching.directory.models import Role
from matching.directory.services import role_groups_sync
from matching.governance.services import complaint_file

pytestmark = pytest.mark.django_db
SHANGHAI = ZoneInfo("Asia/Shanghai")
WARNING = "尚未公布（或尚未录入）节假日安排"


def at(*args):
    return dt.datetime(*args, tzinfo=SHANGHAI)


@pytest.fixture(autouse=True)
def _groups(db):
    role_groups_sync()
    services.case_permissions_sync()


def test_the_package_publishes_through_2026_only():
    # The premise of the tests below: 2027's schedule is not in the holidays package.
    assert deadlines.PUBLISHED_THROUGH == 2026


def test_a_staff_entry_wins_over_the_package():
    # Saturday 2026-10-10 is a make-up working day in the State Council's 2026 schedule.
    assert deadlines.is_working_day(dt.date(2026, 10, 10))
    HolidayOverride.objects.create(date=dt.date(2026, 10, 10), kind="holiday")
    assert not deadlines.is_working_day(dt.date(2026, 10, 10))
    # Saturday 2026-11-28 is an ordinary weekend day, unless staff say otherwise.
    HolidayOverride.objects.create(date=dt.date(2026, 11, 28), kind="workday")
    assert deadlines.add_working_days(at(2026, 11, 26, 15, 0), 2) == at(2026, 11, 29)


def test_a_2027_deadline_is_provisional_until_staff_enter_the_schedule(client, places):
    opened = case(places["hongqi"], status=CaseStatus.UNDER_REVIEW)
    worker = staff(places["chaoyang"])
    referral = services.referral_create(
        case=opened,
        department=department("health", places["chaoyang"]),
        category="medical",
        actor=worker,
        now=at(2026, 12, 28, 10, 0),  # a Monday
    )
    complaint, _code = complaint_file(
        place=places["chaoyang"],
        subject_kind="charity",
        content="资金去向不明。",
        now=at(2026, 12, 28, 10, 0),
    )
    # Five working days on the package's estimate: Dec 29, 30, 31, (New Year), Jan 4, 5.
    assert referral.due_at == at(2027, 1, 6)
    assert deadlines.referral_due_is_provisional(referral)
    assert client.login(username=worker.username, password=PASSWORD)
    page = client.get(f"/admin/cases/case/{opened.pk}/").content.decode()
    assert "暂定" in page
    assert WARNING in page
    complaint_due = complaint.due_at

    # A city official enters (an invented example of) the 2027 schedule: Monday Jan 4 off.
    city = staff(places["city"], role=Role.CITY_STAFF)
    client.logout()
    assert client.login(username=city.username, password=PASSWORD)
    response = client.post(
        "/admin/cases_holidays/new/",
        {"date": "2027-01-04", "kind": "holiday", "note": "元旦调休（示例）"},
    )
    assert response.status_code == 302, response.content.decode()[:2000]

    referral.refresh_from_db()
    assert referral.due_at == at(2027, 1, 7)  # Dec 29, 30, 31, Jan 5, 6
    assert not deadlines.referral_due_is_provisional(referral)
    client.logout()
    assert client.login(username=worker.username, password=PASSWORD)
    page = client.get(f"/admin/cases/case/{opened.pk}/").content.decode()
    assert WARNING not in page
    # The complaint's 15 working days moved by the same day.
    complaint.refresh_from_db()
    assert complaint.due_at == complaint_due + dt.timedelta(days=1)


def test_district_staff_may_not_edit_the_schedule(client, places):
    worker = staff(places["chaoyang"])
    assert client.login(username=worker.username, password=PASSWORD)
    client.post("/admin/cases_holidays/new/", {"date": "2027-01-04", "kind": "holiday"})
    assert not HolidayOverride.objects.exists()
    assert Referral.objects.count() == 0
