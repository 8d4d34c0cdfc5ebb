"""Demo stories: some three hundred invented households across every district and
category, published through the same path as real needs, with money at every stage.

Each household is an application imported with ``need_import`` (members with
names, resident ID numbers and a phone; an exact address), reviewed, verified
and approved by staff, derived into a public need by the de-identification
pipeline and approved through the Wagtail workflow; the k-check then decides
what is shown. The raw stories name the household head, an age and sometimes
a hospital or school, so what the public reads ("某某", "五十多岁", "某医院")
is the pipeline's output, not hand-written anonymous text.

Money follows the real services too: offline gifts recorded by staff (none,
part, nearly all or all of the goal), and for some fully funded needs a match
with the city charity's relief project, a payout to the hospital, school,
landlord or household, and the household's confirmation of receipt.

Everything is invented: names come from the demo's syllable lists, ID numbers
only have valid check digits, payees are fictitious. Deterministic for a seed;
a second run finds its cases and changes nothing. docs/publication.md.
"""

import random
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from wagtail.signal_handlers import disable_reference_index_auto_update

from matching.cases.models import Case
from matching.cases.services import need_import
from matching.directory.models import Jurisdiction
from matching.funding import services as funding
from matching.ledger.models import Account
from matching.offers import services as offers
from matching.offers.models import Project
from matching.payments.models import Donation
from matching.publication.models import PublicNeed
from matching.publication.services import (
    public_need_update_post,
    public_needs_recheck_deferred,
)

from .city import STREETS, _demo_members
from .flows import _approve_case, _gift, _publish

REF = "DEMO-S-"
DISTRICTS = [
    "220102",
    "220103",
    "220104",
    "220105",
    "220106",
    "220112",
    "220113",
    "220122",
    "220182",
    "220183",
    "220184",
    "220171",
    "220172",
    "220173",
    "220174",
]
CATEGORIES = [
    "medical",
    "education",
    "subsistence",
    "housing",
    "temporary",
    "disaster",
    "employment",
    "extreme_poverty",
    "judicial",
]
# Households per group: the k-check (k=5) publishes a district x category class
# only when it has at least five members, so every group has five or more.
GROUP_SIZES = (5, 5, 6)


@dataclass(frozen=True)
class Story:
    title: str
    text: str  # {head}: the household head's name; {age}; {detail}: one of ``details``
    details: tuple
    relations: tuple
    forms: tuple
    amount: tuple  # hundreds of yuan (low, high)
    statuses: tuple = ("low_income",)


def _story(title, text, details, relations, forms, amount, statuses=("low_income",)):
    return Story(title, text, tuple(details), tuple(relations), tuple(forms), amount, statuses)


STORIES = {
    "medical": [
        _story(
            "尿毒症透析费用缺口",
            "户主{head}今年{age}岁，确诊尿毒症后每周在长春市中心医院透析三次。{detail}"
            "医保报销后每月仍需自付一千多元，希望爱心人士帮助承担接下来半年的透析费用。",
            [
                "配偶在超市做理货员，收入是全家唯一来源。",
                "两个孩子还在读书，家里已经借遍了亲戚。",
                "原来开出租车，生病后车已卖掉。",
            ],
            ["self", "spouse", "child"],
            ["material"],
            (30, 60),
        ),
        _story(
            "孩子白血病化疗费用",
            "{head}的孩子今年确诊急性淋巴细胞白血病，正在吉林大学第一医院化疗。{detail}"
            "后续还需要四个疗程，筹集的善款将直接拨付给医院。",
            [
                "夫妻二人辞去工作轮流陪护。",
                "家里的积蓄在第一个疗程就已用完。",
                "爷爷奶奶年迈，也帮不上忙。",
            ],
            ["self", "spouse", "child"],
            ["material", "emotional"],
            (40, 50),
        ),
        _story(
            "术后康复和长期用药",
            "户主{head}，{age}岁，去年做了心脏搭桥手术，需要长期服药和定期复查。{detail}"
            "希望帮助支付今后一年的药费。",
            [
                "配偶患糖尿病，也需要每天注射胰岛素。",
                "手术后不能再从事体力劳动，只能在家休养。",
                "单位效益不好，已经停发工资半年。",
            ],
            ["self", "spouse"],
            ["material"],
            (20, 45),
        ),
        _story(
            "脑卒中后康复治疗",
            "{head}今年{age}岁，突发脑梗后右侧肢体偏瘫，正在康复医院做康复训练。{detail}"
            "康复治疗不在医保报销范围内的部分，家里无力承担。",
            ["配偶在小区做保洁，每天还要照顾病人。", "儿子在外地打工，收入不稳定。"],
            ["self", "spouse"],
            ["material", "daily_life"],
            (25, 50),
        ),
    ],
    "education": [
        _story(
            "高中学费和住宿费",
            "{head}的孩子今年考上长春市第十一高中，成绩在年级前列。{detail}"
            "学费和住宿费共需三千多元，善款将凭缴费通知直接交给学校。",
            [
                "父亲前年因工伤致残，家里靠母亲打零工维持。",
                "单亲家庭，母亲患慢性病不能全职工作。",
                "家里还有一个弟弟在读初中。",
            ],
            ["self", "child"],
            ["material"],
            (30, 45),
        ),
        _story(
            "大学新生入学费用",
            "{head}家的孩子考上了吉林大学，是村里第一个大学生。{detail}"
            "第一年的学费、住宿费和生活用品还差一部分，希望得到帮助。",
            ["父母在家务农，去年遭遇冰雹减产。", "父亲常年患病，家里欠着医药费。"],
            ["self", "spouse", "child"],
            ["material", "capability"],
            (35, 50),
        ),
        _story(
            "孩子课后辅导和学习用品",
            "户主{head}一个人带着两个孩子，孩子们都在读小学。{detail}"
            "希望有志愿者帮孩子辅导功课，并资助一学期的学习用品和校服。",
            ["白天在餐馆打工，晚上没有精力辅导孩子。", "孩子父亲去世后，一家人心理压力很大。"],
            ["self", "child", "child"],
            ["material", "capability", "emotional"],
            (8, 20),
        ),
    ],
    "subsistence": [
        _story(
            "冬季取暖费难以缴纳",
            "户主{head}今年{age}岁，和老伴住在老旧小区，靠低保金生活。{detail}"
            "今年取暖费两千多元还没有缴纳，天冷了屋里只有十来度。",
            [
                "老伴患风湿病，常年吃药。",
                "唯一的儿子身体残疾，也需要照顾。",
                "房子是九十年代的老楼，暖气费按面积收。",
            ],
            ["self", "spouse"],
            ["material", "daily_life"],
            (15, 30),
            ("subsistence",),
        ),
        _story(
            "失业后家庭生活困难",
            "{head}所在的工厂停产后一直没有找到稳定工作。{detail}"
            "希望得到几个月的生活补助，帮一家人渡过难关。",
            ["配偶在家照顾卧床的老人。", "孩子正在读初中，开销越来越大。"],
            ["self", "spouse", "child"],
            ["material", "capability"],
            (15, 35),
            ("subsistence",),
        ),
        _story(
            "老两口生活开支不足",
            "户主{head}，{age}岁，老两口没有退休金，只有少量养老补贴。{detail}"
            "希望帮助解决一段时间的基本生活开支。",
            ["老伴去年摔伤了腿，行动不便。", "子女都在外地，收入也不高。"],
            ["self", "spouse"],
            ["material", "daily_life", "emotional"],
            (10, 25),
            ("subsistence",),
        ),
    ],
    "housing": [
        _story(
            "危房屋顶修缮",
            "户主{head}家的平房已有四十多年，去年夏天大雨后屋顶多处漏雨。{detail}"
            "请施工队修缮屋顶和墙体需要四千多元。",
            ["家里只有老两口，没有能力自己修。", "墙体已经出现裂缝，冬天前必须修好。"],
            ["self", "spouse"],
            ["material"],
            (35, 50),
        ),
        _story(
            "租房押金和房租",
            "{head}一家原来租住的房子被征收，需要重新租房。{detail}"
            "押金和三个月房租共需三千多元，善款将凭租房合同拨付给房东。",
            ["户主在物流园打零工，收入不固定。", "孩子要在附近上学，不能搬得太远。"],
            ["self", "spouse", "child"],
            ["material"],
            (25, 40),
        ),
    ],
    "temporary": [
        _story(
            "突发火灾后临时生活困难",
            "{head}家上个月因电线老化发生火灾，家具和衣物几乎全部烧毁。{detail}"
            "希望帮助购置基本的生活用品，渡过这段最难的日子。",
            ["一家人暂住在亲戚家。", "户主手部烧伤，暂时不能上班。"],
            ["self", "spouse", "child"],
            ["material", "daily_life"],
            (20, 40),
        ),
        _story(
            "家中顶梁柱意外受伤",
            "户主{head}今年{age}岁，在工地干活时从脚手架上摔下，腰椎骨折。{detail}"
            "希望得到几个月的临时生活补助。",
            ["工地老板联系不上，工伤认定还在办理中。", "配偶没有工作，孩子还小。"],
            ["self", "spouse", "child"],
            ["material", "emotional"],
            (20, 35),
        ),
    ],
    "disaster": [
        _story(
            "暴雨后房屋进水受损",
            "今年七月的暴雨中，{head}家的房子进水近一米，粮食和家电都泡坏了。{detail}"
            "希望帮助购买冬季取暖的煤和基本口粮。",
            ["玉米地也被淹，今年几乎绝收。", "家里有一位八十多岁的老人需要照顾。"],
            ["self", "spouse", "parent"],
            ["material", "daily_life"],
            (15, 30),
        ),
        _story(
            "冰雹灾害后生活困难",
            "{head}家种的十几亩地遭遇冰雹，大棚也被砸坏。{detail}"
            "希望得到帮助，修好大棚，明年还能继续种菜。",
            ["大棚是全家主要的收入来源。", "为了建大棚还借了一万多元。"],
            ["self", "spouse"],
            ["material", "capability"],
            (25, 45),
        ),
    ],
    "employment": [
        _story(
            "失业人员技能培训",
            "{head}今年{age}岁，原来在汽车零部件厂做工，厂子搬走后失业。{detail}"
            "想参加电工或养老护理员培训，考证后重新就业。",
            ["家里还有读高中的孩子。", "配偶身体不好，不能外出工作。"],
            ["self", "spouse", "child"],
            ["capability"],
            (10, 20),
        ),
        _story(
            "残疾人就业帮扶",
            "户主{head}是肢体残疾人，一直想自食其力。{detail}"
            "希望得到帮助参加电商客服培训，并添置一台电脑。",
            ["之前在福利工厂工作，工厂关闭后在家待业。", "家人支持他学习新技能。"],
            ["self", "parent"],
            ["capability", "material"],
            (15, 30),
            ("disability",),
        ),
    ],
    "extreme_poverty": [
        _story(
            "独居老人日常照料",
            "{head}老人今年{age}岁，无儿无女，一个人住。{detail}"
            "希望有志愿者定期上门陪伴，帮忙买菜、打扫，并资助冬季的棉衣棉被。",
            ["腿脚不好，下楼很困难。", "视力越来越差，做饭有危险。"],
            ["self"],
            ["daily_life", "emotional", "material"],
            (8, 15),
            ("extreme_poverty", "elderly_alone"),
        ),
        _story(
            "特困老人助餐助浴",
            "{head}老人独自生活，靠特困供养金维持。{detail}"
            "希望帮助订一年的社区助餐，并请护理员每月上门助浴。",
            ["患有高血压和关节炎。", "老伴几年前去世，老人很少与人说话。"],
            ["self"],
            ["daily_life", "emotional"],
            (10, 20),
            ("extreme_poverty", "elderly_alone"),
        ),
    ],
    "judicial": [
        _story(
            "刑事案件被害人家庭困难",
            "户主{head}在一起故意伤害案中受重伤，加害人没有赔偿能力。{detail}"
            "希望帮助支付后续治疗费用和一段时间的生活费。",
            ["住院三个月，至今不能正常工作。", "家里还有两个上学的孩子。"],
            ["self", "spouse", "child"],
            ["material", "counselling"],
            (30, 50),
        ),
        _story(
            "交通事故肇事方逃逸",
            "{head}骑电动车下班途中被撞，肇事车辆逃逸至今未找到。{detail}"
            "希望帮助承担康复治疗费用。",
            ["腿部骨折做了两次手术。", "配偶照顾病人，只能打零工。"],
            ["self", "spouse"],
            ["material", "emotional"],
            (25, 45),
        ),
    ],
}
# Where a payout for each category goes, and an invented payee of that kind.
PAYEES = {
    "medical": ("hospital", "长春市康宁医院（虚构）"),
    "education": ("school", "长春市育才中学（虚构）"),
    "housing": ("landlord", "房东（出租方）"),
}
# Share of its goal each need raises, in turn: every ten needs hold three unfunded,
# four partly or nearly funded and three funded (paid out; one still unconfirmed).
FUNDING_CYCLE = (0, 0.3, 1, 0.6, 0, 0.9, 1, 0.3, 0, 1)
PENDING_CONFIRMATION = 9  # the position in the cycle whose payout the household has not confirmed
# The relief project pays at most this much per household (its ``max_per_case``).
PAYOUT_CAP_YUAN = 2000
UPDATES = {
    "medical": "已与医院核实费用清单，善款将凭票据直接支付给医院。",
    "education": "学校已出具缴费通知，善款将直接交到学校。",
    "housing": "社区工作人员已上门查看，修缮方案已确定。",
}


def seed_stories(*, seed=2026, groups=None, districts=DISTRICTS):
    """Publish the demo stories and their money; returns how many needs were published.

    ``groups`` per district (default ``settings.DEMO_STORY_GROUPS``), each of five
    or six households of one category.
    """
    groups = settings.DEMO_STORY_GROUPS if groups is None else groups
    if not groups or Case.objects.filter(ref__startswith=REF).exists():
        return 0
    rng = random.Random(seed * 11 + 3)
    users = {name: get_user_model().objects.get(username=name) for name in ("city", "charity")}
    streets = {
        district: list(
            Jurisdiction.objects.filter(parent_id=district, level="street").order_by("code")[:3]
        )
        or [Jurisdiction.objects.get(code=district)]
        for district in districts
    }
    # Wagtail's reference index (admin "usage" counts) has nothing to learn from
    # needs, and one k-check after the batch gives the verdicts one per approval would.
    with disable_reference_index_auto_update(), transaction.atomic():
        plans = _plans(rng, districts, groups)
        cases = [_import(rng, plan, streets[plan[0]]) for plan in plans]
        for index, case in enumerate(cases, start=1):
            _approve_case(case, worker=users["city"], rng=rng, index=10_000 + index)
        with public_needs_recheck_deferred():
            needs = [_publish(case, users["city"]) for case in cases]
        needs = list(PublicNeed.objects.filter(pk__in=[n.pk for n in needs]).order_by("pk"))
        _fund(rng, needs, users=users)
    return sum(1 for need in needs if need.is_public)


def _plans(rng, districts, groups):
    """(district, category, story) per household; the categories rotate over the districts."""
    plans = []
    for d_index, district in enumerate(districts):
        for g_index in range(groups):
            category = CATEGORIES[(d_index * groups + g_index) % len(CATEGORIES)]
            size = rng.choice(GROUP_SIZES)
            plans += [(district, category, rng.choice(STORIES[category])) for _ in range(size)]
    return plans


def _import(rng, plan, streets):
    district, category, story = plan
    street = rng.choice(streets)
    members = _demo_members(rng, district, list(story.relations))
    head = members[0]["name"]
    age = timezone.localdate().year - int(members[0]["id_number"][6:10])
    ref = f"{REF}{district}-{rng.randrange(10**8):08d}"
    need_import(
        ref=ref,
        jurisdiction=street,
        categories=[category],
        forms=list(story.forms),
        urgency="emergency" if rng.random() < 0.08 else "normal",
        title=story.title,
        description=story.text.format(head=head, age=age, detail=rng.choice(story.details)),
        opened_at=timezone.now() - timedelta(days=rng.randrange(2, 160)),
        amount_needed=Decimal(rng.randrange(*story.amount) * 100),
        statuses=list(story.statuses),
        members=members,
        address=_address(rng, street),
        lat=None,
        lon=None,
    )
    return Case.objects.select_related("household").get(ref=ref)


def _address(rng, street):
    building = f"{rng.randrange(1, 3000)}号{rng.randrange(1, 9)}栋"
    flat = f"{rng.randrange(1, 7)}0{rng.randrange(1, 4)}室"
    return f"长春市{street.parent.name}{street.name}{rng.choice(STREETS)}{building}{flat}"


def _fund(rng, needs, *, users):
    """None, part, nearly all or all of each goal; payouts and receipts for some."""
    relief = Project.objects.get(ref="DEMO-P-8")  # 临时困难应急救助 (长春市慈善总会)
    clerk = users["city"]
    for index, need in enumerate(n for n in needs if n.is_public and n.amount_needed):
        goal = int(need.amount_needed)
        share = FUNDING_CYCLE[index % len(FUNDING_CYCLE)]
        if share == 0:
            continue
        yuan = goal if share == 1 else min(goal - 1, int(goal * share * rng.uniform(0.85, 1.05)))
        _gift(
            target=need,
            channel=rng.choice([Donation.Channel.BANK_TRANSFER, Donation.Channel.CASH]),
            reference=f"DEMO-S-GIFT-{need.pk}",
            yuan=yuan,
            donor={"anonymous": True, "donor_name": "", "donor_email": ""},
            clerk=clerk,
        )
        category = need.categories[0]
        if category in UPDATES and index % 3 == 0:
            public_need_update_post(need=need, text=UPDATES[category], actor=clerk)
        if yuan == goal and need.urgency == "normal" and _budget_left(relief):
            confirm = index % len(FUNDING_CYCLE) != PENDING_CONFIRMATION
            _pay_out(need, relief, users=users, goal=goal, confirm=confirm)


def _budget_left(project):
    """Whether the relief project can still fund a full payout (approvals reserve its budget)."""
    project.refresh_from_db(fields=["budget_remaining"])
    return project.budget_remaining is None or project.budget_remaining >= PAYOUT_CAP_YUAN


def _pay_out(need, project, *, users, goal, confirm):
    """The relief project takes the case; staff pay the goal out; most households confirm."""
    match = offers.matches_propose(
        need=need.case,
        proposals=[
            {
                "type": "project",
                "offer": project.ref,
                "score": 0.8,
                "reasons": ["善款已筹满", "服务范围覆盖长春市"],
            }
        ],
    )[0]
    offers.match_respond(match=match, actor=users["charity"], accept=True)
    match = offers.match_decide(match=match, actor=users["city"], approve=True, reason="善款已筹满")
    # At most what the match was approved for (the project's cap per household).
    amount_yuan = min(goal, PAYOUT_CAP_YUAN, int(match.amount or PAYOUT_CAP_YUAN))
    payee_kind, payee_name = PAYEES.get(need.categories[0], ("household", "受助家庭"))
    payout = funding.disbursement_request(
        match=match,
        account=Account.objects.get(code=f"need:{need.pk}"),
        amount_minor=amount_yuan * 100,
        payee_kind=payee_kind,
        payee_name=payee_name,
        invoice_number=f"DEMO-S-{need.pk:05d}",
        actor=users["city"],
        note="演示拨付",
    )
    _payout, (reference, code) = funding.disbursement_post(disbursement=payout, actor=users["city"])
    if confirm:
        funding.confirmation_confirm(reference=reference, code=code)
