"""``manage.py deidentify``: JSON Lines in, published text and findings out."""

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

REPO = Path(__file__).resolve().parents[3]


def _run(monkeypatch, stdin_text):
    monkeypatch.setattr("sys.stdin", io.StringIO(stdin_text))
    out, err = io.StringIO(), io.StringIO()
    call_command("deidentify", stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_each_line_becomes_one_json_object(monkeypatch):
    lines = [
        {"text": "申请人张秀兰，电话13904312208。", "names": ["张秀兰"]},
        {"text": "身份证号220104196208153022", "addresses": []},
        {"text": "住人民大街3399号", "names": [], "addresses": ["人民大街3399号"]},
    ]
    stdin = "\n\n".join(json.dumps(line, ensure_ascii=False) for line in lines) + "\n"
    out, _ = _run(monkeypatch, stdin)
    results = [json.loads(line) for line in out.splitlines()]
    assert results == [
        {
            "text": "申请人某某，电话[电话]。",
            "findings": [
                {"kind": "name", "start": 3, "end": 6},
                {"kind": "phone", "start": 9, "end": 20},
            ],
        },
        {"text": "身份证号[身份证号]", "findings": [{"kind": "id_number", "start": 4, "end": 22}]},
        {"text": "住[住址]", "findings": [{"kind": "address", "start": 1, "end": 10}]},
    ]
    assert "某某" in out  # ensure_ascii=False: Chinese is written as is


def test_blank_input_writes_nothing(monkeypatch):
    assert _run(monkeypatch, "\n   \n") == ("", "")


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ('{"text": "张秀兰 13904312208"', "第 2 行：不是有效的 JSON 对象"),
        ('["张秀兰"]', "第 2 行：不是有效的 JSON 对象"),
        ('{"names": ["张秀兰"]}', "第 2 行：缺少字符串字段 text"),
        ('{"text": "x", "names": "张秀兰"}', "第 2 行：字段 names 必须是字符串列表"),
        ('{"text": "x", "addresses": ""}', "第 2 行：字段 addresses 必须是字符串列表"),
        ('{"text": "张秀兰\\ud800"}', "第 2 行：字段 text 含有无效的 Unicode 字符"),
    ],
)
def test_a_bad_line_is_reported_by_number_without_its_content(monkeypatch, line, message):
    stdin = '{"text": "第一行"}\n' + line + "\n"
    monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    out, err = io.StringIO(), io.StringIO()
    with pytest.raises(CommandError):
        call_command("deidentify", stdout=out, stderr=err)
    assert message in err.getvalue()
    assert "张秀兰" not in err.getvalue()
    assert out.getvalue() == ""  # nothing is written when any line is bad


def _manage(stdin_bytes):
    env = {key: value for key, value in os.environ.items() if key != "DJANGO_SETTINGS_MODULE"}
    return subprocess.run(
        [sys.executable, "manage.py", "deidentify"],
        input=stdin_bytes,
        capture_output=True,
        cwd=REPO,
        env=env,
        timeout=120,
        check=False,
    )


def test_manage_py_runs_with_default_settings_and_exits_cleanly():
    line = json.dumps({"text": "微信zhangsan_88，QQ 12345678"}, ensure_ascii=False)
    completed = _manage((line + "\n").encode())
    assert completed.returncode == 0, completed.stderr.decode()
    assert json.loads(completed.stdout) == {
        "text": "微信[微信号]，QQ [QQ号]",
        "findings": [
            {"kind": "wechat", "start": 2, "end": 13},
            {"kind": "qq", "start": 17, "end": 25},
        ],
    }


def test_manage_py_reports_bad_lines_without_a_traceback():
    stdin = '{"text": "ok"}\n{"text": "李四 13904312208\n'.encode() + b"\xff\xfe\n"
    completed = _manage(stdin)
    stderr = completed.stderr.decode()
    assert completed.returncode != 0
    assert "第 2 行：不是有效的 JSON 对象" in stderr
    assert "第 3 行：不是有效的 UTF-8 文本" in stderr
    assert "Traceback" not in stderr
    assert "13904312208" not in stderr and "李四" not in stderr
    assert completed.stdout == b""
