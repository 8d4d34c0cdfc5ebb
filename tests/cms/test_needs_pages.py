"""The needs listing, a need's page and a project's page over HTTP, served from the
database (the search backend has its own agreement test): what a visitor sees,
in what order, on which page, and that nothing personal reaches any of them."""

import re

import pytest
from django.core.cache import cache

from cms import models as cms_models
from matching.funding import services as funding
from matching.funding.permissions import funding_permissions_sync
from matching.ledger.models import Account
from matching.ledger.services import account_open
from matching.offers.models import Match, MatchStatus, OfferType
from matching.payments.services import donation_create, donation_receive
from matching.publication.models import PublicNeed, PublicNeedUpdate
from tests.matching.publication import publication_factories as pf

pytestmark = pytest.mark.django_db

NAME, ADDRESS = "欧阳翠花", "长春市朝阳区红旗街道工农大路 1288 号 3 单元 502 室"
STORY = f"户主{NAME}患尿毒症，每周透析三次，家住{ADDRESS}，联系电话 13904312208。"


@pytest.fixture(autouse=True)
def _database_listing(settings):
    settings.ELASTICSEARCH_URL = ""
    settings.ELASTICSEARCH_HOSTS = []
    settings.PUBLICATION_K = 1  # the k-check has its own tests; one household is enough here
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def places(db):
    tree = pf.places()
    funding_permissions_sync()
    return tree


@pytest.fixture
def reviewer(places):
    return pf.staff(places["chaoyang"])


def _need(places, reviewer, title, *, place="hongqi", raised=0, amount="1000.00", **kwargs):
    need = pf.published_need(
        places[place],
        reviewer if place == "hongqi" else pf.staff(places["nanguan"]),
        title=title,
        amount=amount,
        **kwargs,
    )
    PublicNeed.objects.filter(pk=need.pk).update(raised_amount=raised)  # the ledger's copy
    return need


def _titles(html):
    return re.findall(r'data-testid="need-card-link">([^<]+)<', html)


def test_the_listing_sorts_filters_counts_once_and_pages(client, places, reviewer, monkeypatch):
    _need(places, reviewer, "一般求助甲", raised=100)
    _need(places, reviewer, "紧急求助乙", urgency="emergency")
    _need(places, reviewer, "快筹满的求助丙", raised=900)
    _need(places, reviewer, "已筹满的求助丁", raised=1000)
    _need(places, reviewer, "南关的助学求助", place="nanling", categories=["education"])
    PublicNeed.objects.filter(title="南关的助学求助").update(opened_month="2099-01")

    page = client.get("/needs/").text
    # Each facet appears once, as one select whose options carry their counts.
    assert page.count('data-facet="district"') == 1
    assert page.count('name="category"') == 1
    assert re.search(r'<option value="220104">朝阳区 \(4\)</option>', page)
    assert re.search(r'<option value="education">教育救助 \(1\)</option>', page)
    assert _titles(page)[0] == "紧急求助乙"  # most urgent first (the default order)
    assert 'href="/give/need/' in page and page.count('data-testid="need-card-give"') == 4

    nearly = _titles(client.get("/needs/", {"sort": "nearly_funded"}).text)
    assert nearly[:2] == ["快筹满的求助丙", "一般求助甲"]
    assert nearly[-1] == "已筹满的求助丁"  # funded: nothing left to give, last
    assert _titles(client.get("/needs/", {"sort": "newest"}).text)[0] == "南关的助学求助"

    filtered = client.get("/needs/", {"district": "220104", "category": "medical"}).text
    assert "南关的助学求助" not in filtered and len(_titles(filtered)) == 4
    assert 'data-testid="need-filter-clear"' in filtered
    # A hand-edited bad value drops only itself: the district filter still holds.
    assert len(_titles(client.get("/needs/?district=220104&page=abc&sort=x").text)) == 4

    monkeypatch.setattr(cms_models, "PAGE_SIZE", 2)
    second = client.get("/needs/", {"page": 2, "sort": "newest"}).text
    assert "第 2 / 3 页" in second and len(_titles(second)) == 2
    assert 'href="?sort=newest&amp;page=3" rel="next"' in second
    assert 'href="?sort=newest&amp;page=1" rel="prev"' in second

    beyond = client.get("/needs/", {"page": 9}).text
    assert 'data-testid="need-empty"' in beyond and "回到第 1 页" in beyond

    empty = client.get("/needs/", {"q": "没有这个词", "district": "220102"}).text
    assert "没有符合条件的求助信息" in empty
    assert 'href="/needs/" data-testid="need-empty-clear"' in empty


def test_the_need_page_tells_the_story_progress_payouts_and_shares(client, places, reviewer):
    need = _need(places, reviewer, "透析费用求助", description=STORY, names=[NAME], address=ADDRESS)
    other = _need(places, reviewer, "另一户的医疗求助")
    account_open(
        code=f"need:{need.pk}",
        kind=Account.Kind.NEED,
        category="medical",
        earmark_cap_minor=100_000,
    )
    donation_receive(
        donation=donation_create(target_code=f"need:{need.pk}", amount_minor=60_000),
        reason="test",
    )
    project = pf.project(pf.organization(places["city"], "长春市慈善总会"), "大病救助项目")
    match = Match.objects.create(
        need=need.case,
        offer_type=OfferType.PROJECT,
        project=project,
        score=0.9,
        status=MatchStatus.APPROVED,
    )
    payout = funding.disbursement_request(
        match=match,
        account=Account.objects.get(code=f"need:{need.pk}"),
        amount_minor=50_000,
        payee_kind="hospital",
        payee_name="长春市康宁医院",
        invoice_number="INV-1",
        actor=reviewer,
        note=f"{NAME}的透析费",
    )
    _payout, (reference, code) = funding.disbursement_post(disbursement=payout, actor=reviewer)
    funding.confirmation_confirm(reference=reference, code=code)
    PublicNeedUpdate.objects.create(need=need, text="已与医院核实费用清单。")

    response = client.get(f"/needs/{need.pk}/")
    page = response.text
    assert response.status_code == 200
    # The story comes first, then what the money pays for, then the updates.
    story = page.index('data-testid="need-story"')
    assert story < page.index('data-testid="need-use"') < page.index('data-testid="need-updates"')
    assert "每周透析三次" in page and "凭票据直接拨付给医院" in page
    assert "已拨付 ¥500.00 给医院" in page and "受助家庭已确认收到" in page
    assert "已与医院核实费用清单。" in page
    assert page.count(f'href="/give/need/{need.pk}/"') == 2  # the card's and the phone bar's
    assert f'value="http://testserver/needs/{need.pk}/" readonly' in page
    qr = re.search(r'data-testid="need-qr">\s*<svg role="img"[^>]*><title>本页二维码</title>', page)
    assert qr, "an inline SVG QR code of the page"
    related = page[page.index('data-testid="need-related"') :]
    assert "另一户的医疗求助" in related and "透析费用求助" not in related
    # Nothing personal: no name, no phone, no address, no hospital, no staff note.
    member = need.case.household.members.first()
    for secret in [NAME, member.id_number, member.phone, "13904312208", "工农大路", "康宁医院"]:
        assert secret not in page, secret
    for url in ["/needs/", "/needs/?q=透析", f"/projects/{project.pk}/"]:
        assert not any(s in client.get(url).text for s in [NAME, member.phone, "工农大路"]), url
    assert client.get(f"/needs/{other.pk + 1000}/").status_code == 404


def test_a_project_has_its_own_page_only_when_public(client, places, reviewer):
    charity = pf.organization(places["city"], "长春市慈善总会")
    project = pf.project(
        charity,
        "大病救助项目",
        categories=["medical", "education"],
        forms=["material"],
        jurisdictions=["220104", "220102"],
        budget_remaining="80000.00",
        household_status_any=["low_income"],
    )
    served = _need(places, reviewer, "得到项目帮助的求助")
    _need(places, reviewer, "没有匹配的求助")
    Match.objects.create(
        need=served.case,
        offer_type=OfferType.PROJECT,
        project=project,
        score=0.9,
        status=MatchStatus.APPROVED,
    )
    page = client.get(f"/projects/{project.pk}/").text
    assert charity.name in page and "大病救助项目" in page
    assert "医疗救助、教育救助" in page and "物质保障" in page  # words, not codes
    assert "朝阳区、南关区" in page and "低收入家庭" in page and "¥80,000.00" in page
    served_list = page[page.index('data-testid="project-served"') :]
    assert "得到项目帮助的求助" in served_list and "没有匹配的求助" not in served_list
    assert f'href="/give/project/{project.pk}/"' in page
    assert f'href="/projects/{project.pk}/"' in client.get("/projects/").text

    client.cookies["django_language"] = "en"
    english = client.get(f"/projects/{project.pk}/").text
    assert "Chaoyang District" in english and "Nanguan District" in english

    unverified = pf.project(pf.organization(places["city"], "未核验组织", verified=False), "X")
    draft = pf.project(charity, "草稿项目", live=False)
    for hidden in (unverified, draft):
        assert client.get(f"/projects/{hidden.pk}/").status_code == 404
