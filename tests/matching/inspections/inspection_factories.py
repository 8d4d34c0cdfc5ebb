"""A slice of Changchun, staff, an inspection team and a finding, for the inspections tests."""

import datetime as dt
import itertools

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from matching.directory.models import Department, Jurisdiction
from matching.directory.services import account_create, role_groups_sync
from matching.inspections import services
from matching.inspections.permissions import inspections_permissions_sync

PASSWORD = "inspect-test-pass-2026"
PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
_counter = itertools.count(1)


def _node(code, name, level, parent=None):
    path = f"{parent.path}/{code}" if parent else code
    node, _ = Jurisdiction.objects.get_or_create(
        code=code, defaults={"name": name, "level": level, "parent": parent, "path": path}
    )
    return node


def city_tree():
    city = _node("220100", "长春市", "city")
    chaoyang = _node("220104", "朝阳区", "district", city)
    nanguan = _node("220102", "南关区", "district", city)
    return {
        "city": city,
        "chaoyang": chaoyang,
        "nanguan": nanguan,
        "hongqi": _node("220104007", "红旗街道", "street", chaoyang),
        "nanling": _node("220102001", "南岭街道", "street", nanguan),
    }


def user(role, place, department=None):
    role_groups_sync()
    inspections_permissions_sync()
    username = f"{role}-{place.code}-{next(_counter)}"
    return account_create(
        username=username,
        password=PASSWORD,
        role=role,
        jurisdiction=place,
        department=department,
        email=f"{username}@assist.example",
    )


def department(place, kind=Department.Kind.HEALTH, name="朝阳区卫生健康局"):
    return Department.objects.get_or_create(kind=kind, jurisdiction=place, defaults={"name": name})[
        0
    ]


def inspection(places, team, title="2026年低保审核审批专项督查"):
    today = timezone.localdate()
    return services.inspection_create(
        actor=team[0],
        title=title,
        topic="低保审核审批是否按时、公示是否到位。",
        scope=places["city"],
        starts_on=today - dt.timedelta(days=3),
        ends_on=today + dt.timedelta(days=30),
        team=team,
    )


def finding(inspection, inspector, unit=None, department=None, days=10):
    return services.finding_record(
        inspection=inspection,
        actor=inspector,
        unit=unit,
        department=department,
        severity="serious",
        description="抽查的低保案卷中有3件未按规定张榜公示。",
        task="补齐公示并建立公示台账。",
        working_days=days,
    )


def pdf_upload(name="公示照片.pdf"):
    return SimpleUploadedFile(name, PDF_BYTES, content_type="application/pdf")
