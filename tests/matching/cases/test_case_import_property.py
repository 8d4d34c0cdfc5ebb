"""Property-based: whatever the file holds, ``import_jsonl`` either imports it or
names every problem as ``PATH:LINE: field: reason`` and writes nothing.

Hypothesis builds files from valid lines with fields replaced by random JSON
values (and removed), random JSON, random text and bytes, deep nesting, and
the whole file in another encoding. Never a traceback; after a refused run
every table the import writes to has exactly the rows it had before.
"""

import copy
import json
import re

import pytest
from django.apps import apps
from django.core.management import call_command
from django.core.management.base import CommandError
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_case_import_jsonl import _Capture, lines

pytestmark = pytest.mark.django_db

WRITTEN_APPS = ("cases", "directory", "offers")
ERROR_LINE = re.compile(r"^.+:\d+: [^:]+: .+$")

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**30), max_value=10**30),
    st.floats(allow_nan=False),
    st.text(max_size=80),
    st.sampled_from(
        ["", " ", "\x00", "1e309", "9" * 20, "-1", "12.345", "NaN", "²", "①", "220104", "N-17"]
    ),
)
json_values = st.recursive(
    scalars,
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=12), children, max_size=4)
    ),
    max_leaves=12,
)


def _paths(obj, prefix=()):
    """Every key path into a line, nested objects and lists included."""
    if isinstance(obj, dict):
        for key, value in obj.items():
            yield (*prefix, key)
            yield from _paths(value, (*prefix, key))
    elif isinstance(obj, list):
        for index, value in enumerate(obj):
            yield (*prefix, index)
            yield from _paths(value, (*prefix, index))


# Lines of the types other apps register, valid with the organization O-7 of lines().
OTHER_TYPES = [
    {
        "type": "project",
        "ref": "P-3",
        "organization": "O-7",
        "title": "大病透析救助",
        "description": "为困难家庭尿毒症患者提供透析费用资助",
        "categories": ["medical"],
        "forms": ["material"],
        "jurisdictions": ["220104"],
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
        "forms": ["daily_life"],
        "skills": ["陪护"],
        "jurisdiction": "220104",
        "location": {"lat": 43.879, "lon": 125.3},
        "radius_km": 5,
        "availability": ["sat_am"],
        "hours_per_week": 4,
    },
    {
        "type": "fund",
        "ref": "F-2",
        "organization": "O-7",
        "name": "博爱医疗救助基金",
        "categories": ["medical"],
        "balance": "50000.00",
        "max_per_case": "2000",
        "eligibility": {"max_age": 80},
    },
]


@st.composite
def mutated_lines(draw):
    """A valid line with some of its fields replaced by hostile values or removed."""
    line = copy.deepcopy(draw(st.sampled_from(lines() + OTHER_TYPES)))
    for _ in range(draw(st.integers(min_value=1, max_value=3))):
        paths = list(_paths(line))
        *parent_path, key = draw(st.sampled_from(paths))
        parent = line
        for step in parent_path:
            parent = parent[step]
        if draw(st.booleans()) and isinstance(parent, dict):
            del parent[key]
        else:
            parent[key] = draw(json_values)
    return json.dumps(line, ensure_ascii=draw(st.booleans()))


raw_lines = st.one_of(
    mutated_lines(),
    st.builds(json.dumps, json_values),
    st.text(max_size=200),
    st.integers(min_value=30, max_value=5000).map(lambda n: "[" * n + "]" * n),
    st.integers(min_value=30, max_value=100_000).map(lambda n: '{"a":' * n + "1" + "}" * n),
    st.sampled_from(lines() + OTHER_TYPES).map(json.dumps),
)
files = st.tuples(
    st.lists(raw_lines, min_size=1, max_size=5),
    st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "gbk"]),
    st.binary(max_size=40),
)


def _row_counts():
    return {
        model._meta.label: model._base_manager.count()
        for name in WRITTEN_APPS
        for model in apps.get_app_config(name).get_models()
    }


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(drawn=files)
def test_any_file_is_imported_or_refused_whole_never_a_traceback(tmp_path, places, drawn):
    body_lines, encoding, garbage = drawn
    path = tmp_path / "drawn.jsonl"
    data = "\n".join(body_lines).encode(encoding, errors="replace")
    if garbage:
        data += b"\n" + garbage
    path.write_bytes(data)
    before = _row_counts()
    try:
        call_command("import_jsonl", str(path), stdout=_Capture(), stderr=(err := _Capture()))
    except CommandError as refused:
        assert refused.returncode == 1
        assert err.lines, "refused without naming a problem"
        assert all(ERROR_LINE.match(line) for line in err.lines), err.lines
        assert _row_counts() == before
