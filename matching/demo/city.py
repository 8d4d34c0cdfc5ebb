"""A believable demo city, generated deterministically from a seed.

Places are Changchun's real divisions; every organization and person here is
invented. Later capabilities add their own seeders next to ``seed_directory``.
"""

import random
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from stdnum.cn import ric, uscc

from matching.cases import services
from matching.cases.models import Case, CaseStatus, DeadlineRule, LocalStandard, Referral
from matching.cases.services import case_permissions_sync, need_import
from matching.directory.models import Department, Jurisdiction, Organization, Role
from matching.directory.services import account_create, jurisdictions_load, role_groups_sync

DEMO_PASSWORD = "changchun-demo-2026"  # noqa: S105 - printed for newcomers, demo only

DEPARTMENT_NAMES = {
    Department.Kind.CIVIL_AFFAIRS: "民政局",
    Department.Kind.HEALTH: "卫生健康局",
    Department.Kind.EDUCATION: "教育局",
    Department.Kind.HOUSING: "住房和城乡建设局",
    Department.Kind.HUMAN_RESOURCES: "人力资源和社会保障局",
    Department.Kind.JUSTICE: "司法局",
    Department.Kind.FINANCE: "财政局",
}

CHARITIES = [
    ("长春市慈善总会", Organization.Kind.CHARITY, "220100"),
    ("吉林省春城助学基金会", Organization.Kind.FOUNDATION, "220100"),
    ("长春市朝阳区阳光社会工作服务中心", Organization.Kind.SOCIAL_WORK, "220104"),
    ("长春市南关区暖心志愿服务队", Organization.Kind.VOLUNTEER_TEAM, "220102"),
    ("长春市红十字博爱医疗救助基金", Organization.Kind.FOUNDATION, "220100"),
    ("长春市二道区邻里守望社工站", Organization.Kind.SOCIAL_WORK, "220105"),
    ("长春市宽城区银龄关爱协会", Organization.Kind.CHARITY, "220103"),
    ("长春净月区春苗儿童关爱中心", Organization.Kind.CHARITY, "220172"),
    ("长春市绿园区安居互助会", Organization.Kind.CHARITY, "220106"),
    ("吉林一汽爱心基金", Organization.Kind.ENTERPRISE, "220174"),
    ("九台区乡村振兴帮扶协会", Organization.Kind.CHARITY, "220113"),
    ("长春市心灵港湾心理援助中心", Organization.Kind.SOCIAL_WORK, "220100"),
]


@dataclass(frozen=True)
class DemoLogin:
    username: str
    role: Role
    where: str


DEMO_LOGINS = [
    DemoLogin("city", Role.CITY_STAFF, "长春市民政局"),
    DemoLogin("chaoyang", Role.DISTRICT_STAFF, "朝阳区民政局"),
    DemoLogin("hongqi", Role.STREET_STAFF, "朝阳区红旗街道"),
    DemoLogin("health", Role.LIAISON, "朝阳区卫生健康局"),
    DemoLogin("charity", Role.CHARITY_ADMIN, "长春市慈善总会"),
    DemoLogin("volunteer", Role.VOLUNTEER, "朝阳区"),
    DemoLogin("donor", Role.DONOR, "长春市"),
    DemoLogin("inspector", Role.INSPECTOR, "长春市"),
]


def credit_code(rng, jurisdiction_code):
    """A checksum-valid unified social credit code for a social organization (5x)."""
    body = (
        "53"
        + jurisdiction_code
        + "".join(rng.choice("0123456789ABCDEFGHJKLMNPQRTUWXY") for _ in range(9))
    )
    return body + uscc.calc_check_digit(body)


def _departments():
    places = Jurisdiction.objects.filter(level__in=["city", "district"])
    for place in places:
        for kind, suffix in DEPARTMENT_NAMES.items():
            Department.objects.update_or_create(
                kind=kind, jurisdiction=place, defaults={"name": f"{place.name}{suffix}"}
            )


def _organizations(rng):
    for index, (name, kind, code) in enumerate(CHARITIES, start=1):
        Organization.objects.update_or_create(
            ref=f"O-{index}",
            defaults={
                "name": name,
                "kind": kind,
                "jurisdiction_id": code,
                "credit_code": credit_code(rng, code),
                "verified": True,
            },
        )


def _logins():
    users = get_user_model().objects
    if not users.filter(username="admin").exists():
        users.create_superuser("admin", "admin@assist.example", DEMO_PASSWORD)
    hongqi = Jurisdiction.objects.filter(parent_id="220104", name__contains="红旗").first()
    places = {
        "city": ("220100", None, None),
        "chaoyang": ("220104", None, None),
        "hongqi": (hongqi.code if hongqi else "220104", None, None),
        "health": ("220104", Department.objects.get(kind="health", jurisdiction_id="220104"), None),
        "charity": ("220100", None, Organization.objects.get(ref="O-1")),
        "volunteer": ("220104", None, None),
        "donor": ("220100", None, None),
        "inspector": ("220100", None, None),
    }
    for login in DEMO_LOGINS:
        if users.filter(username=login.username).exists():
            continue
        code, department, organization = places[login.username]
        account_create(
            username=login.username,
            password=DEMO_PASSWORD,
            role=login.role,
            jurisdiction=Jurisdiction.objects.get(code=code),
            department=department,
            organization=organization,
            email=f"{login.username}@assist.example",
        )


@transaction.atomic
def seed_directory(*, seed=2026):
    rng = random.Random(seed)
    jurisdictions_load()
    role_groups_sync()
    _departments()
    _organizations(rng)
    _logins()


# --- cases: households, applications, referrals, discovery reports ------------------

SURNAMES = "王李张刘陈杨赵黄周吴徐孙马朱胡郭何高林罗"
GIVEN = [
    "秀兰",
    "建国",
    "桂芳",
    "志强",
    "玉梅",
    "春生",
    "淑珍",
    "海燕",
    "明辉",
    "丽华",
    "国庆",
    "晓燕",
    "凤霞",
    "永刚",
    "欣怡",
    "子涵",
    "宇航",
    "雨萱",
]
STREETS = [
    "工农大路",
    "人民大街",
    "自由大路",
    "卫星路",
    "南湖大路",
    "东盛大街",
    "青年路",
    "亚泰大街",
    "西安大路",
    "长春大街",
]
DEMO_NEEDS = [
    # (district, categories, forms, urgency, title, description, members, statuses)
    (
        "220104",
        ["medical", "temporary"],
        ["material", "emotional"],
        "emergency",
        "户主突发脑出血住院",
        "户主突发脑出血入院抢救，配偶无固定收入，孩子读初中。",
        ["self", "spouse", "child"],
        ["low_income"],
    ),
    (
        "220102",
        ["subsistence"],
        ["material"],
        "normal",
        "失业后家庭收入不足",
        "户主所在企业停产失业，妻子患慢性病，申请最低生活保障。",
        ["self", "spouse"],
        [],
    ),
    (
        "220105",
        ["education"],
        ["material", "capability"],
        "normal",
        "单亲家庭子女上学困难",
        "母亲独自抚养两个孩子，大女儿考入大学，学费无着。",
        ["self", "child", "child"],
        ["low_income"],
    ),
    (
        "220103",
        ["housing"],
        ["material"],
        "normal",
        "房屋老旧漏雨无力修缮",
        "老两口居住的平房屋顶漏雨，冬季取暖困难。",
        ["self", "spouse"],
        ["elderly_alone"],
    ),
    (
        "220106",
        ["disaster", "temporary"],
        ["material", "daily_life"],
        "emergency",
        "楼内失火家中财物受损",
        "邻居家失火殃及本户，衣物家具全部烧毁，暂住亲戚家。",
        ["self", "spouse", "child"],
        [],
    ),
    (
        "220122",
        ["extreme_poverty"],
        ["daily_life", "emotional"],
        "normal",
        "无劳动能力独居老人",
        "老人年过八旬，无子女，无劳动能力和收入来源。",
        ["self"],
        ["elderly_alone"],
    ),
    (
        "220104",
        ["employment"],
        ["capability"],
        "normal",
        "残疾青年求职困难",
        "青年肢体残疾，希望参加技能培训并推荐就业。",
        ["self", "parent"],
        ["disability"],
    ),
    (
        "220112",
        ["judicial"],
        ["counselling"],
        "normal",
        "刑事案件被害人家庭困难",
        "家中主要劳动力遭受人身伤害，加害人无赔偿能力。",
        ["self", "spouse", "child"],
        [],
    ),
]


def _demo_id_number(rng, area, born, male):
    sex_digit = rng.choice("13579" if male else "02468")
    body = f"{area}{born:%Y%m%d}{rng.randrange(0, 99):02d}{sex_digit}"
    return body + ric.calc_check_digit(body + "0")


def _demo_members(rng, area, relations):
    surname = rng.choice(SURNAMES)
    members = []
    for index, relation in enumerate(relations):
        adult = relation in ("self", "spouse", "parent")
        born = date(
            rng.randrange(1950, 1992) if adult else rng.randrange(2008, 2019),
            rng.randrange(1, 13),
            rng.randrange(1, 29),
        )
        male = (index % 2 == 0) if relation != "child" else rng.random() < 0.5
        name = (surname if relation != "spouse" else rng.choice(SURNAMES)) + rng.choice(GIVEN)
        members.append(
            {
                "name": name,
                "id_number": _demo_id_number(rng, area, born, male),
                "relation": relation,
                "phone": f"13{rng.randrange(5, 10)}0431{rng.randrange(0, 10000):04d}"
                if adult and index == 0
                else "",
            }
        )
    return members


def _demo_rules_and_standards():
    rules = [
        ("referral", "", "normal", 5, "working_days"),
        ("referral", "medical", "normal", 3, "working_days"),
        ("referral", "", "emergency", 24, "hours"),
        ("first_response", "", "normal", 3, "working_days"),
        ("first_response", "", "emergency", 24, "hours"),
        ("triage", "", "normal", 2, "working_days"),
        ("triage", "", "emergency", 12, "hours"),
    ]
    for purpose, category, urgency, amount, unit in rules:
        DeadlineRule.objects.update_or_create(
            purpose=purpose,
            category=category,
            urgency=urgency,
            defaults={"amount": amount, "unit": unit},
        )
    year = timezone.localdate().year
    for code, line, assets in [
        ("220100", "720.00", "30000.00"),
        ("220122", "560.00", "25000.00"),
        ("220182", "560.00", "25000.00"),
        ("220183", "560.00", "25000.00"),
    ]:
        LocalStandard.objects.update_or_create(
            jurisdiction_id=code,
            year=year,
            defaults={
                "monthly_line_per_person": Decimal(line),
                "asset_limit_per_person": Decimal(assets),
            },
        )


def _demo_street(rng, district_code):
    streets = list(Jurisdiction.objects.filter(parent_id=district_code, level="street"))
    return rng.choice(streets) if streets else Jurisdiction.objects.get(code=district_code)


def _demo_progress(cases):
    """Move some demo cases along so every screen has something to show."""
    worker = get_user_model().objects.get(username="chaoyang")
    health = Department.objects.get(kind="health", jurisdiction_id="220104")
    urgent = cases[0]
    services.case_transition(case=urgent, to_status=CaseStatus.UNDER_REVIEW, actor=worker)
    referral = services.referral_create(
        case=urgent, department=health, category="medical", actor=worker
    )
    Referral.objects.filter(pk=referral.pk).update(
        due_at=timezone.now() - timedelta(hours=2), referred_at=timezone.now() - timedelta(days=2)
    )
    head = urgent.household.members.first()
    services.assistance_record_submit(
        id_number=head.id_number,
        category="medical",
        start=date(timezone.localdate().year, 1, 1),
        end=date(timezone.localdate().year, 12, 31),
        amount=Decimal("2600.00"),
        source="manual",
        provider_department="health",
        ref="DEMO-A-1",
    )
    hr = Department.objects.get(kind="human_resources", jurisdiction_id="220104")
    services.economic_record_submit(
        department=hr,
        id_number=head.id_number,
        kind="income",
        label="灵活就业收入",
        amount=Decimal("1100.00"),
        as_of=timezone.localdate(),
        ref="DEMO-E-1",
    )
    services.case_verify(case=urgent, actor=worker)
    services.case_check_duplicates(case=urgent)


def _demo_discovery(rng):
    volunteer = get_user_model().objects.get(username="volunteer")
    reports = [
        ("220104", "normal", "独居老人家中暖气不热，老人行动不便，近日未见出门。"),
        ("220104", "emergency", "一名外地务工人员在工地受伤后滞留，身无分文。"),
    ]
    for code, urgency, text in reports:
        services.discovery_report_file(
            jurisdiction=_demo_street(rng, code),
            reporter_name="社区网格员",
            reporter_phone="13604310000",
            person_description=text,
            location_text=f"{rng.choice(STREETS)}附近小区",
            urgency=urgency,
            reporter=volunteer,
        )


@transaction.atomic
def seed_cases(*, seed=2026):
    """Invented households and applications in real places; run after ``seed_directory``."""
    case_permissions_sync()
    _demo_rules_and_standards()
    if Case.objects.filter(ref__startswith="DEMO-").exists():
        return
    rng = random.Random(seed)
    created = []
    for index, need in enumerate(DEMO_NEEDS, start=1):
        district, categories, forms, urgency, title, description, relations, statuses = need
        street = _demo_street(rng, district)
        need_import(
            ref=f"DEMO-N-{index}",
            jurisdiction=street,
            categories=categories,
            forms=forms,
            urgency=urgency,
            title=title,
            description=description,
            opened_at=timezone.now() - timedelta(hours=rng.randrange(1, 200)),
            amount_needed=Decimal(rng.randrange(20, 300) * 100),
            statuses=statuses,
            members=_demo_members(rng, district, relations),
            address=f"长春市{street.parent.name if street.parent else ''}{street.name}"
            f"{rng.choice(STREETS)}{rng.randrange(1, 3000)}号{rng.randrange(1, 9)}栋"
            f"{rng.randrange(1, 7)}0{rng.randrange(1, 4)}室",
            lat=None,
            lon=None,
        )
        created.append(Case.objects.get(ref=f"DEMO-N-{index}"))
    _demo_progress(created)
    _demo_discovery(rng)
