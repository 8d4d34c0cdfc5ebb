"""import_jsonl with hostile files: every problem is ``PATH:LINE: field: reason``,
the command exits non-zero and nothing is written; a UTF-8 BOM is accepted."""

import codecs
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import translation
from test_case_import_jsonl import _Capture, lines, snapshot, write

from matching.cases.models import Case

pytestmark = pytest.mark.django_db


def _body(objects):
    return "\n".join(json.dumps(o, ensure_ascii=False) for o in objects) + "\n"


def _refused(path):
    """Run the import; return its error lines (it must fail with exit code 1)."""
    before = snapshot()
    with pytest.raises(CommandError) as failed:
        call_command("import_jsonl", str(path), stderr=(err := _Capture()))
    assert failed.value.returncode == 1
    assert snapshot() == before
    return err.lines


def test_a_utf8_file_with_a_byte_order_mark_imports(tmp_path, places):
    path = tmp_path / "bom.jsonl"
    path.write_bytes(codecs.BOM_UTF8 + _body(lines()).encode())
    call_command("import_jsonl", str(path))
    assert Case.objects.get(ref="N-17").title == "户主突发重病，家庭陷入困境"


@pytest.mark.parametrize(
    ("encoding", "reason"),
    [
        ("gbk", "不是有效的 UTF-8 编码"),
        ("utf-16", "UTF-16"),
        ("utf-16-le", "UTF-16"),
    ],
)
def test_a_file_in_another_encoding_is_one_clear_error(tmp_path, places, encoding, reason):
    path = tmp_path / f"{encoding}.jsonl"
    path.write_bytes(_body(lines()).encode(encoding))
    errors = _refused(path)
    assert len(errors) == 1
    assert errors[0].startswith(f"{path}:1: encoding: ") and reason in errors[0]


def test_invalid_utf8_names_its_line(tmp_path, places):
    path = tmp_path / "broken.jsonl"
    good = _body(lines()[:1]).encode()
    path.write_bytes(good + b'{"type": "organization", "ref": "\xff\xfe"}\n')
    assert _refused(path) == [
        f"{path}:2: encoding: 不是有效的 UTF-8 编码（第 34 字节），请将文件转换为 UTF-8"
    ]


@pytest.mark.parametrize(
    "line",
    ["[" * 100_000, '{"type": "need", "ref": "N-1", "x": ' + "[" * 100_000 + "]" * 100_000 + "}"],
    ids=["unclosed", "closed"],
)
def test_a_line_nested_100000_deep_is_an_error(tmp_path, places, line):
    path = tmp_path / "deep.jsonl"
    path.write_text(_body(lines()[:1]) + line + "\n", encoding="utf-8")
    assert _refused(path) == [f"{path}:2: json: 嵌套过深（最多 32 层）"]


def test_a_number_of_5000_digits_is_an_error(tmp_path, places):
    path = tmp_path / "long.jsonl"
    path.write_text('{"type": "need", "ref": "N-1", "x": ' + "9" * 5000 + "}\n", encoding="utf-8")
    assert _refused(path) == [f"{path}:1: json: 数字过长"]


@pytest.mark.parametrize("amount", ["1e309", "9" * 20, "10000000000", "10000000000.00"])
def test_an_amount_the_database_cannot_hold_is_an_error(tmp_path, places, amount):
    objects = lines()
    objects[1]["amount_needed"] = amount
    path = write(tmp_path, objects)
    assert _refused(path) == [f"{path}:4: amount_needed: 金额不能超过 9999999999.99 元"]


def test_the_largest_amount_the_database_holds_imports(tmp_path, places):
    objects = lines()
    objects[1]["amount_needed"] = "9999999999.99"
    call_command("import_jsonl", str(write(tmp_path, objects)))
    assert str(Case.objects.get(ref="N-17").amount_needed) == "9999999999.99"


@pytest.mark.parametrize(
    ("ref", "reason"),
    [(123, "应为字符串"), (["N-1"], "应为字符串"), ("", "必填"), ("R" * 65, "不能超过 64 个字符")],
)
def test_a_ref_of_the_wrong_type_or_length_says_so(tmp_path, places, ref, reason):
    objects = lines()
    objects[0]["ref"] = ref
    path = write(tmp_path, objects[:1])
    assert _refused(path) == [f"{path}:3: ref: {reason}"]


def test_a_type_that_is_not_a_string_is_an_unknown_type(tmp_path, places):
    path = write(tmp_path, [{"type": ["need"], "ref": "N-1"}])
    errors = _refused(path)
    assert len(errors) == 1 and errors[0].startswith(f"{path}:3: type: 未知的类型")


@pytest.mark.parametrize(
    ("change", "field", "reason"),
    [
        (lambda n: n.update(title="题" * 121), "title", "不能超过 120 个字符"),
        (lambda n: n.update(description="述" * 2001), "description", "不能超过 2000 个字符"),
        (
            lambda n: n["household"].update(address="址" * 201),
            "household.address",
            "不能超过 200 个字符",
        ),
        (
            lambda n: n["household"]["members"][1].update(name="名" * 65),
            "household.members[1].name",
            "不能超过 64 个字符",
        ),
        (
            lambda n: n["household"]["members"][1].update(name=7),
            "household.members[1].name",
            "应为字符串",
        ),
        (lambda n: n.update(title="标题\x00"), "title", "不能包含空字符（NUL）"),
    ],
    ids=["title", "description", "address", "member-name", "member-name-type", "nul"],
)
def test_fields_are_limited_as_the_online_forms_limit_them(tmp_path, places, change, field, reason):
    objects = lines()
    change(objects[1])
    path = write(tmp_path, objects)
    assert _refused(path) == [f"{path}:4: {field}: {reason}"]


def test_errors_are_in_english_when_english_is_active(tmp_path, places):
    objects = lines()
    objects[0]["ref"] = 123
    objects[1]["amount_needed"] = "1e309"
    path = write(tmp_path, objects[:2])
    with translation.override("en"):
        errors = _refused(path)
    assert errors == [
        f"{path}:3: ref: Must be a string",
        f"{path}:4: amount_needed: Amount cannot exceed 9999999999.99 yuan",
    ]


def test_nan_and_infinity_are_not_json(tmp_path, places):
    path = tmp_path / "nan.jsonl"
    path.write_text('{"type": "need", "ref": "N-1", "location": {"lat": NaN, "lon": Infinity}}\n')
    assert _refused(path) == [f"{path}:1: json: 不是标准 JSON：不能使用 NaN 或 Infinity"]


def test_an_id_number_of_other_digits_is_a_line_error(tmp_path, places):
    objects = lines()
    objects[2]["id_number"] = "²" * 17 + "X"
    path = write(tmp_path, objects)
    # NFKC reads "²" as "2": an ID number of 2s, whose birth date is not a date.
    assert _refused(path) == [f"{path}:5: id_number: 身份证号码中的出生日期无效。"]
