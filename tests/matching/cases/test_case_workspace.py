"""The case page as a workspace: summary header, masked numbers, only the
moves allowed now, irreversible ones confirmed, deadlines in words."""

import datetime as dt

import pytest
from case_factories import PASSWORD, case, department, id_number, staff
from django.utils import timezone

from matching.cases import services
from matching.cases.clock import clock
from matching.cases.models import CaseStatus, Referral

pytestmark = pytest.mark.django_db

HEAD = id_number(born=dt.date(1958, 9, 20), male=False)
CHILD = id_number(born=dt.date(1984, 2, 11))
FAMILY = [
    {"name": "王秀兰", "id_number": HEAD, "relation": "self", "phone": "13804310001"},
    {"name": "李建军", "id_number": CHILD, "relation": "child", "phone": ""},
]


def signed_in(client, places):
    user = staff(places["chaoyang"])
    assert client.login(username=user.username, password=PASSWORD)
    return user


def test_the_summary_shows_the_household_in_one_line_with_masked_numbers(client, places):
    opened = case(places["hongqi"], members=FAMILY)
    signed_in(client, places)
    page = client.get(f"/admin/cases/case/{opened.pk}/").text
    assert HEAD not in page and CHILD not in page
    assert HEAD[:4] + "*" * 10 + HEAD[-4:] in page
    assert "2 人：王秀兰（本人/户主" in page and "李建军（子女" in page
    assert 'data-testid="case-status">已受理<' in page
    assert "截止 " in page and "剩余 " in page  # the first-response clock in words


def test_only_the_moves_allowed_now_are_buttons_and_none_is_selected(client, places):
    opened = case(places["hongqi"])
    signed_in(client, places)
    page = client.get(f"/admin/cases/case/{opened.pk}/").text
    allowed = {"under_review"}  # received -> under review, or (confirmed) reject / close
    for status in CaseStatus.values:
        assert (f'data-testid="move-{status}"' in page) == (status in allowed), status
    assert 'data-testid="open-closed"' in page and 'data-testid="open-rejected"' in page
    assert "办结后本案件结束，不能再变更状态或重新打开" in page
    assert "checked" not in page.split('id="move-form"')[1].split("</form>")[0]


def test_closing_needs_the_confirmed_action(client, places):
    opened = case(places["hongqi"])
    signed_in(client, places)
    url = f"/admin/cases/case/{opened.pk}/transition/"
    refused = client.post(url, {"to_status": "closed", "note": "已迁出本市"}, follow=True)
    assert "此决定不可撤销，请勾选确认后再提交。" in refused.text
    opened.refresh_from_db()
    assert opened.status == CaseStatus.RECEIVED

    client.post(url, {"to_status": "closed", "note": "已迁出本市", "confirm": "on"})
    opened.refresh_from_db()
    assert opened.status == CaseStatus.CLOSED
    page = client.get(f"/admin/cases/case/{opened.pk}/").text
    assert 'data-testid="open-closed"' not in page  # nothing more to do on a closed case


def test_an_overdue_referral_says_so_in_colour_icon_and_words(client, places):
    opened = case(places["hongqi"], status=CaseStatus.UNDER_REVIEW)
    worker = signed_in(client, places)
    health = department("health", places["chaoyang"])
    referral = services.referral_create(
        case=opened, department=health, category="medical", actor=worker
    )
    Referral.objects.filter(pk=referral.pk).update(
        due_at=timezone.now() - dt.timedelta(hours=2, minutes=5)
    )
    page = client.get(f"/admin/cases/case/{opened.pk}/").text
    assert 'data-testid="clock-overdue"' in page
    assert "已超期 2 小时" in page and "case-clock--overdue" in page


def test_the_clock_words():
    now = timezone.make_aware(dt.datetime(2026, 12, 8, 19, 0))
    due = timezone.make_aware(dt.datetime(2026, 12, 8, 17, 0))
    assert clock(due, now=now).text == "截止 12月8日 17:00 · 已超期 2 小时"
    assert clock(due, now=now - dt.timedelta(hours=5)).state == "soon"
    early = clock(due, now=now - dt.timedelta(days=3))
    assert early.text == "截止 12月8日 17:00 · 剩余 2 天 22 小时" and early.state == "ok"
    assert clock(due, done=True, now=now).state == "done"
    assert clock(None) is None
