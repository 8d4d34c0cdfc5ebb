"""The demo stories: invented households published through the real path, with money
at every stage, and nothing of the invented people on the public pages."""

import re

import pytest

from matching.cases.models import Case, Member
from matching.demo.city import seed_cases, seed_directory
from matching.demo.offers import seed_offers
from matching.demo.stories import REF, seed_stories
from matching.funding.models import Disbursement
from matching.publication.models import PublicNeed

pytestmark = pytest.mark.django_db

NEED_LINK = re.compile(r'href="/needs/(\d+)/"')


@pytest.fixture
def stories(settings, django_capture_on_commit_callbacks):
    settings.ELASTICSEARCH_URL = ""  # the database listing; the index has its own tests
    settings.ELASTICSEARCH_HOSTS = []
    settings.PUBLIC_SEARCH_RATE = ""
    seed_directory()
    seed_offers()
    seed_cases()  # and the local standards that verification reads
    # Two districts, two groups each (medical, education, subsistence, housing); the
    # ledger copies what was raised onto each need when the gifts commit.
    with django_capture_on_commit_callbacks(execute=True):
        return seed_stories(groups=2, districts=["220104", "220182"])


def test_the_stories_are_published_by_the_pipeline_with_money_at_every_stage(stories, client):
    needs = list(PublicNeed.objects.public().filter(case__ref__startswith=REF))
    assert stories == len(needs) >= 20  # groups of five or more: the k-check lets them out
    assert {need.district_id for need in needs} == {"220104", "220182"}
    assert {need.categories[0] for need in needs} == {
        "medical",
        "education",
        "subsistence",
        "housing",
    }
    # The applications name the household head; what is published is the pipeline's text.
    assert any("某某" in need.story for need in needs)
    members = Member.objects.filter(household__cases__ref__startswith=REF)
    secrets = (
        {m.name for m in members}
        | {m.id_number for m in members}
        | {m.phone for m in members if m.phone}
    )
    secrets |= set(
        Case.objects.filter(ref__startswith=REF).values_list("household__address", flat=True)
    )
    assert not {s for s in secrets for n in needs if s in n.title or s in n.story}

    raised = [need.raised_amount / need.amount_needed for need in needs]
    assert any(r == 0 for r in raised) and any(0 < r < 1 for r in raised)
    assert any(r == 1 for r in raised)
    payouts = Disbursement.objects.filter(match__need__ref__startswith=REF, status="posted")
    assert payouts.exists()
    assert payouts.filter(confirmation__confirmed_at__isnull=False).exists()
    assert payouts.filter(confirmation__confirmed_at__isnull=True).exists()

    listing = client.get("/needs/", {"district": "220182"}).text
    shown = NEED_LINK.findall(listing)
    assert shown
    paid = payouts.filter(confirmation__confirmed_at__isnull=False).first()
    pages = [listing, client.get(f"/needs/{paid.match.need.public_need.pk}/").text]
    pages += [client.get(f"/needs/{pk}/").text for pk in shown[:5]]
    assert "受助家庭已确认收到" in pages[1]
    assert not {s for s in secrets for page in pages if s in page}

    assert seed_stories(groups=2, districts=["220104"]) == 0  # a second run changes nothing
    assert PublicNeed.objects.filter(case__ref__startswith=REF).count() == len(needs)
