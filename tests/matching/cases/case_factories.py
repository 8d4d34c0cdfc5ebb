"""Factories for the case tests: a small slice of Changchun and invented people."""

import datetime as dt
import random

import factory
from django.utils import timezone
from stdnum.cn import ric

from matching.cases import services
from matching.cases.models import (
    AssistanceRecord,
    Case,
    DeadlineRule,
    LocalStandard,
    Member,
    Referral,
)
from matching.core.vocabulary import Category, Urgency
from matching.directory.models import Department, Jurisdiction, Role
from matching.directory.services import account_create

PASSWORD = "case-test-pass-2026"
_rng = random.Random(11643)


def id_number(area="220104", born=dt.date(1985, 3, 12), male=True):
    """A checksum-valid, invented resident ID number."""
    sequence = _rng.randrange(0, 99) * 10 + (_rng.choice([1, 3, 5, 7, 9]) if male else 2)
    body = f"{area}{born:%Y%m%d}{sequence:03d}"
    return body + ric.calc_check_digit(body + "0")  # the function ignores the last character


def jurisdiction(code, name, level, parent=None):
    path = f"{parent.path}/{code}" if parent else code
    node, _ = Jurisdiction.objects.get_or_create(
        code=code, defaults={"name": name, "level": level, "parent": parent, "path": path}
    )
    return node


def city_tree():
    city = jurisdiction("220100", "长春市", "city")
    chaoyang = jurisdiction("220104", "朝阳区", "district", city)
    nanguan = jurisdiction("220102", "南关区", "district", city)
    hongqi = jurisdiction("220104007", "红旗街道", "street", chaoyang)
    nanling = jurisdiction("220102001", "南岭街道", "street", nanguan)
    return {
        "city": city,
        "chaoyang": chaoyang,
        "nanguan": nanguan,
        "hongqi": hongqi,
        "nanling": nanling,
    }


def department(kind, place):
    dept, _ = Department.objects.get_or_create(
        kind=kind,
        jurisdiction=place,
        # 朝阳区卫生健康局: a department as people name it (screenshots show it).
        defaults={"name": f"{place.name}{Department.Kind(kind).label}局"},
    )
    return dept


_counter = iter(range(1, 10_000))


def account(role, place, department=None, email=True):
    username = f"{role}-{place.code}-{next(_counter)}"
    return account_create(
        username=username,
        password=PASSWORD,
        role=role,
        jurisdiction=place,
        department=department,
        email=f"{username}@assist.example" if email else "",
    )


def staff(place, role=Role.DISTRICT_STAFF):
    return account(role, place)


def liaison(dept):
    return account(Role.LIAISON, dept.jurisdiction, department=dept)


def household(place, members=None, address="长春市朝阳区红旗街道工农大路 1288 号 3 单元 502 室"):
    members = members or [
        {
            "name": "王秀兰",
            "id_number": id_number(born=dt.date(1958, 9, 20), male=False),
            "relation": Member.Relation.SELF,
            "phone": "13804310001",
        },
    ]
    return services.household_create(jurisdiction=place, address=address, members=members)


def case(
    place,
    *,
    status=None,
    urgency=Urgency.NORMAL,
    categories=("subsistence",),
    opened_at=None,
    phone="13804310001",
    members=None,
):
    opened = services.case_submit(
        household=household(place, members=members),
        jurisdiction=place,
        channel=Case.Channel.WINDOW,
        categories=list(categories),
        forms=["material"],
        urgency=urgency,
        title="因病致贫申请救助",
        description="户主患病，家庭收入微薄。",
        contact_phone=phone,
        opened_at=opened_at,
    )
    if status:
        Case.objects.filter(pk=opened.pk).update(status=status)
        opened.refresh_from_db()
    return opened


class StandardFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LocalStandard

    year = factory.LazyFunction(lambda: timezone.localdate().year)
    monthly_line_per_person = "720.00"
    asset_limit_per_person = None


class ReferralFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Referral

    category = Category.MEDICAL
    due_at = factory.LazyFunction(lambda: timezone.now() + dt.timedelta(days=3))


class RuleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DeadlineRule
        django_get_or_create = ("purpose", "category", "urgency")

    purpose = DeadlineRule.Purpose.REFERRAL
    category = ""
    urgency = Urgency.NORMAL
    amount = 5
    unit = DeadlineRule.Unit.WORKING_DAYS


def assistance(
    number,
    *,
    category="subsistence",
    start=dt.date(2026, 1, 1),
    end=None,
    provider="civil_affairs",
    ref=None,
):
    return services.assistance_record_submit(
        id_number=number,
        category=category,
        start=start,
        end=end,
        source=AssistanceRecord.Source.MANUAL,
        provider_department=provider,
        ref=ref,
    )
