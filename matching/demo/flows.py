"""Demo flows: approved households, public needs, gifts, a match and its payouts.

Everything here goes through the real services — intake, verification, the
case status machine, publication and its Wagtail workflow, offline giving,
matches, disbursements, receipt confirmations, in-kind gifts and volunteer
hours — so the public pages (/needs/, /transparency/, /track/<code>/) and
the supervision dashboards show what the platform would. Deterministic for a
seed; a second run finds its marker gift and changes nothing.
"""

import random
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from matching.cases import services
from matching.cases.models import Case, CaseStatus
from matching.cases.services import need_import
from matching.directory.models import Department, Jurisdiction, Organization
from matching.funding import services as funding
from matching.ledger.models import Account
from matching.offers import services as offers
from matching.offers.models import Project, Volunteer
from matching.payments.giving import offline_donation_record
from matching.payments.models import Donation
from matching.payments.targets import target_for
from matching.publication.models import PublicNeed
from matching.publication.permissions import publication_permissions_sync
from matching.publication.services import public_need_derive, public_needs_recheck

from .city import GIVEN, STREETS, SURNAMES, _demo_id_number

# Two groups of similar households: the k-check (k=5) lets a group through
# once at least five of them share district, categories and bands.
HOUSEHOLD_GROUPS = [
    # (district, count, categories, forms, statuses, amount range (hundreds of yuan), stories)
    (
        "220104",
        14,
        ["medical", "temporary"],
        ["material"],
        ["low_income"],
        (30, 90),
        [
            (
                "因病住院医疗费用缺口",
                "户主患慢性肾病需定期住院治疗，配偶打零工，医保报销后自付部分难以承担。",
            ),
            ("术后康复费用不足", "户主做完心脏支架手术，需长期服药复查，家庭积蓄已经用完。"),
            ("慢性病长期用药困难", "夫妻二人均患糖尿病并发症，每月药费占去大部分收入。"),
            ("突发疾病家庭陷入困境", "户主突发中风后半身不遂，暂时无法工作，家中收入锐减。"),
        ],
    ),
    (
        "220102",
        12,
        ["subsistence"],
        ["material", "daily_life"],
        ["low_income"],
        (10, 40),
        [
            (
                "失业后生活费用不足",
                "夫妻二人所在工厂停产后一直未找到稳定工作，冬季取暖费尚未缴纳。",
            ),
            ("收入微薄难以维持生活", "户主靠打零工维持生活，收入不稳定，配偶常年卧病。"),
            ("冬季取暖和生活困难", "老旧小区取暖费和日常开支压力大，希望得到临时生活帮扶。"),
        ],
    ),
]
DEMO_REF = "DEMO-H-"
MARKER_REFERENCE = "DEMO-BANK-1"  # the first gift: its presence means "already seeded"
HOSPITAL = "长春市朝阳区康宁医院"  # invented


@dataclass
class Seeded:
    needs: list
    tracking_codes: list


def _members(rng, area):
    """A couple of the same age band (born 1970-1976: 45-59 in the 2020s)."""
    surname = rng.choice(SURNAMES)
    members = []
    for index, relation in enumerate(["self", "spouse"]):
        born = date(rng.randrange(1970, 1977), rng.randrange(1, 13), rng.randrange(1, 29))
        name = (surname if index == 0 else rng.choice(SURNAMES)) + rng.choice(GIVEN)
        members.append(
            {
                "name": name,
                "id_number": _demo_id_number(rng, area, born, male=index == 0),
                "relation": relation,
                "phone": f"13{rng.randrange(5, 10)}0431{rng.randrange(0, 10000):04d}"
                if index == 0
                else "",
            }
        )
    return members


def _households(rng):
    """Import the households' applications; returns their cases in a stable order."""
    refs = []
    for district, count, categories, forms, statuses, (low, high), stories in HOUSEHOLD_GROUPS:
        streets = list(
            Jurisdiction.objects.filter(parent_id=district, level="street").order_by("code")[:2]
        )
        for index in range(count):
            ref = f"{DEMO_REF}{district}-{index + 1}"
            street = streets[index % len(streets)] if streets else None
            street = street or Jurisdiction.objects.get(code=district)
            title, story = stories[index % len(stories)]
            need_import(
                ref=ref,
                jurisdiction=street,
                categories=categories,
                forms=forms,
                urgency="normal",
                title=title,
                description=story,
                opened_at=timezone.now() - timedelta(days=rng.randrange(3, 40)),
                amount_needed=Decimal(rng.randrange(low, high) * 100),
                statuses=statuses,
                members=_members(rng, district),
                address=f"长春市{street.parent.name if street.parent else ''}{street.name}"
                f"{rng.choice(STREETS)}{rng.randrange(1, 3000)}号{rng.randrange(1, 9)}栋"
                f"{rng.randrange(1, 7)}0{rng.randrange(1, 4)}室",
                lat=None,
                lon=None,
            )
            refs.append(ref)
    return [Case.objects.select_related("household").get(ref=ref) for ref in refs]


def _approve_case(case, *, worker, rng, index):
    """Review, verify against the household's income records, approve."""
    district = case.jurisdiction.path.split("/")[1]
    hr = Department.objects.get(kind="human_resources", jurisdiction_id=district)
    head = case.household.members.order_by("pk").first()
    services.case_transition(case=case, to_status=CaseStatus.UNDER_REVIEW, actor=worker)
    services.economic_record_submit(
        department=hr,
        id_number=head.id_number,
        kind="income",
        label="灵活就业收入",
        amount=Decimal(rng.randrange(4, 12) * 100),
        as_of=timezone.localdate(),
        ref=f"DEMO-HE-{index}",
    )
    services.case_verify(case=case, actor=worker)
    services.case_transition(case=case, to_status=CaseStatus.VERIFIED, actor=worker)
    return services.case_transition(case=case, to_status=CaseStatus.APPROVED, actor=worker)


def _publish(case, reviewer):
    """Derive the public need and approve it through its Wagtail workflow."""
    need = public_need_derive(case=case, actor=reviewer)
    need.refresh_from_db()
    state = need.get_workflow().start(need, reviewer)
    task_state = state.current_task_state
    task_state.task.specific.on_action(task_state, reviewer, "approve")
    need.refresh_from_db()
    return need


def _gift(*, target, channel, reference, yuan, donor, clerk):
    donation, _created = offline_donation_record(
        target=target_for(target),
        channel=channel,
        reference=reference,
        amount_minor=yuan * 100,
        donor=donor,
        recorded_by=clerk,
    )
    return donation


def _money(needs, *, users):
    """Gifts, an approved match with two payouts, an in-kind gift, volunteer hours."""
    city, chaoyang, charity = users["city"], users["chaoyang"], users["charity"]
    bank, cash = Donation.Channel.BANK_TRANSFER, Donation.Channel.CASH
    shown = [n for n in needs if n.is_public and n.amount_needed]
    medical = [n for n in shown if "medical" in n.categories]
    other = [n for n in shown if "medical" not in n.categories] or medical
    first, second, third = medical[0], medical[1], other[0]
    relief = Project.objects.get(ref="DEMO-P-8")  # 临时困难应急救助 (长春市慈善总会)

    named = {"anonymous": False, "donor_name": "吉林某科技有限公司", "donor_email": ""}
    anonymous = {"anonymous": True, "donor_name": "", "donor_email": ""}
    gifts = [
        _gift(
            target=first,
            channel=bank,
            reference=MARKER_REFERENCE,
            yuan=1500,
            donor=named,
            clerk=city,
        ),
        _gift(
            target=first,
            channel=cash,
            reference="DEMO-CASH-1",
            yuan=300,
            donor=anonymous,
            clerk=chaoyang,
        ),
        _gift(
            target=second,
            channel=bank,
            reference="DEMO-BANK-2",
            yuan=800,
            donor={"anonymous": False, "donor_name": "春城爱心读书会", "donor_email": ""},
            clerk=city,
        ),
        _gift(
            target=medical[2],
            channel=cash,
            reference="DEMO-CASH-3",
            yuan=200,
            donor=anonymous,
            clerk=chaoyang,
        ),
        _gift(
            target=third,
            channel=cash,
            reference="DEMO-CASH-2",
            yuan=500,
            donor=anonymous,
            clerk=city,
        ),
        _gift(
            target=relief,
            channel=bank,
            reference="DEMO-BANK-3",
            yuan=5000,
            donor={"anonymous": False, "donor_name": "长春某商贸公司", "donor_email": ""},
            clerk=city,
        ),
    ]

    # The relief project takes the first need's case; its charity accepts, staff approve.
    case = first.case
    match = offers.matches_propose(
        need=case,
        proposals=[
            {
                "type": "project",
                "offer": relief.ref,
                "score": 0.82,
                "reasons": ["类别相符：临时救助", "服务范围覆盖长春市"],
            }
        ],
    )[0]
    offers.match_respond(match=match, actor=charity, accept=True)
    match = offers.match_decide(match=match, actor=chaoyang, approve=True, reason="核实后同意资助")

    need_account = Account.objects.get(code=f"need:{first.pk}")
    project_account = Account.objects.get(code=f"project:{relief.pk}")
    hospital_payout = funding.disbursement_request(
        match=match,
        account=need_account,
        amount_minor=1200_00,
        payee_kind="hospital",
        payee_name=HOSPITAL,
        invoice_number="JL-2200-0081234",
        actor=chaoyang,
        note="住院押金及药费",
    )
    hospital_payout, (reference, code) = funding.disbursement_post(
        disbursement=hospital_payout, actor=chaoyang
    )
    funding.confirmation_confirm(reference=reference, code=code)
    living = funding.disbursement_request(
        match=match,
        account=project_account,
        amount_minor=600_00,
        payee_kind="household",
        payee_name="受助家庭",
        invoice_number="DEMO-RC-0002",
        actor=chaoyang,
        note="临时生活补助",
    )
    funding.disbursement_post(disbursement=living, actor=chaoyang)  # confirmation pending

    gift = funding.in_kind_gift_record(
        actor=chaoyang,
        items="冬季棉被",
        quantity=2,
        unit="床",
        estimated_value_minor=360_00,
        need=second,
        donor_name="暖心志愿服务队",
        anonymous=False,
    )
    funding.in_kind_gift_deliver(gift=gift, actor=chaoyang)

    volunteer = Volunteer.objects.get(ref="DEMO-V-9")
    helped = second.case
    hours_match = offers.matches_propose(
        need=helped,
        proposals=[
            {
                "type": "volunteer",
                "offer": volunteer.ref,
                "score": 0.74,
                "reasons": ["距离较近", "可提供生活照料"],
            }
        ],
    )[0]
    offers.match_respond(match=hours_match, actor=users["volunteer"], accept=True)
    hours_match = offers.match_decide(
        match=hours_match, actor=chaoyang, approve=True, reason="志愿者时间合适"
    )
    today = timezone.localdate()
    for days_ago, hours in [(9, Decimal("2.0")), (2, Decimal("3.5"))]:
        entry = funding.volunteer_hours_log(
            volunteer=volunteer,
            match=hours_match,
            date=today - timedelta(days=days_ago),
            hours=hours,
            actor=users["volunteer"],
            note="上门陪护、代购生活用品",
        )
        funding.volunteer_hours_decide(entry=entry, actor=charity, confirm=True)
    return [g.tracking_code for g in gifts]


def demo_volunteer_login():
    """The ``volunteer`` login's own volunteer profile (长春市慈善总会), for hours."""
    user = get_user_model().objects.get(username="volunteer")
    street = (
        Jurisdiction.objects.filter(parent_id="220104", level="street").order_by("code").first()
    )
    Volunteer.objects.update_or_create(
        ref="DEMO-V-9",
        defaults={
            "name": "志愿者小刘",
            "user": user,
            "organization": Organization.objects.get(ref="O-1"),
            "forms": ["daily_life", "emotional"],
            "skills": ["陪护", "代购"],
            "jurisdiction": street,
            "lat": 43.8868,
            "lon": 125.3245,
            "radius_km": Decimal("5.0"),
            "availability": ["sat_am", "sun_pm"],
            "hours_per_week": 4,
        },
    )


def sample_tracking_code():
    """The tracking code of the demo's first gift (it reaches a hospital), or None."""
    gift = Donation.objects.filter(offline_reference=MARKER_REFERENCE).first()
    return gift.tracking_code if gift else None


def seed_flows(*, seed=2026):
    """Approved and published households plus money flows; run after ``seed_cases``."""
    # On a fresh database the post-migrate sync may run before Wagtail's publish
    # permissions exist; reviewers need ``publish_publicneed`` to approve.
    publication_permissions_sync()
    if Donation.objects.filter(offline_reference=MARKER_REFERENCE).exists():
        return None
    rng = random.Random(seed * 7 + 1)
    users = {
        name: get_user_model().objects.get(username=name)
        for name in ("city", "chaoyang", "charity", "volunteer")
    }
    with transaction.atomic():
        demo_volunteer_login()
        cases = _households(rng)
        for index, case in enumerate(cases, start=1):
            if case.status == "received":
                _approve_case(case, worker=users["city"], rng=rng, index=index)
        needs = [_publish(case, users["city"]) for case in cases]
        public_needs_recheck()
        needs = list(PublicNeed.objects.filter(pk__in=[n.pk for n in needs]).order_by("pk"))
        codes = _money(needs, users=users)
    return Seeded(needs=needs, tracking_codes=codes)
