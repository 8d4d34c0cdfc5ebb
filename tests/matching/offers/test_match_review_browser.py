"""In Chromium at 1366 px: match review explains the score, a match is
rejected only with a listed reason, and the emergency lane approves."""

import itertools

import pytest
from matching_city import need, offers, tree

from matching.directory.models import Role
from matching.directory.services import account_create
from matching.offers.models import Match, MatchStatus
from matching.offers.services import match_respond, matches_propose
from search.matcher import InProcessBackend, propose
from tests.browser_kit import assert_accessible, new_page, shoot

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]
PASSWORD = "review-pass-2026"
_serial = itertools.count()


def account(role, place, organization=None):
    return account_create(
        username=f"{role}-{next(_serial)}",
        password=PASSWORD,
        role=role,
        jurisdiction=place,
        organization=organization,
    )


def signed_in(browser, live_server, user, target):
    page = new_page(browser, "desktop")
    page.goto(f"{live_server.url}/accounts/login/?next={target}")
    page.locator("#id_username").fill(user.username)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("form.form button[type=submit]").click()
    page.wait_for_url(f"**{target}")
    return page


@pytest.fixture
def emergency(settings):
    settings.ELASTICSEARCH_HOSTS, settings.ELASTICSEARCH_URL = [], ""  # the embedded matcher
    city, chaoyang, hongqi = tree()
    offers()
    case = need(hongqi, urgency="emergency")
    matches_propose(need=case, proposals=propose(case, backend=InProcessBackend())["proposals"])
    matches = {m.offer.ref: m for m in Match.objects.filter(need=case)}
    for ref in ("P-dialysis", "F-medical"):
        charity = account(Role.CHARITY_ADMIN, city, matches[ref].offer.organization)
        match_respond(match=matches[ref], actor=charity, accept=True)
    return {"chaoyang": chaoyang, "matches": matches}


def test_a_match_is_rejected_only_with_a_reason_and_the_lane_approves(
    browser, live_server, emergency
):
    staff = account(Role.DISTRICT_STAFF, emergency["chaoyang"])
    fund = emergency["matches"]["F-medical"]
    page = signed_in(browser, live_server, staff, f"/admin/matches/review/{fund.pk}/")
    assert "满分 100" in page.get_by_test_id("score").inner_text()
    assert page.get_by_test_id("score-parts").locator("tbody tr").count() == 6
    assert page.get_by_test_id("candidate").count() == 3
    assert "名额已满" in page.get_by_test_id("exclusions").inner_text()
    shoot(page, "match-review")
    assert_accessible(page)

    reject = page.get_by_test_id("reject-form")
    reject.get_by_label("说明").fill("该基金本月已另行安排")
    reject.get_by_label("我已核实：驳回后此匹配结束，不可撤销").check()
    reject.get_by_role("button", name="驳回此匹配").click()
    # No reason chosen from the list: the browser keeps the form, nothing is sent.
    assert page.evaluate("() => document.querySelector('#reject-code').validity.valueMissing")
    assert Match.objects.get(pk=fund.pk).status == MatchStatus.ACCEPTED

    reject.get_by_label("驳回原因").select_option("already_helped")
    reject.get_by_role("button", name="驳回此匹配").click()
    page.wait_for_url("**/admin/matches/")
    rejected = Match.objects.get(pk=fund.pk)
    assert rejected.status == MatchStatus.REJECTED
    assert rejected.decision_reason == "已由其他救助或资源解决：该基金本月已另行安排"

    page.goto(f"{live_server.url}/admin/matches/emergency/")
    rows = page.get_by_test_id("lane-row")
    assert rows.count() == 1  # the dialysis project, accepted and waiting
    assert_accessible(page)
    rows.first.get_by_role("checkbox").check()
    page.get_by_role("button", name="批准所选匹配").click()
    page.get_by_test_id("lane-results").wait_for()
    assert page.get_by_test_id("lane-result-approved").count() == 1
    assert Match.objects.get(pk=emergency["matches"]["P-dialysis"].pk).status == (
        MatchStatus.APPROVED
    )
    page.context.close()
