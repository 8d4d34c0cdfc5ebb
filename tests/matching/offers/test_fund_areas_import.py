"""A ``fund`` line's optional ``jurisdictions`` (INTERCHANGE.md, docs/matching.md)."""

import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import translation

from matching.directory.models import Jurisdiction, Organization
from matching.offers.models import Fund

pytestmark = pytest.mark.django_db


@pytest.fixture
def charity():
    city = Jurisdiction.objects.create(code="220100", name="长春市", level="city", path="220100")
    for code, name in (("220104", "朝阳区"), ("220102", "南关区"), ("220106", "绿园区")):
        Jurisdiction.objects.create(
            code=code, name=name, level="district", parent=city, path=f"220100/{code}"
        )
    return Organization.objects.create(
        ref="O-1", name="长春市慈善总会", kind="charity", jurisdiction_id="220104"
    )


def fund_line(**extra):
    return {
        "type": "fund",
        "ref": "F-2",
        "organization": "O-1",
        "name": "博爱医疗救助基金",
        "categories": ["medical"],
        "balance": "50000.00",
        "max_per_case": "2000",
        **extra,
    }


def run(tmp_path, line):
    path = tmp_path / "funds.jsonl"
    path.write_text(json.dumps(line, ensure_ascii=False) + "\n", encoding="utf-8")
    err = io.StringIO()
    try:
        call_command("import_jsonl", str(path), stdout=io.StringIO(), stderr=err)
    except CommandError:
        return path, err.getvalue().splitlines()
    return path, []


def test_a_fund_line_naming_two_districts_keeps_them(tmp_path, charity):
    _, errors = run(tmp_path, fund_line(jurisdictions=["220102", "220106", "220102"]))
    assert errors == []
    assert Fund.objects.get(ref="F-2").jurisdictions == ["220102", "220106"]


def test_a_fund_line_without_jurisdictions_serves_its_organizations_area(tmp_path, charity):
    _, errors = run(tmp_path, fund_line())
    assert errors == []
    # Stored empty: the matcher reads the organization's jurisdiction (search.documents).
    assert Fund.objects.get(ref="F-2").jurisdictions == []


def test_an_unknown_code_is_a_line_error_and_nothing_is_imported(tmp_path, charity):
    path, errors = run(tmp_path, fund_line(jurisdictions=["220104", "999999"]))
    assert errors == [f"{path}:1: jurisdictions: 未知的行政区划代码 999999"]
    assert not Fund.objects.exists()


def test_a_jurisdictions_value_that_is_not_a_list_is_refused_in_english(tmp_path, charity):
    with translation.override("en"):
        path, errors = run(tmp_path, fund_line(jurisdictions="220104"))
    assert len(errors) == 1
    assert errors[0].startswith(f"{path}:1: jurisdictions: ")
    reason = errors[0].removeprefix(f"{path}:1: jurisdictions: ")
    assert reason and reason.isascii()
    assert not Fund.objects.exists()
