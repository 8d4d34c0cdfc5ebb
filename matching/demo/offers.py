"""Demo offers: the charities' projects, volunteers around Changchun, funds.

Deterministic for a seed; idempotent by ``ref``. Proposals are made by the
matcher afterwards (``manage.py allocate --save`` in ``make demo``).
"""

import random
from decimal import Decimal

from django.db import transaction

from matching.directory.models import Jurisdiction, Organization
from matching.offers.models import Fund, Project, Volunteer

PROJECTS = [
    (
        "O-5",
        "大病透析救助",
        "为尿毒症等重病患者提供透析和住院费用资助",
        ["medical"],
        ["material"],
        ["220100"],
        "200000",
        "3000",
        None,
    ),
    (
        "O-2",
        "春城助学金",
        "资助困难家庭高中生、大学新生学费",
        ["education"],
        ["material"],
        ["220100"],
        "150000",
        "5000",
        40,
    ),
    (
        "O-3",
        "朝阳区课业辅导",
        "大学生志愿者为困难家庭子女辅导功课",
        ["education"],
        ["capability"],
        ["220104"],
        None,
        None,
        30,
    ),
    (
        "O-7",
        "银龄助餐",
        "为独居、高龄困难老人送餐上门",
        ["subsistence", "extreme_poverty"],
        ["daily_life"],
        ["220103"],
        None,
        None,
        60,
    ),
    (
        "O-9",
        "安居修缮计划",
        "为低保、特困家庭修缮危房、改造取暖设施",
        ["housing"],
        ["material"],
        ["220106", "220102"],
        "80000",
        "8000",
        10,
    ),
    (
        "O-12",
        "心灵港湾心理疏导",
        "为遭遇变故的家庭提供心理疏导与哀伤辅导",
        ["temporary"],
        ["counselling", "emotional"],
        ["220100"],
        None,
        None,
        None,
    ),
    (
        "O-11",
        "九台乡村就业帮扶",
        "技能培训和就业岗位对接",
        ["employment"],
        ["capability"],
        ["220113"],
        None,
        None,
        50,
    ),
    (
        "O-1",
        "临时困难应急救助",
        "对突发困难家庭给予临时生活救助",
        ["temporary", "disaster"],
        ["material"],
        ["220100"],
        "100000",
        "2000",
        None,
    ),
]
VOLUNTEERS = [
    ("王丽华", "O-4", ["daily_life", "emotional"], ["陪护", "助餐"], "220102"),
    ("赵志刚", "O-3", ["capability"], ["课业辅导", "数学"], "220104"),
    ("孙雪梅", "O-6", ["emotional", "counselling"], ["心理咨询", "陪伴"], "220105"),
    ("李建国", None, ["daily_life"], ["水电维修", "家政"], "220104"),
    ("周晓燕", "O-4", ["daily_life"], ["透析陪诊", "陪护"], "220102"),
    ("吴海涛", None, ["capability"], ["就业指导", "简历"], "220103"),
    ("郑秀英", "O-7", ["daily_life", "emotional"], ["助餐", "聊天"], "220103"),
    ("冯立新", None, ["counselling"], ["法律咨询"], "220106"),
]
FUNDS = [
    ("O-5", "博爱医疗救助基金", ["medical"], "500000", "5000"),
    ("O-2", "春苗助学基金", ["education"], "200000", "3000"),
    ("O-10", "一汽爱心安居基金", ["housing", "disaster"], "300000", "10000"),
]
CITY_CENTRE = (43.8868, 125.3245)


def _money(text):
    return Decimal(text) if text else None


def _projects():
    for index, (org, title, text, cats, forms, area, budget, cap, slots) in enumerate(PROJECTS, 1):
        Project.objects.update_or_create(
            ref=f"DEMO-P-{index}",
            defaults={
                "organization": Organization.objects.get(ref=org),
                "title": title,
                "description": text,
                "categories": cats,
                "forms": forms,
                "jurisdictions": area,
                "budget_remaining": _money(budget),
                "max_per_case": _money(cap),
                "slots_remaining": slots,
                "status": "active",
            },
        )


def _volunteers(rng):
    for index, (name, org, forms, skills, district) in enumerate(VOLUNTEERS, 1):
        street = Jurisdiction.objects.filter(parent_id=district).order_by("code").first()
        Volunteer.objects.update_or_create(
            ref=f"DEMO-V-{index}",
            defaults={
                "name": name,
                "organization": Organization.objects.filter(ref=org).first(),
                "forms": forms,
                "skills": skills,
                "jurisdiction": street,
                "lat": round(CITY_CENTRE[0] + rng.uniform(-0.06, 0.06), 5),
                "lon": round(CITY_CENTRE[1] + rng.uniform(-0.08, 0.08), 5),
                "radius_km": Decimal(rng.choice(["3.0", "5.0", "8.0"])),
                "availability": rng.sample(["mon_pm", "wed_pm", "sat_am", "sun_am", "sun_pm"], 2),
                "hours_per_week": rng.choice([2, 4, 6]),
            },
        )


def _funds():
    for index, (org, name, cats, balance, cap) in enumerate(FUNDS, 1):
        Fund.objects.update_or_create(
            ref=f"DEMO-F-{index}",
            defaults={
                "organization": Organization.objects.get(ref=org),
                "name": name,
                "categories": cats,
                "balance": Decimal(balance),
                "max_per_case": Decimal(cap),
            },
        )


@transaction.atomic
def seed_offers(*, seed=2026):
    rng = random.Random(seed)
    _projects()
    _volunteers(rng)
    _funds()
