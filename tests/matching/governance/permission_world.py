"""The world the permission matrix runs in: one account per role, and the same
kinds of record in two districts.

District A is 朝阳区 (street 红旗街道), district B is 南关区 (street 南岭街道).
Every role-holder sits in A (city staff and inspectors at the city); each
record exists once in A and once in B, so a listing can be checked for
showing A's row and not B's.
"""

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.auth.models import AnonymousUser
from django.core.management.sql import emit_post_migrate_signal
from django.utils import timezone

from matching.audit.models import AuditEntry
from matching.cases import services as case_services
from matching.cases.models import (
    CaseStatus,
    DeadlineRule,
    FreshnessRule,
    HolidayOverride,
    Member,
    Referral,
)
from matching.core.vocabulary import Urgency
from matching.directory.models import Role
from matching.directory.services import account_create
from matching.funding import services as funding_services
from matching.governance import services as governance_services
from matching.governance.models import Complaint, NearRelative
from matching.governance.relatives import near_relative_register
from matching.ledger.models import Account, Transaction
from matching.ledger.services import account_open
from matching.offers.models import Fund, FundSource, Match, MatchStatus, OfferType, Volunteer
from matching.payments.models import BankStatement, Donation, StripeEvent
from matching.payments.pledges import transfer_reference_new
from matching.payments.services import donation_create, donation_receive
from matching.publication import services as publication_services
from matching.publication.models import PublicNeed
from matching.volunteering.models import Certificate
from tests.matching.cases import case_factories as cf
from tests.matching.coordination.coordination_world import coordination_records
from tests.matching.governance.inspection_world import inspection_records
from tests.matching.governance.organization_world import organization_records
from tests.matching.publication import publication_factories as pf
from tests.matching_city import volunteer

PASSWORD = "matrix-pass-2026"
ANONYMOUS = "anonymous"
TOKEN = "department_token"
# The matrix's columns: every role, an anonymous visitor, and a department's API token.
COLUMNS = [*Role.values, ANONYMOUS, TOKEN]

# Personal data of the two households: never on a screen the role may not see.
NAME_A, PHONE_A = "王秀兰", "13804310001"
NAME_B, PHONE_B = "孙丽华", "13904310002"


@dataclass
class Side:
    """The records of one district."""

    case: object = None
    referral: object = None
    report: object = None
    verification: object = None
    flag: object = None
    standard: object = None
    complaint: object = None
    project: object = None
    need: object = None
    match: object = None
    donation: object = None
    disbursement: object = None
    gift: object = None
    hours: object = None
    department: object = None
    organization: object = None
    id_number: str = ""
    token: str = ""
    finding: object = None
    evidence_file: object = None
    # Economic data past its age from ``department``, with a refresh request open.
    stale_label: str = ""
    # A second department with stale data and no request yet (side A only).
    housing: object = None
    fund: object = None  # the department's government fund
    social_fund: object = None  # the organization's charity fund


@dataclass
class World:
    places: dict
    users: dict = field(default_factory=dict)
    a: Side = field(default_factory=Side)
    b: Side = field(default_factory=Side)
    rule: object = None
    freshness_rule: object = None
    dishonesty: object = None
    stripe_event: object = None
    # An offline pledge awaiting its transfer, and a bank statement to preview.
    pledge: object = None
    statement: object = None
    near_relative: object = None
    inspection: object = None

    def ledger_transaction(self):
        return Transaction.objects.order_by("pk").first()

    def secrets(self):
        """Every name, ID number and phone of the four households of the world."""
        households = [s.case.household_id for s in (self.a, self.b)]
        households += [s.need.case.household_id for s in (self.a, self.b)]
        members = Member.objects.filter(household_id__in=households)
        values = {v for m in members for v in (m.name, m.id_number, m.phone) if v}
        return sorted(values)

    def audit_entry(self):
        return AuditEntry.objects.order_by("pk").first()

    def user(self, column):
        if column in (ANONYMOUS, TOKEN):
            return AnonymousUser()
        return self.users[column]


def _account(role, place, *, department=None, organization=None):
    return account_create(
        username=f"matrix-{role}-{place.code}",
        password=PASSWORD,
        role=role,
        jurisdiction=place,
        department=department,
        organization=organization,
        email=f"matrix-{role}@assist.example",
    )


def _members(name, phone, born):
    number = cf.id_number(born=born, male=False)
    return number, [
        {"name": name, "id_number": number, "relation": Member.Relation.SELF, "phone": phone}
    ]


def _side(world, street, district, staff, *, name, phone, born, org_name, need_title, need_name):
    side = Side()
    side.department = cf.department("health", district)
    side.organization = pf.organization(district, org_name)
    side.fund = Fund.objects.create(
        source=FundSource.GOVERNMENT,
        department=side.department,
        name=f"{district.name}医疗救助资金",
        categories=["medical"],
        balance=Decimal("0.00"),
        max_per_case=Decimal("3000.00"),
    )
    side.social_fund = Fund.objects.create(
        organization=side.organization,
        name=f"爱心助医基金（{district.code}）",
        categories=["medical"],
        balance=Decimal("0.00"),
        max_per_case=Decimal("500.00"),
    )
    side.id_number, members = _members(name, phone, born)
    side.case = cf.case(
        street,
        status=CaseStatus.UNDER_REVIEW,
        urgency=Urgency.EMERGENCY,
        members=members,
        phone=phone,
    )
    side.referral = case_services.referral_create(
        case=side.case, department=side.department, category="medical", actor=staff
    )
    Referral.objects.filter(pk=side.referral.pk).update(
        due_at=timezone.now() - dt.timedelta(hours=2)
    )
    side.report = case_services.discovery_report_file(
        jurisdiction=street,
        reporter_name="社区网格员",
        reporter_phone="13600000000",
        person_description="独居老人，冬季取暖困难。",
        location_text=f"{street.name}某小区",
    )
    side.standard = cf.StandardFactory(jurisdiction=district)
    cf.assistance(side.id_number, category="subsistence")
    side.verification = case_services.case_verify(case=side.case, actor=staff)
    side.flag = case_services.case_check_duplicates(case=side.case)[0]
    side.stale_label = f"{district.name}房产评估"
    _stale(side, side.department, side.stale_label)
    case_services.refresh_request_create(case=side.case, department=side.department, actor=staff)
    side.complaint, _code = governance_services.complaint_file(
        place=street,
        subject_kind=Complaint.Subject.CHARITY,
        content="项目资金去向不明。",
        contact_phone="13700000000",
    )
    side.project = pf.project(side.organization, f"{org_name}助医项目")
    side.need = publication_services.public_need_derive(
        case=pf.approved_case(street, title=need_title, names=[need_name])
    )
    side.match = Match.objects.create(
        need=side.case,
        offer_type=OfferType.PROJECT,
        project=side.project,
        score=0.9,
        status=MatchStatus.PROPOSED,
    )
    side.token = case_services.api_token_issue(department=side.department, name="matrix")
    return side


def _stale(side, department, label):
    """An asset record from ``department`` for the side's household, past its age."""
    case_services.economic_record_submit(
        department=department,
        id_number=side.id_number,
        kind="asset",
        label=label,
        amount=Decimal("80000.00"),
        as_of=timezone.localdate() - dt.timedelta(days=400),
    )


def build():
    """Create the world (inside the caller's transaction)."""
    # Every app's post-migrate sync: role groups and their permissions.
    emit_post_migrate_signal(verbosity=0, interactive=False, db="default")
    places = pf.places()
    world = World(places=places)
    city, chaoyang, hongqi = places["city"], places["chaoyang"], places["hongqi"]
    staff_b = _account(Role.DISTRICT_STAFF, places["nanguan"])
    world.users[Role.DISTRICT_STAFF] = _account(Role.DISTRICT_STAFF, chaoyang)
    world.a = _side(
        world,
        hongqi,
        chaoyang,
        world.users[Role.DISTRICT_STAFF],
        name=NAME_A,
        phone=PHONE_A,
        born=dt.date(1958, 9, 20),
        org_name="朝阳区阳光助困协会",
        need_title="透析费用求助",
        need_name="钱玉珍",
    )
    world.b = _side(
        world,
        places["nanling"],
        places["nanguan"],
        staff_b,
        name=NAME_B,
        phone=PHONE_B,
        born=dt.date(1961, 4, 3),
        org_name="南关区爱心帮扶协会",
        need_title="助学费用求助",
        need_name="周春梅",
    )
    pf.approve(world.a.need, world.users[Role.DISTRICT_STAFF])
    # A lone household fails the k-check (tests/matching/publication cover it);
    # here the approved need is released so that its public page exists.
    PublicNeed.objects.filter(pk=world.a.need.pk).update(withheld=False)
    users = world.users
    users[Role.CITY_STAFF] = _account(Role.CITY_STAFF, city)
    users[Role.STREET_STAFF] = _account(Role.STREET_STAFF, hongqi)
    users[Role.LIAISON] = _account(Role.LIAISON, chaoyang, department=world.a.department)
    for role in (Role.CHARITY_ADMIN, Role.CHARITY_MEMBER):
        users[role] = _account(role, chaoyang, organization=world.a.organization)
    users[Role.VOLUNTEER] = _account(Role.VOLUNTEER, chaoyang)
    users[Role.DONOR] = _account(Role.DONOR, chaoyang)
    users[Role.INSPECTOR] = _account(Role.INSPECTOR, city)
    world.rule = DeadlineRule.objects.order_by("pk").first() or cf.RuleFactory()
    world.freshness_rule, _created = FreshnessRule.objects.get_or_create(
        department_kind="justice", kind="asset", defaults={"max_age_days": 365}
    )
    world.a.housing = cf.department("housing", chaoyang)
    _stale(world.a, world.a.housing, "朝阳区住房公积金")
    world.holiday, _created = HolidayOverride.objects.get_or_create(
        date=dt.date(2030, 1, 2), defaults={"kind": HolidayOverride.Kind.HOLIDAY}
    )
    world.dishonesty = governance_services.dishonesty_record_decide(
        actor=users[Role.CITY_STAFF],
        organization=world.b.organization,
        reason="虚报项目支出",
        evidence="审计报告",
        decision="列入失信名单一年",
        starts=timezone.localdate() - dt.timedelta(days=1),
        ends=timezone.localdate() + dt.timedelta(days=365),
    )
    _money_and_help(world.a, world.users[Role.DISTRICT_STAFF], "V-matrix-a")
    _money_and_help(world.b, staff_b, "V-matrix-b")
    _volunteer_workspace(world)
    world.stripe_event = StripeEvent.objects.create(
        event_id="evt_matrix_1",
        type="checkout.session.completed",
        outcome=StripeEvent.Outcome.values[0],
        donation=world.a.donation,
        payload={},
    )
    world.pledge = Donation.objects.create(
        target_code=world.a.donation.target_code,
        amount_minor=30_000,
        channel=Donation.Channel.BANK_TRANSFER,
        transfer_reference=transfer_reference_new(),
    )
    world.statement = BankStatement.objects.create(
        filename="statement.csv", rows=[], uploaded_by=world.users[Role.CITY_STAFF]
    )
    organization_records(world.a, users[Role.CHARITY_ADMIN])
    organization_records(world.b, staff_b)
    inspection_records(world)
    coordination_records(world.a, chaoyang, users[Role.CITY_STAFF])
    coordination_records(world.b, places["nanguan"], users[Role.CITY_STAFF])
    world.near_relative = near_relative_register(
        staff=world.users[Role.DISTRICT_STAFF],
        id_number=cf.id_number(born=dt.date(1990, 5, 6)),
        relation=NearRelative.Relation.values[0],
        name="张某",
    )
    return world


def _volunteer_workspace(world):
    """The volunteer account is side A's volunteer: an approved task (the one its
    hours are logged on), a proposal waiting for an answer and a certificate."""
    helper = Volunteer.objects.get(ref="V-matrix-a")
    helper.user = world.users[Role.VOLUNTEER]
    helper.save()
    world.a.volunteer_task = world.a.hours.match
    world.b.volunteer_task = world.b.hours.match
    world.a.volunteer_proposal = Match.objects.create(
        need=world.b.need.case,
        offer_type=OfferType.VOLUNTEER,
        volunteer=helper,
        score=0.6,
        status=MatchStatus.PROPOSED,
    )
    world.a.certificate = Certificate.objects.create(
        volunteer=helper,
        code="MTRX-AAAA-0001",
        holder=helper.name,
        total_hours=Decimal("3.5"),
        lines={"tasks": [[world.a.volunteer_task.pk, "3.5"]], "months": []},
    )


def _money_and_help(side, staff, volunteer_ref):
    """A received donation to the side's need, a payout request, an in-kind gift and
    logged volunteer hours, all for the household of the side's public need."""
    account = account_open(
        code=f"need:{side.need.pk}",
        kind=Account.Kind.NEED,
        category="medical",
        earmark_cap_minor=2_000_000,
    )
    side.donation = donation_receive(
        donation=donation_create(
            target_code=account.code,
            amount_minor=500_000,
            donor_name="捐赠人甲",
            donor_email="donor-matrix@example.com",
            anonymous=False,
        ),
        reason="matrix",
    )
    household = side.need.case
    approved = Match.objects.create(
        need=household,
        offer_type=OfferType.PROJECT,
        project=side.project,
        score=0.8,
        status=MatchStatus.APPROVED,
    )
    side.disbursement = funding_services.disbursement_request(
        match=approved,
        account=account,
        amount_minor=100_000,
        payee_kind="hospital",
        payee_name="吉林大学第一医院",
        actor=staff,
        invoice_number="INV-MATRIX",
    )
    side.gift = funding_services.in_kind_gift_record(
        actor=staff,
        items="棉被",
        quantity=2,
        unit="床",
        estimated_value_minor=30_000,
        need=side.need,
    )
    helper = volunteer(volunteer_ref, at=(43.87, 125.30), organization=side.organization)
    helped = Match.objects.create(
        need=household,
        offer_type=OfferType.VOLUNTEER,
        volunteer=helper,
        score=0.5,
        status=MatchStatus.APPROVED,
    )
    side.hours = funding_services.volunteer_hours_log(
        volunteer=helper,
        match=helped,
        date=timezone.localdate() - dt.timedelta(days=1),
        hours=Decimal("3.5"),
        actor=staff,
    )
