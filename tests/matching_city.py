"""A small, hand-made slice of Changchun for the matcher tests.

One need in 朝阳区红旗街道 (medical; material help and daily-life help;
5,000 yuan; a low-income household of a 67-year-old and her 40-year-old
son) and offers that each break exactly one hard constraint, plus three
that satisfy them all.
"""

import datetime as dt
from decimal import Decimal

from django.utils import timezone
from stdnum.cn import ric

from matching.cases import services as case_services
from matching.cases.models import Case
from matching.directory.models import DishonestyRecord, Jurisdiction, Organization
from matching.offers.models import Fund, Project, Volunteer

HOME = (43.8700, 125.3000)  # the household, in 朝阳区


def place(code, name, level, parent=None):
    path = f"{parent.path}/{code}" if parent else code
    node, _ = Jurisdiction.objects.get_or_create(
        code=code, defaults={"name": name, "level": level, "parent": parent, "path": path}
    )
    return node


def id_number(born, serial):
    body = f"220104{born:%Y%m%d}{serial:03d}"
    return body + ric.calc_check_digit(body + "0")


def tree():
    city = place("220100", "长春市", "city")
    chaoyang = place("220104", "朝阳区", "district", city)
    place("220102", "南关区", "district", city)
    hongqi = place("220104007", "红旗街道", "street", chaoyang)
    return city, chaoyang, hongqi


def organization(ref, name, code="220104"):
    return Organization.objects.create(
        ref=ref, name=name, kind="charity", jurisdiction_id=code, verified=True
    )


def need(
    hongqi,
    *,
    ref="N-1",
    categories=("medical",),
    forms=("material", "daily_life"),
    location=HOME,
    urgency="normal",
):
    household = case_services.household_create(
        jurisdiction=hongqi,
        address="朝阳区红旗街道工农大路 1288 号 3 单元 502 室",
        statuses=["low_income"],
        members=[
            {
                "name": "王秀兰",
                "id_number": id_number(dt.date(1959, 3, 2), 22),
                "relation": "self",
                "phone": "13804310001",
            },
            {
                "name": "李建军",
                "id_number": id_number(dt.date(1986, 7, 9), 13),
                "relation": "child",
                "phone": "",
            },
        ],
    )
    if location:
        household.lat, household.lon = location
        household.save(update_fields=["lat", "lon"])
    return case_services.case_submit(
        household=household,
        jurisdiction=hongqi,
        channel=Case.Channel.WINDOW,
        categories=list(categories),
        forms=list(forms),
        urgency=urgency,
        title="尿毒症透析费用困难",
        description="王秀兰患尿毒症需长期透析，儿子李建军失业在家。",
        contact_phone="13804310001",
        amount_needed=Decimal("5000.00"),
        ref=ref,
    )


def project(org, ref, **overrides):
    values = {
        "title": "大病透析救助",
        "description": "为困难家庭尿毒症患者提供透析费用资助",
        "categories": ["medical"],
        "forms": ["material"],
        "jurisdictions": ["220104"],
        "budget_remaining": Decimal("20000.00"),
        "max_per_case": Decimal("3000.00"),
    }
    values.update(overrides)
    return Project.objects.create(organization=org, ref=ref, **values)


def volunteer(ref, *, at, radius="5.0", **overrides):
    values = {
        "name": "张志愿",
        "forms": ["daily_life", "emotional"],
        "skills": ["陪护", "透析陪诊"],
        "jurisdiction_id": "220104",
        "lat": at[0],
        "lon": at[1],
        "radius_km": Decimal(radius),
        "availability": ["sat_am", "sun_pm"],
        "hours_per_week": 4,
    }
    values.update(overrides)
    return Volunteer.objects.create(ref=ref, **values)


# (offer ref, the reason it must be excluded with — a substring)
EXCLUDED = {
    "P-education": "类别不符",
    "P-nanguan": "不在服务区域内",
    "P-disability": "家庭类型不符合",
    "P-children": "年龄不符合",
    "P-full": "名额已满",
    "P-spent": "资金已用完",
    "P-ended": "项目已结束",
    "P-later": "项目尚未开始",
    "P-counselling": "帮扶形式不符",
    "P-dishonest": "失信记录",
    "V-far": "超出服务半径",
    "V-busy": "暂无可服务时间",
    "P-closed": "已停用",
}
PROPOSED = {"P-dialysis", "V-near", "F-medical"}


def offers():
    """Every offer of the slice; returns the dishonest organization."""
    today = timezone.localdate()
    good = organization("O-1", "长春市慈善总会", "220100")
    other = organization("O-2", "朝阳区阳光社工站")
    cheat = organization("O-3", "某失信协会")
    DishonestyRecord.objects.create(
        organization=cheat,
        reason="挪用善款",
        starts=today - dt.timedelta(days=30),
        ends=today + dt.timedelta(days=300),
    )
    project(good, "P-dialysis")
    project(other, "P-education", categories=["education"], title="助学金")
    project(other, "P-nanguan", jurisdictions=["220102"])
    project(other, "P-disability", household_status_any=["disability"])
    project(other, "P-children", min_age=0, max_age=17)
    project(other, "P-full", slots_remaining=0)
    project(other, "P-spent", budget_remaining=Decimal("0.00"))
    project(other, "P-ended", ends=today - dt.timedelta(days=1))
    project(other, "P-later", starts=today + dt.timedelta(days=10))
    project(other, "P-counselling", forms=["counselling"])
    project(cheat, "P-dishonest")
    project(other, "P-closed", status="closed")
    volunteer("V-near", at=(43.8790, 125.3000))  # 1 km north
    volunteer("V-far", at=(44.0500, 125.3000))  # 20 km north
    volunteer("V-busy", at=(43.8750, 125.3000), availability=[])
    Fund.objects.create(
        organization=good,
        ref="F-medical",
        name="博爱医疗救助基金",
        categories=["medical"],
        balance=Decimal("50000.00"),
        max_per_case=Decimal("2000.00"),
    )
    return cheat
