"""import_jsonl for project, volunteer and fund lines (INTERCHANGE.md, docs/matching.md)."""

import datetime as dt
import io
import json
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.utils import timezone

from matching.directory.models import DishonestyRecord, Jurisdiction, Organization
from matching.offers.models import Fund, Project, Volunteer

pytestmark = pytest.mark.django_db

TABLES = ["offers_project", "offers_volunteer", "offers_fund", "directory_organization"]


@pytest.fixture
def places():
    city = Jurisdiction.objects.create(code="220100", name="长春市", level="city", path="220100")
    Jurisdiction.objects.create(
        code="220104", name="朝阳区", level="district", parent=city, path="220100/220104"
    )
    Jurisdiction.objects.create(
        code="220102", name="南关区", level="district", parent=city, path="220100/220102"
    )


@pytest.fixture
def known_org(places):
    """An organization already in the database before the run."""
    return Organization.objects.create(
        ref="O-1", name="长春市慈善总会", kind="charity", jurisdiction_id="220100"
    )


def lines():
    return [
        {
            "type": "organization",
            "ref": "O-7",
            "name": "长春市朝阳区阳光社会工作服务中心",
            "kind": "social_work",
            "jurisdiction": "220104",
        },
        {
            "type": "project",
            "ref": "P-3",
            "organization": "O-7",  # defined on the line above, in the same run
            "title": "大病透析救助",
            "description": "为困难家庭尿毒症患者提供透析费用资助",
            "categories": ["medical"],
            "forms": ["material"],
            "jurisdictions": ["220104", "220102"],
            "eligibility": {"household_status_any": ["low_income"], "min_age": 18},
            "budget_remaining": "20000.00",
            "max_per_case": "3000.5",
            "slots_remaining": 6,
            "starts": "2026-01-01",
            "ends": "2026-12-31",
        },
        {
            "type": "volunteer",
            "ref": "V-12",
            "name": "张志愿",
            "organization": "O-7",
            "forms": ["daily_life", "emotional"],
            "skills": ["陪护", "透析陪诊"],
            "jurisdiction": "220104",
            "location": {"lat": 43.879, "lon": 125.3},
            "radius_km": 5,
            "availability": ["sat_am", "sun_pm"],
            "hours_per_week": 4,
        },
        {
            "type": "volunteer",
            "ref": "V-13",
            "name": "李独立",
            "forms": ["counselling"],
            "skills": [],
            "jurisdiction": "220102",
            "location": {"lat": 43.86, "lon": 125.33},
            "radius_km": 2.5,
            "availability": ["wed_pm"],
            "hours_per_week": 0,
        },
        {
            "type": "fund",
            "ref": "F-2",
            "organization": "O-1",  # already in the database
            "name": "博爱医疗救助基金",
            "categories": ["medical", "temporary"],
            "balance": "50000.00",
            "max_per_case": "2000",
            "eligibility": {"max_age": 80},
        },
    ]


def write(tmp_path, objects, name="offers.jsonl"):
    path = tmp_path / name
    body = "# offers, exported 2026-11-28\n\n" + "\n".join(
        json.dumps(o, ensure_ascii=False) for o in objects
    )
    path.write_text(body + "\n", encoding="utf-8")
    return path


def run(path):
    out = io.StringIO()
    call_command("import_jsonl", str(path), stdout=out)
    return out.getvalue()


def snapshot():
    rows = {}
    with connection.cursor() as cursor:
        for table in TABLES:
            cursor.execute(f"SELECT * FROM {table} ORDER BY 1")  # noqa: S608 - fixed names
            rows[table] = cursor.fetchall()
    return rows


def test_a_valid_file_of_each_type_imports(tmp_path, known_org):
    out = run(write(tmp_path, lines()))
    assert "project: created 1" in out and "volunteer: created 2" in out
    assert "fund: created 1" in out
    project = Project.objects.get(ref="P-3")
    assert project.organization.ref == "O-7"
    assert project.jurisdictions == ["220104", "220102"]
    assert project.household_status_any == ["low_income"]
    assert (project.min_age, project.max_age, project.slots_remaining) == (18, None, 6)
    assert project.budget_remaining == Decimal("20000.00")
    assert project.max_per_case == Decimal("3000.50")
    assert str(project.starts) == "2026-01-01" and str(project.ends) == "2026-12-31"


def test_an_organization_under_a_dishonesty_record_cannot_import_new_projects(tmp_path, known_org):
    today = timezone.localdate()
    record = DishonestyRecord.objects.create(
        organization=known_org,
        reason="挪用善款",
        starts=today - dt.timedelta(days=1),
        ends=today + dt.timedelta(days=30),
    )
    project = {**lines()[1], "organization": "O-1"}
    path = write(tmp_path, [project])
    with pytest.raises(CommandError):
        call_command("import_jsonl", str(path), stderr=(err := io.StringIO()))
    assert "organization: 该组织处于失信惩戒期内" in err.getvalue()
    assert not Project.objects.exists()

    # Once the record is revoked (or expires) the same file imports.
    DishonestyRecord.objects.filter(pk=record.pk).update(revoked=True)
    assert "project: created 1" in run(path)
    assert Project.objects.get(ref="P-3").organization == known_org


def test_volunteers_and_funds_keep_every_field(tmp_path, known_org):
    run(write(tmp_path, lines()))
    volunteer = Volunteer.objects.get(ref="V-12")
    assert volunteer.organization.ref == "O-7" and volunteer.jurisdiction_id == "220104"
    assert (volunteer.lat, volunteer.lon, volunteer.radius_km) == (43.879, 125.3, Decimal("5.0"))
    assert volunteer.skills == ["陪护", "透析陪诊"]
    assert volunteer.availability == ["sat_am", "sun_pm"] and volunteer.hours_per_week == 4
    independent = Volunteer.objects.get(ref="V-13")
    assert independent.organization is None and independent.hours_per_week == 0
    assert independent.radius_km == Decimal("2.5")
    fund = Fund.objects.get(ref="F-2")
    assert fund.organization == known_org
    assert (fund.balance, fund.max_per_case) == (Decimal("50000.00"), Decimal("2000.00"))
    assert (fund.min_age, fund.max_age, fund.household_status_any) == (None, 80, [])


def test_the_same_file_twice_changes_nothing(tmp_path, known_org):
    path = write(tmp_path, lines())
    run(path)
    before = snapshot()
    out = run(path)
    assert snapshot() == before  # updated_at included: nothing was saved
    assert "project: unchanged 1" in out and "volunteer: unchanged 2" in out
    assert "fund: unchanged 1" in out


def test_a_changed_line_updates_its_ref_in_place(tmp_path, known_org):
    run(write(tmp_path, lines()))
    changed = lines()
    changed[1]["budget_remaining"] = "17000.00"
    changed[2]["availability"] = ["mon_pm"]
    out = run(write(tmp_path, changed, name="second.jsonl"))
    assert "project: updated 1" in out and "volunteer: updated 1" in out
    assert "volunteer: unchanged 1" in out and "fund: unchanged 1" in out
    assert Project.objects.get().budget_remaining == Decimal("17000.00")
    assert Volunteer.objects.get(ref="V-12").availability == ["mon_pm"]


# (line index in lines(), change, the field named; file line = index + 3)
BAD = {
    "project amount with three decimals": (1, {"budget_remaining": "12.345"}, "budget_remaining"),
    "project amount as a number": (1, {"max_per_case": 3000.5}, "max_per_case"),
    "project of an unknown organization": (1, {"organization": "O-404"}, "organization"),
    "project in an unknown place": (1, {"jurisdictions": ["229999"]}, "jurisdictions"),
    "project ending before it starts": (1, {"ends": "2025-12-31"}, "ends"),
    "project with negative slots": (1, {"slots_remaining": -1}, "slots_remaining"),
    "project with an unknown status": (
        1,
        {"eligibility": {"household_status_any": ["rich"]}},
        "eligibility.household_status_any",
    ),
    "volunteer with an unknown slot": (2, {"availability": ["mon_night"]}, "availability"),
    "volunteer without a location": (2, {"location": None}, "location"),
    "volunteer with a zero radius": (2, {"radius_km": 0}, "radius_km"),
    "volunteer with a week over 168 hours": (2, {"hours_per_week": 200}, "hours_per_week"),
    "volunteer with an unknown form": (2, {"forms": ["money"]}, "forms"),
    "fund without a balance": (4, {"balance": None}, "balance"),
    "fund with a negative per-case maximum": (4, {"max_per_case": "-1.00"}, "max_per_case"),
    "fund with ages the wrong way round": (
        4,
        {"eligibility": {"min_age": 60, "max_age": 18}},
        "eligibility.max_age",
    ),
    "fund with an unknown category": (4, {"categories": ["luxury"]}, "categories"),
}


@pytest.mark.parametrize(("index", "change", "field"), BAD.values(), ids=BAD.keys())
def test_a_bad_line_imports_nothing_and_names_path_line_and_field(
    tmp_path, known_org, index, change, field
):
    bad = lines()
    bad[index].update(change)
    path = write(tmp_path, bad)
    before = snapshot()
    with pytest.raises(CommandError) as failed:
        call_command("import_jsonl", str(path), stderr=(err := io.StringIO()))
    assert failed.value.returncode == 1
    reported = err.getvalue().splitlines()
    assert len(reported) == 1
    # Line 1 is a comment and line 2 is blank.
    assert reported[0].startswith(f"{path}:{index + 3}: {field}: ")
    assert len(reported[0]) > len(f"{path}:{index + 3}: {field}: ")  # a reason is given
    assert snapshot() == before


def test_every_missing_required_field_is_named(tmp_path, places):
    path = write(
        tmp_path,
        [
            {"type": "project", "ref": "P-1"},
            {"type": "volunteer", "ref": "V-1"},
            {"type": "fund", "ref": "F-1"},
        ],
    )
    with pytest.raises(CommandError):
        call_command("import_jsonl", str(path), stderr=(err := io.StringIO()))
    named = set()
    for reported in err.getvalue().splitlines():
        where, field, _ = reported.split(": ", 2)
        named.add((where.rsplit(":", 1)[1], field))
    assert {field for line, field in named if line == "3"} == {
        "organization",
        "title",
        "description",
        "categories",
        "forms",
        "jurisdictions",
    }
    assert {field for line, field in named if line == "4"} == {
        "name",
        "forms",
        "jurisdiction",
        "location",
        "radius_km",
        "availability",
        "hours_per_week",
    }
    assert {field for line, field in named if line == "5"} == {
        "organization",
        "name",
        "categories",
        "balance",
        "max_per_case",
    }
