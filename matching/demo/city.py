"""A believable demo city, generated deterministically from a seed.

Places are Changchun's real divisions; every organization and person here is
invented. Later capabilities add their own seeders next to ``seed_directory``.
"""

import random
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db import transaction
from stdnum.cn import uscc

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
