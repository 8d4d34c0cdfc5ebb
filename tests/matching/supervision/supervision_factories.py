"""A small constructed city for the supervision figures: two districts, a street
in each, cases, referrals, matches, flags, complaints, audit entries and ledger
money at chosen moments of October 2026 (Beijing time) and around it."""

import datetime as dt
import itertools
from contextlib import contextmanager
from unittest import mock

from django.utils import timezone

from matching.audit.services import audit_record
from matching.cases.models import AssistanceRecord, Case, DuplicateFlag, Household, Referral
from matching.directory.models import Department, Jurisdiction, Organization
from matching.directory.services import account_create
from matching.governance.models import Complaint, Recusal
from matching.ledger.models import Account, Transaction
from matching.ledger.services import account_open, transaction_post
from matching.offers.models import Match, MatchStatus, Project
from matching.publication.models import PublicNeed

PASSWORD = "supervision-test-pass-2026"
ID_NUMBER = "220104198503120011"
_serial = itertools.count(1)


def at(month, day, hour=9, minute=0, year=2026):
    """An aware Beijing datetime."""
    return timezone.make_aware(dt.datetime(year, month, day, hour, minute))


OCTOBER = (at(10, 1, 0), at(11, 1, 0))
NOW = at(11, 5, 12)  # the moment the figures are computed


@contextmanager
def moment(when):
    """Write rows with ``auto_now_add`` stamps (ledger, audit) as if at ``when``."""
    with mock.patch("django.utils.timezone.now", return_value=when):
        yield


def node(code, name, level, parent=None):
    path = f"{parent.path}/{code}" if parent else code
    found, _ = Jurisdiction.objects.get_or_create(
        code=code, defaults={"name": name, "level": level, "parent": parent, "path": path}
    )
    return found


def city_tree():
    city = node("220100", "长春市", "city")
    chaoyang = node("220104", "朝阳区", "district", city)
    nanguan = node("220102", "南关区", "district", city)
    return {
        "city": city,
        "chaoyang": chaoyang,
        "nanguan": nanguan,
        "hongqi": node("220104007", "红旗街道", "street", chaoyang),
        "nanling": node("220102001", "南岭街道", "street", nanguan),
    }


def user(role, place, department=None):
    username = f"{role}-{place.code}-{next(_serial)}"
    return account_create(
        username=username,
        password=PASSWORD,
        role=role,
        jurisdiction=place,
        department=department,
        email=f"{username}@assist.example",
    )


def department(kind, place, name):
    found, _ = Department.objects.get_or_create(
        kind=kind, jurisdiction=place, defaults={"name": name}
    )
    return found


def case(place, *, opened, categories=("medical",), emergency=False, responded=None, due=None):
    household = Household.objects.create(jurisdiction=place, address="长春市某路1号")
    return Case.objects.create(
        receipt_number=f"CC261001{next(_serial):08d}",
        household=household,
        jurisdiction=place,
        channel=Case.Channel.WINDOW,
        categories=list(categories),
        urgency="emergency" if emergency else "normal",
        title="测试申请",
        description="测试",
        opened_at=opened,
        first_response_due=due,
        first_responded_at=responded,
    )


def referral(of_case, dept, *, referred, due, answered=None):
    return Referral.objects.create(
        case=of_case,
        department=dept,
        category=of_case.categories[0],
        referred_at=referred,
        due_at=due,
        status=Referral.Status.ANSWERED if answered else Referral.Status.OPEN,
        answered_at=answered,
        outcome=Referral.Outcome.GRANTED if answered else "",
    )


def approved_match(of_case, project, decided, status=MatchStatus.APPROVED):
    return Match.objects.create(
        need=of_case,
        offer_type="project",
        project=project,
        score=1.0,
        status=status,
        decided_at=decided,
    )


def project(place):
    organization = Organization.objects.create(
        name="长春市爱心助困协会", kind="charity", jurisdiction=place, verified=True
    )
    return Project.objects.create(
        organization=organization,
        title="大病救助",
        description="资助",
        categories=["medical"],
        forms=["material"],
        jurisdictions=[place.code],
    )


def duplicate_flag(of_case, flagged, decision=DuplicateFlag.Decision.PENDING):
    record = AssistanceRecord.objects.create(
        id_number=ID_NUMBER,
        id_index=f"index-{next(_serial)}",
        provider_department="health",
        category=of_case.categories[0],
        start=dt.date(2026, 1, 1),
        source="manual",
    )
    return DuplicateFlag.objects.create(
        case=of_case, record=record, category=record.category, flagged_at=flagged, decision=decision
    )


def complaint(place, district, *, filed, due, concluded=None, escalated=None):
    return Complaint.objects.create(
        receipt_number=f"TS20261001{next(_serial):06d}",
        follow_code_hash="x",
        subject_kind=Complaint.Subject.CASE_HANDLING,
        place=place,
        district=district,
        content="测试投诉",
        routed_to=district,
        filed_at=filed,
        due_at=due,
        status=Complaint.Status.CONCLUDED if concluded else Complaint.Status.ROUTED,
        outcome=Complaint.Outcome.PARTLY if concluded else "",
        concluded_at=concluded,
        escalated_at=escalated,
        escalated_to=district.parent if escalated else None,
    )


def public_need(of_case, district):
    return PublicNeed.objects.create(
        case=of_case,
        title="公示求助",
        story="说明",
        categories=of_case.categories,
        forms=["material"],
        district=district,
        opened_month=f"{of_case.opened_at:%Y-%m}",
    )


class Ledger:
    """Posts donations, refunds and disbursements at chosen moments and remembers them."""

    def __init__(self):
        self.clearing = account_open(code="stripe:clearing", kind=Account.Kind.CLEARING)
        self.refunds = account_open(code="refunds", kind=Account.Kind.REFUNDS)
        self.disbursed = account_open(code="disbursed", kind=Account.Kind.DISBURSED)
        self.posted = []  # (account code, kind, fen, when)

    def account(self, code, kind=Account.Kind.NEED):
        return account_open(code=code, kind=kind, category="medical")

    def _post(self, kind, source, target, fen, when):
        with moment(when):
            transaction_post(
                kind=kind,
                idempotency_key=f"test-{next(_serial)}",
                lines=[(source, -fen), (target, fen)],
            )
        return fen

    def donate(self, account, fen, when):
        self._post(Transaction.Kind.DONATION, self.clearing, account, fen, when)
        self.posted.append((account.code, "donation", fen, when))

    def refund(self, account, fen, when):
        self._post(Transaction.Kind.REFUND, account, self.refunds, fen, when)
        self.posted.append((account.code, "refund", fen, when))

    def disburse(self, account, fen, when):
        self._post(Transaction.Kind.DISBURSEMENT, account, self.disbursed, fen, when)
        self.posted.append((account.code, "disbursement", fen, when))


def recusal(actor, of_case, when):
    """A staff member stood aside from verifying ``of_case`` (as governance records it)."""
    with moment(when):
        audit_record(actor=actor, action="recusal", obj=of_case, summary="near relative")
    return Recusal.objects.create(
        staff=actor,
        kind=Recusal.Kind.CASE_VERIFICATION,
        object_type="cases.case",
        object_id=str(of_case.pk),
        receipt_number=of_case.receipt_number,
        jurisdiction=of_case.jurisdiction,
        at=when,
    )
