"""The demo volunteer's workspace: the ``volunteer`` login (志愿者小刘, DEMO-V-9,
whose approved task and confirmed hours ``flows`` records) joined through the
sign-up, with one proposal waiting for an answer, one accepted and awaiting
staff approval, hours confirmed and pending, and a certificate issued.
Run after ``seed_flows``; running it again changes nothing."""

from datetime import timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from matching.cases.models import Case
from matching.core.scope import subtree
from matching.funding import services as funding
from matching.funding.models import VolunteerHours
from matching.offers import services as offers
from matching.offers.models import Match, MatchStatus, Volunteer
from matching.volunteering import services as volunteering
from matching.volunteering.models import Certificate, Consent, Enrolment

DEMO_VOLUNTEER = "DEMO-V-9"


def _proposal(volunteer, case, score):
    proposal = {"type": "volunteer", "offer": volunteer.ref, "score": score}
    created = offers.matches_propose(need=case, proposals=[{**proposal, "reasons": ["距离较近"]}])
    return created[0] if created else None


def _other_cases(volunteer, count):
    """Cases of the volunteer's district the volunteer has no match with, oldest first."""
    helped = Match.objects.filter(volunteer=volunteer).values("need")
    district = volunteer.jurisdiction.path.split("/")[:2]
    return list(
        Case.objects.filter(subtree("/".join(district), field="jurisdiction__path"))
        .exclude(pk__in=helped)
        .order_by("pk")[:count]
    )


@transaction.atomic
def seed_volunteering(*, seed=2026):
    volunteer = Volunteer.objects.select_related("user", "jurisdiction").get(ref=DEMO_VOLUNTEER)
    if Certificate.objects.filter(volunteer=volunteer).exists():
        return volunteer
    user = volunteer.user
    Enrolment.objects.get_or_create(volunteer=volunteer, defaults={"confirmed_at": timezone.now()})
    if not Consent.objects.filter(volunteer=volunteer).exists():
        volunteering.consent_give(volunteer=volunteer, actor=user)
    waiting, accepted = _other_cases(volunteer, 2)
    _proposal(volunteer, waiting, 0.71)
    answered = _proposal(volunteer, accepted, 0.66)
    volunteering.proposal_answer(match=answered, actor=user, accept=True)
    task = Match.objects.filter(volunteer=volunteer, status=MatchStatus.APPROVED).first()
    volunteering.certificate_issue(volunteer=volunteer, actor=user)
    if not VolunteerHours.objects.filter(match=task, status=VolunteerHours.Status.LOGGED).exists():
        funding.volunteer_hours_log(
            volunteer=volunteer,
            match=task,
            date=timezone.localdate() - timedelta(days=1),
            hours=Decimal("1.5"),
            actor=user,
            note="电话回访、整理药品",
        )
    return volunteer
