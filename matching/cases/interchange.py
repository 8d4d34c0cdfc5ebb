"""JSON Lines import (``manage.py import_jsonl``), per docs/interchange: a registry of
per-type line handlers.

A handler validates one object into cleaned values (collecting every
problem as ``(field, reason)``) and later applies them. The run validates
every line of every file first and applies nothing if any line is bad.
Other capabilities register their own types (``project``, ``volunteer``,
``fund``) with :func:`register`::

    @register
    class ProjectLine(LineHandler):
        type_name = "project"
        def clean(self, obj, run): ...
        def apply(self, cleaned, run): ...
"""

import codecs
import datetime as dt
import json
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _

from matching.core import crypto
from matching.core.errors import DomainError
from matching.core.safejson import NotStandard, TooDeep, loads_bounded
from matching.core.validators import (
    normalize_id_number,
    normalize_phone,
    validate_id_number,
    validate_phone,
)
from matching.core.vocabulary import Category, HelpForm, HouseholdStatus, Urgency
from matching.directory.models import Department, Jurisdiction, Organization, validate_credit_code

from . import services
from .models import AssistanceRecord, EconomicRecord, Member

HANDLERS = {}

# DecimalField(max_digits=12, decimal_places=2), every amount a line carries.
MAX_AMOUNT = Decimal("9999999999.99")
# The ``ref`` columns (CharField(max_length=64)).
MAX_REF = 64
# A line is an object of objects and lists a few levels deep (need ->
# household -> members -> member); anything much deeper is not ours.
MAX_DEPTH = 32
# "Read the field from the line", as opposed to a nested value that may be None.
_FROM_LINE = object()


def register(handler_class):
    """Class decorator: make ``handler_class`` import lines of its ``type_name``."""
    HANDLERS[handler_class.type_name] = handler_class()
    return handler_class


class Invalid(DomainError):
    """A line the import refuses; ``problems`` is a list of (field, reason)."""

    def __init__(self, problems):
        self.problems = problems
        super().__init__("；".join(f"{name}: {reason}" for name, reason in problems))


@dataclass
class Run:
    """State shared by the lines of one run: refs seen so far, per type."""

    seen: dict = field(default_factory=dict)
    outcome: dict = field(default_factory=dict)

    def knows(self, type_name, ref):
        return ref in self.seen.get(type_name, set())

    def count(self, type_name, what):
        key = (type_name, what)
        self.outcome[key] = self.outcome.get(key, 0) + 1


class LineHandler:
    type_name = ""
    required = ()

    def clean(self, obj, run):
        """Return cleaned values or raise :class:`Invalid` with every problem found."""
        raise NotImplementedError

    def apply(self, cleaned, run):
        """Write the cleaned values; return "created", "updated" or "unchanged"."""
        raise NotImplementedError


class Checker:
    """Collects problems while reading the fields of one object."""

    def __init__(self, obj):
        self.obj, self.problems = obj, []

    def fail(self, name, reason):
        self.problems.append((name, str(reason)))

    def text(self, name, required=True, max_length=None, value=_FROM_LINE):
        value = self.obj.get(name) if value is _FROM_LINE else value
        if value is None or (isinstance(value, str) and not value.strip()):
            if required:
                self.fail(name, _("必填"))
            return ""
        if not isinstance(value, str):
            self.fail(name, _("应为字符串"))
            return ""
        if "\x00" in value:
            # PostgreSQL text cannot hold NUL; the online forms refuse it too.
            self.fail(name, _("不能包含空字符（NUL）"))
            return ""
        value = value.strip()
        if max_length and len(value) > max_length:
            self.fail(name, _("不能超过 %(n)s 个字符") % {"n": max_length})
        return value

    def choice(self, name, choices, required=True):
        value = self.text(name, required)
        if value and value not in choices:
            self.fail(name, _("无效的取值，应为：%(allowed)s") % {"allowed": ", ".join(choices)})
        return value

    def choice_list(self, name, choices, required=True, value=None):
        value = self.obj.get(name) if value is None else value
        if value is None or value == []:
            if required:
                self.fail(name, _("必填"))
            return []
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            self.fail(name, _("应为字符串列表"))
            return []
        unknown = [v for v in value if v not in choices]
        if unknown:
            self.fail(
                name,
                _("无效的取值 %(bad)s，应为：%(allowed)s")
                % {"bad": ", ".join(unknown), "allowed": ", ".join(choices)},
            )
        return list(dict.fromkeys(value))

    def money(self, name, required=False, value=None, label=None):
        value = self.obj.get(name) if value is None else value
        label = label or name
        if value is None:
            if required:
                self.fail(label, _("必填"))
            return None
        try:
            amount = Decimal(value) if isinstance(value, str) else None
        except InvalidOperation:
            amount = None
        if (
            amount is None
            or not amount.is_finite()
            or amount < 0
            or (amount.as_tuple().exponent < -2)
        ):
            self.fail(label, _('金额应为字符串形式的非负数，最多两位小数，如 "12000.00"'))
            return None
        if amount > MAX_AMOUNT:
            self.fail(label, _("金额不能超过 %(max)s 元") % {"max": MAX_AMOUNT})
            return None
        return amount

    def date(self, name, required=True):
        value = self.text(name, required)
        if not value:
            return None
        try:
            parsed = parse_date(value)
        except ValueError:
            parsed = None
        if parsed is None:
            self.fail(name, _("日期格式应为 ISO 8601，如 2026-11-03"))
        return parsed

    def moment(self, name):
        value = self.text(name)
        if not value:
            return None
        try:
            parsed = parse_datetime(value) or parse_date(value)
        except ValueError:
            parsed = None
        if parsed is None:
            self.fail(name, _("时间格式应为 ISO 8601，如 2026-11-03 或 2026-11-03T09:30:00+08:00"))
            return None
        if isinstance(parsed, dt.datetime):
            return parsed if parsed.tzinfo else parsed.replace(tzinfo=dt.UTC)
        return dt.datetime.combine(parsed, dt.time(9, 0), tzinfo=dt.timezone(dt.timedelta(hours=8)))

    def jurisdiction(self, name="jurisdiction", value=None):
        code = self.text(name) if value is None else value
        if not code:
            return None
        place = Jurisdiction.objects.filter(code=code).first()
        if place is None:
            self.fail(name, _("未知的行政区划代码 %(code)s") % {"code": code})
        return place

    def validated(self, name, value, validator):
        try:
            validator(value)
        except ValidationError as error:
            self.fail(name, " ".join(error.messages))

    def done(self, cleaned):
        if self.problems:
            raise Invalid(self.problems)
        return cleaned


class _Rejected(Exception):
    """A line the database refused at write time; ``errors`` name it."""

    def __init__(self, errors):
        super().__init__(f"{len(errors)} errors")
        self.errors = errors


@dataclass
class LineError:
    path: str
    line: int
    field: str
    reason: str

    def __str__(self):
        return f"{self.path}:{self.line}: {self.field}: {self.reason}"


def _objects(path):
    """(number, text) of every line to read, and the file's encoding problems.

    The file must be UTF-8; a UTF-8 byte-order mark (Windows Notepad writes
    one) is dropped. A UTF-16 file or one in another encoding (GBK) is one
    problem at the first line that is not UTF-8: reading on would only
    report every line again.
    """
    with open(path, "rb") as handle:
        data = handle.read()
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8) :]
    objects, problems = [], []
    for number, raw in enumerate(data.splitlines(), start=1):
        if b"\x00" in raw or (
            number == 1 and raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE))
        ):
            problems.append((number, _("文件应为 UTF-8 编码，这似乎是 UTF-16 编码的文件")))
            break
        try:
            text = raw.decode("utf-8").strip()
        except UnicodeDecodeError as error:
            problems.append(
                (
                    number,
                    _("不是有效的 UTF-8 编码（第 %(byte)s 字节），请将文件转换为 UTF-8")
                    % {"byte": error.start + 1},
                )
            )
            break
        if text and not text.startswith("#"):
            objects.append((number, text))
    return objects, problems


def _clean_line(text, run):
    try:
        obj = loads_bounded(text, max_depth=MAX_DEPTH)
    except json.JSONDecodeError as error:
        raise Invalid(
            [("json", _("不是有效的 JSON（第 %(col)s 列）") % {"col": error.colno})]
        ) from None
    except TooDeep:
        raise Invalid([("json", _("嵌套过深（最多 %(n)s 层）") % {"n": MAX_DEPTH})]) from None
    except NotStandard:
        raise Invalid([("json", _("不是标准 JSON：不能使用 NaN 或 Infinity"))]) from None
    except ValueError:
        # A number of more than 4,300 digits: Python refuses to convert it.
        raise Invalid([("json", _("数字过长"))]) from None
    if not isinstance(obj, dict):
        raise Invalid([("json", _("每行应为一个 JSON 对象"))])
    kind = obj.get("type")
    handler = HANDLERS.get(kind) if isinstance(kind, str) else None
    if handler is None:
        raise Invalid(
            [
                (
                    "type",
                    _("未知的类型 %(type)r，可用：%(known)s")
                    % {"type": kind, "known": ", ".join(sorted(HANDLERS))},
                )
            ]
        )
    ref_check = Checker(obj)
    ref_check.text("ref", max_length=MAX_REF)
    if ref_check.problems:
        raise Invalid(ref_check.problems)
    ref = obj["ref"]
    if run.knows(handler.type_name, ref):
        raise Invalid([("ref", _("同一类型的 ref 在本次导入中重复：%(ref)s") % {"ref": ref})])
    # Seen even if the line turns out invalid: that line is reported once,
    # and lines referring to it are not reported again for it.
    run.seen.setdefault(handler.type_name, set()).add(ref)
    return handler, handler.clean(obj, run)


def validate_files(paths):
    """Every line of every file, cleaned; returns (planned, errors)."""
    run, planned, errors = Run(), [], []
    for path in paths:
        try:
            lines, problems = _objects(path)
        except OSError as error:
            errors.append(LineError(str(path), 0, "file", str(error.strerror or error)))
            continue
        errors.extend(LineError(str(path), number, "encoding", r) for number, r in problems)
        for number, text in lines:
            try:
                handler, cleaned = _clean_line(text, run)
            except Invalid as invalid:
                errors.extend(LineError(str(path), number, f, r) for f, r in invalid.problems)
            else:
                planned.append((str(path), number, handler, cleaned))
    return run, planned, errors


def _model_problems(error):
    """(field, reason) pairs of a model ValidationError."""
    if hasattr(error, "error_dict"):
        return [(name, " ".join(messages)) for name, messages in error.message_dict.items()]
    return [("line", " ".join(error.messages))]


def import_files(paths):
    """Validate everything, then apply everything in one transaction.

    Returns ``(outcome, errors)``; when ``errors`` is not empty nothing was written.
    """
    run, planned, errors = validate_files(paths)
    if errors:
        return {}, errors
    try:
        with transaction.atomic():
            for path, number, handler, cleaned in planned:
                try:
                    what = handler.apply(cleaned, run)
                except ValidationError as error:
                    # What validation let through and a model refuses (it
                    # should not happen): still a line and field, and the
                    # transaction is rolled back.
                    raise _Rejected(
                        [LineError(path, number, f, r) for f, r in _model_problems(error)]
                    ) from None
                run.count(handler.type_name, what)
    except _Rejected as rejected:
        return {}, rejected.errors
    return run.outcome, []


def _upsert(model, lookup, values):
    """Create, update or leave alone; returns (instance, "created"/"updated"/"unchanged")."""
    instance = model.objects.filter(**lookup).first()
    if instance is not None and all(getattr(instance, k) == v for k, v in values.items()):
        return instance, "unchanged"
    what = "updated" if instance else "created"
    instance = instance or model(**lookup)
    for key, value in values.items():
        setattr(instance, key, value)
    instance.full_clean()
    instance.save()
    return instance, what


# --- organization ---------------------------------------------------------------------


@register
class OrganizationLine(LineHandler):
    type_name = "organization"

    def clean(self, obj, run):
        check = Checker(obj)
        cleaned = {
            "ref": obj["ref"],
            "name": check.text("name", max_length=128),
            "kind": check.choice("kind", Organization.Kind.values),
            "jurisdiction": check.jurisdiction(),
            "credit_code": check.text("credit_code", required=False).upper(),
        }
        if cleaned["credit_code"]:
            check.validated("credit_code", cleaned["credit_code"], validate_credit_code)
        return check.done(cleaned)

    def apply(self, cleaned, run):
        values = dict(cleaned)
        ref = values.pop("ref")
        return _upsert(Organization, {"ref": ref}, values)[1]


# --- assistance -----------------------------------------------------------------------


@register
class AssistanceLine(LineHandler):
    type_name = "assistance"

    def clean(self, obj, run):
        check = Checker(obj)
        id_number = normalize_id_number(check.text("id_number"))
        if id_number:
            check.validated("id_number", id_number, validate_id_number)
        provider = check.text("provider")
        department, organization = "", None
        if provider in Department.Kind.values:
            department = provider
        elif provider and not (
            run.knows("organization", provider)
            or Organization.objects.filter(ref=provider).exists()
        ):
            check.fail(
                "provider",
                _("既不是部门代码，也不是已知的社会组织 ref：%(ref)s") % {"ref": provider},
            )
        else:
            organization = provider
        start, end = check.date("start"), check.date("end", required=False)
        if start and end and end < start:
            check.fail("end", _("结束日期不能早于开始日期"))
        return check.done(
            {
                "ref": obj["ref"],
                "id_number": id_number,
                "category": check.choice("category", Category.values),
                "amount": check.money("amount"),
                "start": start,
                "end": end,
                "provider_department": department,
                "provider_organization_ref": organization,
            }
        )

    def apply(self, cleaned, run):
        values = dict(cleaned)
        org_ref = values.pop("provider_organization_ref")
        organization = Organization.objects.get(ref=org_ref) if org_ref else None
        existing = AssistanceRecord.objects.filter(ref=values["ref"]).first()
        if (
            existing
            and all(getattr(existing, k) == v for k, v in values.items())
            and (existing.provider_organization == organization)
        ):
            return "unchanged"
        services.assistance_record_submit(
            source=AssistanceRecord.Source.IMPORT, provider_organization=organization, **values
        )
        return "updated" if existing else "created"


# --- need -------------------------------------------------------------------------------

RELATIONS = {
    "self": "self",
    "head": "self",
    "applicant": "self",
    "本人": "self",
    "户主": "self",
    "spouse": "spouse",
    "wife": "spouse",
    "husband": "spouse",
    "配偶": "spouse",
    "妻子": "spouse",
    "丈夫": "spouse",
    "child": "child",
    "son": "child",
    "daughter": "child",
    "子女": "child",
    "儿子": "child",
    "女儿": "child",
    "parent": "parent",
    "father": "parent",
    "mother": "parent",
    "父母": "parent",
    "父亲": "parent",
    "母亲": "parent",
    "grandparent": "grandparent",
    "grandchild": "grandchild",
    "sibling": "sibling",
    "祖父母": "grandparent",
    "孙子女": "grandchild",
    "兄弟姐妹": "sibling",
}


def _clean_members(check, members):
    if not isinstance(members, list) or not members:
        check.fail("household.members", _("应为至少包含一名成员的列表"))
        return []
    cleaned, seen = [], set()
    for index, member in enumerate(members):
        where = f"household.members[{index}]"
        if not isinstance(member, dict):
            check.fail(where, _("应为对象"))
            continue
        name = check.text(f"{where}.name", max_length=64, value=member.get("name"))
        number = normalize_id_number(str(member.get("id_number") or ""))
        check.validated(f"{where}.id_number", number, validate_id_number)
        if number in seen:
            check.fail(f"{where}.id_number", _("同一家庭中重复登记"))
        seen.add(number)
        phone = normalize_phone(str(member.get("phone") or ""))
        if phone:
            check.validated(f"{where}.phone", phone, validate_phone)
        relation = str(member.get("relation") or "").strip()
        if not relation:
            check.fail(f"{where}.relation", _("必填"))
        cleaned.append(
            {
                "name": name,
                "id_number": number,
                "phone": phone,
                "relation": RELATIONS.get(relation.lower(), "other"),
            }
        )
    return cleaned


def _clean_location(check, location):
    if location is None:
        return None, None
    try:
        lat, lon = float(location["lat"]), float(location["lon"])
    except (TypeError, KeyError, ValueError):
        check.fail("location", _("应为 {lat, lon} 数值对象"))
        return None, None
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        check.fail("location", _("经纬度超出范围"))
    return lat, lon


@register
class NeedLine(LineHandler):
    type_name = "need"

    def clean(self, obj, run):
        check = Checker(obj)
        household = obj.get("household")
        if not isinstance(household, dict):
            check.fail("household", _("必填，应为对象"))
            household = {}
        lat, lon = _clean_location(check, obj.get("location"))
        address = check.text("household.address", max_length=200, value=household.get("address"))
        members = _clean_members(check, household.get("members"))
        # Later lines of the run (economic data) may refer to these people.
        run.seen.setdefault("_member", set()).update(
            crypto.blind_index(m["id_number"]) for m in members if m["id_number"]
        )
        return check.done(
            {
                "ref": obj["ref"],
                "jurisdiction": check.jurisdiction(),
                "categories": check.choice_list("categories", Category.values),
                "forms": check.choice_list("forms", HelpForm.values, required=False),
                "urgency": check.choice("urgency", Urgency.values),
                "title": check.text("title", max_length=120),
                "description": check.text("description", max_length=2000),
                "opened_at": check.moment("opened_at"),
                "amount_needed": check.money("amount_needed"),
                "statuses": [
                    s
                    for s in check.choice_list(
                        "household.status",
                        HouseholdStatus.values,
                        required=False,
                        value=household.get("status", []),
                    )
                    if s != HouseholdStatus.NONE
                ],
                "members": members,
                "address": address,
                "lat": lat,
                "lon": lon,
            }
        )

    def apply(self, cleaned, run):
        return services.need_import(**cleaned)


# --- economic (a project extension: household income and assets from a department) -----


@register
class EconomicLine(LineHandler):
    """``{"type": "economic", "ref", "id_number", "department": "<kind>", "jurisdiction",
    "kind": "income"|"asset", "label", "amount", "as_of"}`` — income is monthly."""

    type_name = "economic"

    def clean(self, obj, run):
        check = Checker(obj)
        id_number = normalize_id_number(check.text("id_number"))
        if id_number:
            check.validated("id_number", id_number, validate_id_number)
        if id_number and not check.problems:
            index = crypto.blind_index(id_number)
            if not (
                index in run.seen.get("_member", set())
                or Member.objects.filter(id_index=index).exists()
            ):
                check.fail("id_number", _("未找到该身份证号码对应的家庭"))
        kind = check.choice("department", Department.Kind.values)
        place = check.jurisdiction()
        department = Department.objects.filter(kind=kind, jurisdiction=place).first()
        if kind and place and department is None:
            check.fail("department", _("该辖区没有这个部门"))
        as_of = check.date("as_of")
        if as_of and as_of > timezone.localdate():
            check.fail("as_of", _("数据日期 %(date)s 晚于今天，不能接受") % {"date": as_of})
        return check.done(
            {
                "ref": obj["ref"],
                "id_number": id_number,
                "department": department,
                "kind": check.choice("kind", EconomicRecord.Kind.values),
                "label": check.text("label", max_length=64),
                "amount": check.money("amount", required=True),
                "as_of": as_of,
            }
        )

    def apply(self, cleaned, run):
        existing = EconomicRecord.objects.filter(
            department=cleaned["department"], ref=cleaned["ref"]
        ).first()
        if existing and all(
            getattr(existing, k) == cleaned[k] for k in ("kind", "label", "amount", "as_of")
        ):
            return "unchanged"
        services.economic_record_submit(**cleaned)
        return "updated" if existing else "created"
