"""``import_jsonl`` line handlers for offers: ``project``, ``volunteer`` and ``fund``.

They join the registry in :mod:`matching.cases.interchange` (the app's
``ready()`` imports this module), so a file may mix organizations, needs and
offers, and an offer's ``organization`` may be a ``ref`` defined earlier in
the same run or already in the database. docs/matching.md ("Import of
offers") lists every field and error.
"""

from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

from matching.cases.interchange import Checker, LineHandler, register
from matching.core.vocabulary import Category, HelpForm, HouseholdStatus
from matching.directory.models import Jurisdiction, Organization
from matching.directory.selectors import organization_may_publish

from .models import SLOTS, Fund, Project, Volunteer

# PositiveIntegerField: the largest count the database holds.
MAX_COUNT = 2_147_483_647
MAX_RADIUS_KM = Decimal("999.9")
MAX_AGE = 150
HOURS_IN_WEEK = 168
# "Read the field from the line itself", as opposed to a nested value that may be None.
_TOP_LEVEL = object()


class OfferChecker(Checker):
    """The cases checker plus the field kinds that only offers have."""

    def amount(self, name, required=False, value=None, label=None):
        # ``money`` refuses more than the database holds (MAX_AMOUNT).
        return self.money(name, required=required, value=value, label=label)

    def count(self, name, required=False, maximum=None, value=_TOP_LEVEL, label=None):
        value = self.obj.get(name) if value is _TOP_LEVEL else value
        label = label or name
        if value is None:
            if required:
                self.fail(label, _("必填"))
            return None
        # bool is an int in Python; true/false in JSON is not a count.
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            self.fail(label, _("应为非负整数"))
            return None
        maximum = MAX_COUNT if maximum is None else maximum
        if value > maximum:
            self.fail(label, _("不能大于 %(max)s") % {"max": maximum})
            return None
        return value

    def organization(self, run, required=True):
        ref = self.text("organization", required=required)
        if ref and not (
            run.knows("organization", ref) or Organization.objects.filter(ref=ref).exists()
        ):
            self.fail("organization", _("未知的社会组织 ref：%(ref)s") % {"ref": ref})
        return ref or None

    def codes(self, name, required=True):
        """A list of jurisdiction codes, each known, duplicates dropped."""
        value = self.obj.get(name)
        if value is None and not required:
            return []
        if not value:
            self.fail(name, _("必填"))
            return []
        if not isinstance(value, list) or not all(
            isinstance(code, str) and "\x00" not in code for code in value
        ):
            self.fail(name, _("应为行政区划代码（字符串）列表"))
            return []
        codes = list(dict.fromkeys(code.strip() for code in value))
        known = set(Jurisdiction.objects.filter(code__in=codes).values_list("code", flat=True))
        unknown = [code for code in codes if code not in known]
        if unknown:
            self.fail(name, _("未知的行政区划代码 %(code)s") % {"code": ", ".join(unknown)})
        return codes

    def tags(self, name, max_length=32):
        value = self.obj.get(name, [])
        if not isinstance(value, list) or not all(
            isinstance(tag, str) and "\x00" not in tag for tag in value
        ):
            self.fail(name, _("应为字符串列表"))
            return []
        tags = [tag.strip() for tag in value if tag.strip()]
        if any(len(tag) > max_length for tag in tags):
            self.fail(name, _("每项不能超过 %(n)s 个字符") % {"n": max_length})
        return list(dict.fromkeys(tags))


def _eligibility(check):
    """``eligibility``: every key optional; ages apply to any household member."""
    value = check.obj.get("eligibility")
    value = {} if value is None else value
    if not isinstance(value, dict):
        check.fail("eligibility", _("应为对象"))
        value = {}
    unknown = sorted(set(value) - {"household_status_any", "min_age", "max_age"})
    if unknown:
        check.fail("eligibility", _("未知的键：%(keys)s") % {"keys": ", ".join(unknown)})
    statuses = check.choice_list(
        "eligibility.household_status_any",
        HouseholdStatus.values,
        required=False,
        value=value.get("household_status_any", []),
    )
    low, high = (
        check.count(key, maximum=MAX_AGE, value=value.get(key), label=f"eligibility.{key}")
        for key in ("min_age", "max_age")
    )
    if low is not None and high is not None and low > high:
        check.fail("eligibility.max_age", _("最大年龄不能小于最小年龄"))
    return {"household_status_any": statuses, "min_age": low, "max_age": high}


def _location(check):
    value = check.obj.get("location")
    try:
        lat, lon = float(value["lat"]), float(value["lon"])
    except (TypeError, KeyError, ValueError):
        check.fail("location", _("必填，应为 {lat, lon} 数值对象"))
        return None, None
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        check.fail("location", _("经纬度超出范围"))
    return lat, lon


def _radius(check):
    value = check.obj.get("radius_km")
    try:
        # Through str(): a JSON number arrives as a float, and Decimal(5.1)
        # would carry the float's binary digits into the stored value.
        radius = None if isinstance(value, bool) else Decimal(str(value)).quantize(Decimal("0.1"))
    except (InvalidOperation, ValueError):
        radius = None
    if radius is None or not (Decimal("0.1") <= radius <= MAX_RADIUS_KM):
        check.fail("radius_km", _("应为 0.1 到 %(max)s 之间的公里数") % {"max": MAX_RADIUS_KM})
        return None
    return radius


def _upsert(model, ref, values):
    """Create, update or leave alone by ``ref``; returns "created"/"updated"/"unchanged"."""
    instance = model.objects.filter(ref=ref).first()
    if instance is not None and all(getattr(instance, k) == v for k, v in values.items()):
        return "unchanged"
    what = "updated" if instance else "created"
    instance = instance or model(ref=ref)
    for key, value in values.items():
        setattr(instance, key, value)
    instance.full_clean()
    instance.save()
    return what


def _with_organization(cleaned):
    """The cleaned values with the organization ref resolved (at apply time: it may be new)."""
    values = dict(cleaned)
    ref = values.pop("organization")
    values["organization"] = Organization.objects.get(ref=ref) if ref else None
    return values.pop("ref"), values


def _refuse_new_project_while_dishonest(check, ref, organization_ref):
    """An organization under an active dishonesty record may not start new projects.

    The same rule as the admin's (governance ``project_publication_check``):
    existing projects may still be updated (the matcher already leaves them
    out while the record is active), but a file cannot create new ones.
    """
    if not organization_ref or Project.objects.filter(ref=ref).exists():
        return
    organization = Organization.objects.filter(ref=organization_ref).first()
    if organization is not None and not organization_may_publish(organization):
        check.fail("organization", _("该组织处于失信惩戒期内，暂不能发布新的帮扶项目。"))


@register
class ProjectLine(LineHandler):
    type_name = "project"

    def clean(self, obj, run):
        check = OfferChecker(obj)
        starts, ends = check.date("starts", required=False), check.date("ends", required=False)
        if starts and ends and ends < starts:
            check.fail("ends", _("结束日期不能早于开始日期"))
        organization = check.organization(run)
        _refuse_new_project_while_dishonest(check, obj.get("ref"), organization)
        return check.done(
            {
                "ref": obj["ref"],
                "organization": organization,
                "title": check.text("title", max_length=120),
                "description": check.text("description"),
                "categories": check.choice_list("categories", Category.values),
                "forms": check.choice_list("forms", HelpForm.values),
                "jurisdictions": check.codes("jurisdictions"),
                **_eligibility(check),
                "budget_remaining": check.amount("budget_remaining"),
                "max_per_case": check.amount("max_per_case"),
                "slots_remaining": check.count("slots_remaining"),
                "starts": starts,
                "ends": ends,
            }
        )

    def apply(self, cleaned, run):
        return _upsert(Project, *_with_organization(cleaned))


@register
class VolunteerLine(LineHandler):
    type_name = "volunteer"

    def clean(self, obj, run):
        check = OfferChecker(obj)
        lat, lon = _location(check)
        return check.done(
            {
                "ref": obj["ref"],
                "name": check.text("name", max_length=64),
                "organization": check.organization(run, required=False),
                "forms": check.choice_list("forms", HelpForm.values),
                "skills": check.tags("skills"),
                "jurisdiction": check.jurisdiction(),
                "lat": lat,
                "lon": lon,
                "radius_km": _radius(check),
                "availability": check.choice_list("availability", SLOTS),
                "hours_per_week": check.count(
                    "hours_per_week", required=True, maximum=HOURS_IN_WEEK
                ),
            }
        )

    def apply(self, cleaned, run):
        return _upsert(Volunteer, *_with_organization(cleaned))


@register
class FundLine(LineHandler):
    type_name = "fund"

    def clean(self, obj, run):
        check = OfferChecker(obj)
        return check.done(
            {
                "ref": obj["ref"],
                "organization": check.organization(run),
                "name": check.text("name", max_length=120),
                "categories": check.choice_list("categories", Category.values),
                # Omitted: the organization's jurisdiction (search.documents.fund_areas).
                "jurisdictions": check.codes("jurisdictions", required=False),
                "balance": check.amount("balance", required=True),
                "max_per_case": check.amount("max_per_case", required=True),
                **_eligibility(check),
            }
        )

    def apply(self, cleaned, run):
        return _upsert(Fund, *_with_organization(cleaned))
