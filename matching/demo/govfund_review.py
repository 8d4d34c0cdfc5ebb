"""Demo: a government fund's proposal waiting for its department's answer
(docs/funding.md, "The admin side of funds"). 朝阳区临时救助资金 is proposed to
one more published 朝阳区 temporary-assistance need and left "proposed", so the
demo's 朝阳区 staff (who answer for 朝阳区民政局's funds) find the accept and
decline buttons on the match review page. A second run changes nothing.
"""

from matching.demo.govfunds import FUND_REF, household_in_need
from matching.offers import services as offers
from matching.offers.models import Fund, Match, MatchStatus


def seed_govfund_review():
    """The open proposal; None when the fund is missing or one is already open."""
    fund = Fund.objects.filter(ref=FUND_REF).first()
    if fund is None or Match.objects.filter(fund=fund, status=MatchStatus.PROPOSED).exists():
        return None
    case = household_in_need(fund)
    if case is None:
        return None
    proposal = {"type": "fund", "offer": FUND_REF, "score": 0.72, "reasons": ["类别：临时救助"]}
    created = offers.matches_propose(need=case, proposals=[proposal])
    return created[0] if created else None
