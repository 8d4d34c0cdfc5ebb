"""A match waiting for staff approval, staff accounts and a registered relative
(for the recusal and second-approver tests)."""

import datetime as dt
import itertools
from decimal import Decimal

from django.utils import timezone
from matching_city import id_number, need, offers, tree

from matching.cases.models import LocalStandard
from matching.directory.models import Role
from matching.directory.services import account_create
from matching.offers.models import Match
from matching.offers.services import match_respond, matches_propose
from search.matcher import InProcessBackend, propose

PASSWORD = "recusal-pass-2026"
# The head of the household that ``matching_city.need`` creates (王秀兰).
MOTHER_ID = id_number(dt.date(1959, 3, 2), 22)
# Someone in no household of the slice.
STRANGER_ID = id_number(dt.date(1970, 1, 1), 31)

_serial = itertools.count(1)


def staff_user(place, role=Role.DISTRICT_STAFF, name=None):
    username = name or f"{role}-{place.code}-{next(_serial)}"
    return account_create(
        username=username,
        password=PASSWORD,
        role=role,
        jurisdiction=place,
        email=f"{username}@assist.example",
    )


def accepted_match():
    """The 3,000-yuan dialysis match of the slice, accepted by its charity."""
    city, chaoyang, hongqi = tree()
    offers()
    case = need(hongqi)
    matches_propose(need=case, proposals=propose(case, backend=InProcessBackend())["proposals"])
    match = Match.objects.get(project__ref="P-dialysis")
    charity = account_create(
        username=f"charity-{next(_serial)}",
        password=PASSWORD,
        role=Role.CHARITY_ADMIN,
        jurisdiction=city,
        organization=match.project.organization,
    )
    match_respond(match=match, actor=charity, accept=True)
    LocalStandard.objects.create(
        jurisdiction=city,
        year=timezone.localdate().year,
        monthly_line_per_person=Decimal("720.00"),
    )
    return {"city": city, "chaoyang": chaoyang, "hongqi": hongqi, "case": case, "match": match}
