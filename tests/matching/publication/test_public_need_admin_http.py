"""The staff screens of a public need: scoped to the jurisdiction, edits de-identified again."""

import pytest
from django.urls import reverse

from matching.publication import services
from tests.matching.publication import publication_factories as pf

pytestmark = pytest.mark.django_db

PHONE = "13904312208"


@pytest.fixture
def need(places):
    case = pf.approved_case(
        places["hongqi"],
        title="刘桂芳透析求助",
        description=f"户主刘桂芳患尿毒症，联系电话{PHONE}。",
        names=["刘桂芳"],
    )
    return services.public_need_derive(case=case)


def _edit_url(need):
    return f"/admin/snippets/publication/publicneed/edit/{need.pk}/"


def test_staff_edits_are_de_identified_again(client, reviewer, need):
    client.force_login(reviewer)
    assert client.get(_edit_url(need)).status_code == 200
    response = client.post(
        _edit_url(need),
        {
            "title": "刘桂芳透析求助",
            "story": f"户主刘桂芳患尿毒症，新的电话{PHONE}，邮箱liu.gf@example.com。",
            "amount_needed": "18000.00",
            "urgency": "normal",
        },
    )
    assert response.status_code == 302, response.content[:2000]
    need.refresh_from_db()
    assert PHONE not in need.story and "刘桂芳" not in need.story + need.title
    assert "[电话]" in need.story and "[邮箱]" in need.story
    assert str(need.amount_needed) == "18000.00"


def test_staff_of_another_jurisdiction_cannot_open_the_need(client, places, need):
    client.force_login(pf.staff(places["nanguan"]))
    assert client.get(_edit_url(need)).status_code in (302, 403, 404)
    listing = client.get("/admin/snippets/publication/publicneed/")
    assert "某某透析求助" not in listing.text


def test_the_preview_highlights_every_redaction(client, reviewer, need):
    client.force_login(reviewer)
    state = need.get_workflow().start(need, reviewer)
    url = reverse(
        "wagtailsnippets_publication_publicneed:workflow_preview",
        args=[need.pk, state.current_task_state.task_id],
    )
    html = client.get(url).text
    assert '<mark class="redaction" data-kind="phone" title="phone">[电话]</mark>' in html
    assert 'data-kind="name"' in html
    assert PHONE not in html and "刘桂芳" not in html
    assert "暂不公示" in html  # alone it would be withheld: the reason is shown


def test_progress_updates_are_de_identified_and_shown(client, reviewer, need, settings):
    settings.PUBLICATION_K = 1
    pf.approve(need, reviewer)
    services.public_need_update_post(
        need=need, text=f"刘桂芳已完成第一次透析，家属电话{PHONE}。", actor=reviewer
    )
    page = client.get(f"/needs/{need.pk}/").text
    assert "已完成第一次透析" in page
    assert PHONE not in page and "刘桂芳" not in page
