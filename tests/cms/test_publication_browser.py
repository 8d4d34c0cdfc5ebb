"""Publication in Chromium: staff approve a de-identified preview through the workflow;
a donor filters, searches in Chinese and opens a need."""

import re

import pytest
from django.urls import reverse

from matching.publication import services
from matching.publication.models import PublicNeed
from search import indexer, indices
from search.public_needs import PUBLIC_NEEDS
from tests.matching.publication import publication_factories as pf

pytestmark = [
    pytest.mark.browser,
    pytest.mark.elasticsearch,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PHONE = "13904312208"
STORY = f"户主刘桂芳患尿毒症，每周透析三次，联系电话{PHONE}，家庭难以负担。"


@pytest.fixture
def public_index(es_client):
    es_client.indices.delete(
        index=indices.index_name("public-needs") + "*", ignore_unavailable=True
    )
    indices.ensure(PUBLIC_NEEDS)
    yield indices.read_alias("public-needs")


def _refresh(es_client, index):
    indexer.drain()
    es_client.indices.refresh(index=index)


def _login(page, live_server, user):
    page.goto(live_server.url + "/accounts/login/")
    page.fill("input[name=username]", user.username)
    page.fill("input[name=password]", pf.PASSWORD)
    page.locator("form button[type=submit], form input[type=submit]").last.click()
    page.wait_for_load_state()


def test_staff_approve_the_highlighted_preview_and_the_need_goes_public(
    live_server, page, public_index, es_client
):
    places = pf.places()
    reviewer = pf.staff(places["chaoyang"])
    for _ in range(4):  # k = 5: four alike are already public
        pf.published_need(places["hongqi"], reviewer, description="家中老人患病，需要帮助。")
    case = pf.approved_case(
        places["hongqi"], title="刘桂芳透析求助", description=STORY, names=["刘桂芳"]
    )
    need = services.public_need_derive(case=case)
    workflow_state = need.get_workflow().start(need, reviewer)
    task = workflow_state.current_task_state.task

    _login(page, live_server, reviewer)
    preview = reverse(
        "wagtailsnippets_publication_publicneed:workflow_preview", args=[need.pk, task.pk]
    )
    page.goto(live_server.url + preview)
    story = page.get_by_test_id("need-story")
    assert story.locator('mark.redaction[data-kind="phone"]').inner_text() == "[电话]"
    assert story.locator('mark.redaction[data-kind="name"]').count() >= 1
    assert PHONE not in page.content() and "刘桂芳" not in page.content()

    page.goto(live_server.url + f"/admin/snippets/publication/publicneed/edit/{need.pk}/")
    page.locator(
        'button[data-workflow-action-name="approve"]:not([data-workflow-action-modal-url])'
    ).dispatch_event("click")
    page.wait_for_load_state()
    _wait_until(lambda: PublicNeed.objects.get(pk=need.pk).live)

    need.refresh_from_db()
    assert need.live and not need.withheld

    # The live server's own drain may hold the change (SKIP LOCKED) while
    # ours returns: look again, as a visitor would, until it shows.
    def listed():
        _refresh(es_client, public_index)
        page.goto(live_server.url + "/needs/?q=透析")
        return page.get_by_test_id("need-card").count() == 1

    _wait_until(listed)
    assert "某某透析求助" in page.get_by_test_id("need-list").inner_text()
    assert PHONE not in page.content()


def test_a_rejected_need_stays_private(live_server, page, public_index, es_client):
    places = pf.places()
    reviewer = pf.staff(places["chaoyang"])
    for _ in range(4):
        pf.published_need(places["hongqi"], reviewer, description="家中老人患病，需要帮助。")
    need = services.public_need_derive(
        case=pf.approved_case(places["hongqi"], description=STORY, names=["刘桂芳"])
    )
    state = need.get_workflow().start(need, reviewer)
    task_state = state.current_task_state
    task_state.task.specific.on_action(task_state, reviewer, "reject", comment="请补充说明")
    need.refresh_from_db()
    assert not need.live
    _refresh(es_client, public_index)
    page.goto(live_server.url + "/needs/?q=透析")
    assert page.get_by_test_id("need-card").count() == 0
    assert page.goto(live_server.url + f"/needs/{need.pk}/").status == 404


def test_a_donor_filters_searches_in_chinese_and_opens_a_need(
    live_server, page, public_index, es_client
):
    places = pf.places()
    reviewer = pf.staff(places["chaoyang"])
    nanguan_reviewer = pf.staff(places["nanguan"])
    for _ in range(5):
        pf.published_need(
            places["hongqi"],
            reviewer,
            title="尿毒症透析费用求助",
            description="父亲尿毒症，每周透析三次，自付费用较高。",
        )
        pf.published_need(
            places["nanling"],
            nanguan_reviewer,
            title="高中学费求助",
            description="孩子考上高中，家庭无力负担学费，希望获得助学帮助。",
            categories=["education"],
        )
    _refresh(es_client, public_index)

    page.goto(live_server.url + "/needs/")
    assert page.get_by_test_id("need-card").count() == 10
    page.select_option("select[name=district]", "220104")
    page.select_option("select[name=category]", "medical")
    page.get_by_test_id("need-filter-submit").click()
    page.wait_for_load_state()
    titles = page.get_by_test_id("need-list").inner_text()
    assert page.get_by_test_id("need-card").count() == 5
    assert "高中学费" not in titles

    page.goto(live_server.url + "/needs/")
    page.get_by_test_id("need-search").fill("助学")
    page.get_by_test_id("need-filter-submit").click()
    page.wait_for_load_state()
    assert page.get_by_test_id("need-card").count() == 5
    assert "尿毒症" not in page.get_by_test_id("need-list").inner_text()

    page.get_by_test_id("need-search").fill("透析")
    page.get_by_test_id("need-filter-submit").click()
    page.wait_for_load_state()
    assert page.get_by_test_id("need-card").count() == 5
    page.get_by_test_id("need-card-link").first.click()
    page.wait_for_load_state()
    assert re.search(r"/needs/\d+/$", page.url)
    assert "每周透析三次" in page.get_by_test_id("need-detail").inner_text()


def _wait_until(condition, timeout=10.0):
    import time

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.2)
    raise AssertionError("condition not met in time")
