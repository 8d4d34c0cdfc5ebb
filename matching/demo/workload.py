"""A working day's queue for every staff role of the demo, the street included.

Run after ``seed_flows``. Everything goes through the real services (intake,
referral, discovery, matching, disbursement, complaints); only two clocks are
moved back, as ``city._demo_progress`` does, so that a referral is due today,
another is overdue and a complaint has passed its time limit. What each role
then sees on its dashboard is described in docs/workbench.md.
"""

import random
from datetime import timedelta
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from matching.cases import services
from matching.cases.models import Case, CaseStatus, Referral
from matching.cases.queues import end_of_today
from matching.cases.services import need_import
from matching.directory.models import Department, Jurisdiction, Profile, Role
from matching.directory.services import account_create
from matching.funding import services as funding
from matching.governance.models import Complaint
from matching.governance.services import complaint_file
from matching.ledger.models import Account
from matching.offers import services as offers
from matching.offers.models import Fund, Project
from matching.payments.giving import offline_donation_record
from matching.payments.models import Donation
from matching.payments.targets import target_for

from .city import DEMO_PASSWORD, STREETS, _demo_members

MARKER = "DEMO-W-"
RELIEF = "DEMO-P-8"  # 临时困难应急救助 (长春市慈善总会), funded in seed_flows
HOUSING_FUND = "DEMO-F-3"  # 一汽爱心安居基金
FUND_CLERK = "anju"  # a member of the fund's organization

APPLICATIONS = [
    # (categories, forms, urgency, hours ago, title, description, relations)
    (
        ["temporary"],
        ["material"],
        "emergency",
        1,
        "家中失火，一家三口暂无住处",
        "昨夜家中失火，衣物被褥烧毁，暂住亲戚家，急需临时生活救助。",
        ["self", "spouse", "child"],
    ),
    (
        ["subsistence"],
        ["material"],
        "normal",
        3,
        "独居老人申请低保",
        "老人独居，仅有少量养老金，患慢性病需长期服药。",
        ["self"],
    ),
    (
        ["education"],
        ["material", "capability"],
        "normal",
        5,
        "单亲家庭孩子学费困难",
        "母亲打零工抚养两个孩子，大孩子考入高职，学费无着落。",
        ["self", "child", "child"],
    ),
    (
        ["medical"],
        ["material"],
        "normal",
        26,
        "慢性肾病透析费用负担重",
        "户主每周透析三次，医保报销后自付部分难以承担。",
        ["self", "spouse"],
    ),
    (
        ["housing", "disaster"],
        ["material"],
        "normal",
        50,
        "暖气管爆裂房屋受损",
        "冬季暖气管爆裂，屋内地面和墙体受损，老人无力承担修缮费用。",
        ["self", "parent"],
    ),
]


def _users():
    users = get_user_model().objects
    return {name: users.get(username=name) for name in ("city", "chaoyang", "hongqi", "charity")}


def _applications(rng, street):
    cases = []
    district = street.parent_id
    for index, row in enumerate(APPLICATIONS, start=1):
        categories, forms, urgency, hours, title, description, relations = row
        ref = f"{MARKER}{index}"
        need_import(
            ref=ref,
            jurisdiction=street,
            categories=categories,
            forms=forms,
            urgency=urgency,
            title=title,
            description=description,
            opened_at=timezone.now() - timedelta(hours=hours),
            # Under the match's second approval; the last one needs a payout
            # large enough for the disbursement's second approval.
            amount_needed=Decimal(
                6000 if index == len(APPLICATIONS) else rng.randrange(20, 90) * 100
            ),
            statuses=[],
            members=_demo_members(rng, district, relations),
            address=f"长春市{street.parent.name}{street.name}{rng.choice(STREETS)}"
            f"{rng.randrange(1, 3000)}号{rng.randrange(1, 9)}栋"
            f"{rng.randrange(1, 7)}0{rng.randrange(1, 4)}室",
            lat=None,
            lon=None,
        )
        cases.append(Case.objects.get(ref=ref))
    return cases


def _referrals(cases, worker):
    """One referral due later today, one overdue (the clock moved back, as in city.py)."""
    district = cases[0].jurisdiction.parent_id
    health = Department.objects.get(kind="health", jurisdiction_id=district)
    education = Department.objects.get(kind="education", jurisdiction_id=district)
    now = timezone.now()
    for case in cases[2:4]:
        services.case_transition(case=case, to_status=CaseStatus.UNDER_REVIEW, actor=worker)
    due_today = services.referral_create(
        case=cases[3], department=health, category="medical", actor=worker
    )
    later_today = max(min(now + timedelta(hours=3), end_of_today() - timedelta(minutes=5)), now)
    Referral.objects.filter(pk=due_today.pk).update(due_at=later_today)
    overdue = services.referral_create(
        case=cases[2], department=education, category="education", actor=worker
    )
    Referral.objects.filter(pk=overdue.pk).update(
        due_at=now - timedelta(hours=20), referred_at=now - timedelta(days=6)
    )


def _discovery(street, rng):
    services.discovery_report_file(
        jurisdiction=street,
        reporter_name="社区网格员",
        reporter_phone="13604310001",
        person_description="楼道里有一位老人连续几天坐着，说儿女在外地，家中断了暖气。",
        location_text=f"{rng.choice(STREETS)}附近小区",
        urgency="normal",
    )


def _match_awaiting_decision(case, charity):
    """The relief project proposed and accepted: waiting for the street's decision."""
    relief = Project.objects.get(ref=RELIEF)
    match = offers.matches_propose(
        need=case,
        proposals=[
            {
                "type": "project",
                "offer": relief.ref,
                "score": 0.78,
                "reasons": ["类别相符：临时救助", "服务范围覆盖长春市"],
            }
        ],
    )[0]
    return offers.match_respond(match=match, actor=charity, accept=True)


def _fund_clerk(fund):
    """A member of the fund's organization to accept the match (no demo login has one)."""
    users = get_user_model().objects
    clerk = users.filter(username=FUND_CLERK).first()
    if clerk is None:
        clerk = account_create(
            username=FUND_CLERK,
            password=DEMO_PASSWORD,
            role=Role.CHARITY_MEMBER,
            jurisdiction=Jurisdiction.objects.get(code="220100"),
            department=None,
            organization=fund.organization,
            email=f"{FUND_CLERK}@assist.example",
        )
    return clerk


def _disbursement_to_approve(case, *, approver, requester):
    """A bank transfer to the housing fund, an approved match, and a payout above
    the second-approval line requested by the district: it waits for another
    person's approval (four eyes), the street's or the city's."""
    fund = Fund.objects.get(ref=HOUSING_FUND)
    offline_donation_record(
        target=target_for(fund),
        channel=Donation.Channel.BANK_TRANSFER,
        reference="DEMO-W-BANK-1",
        amount_minor=8000_00,
        donor={"anonymous": False, "donor_name": "长春某建筑公司", "donor_email": ""},
        recorded_by=approver,
    )
    match = offers.matches_propose(
        need=case,
        proposals=[{"type": "fund", "offer": fund.ref, "score": 0.71, "reasons": []}],
    )[0]
    offers.match_respond(match=match, actor=_fund_clerk(fund), accept=True)
    match = offers.match_decide(match=match, actor=approver, approve=True, reason="核实后同意资助")
    funding.disbursement_request(
        match=match,
        account=Account.objects.get(code=f"fund:{fund.pk}"),
        amount_minor=5600_00,
        payee_kind="household",
        payee_name="受助家庭",
        invoice_number="DEMO-RC-0101",
        actor=requester,
        note="房屋修缮费用",
    )


def _complaints(street):
    """Complaints are answered by the district (docs/governance.md): one overdue."""
    complaint_file(
        place=street,
        subject_kind=Complaint.Subject.CASE_HANDLING,
        content="申请低保三周了还没有人上门核查，打电话也说不清进度。",
        now=timezone.now() - timedelta(days=40),
    )


def street_of_hongqi():
    return Profile.objects.select_related("jurisdiction").get(user__username="hongqi").jurisdiction


def seed_workload(*, seed=2026):
    """Idempotent: a second run changes nothing."""
    if Case.objects.filter(ref__startswith=MARKER).exists():
        return False
    rng = random.Random(seed * 11 + 3)
    users = _users()
    street = street_of_hongqi()
    if street.level != Jurisdiction.Level.STREET:
        return False
    with transaction.atomic():
        cases = _applications(rng, street)
        _referrals(cases, users["hongqi"])
        _discovery(street, rng)
        _match_awaiting_decision(cases[1], users["charity"])
        _disbursement_to_approve(cases[4], approver=users["city"], requester=users["chaoyang"])
        _complaints(street)
    return True
