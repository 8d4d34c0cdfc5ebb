"""import_jsonl per INTERCHANGE.md: all or nothing, errors name line and field, idempotent."""

import datetime as dt
import json

import pytest
from case_factories import id_number
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from matching.cases.models import AssistanceRecord, Case, Member
from matching.directory.models import Organization

pytestmark = pytest.mark.django_db

HEAD = id_number(born=dt.date(1975, 8, 21))
WIFE = id_number(born=dt.date(1977, 2, 14), male=False)


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
            "type": "need",
            "ref": "N-17",
            "jurisdiction": "220104007",
            "categories": ["medical", "temporary"],
            "forms": ["material", "emotional"],
            "urgency": "emergency",
            "title": "户主突发重病，家庭陷入困境",
            "description": "户主确诊尿毒症需长期透析，配偶无固定收入。",
            "opened_at": "2026-11-03",
            "amount_needed": "12000.00",
            "household": {
                "status": ["low_income"],
                "address": "长春市朝阳区红旗街道某小区 5 栋 101",
                "members": [
                    {
                        "name": "陈志强",
                        "id_number": HEAD,
                        "relation": "self",
                        "phone": "13604318899",
                    },
                    {"name": "林晓燕", "id_number": WIFE, "relation": "spouse"},
                ],
            },
            "location": {"lat": 43.8561, "lon": 125.2916},
        },
        {
            "type": "assistance",
            "ref": "A-1",
            "id_number": WIFE,
            "provider": "health",
            "category": "medical",
            "amount": "3200.00",
            "start": "2026-01-01",
            "end": "2026-12-31",
        },
        {
            "type": "assistance",
            "ref": "A-2",
            "id_number": HEAD,
            "provider": "O-7",
            "category": "temporary",
            "start": "2026-10-01",
        },
    ]


def write(tmp_path, objects, name="batch.jsonl", extra=""):
    path = tmp_path / name
    body = "# exported 2026-11-28\n\n" + "\n".join(
        o if isinstance(o, str) else json.dumps(o, ensure_ascii=False) for o in objects
    )
    path.write_text(body + "\n" + extra, encoding="utf-8")
    return path


def snapshot():
    with connection.cursor() as cursor:
        rows = {}
        for table in [
            "cases_case",
            "cases_household",
            "cases_member",
            "cases_assistancerecord",
            "directory_organization",
        ]:
            cursor.execute(f"SELECT * FROM {table} ORDER BY 1")  # noqa: S608 - fixed names
            rows[table] = cursor.fetchall()
    return rows


def test_a_good_file_imports_every_type(tmp_path, places, capsys):
    call_command("import_jsonl", str(write(tmp_path, lines())))
    need = Case.objects.get(ref="N-17")
    assert need.channel == Case.Channel.IMPORT and need.is_emergency
    assert need.contact_phone == "13604318899" and str(need.amount_needed) == "12000.00"
    assert need.household.statuses == ["low_income"] and need.household.lat == 43.8561
    assert sorted(need.household.members.values_list("relation", flat=True)) == ["self", "spouse"]
    assert AssistanceRecord.objects.get(
        ref="A-2"
    ).provider_organization == Organization.objects.get(ref="O-7")
    assert "need: created 1" in capsys.readouterr().out


def test_the_same_file_twice_leaves_the_data_unchanged(tmp_path, places, capsys):
    path = str(write(tmp_path, lines()))
    call_command("import_jsonl", path)
    before = snapshot()
    call_command("import_jsonl", path)
    assert snapshot() == before
    out = capsys.readouterr().out
    assert "need: unchanged 1" in out and "assistance: unchanged 2" in out


def test_a_changed_ref_updates_in_place(tmp_path, places):
    call_command("import_jsonl", str(write(tmp_path, lines())))
    changed = lines()
    changed[1]["household"]["members"] = changed[1]["household"]["members"][:1]
    changed[1]["title"] = "户主尿毒症透析费用困难"
    call_command("import_jsonl", str(write(tmp_path, changed, name="second.jsonl")))
    need = Case.objects.get(ref="N-17")
    assert need.title == "户主尿毒症透析费用困难" and Case.objects.count() == 1
    assert Member.objects.count() == 1


def test_one_bad_line_imports_nothing_and_is_named(tmp_path, places):
    bad = lines()
    wrong = WIFE[:-1] + ("1" if WIFE[-1] != "1" else "2")
    bad[2]["id_number"] = wrong
    path = write(tmp_path, bad)
    with pytest.raises(CommandError) as failed:
        call_command("import_jsonl", str(path), stderr=(err := _Capture()))
    assert failed.value.returncode == 1
    # Line 1 is a comment, line 2 blank: the third object sits on line 5.
    assert err.lines == [f"{path}:5: id_number: 身份证号码校验位不正确，请核对后重新输入。"]
    assert wrong not in err.text
    assert not Case.objects.exists() and not Organization.objects.exists()
    assert not AssistanceRecord.objects.exists()


def test_every_bad_line_and_field_is_reported(tmp_path, places):
    bad = lines()
    bad[1]["categories"] = ["medical", "luxury"]
    bad[1]["household"]["members"][1]["phone"] = "555"
    del bad[0]["kind"]
    path = write(
        tmp_path,
        [
            *bad,
            "{oops",
            {"type": "rocket", "ref": "R-1"},
            {
                "type": "assistance",
                "ref": "A-9",
                "id_number": HEAD,
                "provider": "O-404",
                "category": "medical",
                "start": "2026-13-01",
                "amount": "12.345",
            },
        ],
    )
    with pytest.raises(CommandError):
        call_command("import_jsonl", str(path), stderr=(err := _Capture()))
    fields = [
        line.split(": ")[0].rsplit(":", 1)[1] + ":" + line.split(": ")[1] for line in err.lines
    ]
    assert sorted(fields) == [
        "3:kind",
        "4:categories",
        "4:household.members[1].phone",
        "7:json",
        "8:type",
        "9:amount",
        "9:provider",
        "9:start",
    ]
    assert not Organization.objects.exists()


def test_a_reference_to_an_organization_in_the_database_is_accepted(tmp_path, places):
    call_command("import_jsonl", str(write(tmp_path, lines()[:1], name="orgs.jsonl")))
    call_command("import_jsonl", str(write(tmp_path, lines()[3:], name="aid.jsonl")))
    assert AssistanceRecord.objects.get().provider_organization.ref == "O-7"


def test_a_duplicate_ref_in_one_run_is_an_error(tmp_path, places):
    path = write(tmp_path, [lines()[0], lines()[0]])
    with pytest.raises(CommandError):
        call_command("import_jsonl", str(path), stderr=(err := _Capture()))
    assert err.lines[0].startswith(f"{path}:4: ref: ")


def test_handlers_are_a_registry_other_types_can_join():
    from matching.cases.interchange import HANDLERS, LineHandler, register

    @register
    class ProbeLine(LineHandler):
        type_name = "probe"

    try:
        assert set(HANDLERS) >= {"organization", "need", "assistance", "probe"}
    finally:
        del HANDLERS["probe"]


class _Capture:
    def __init__(self):
        self.text = ""

    def write(self, text):
        self.text += text

    def flush(self):
        pass

    @property
    def lines(self):
        return [line for line in self.text.splitlines() if line]


def test_economic_lines_may_refer_to_people_of_needs_in_the_same_run(tmp_path, places):
    from case_factories import department

    department("human_resources", places["chaoyang"])
    income = {
        "type": "economic",
        "ref": "HR-1",
        "id_number": WIFE,
        "department": "human_resources",
        "jurisdiction": "220104",
        "kind": "income",
        "label": "灵活就业",
        "amount": "800.00",
        "as_of": "2026-10-31",
    }
    path = str(write(tmp_path, [*lines(), income]))
    call_command("import_jsonl", path)
    need = Case.objects.get(ref="N-17")
    assert need.household.economic_records.get().amount == 800
    before = snapshot()
    call_command("import_jsonl", path)
    assert snapshot() == before


def test_economic_data_for_an_unknown_person_is_refused(tmp_path, places):
    from case_factories import department

    department("human_resources", places["chaoyang"])
    income = {
        "type": "economic",
        "ref": "HR-1",
        "id_number": HEAD,
        "department": "human_resources",
        "jurisdiction": "220104",
        "kind": "income",
        "label": "工资",
        "amount": "800.00",
        "as_of": "2026-10-31",
    }
    path = write(tmp_path, [income])
    with pytest.raises(CommandError):
        call_command("import_jsonl", str(path), stderr=(err := _Capture()))
    assert err.lines == [f"{path}:3: id_number: 未找到该身份证号码对应的家庭"]
