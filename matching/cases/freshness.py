"""How old a department's household economic data may be (docs/cases.md, "Fresh economic data").

A record is *current* unless a later record of the same household, department,
kind and label supersedes it; a current record is *stale* once its ``as_of``
date is more than the maximum age of its department kind and data kind ago.
The ages come from ``FreshnessRule`` rows, else ``settings.ECONOMIC_DATA_MAX_AGE_DAYS``.
"""

from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.db.models import Exists, Max, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from matching.directory.models import Department

from .models import EconomicRecord, FreshnessRule


def max_ages():
    """``{(department kind, data kind): days}`` for every pair, rules over defaults."""
    defaults = settings.ECONOMIC_DATA_MAX_AGE_DAYS
    ages = {
        (department_kind, kind): defaults[kind]
        for department_kind in Department.Kind.values
        for kind in EconomicRecord.Kind.values
    }
    for rule in FreshnessRule.objects.all():
        ages[(rule.department_kind, rule.kind)] = rule.max_age_days
    return ages


def current(records):
    """The records no later-dated record of the same source, kind and label supersedes.

    Records of one label and one date all count (two members' wages from one
    department arrive as two records of the same date); a later date replaces them.
    """
    latest = {}
    for record in records:
        key = (record.department_id, record.kind, record.label)
        latest[key] = max(latest.get(key, record.as_of), record.as_of)
    return [r for r in records if r.as_of == latest[(r.department_id, r.kind, r.label)]]


@dataclass(frozen=True)
class Staleness:
    record: EconomicRecord
    max_age_days: int
    days_over: int

    @property
    def holds_verification(self):
        """Stale income holds the conclusion; stale assets are flagged only."""
        return self.record.kind == EconomicRecord.Kind.INCOME

    def as_entry(self):
        """What the verification keeps: no amount, no person, only the source and dates."""
        return {
            "department": self.record.department_id,
            "department_name": str(self.record.department),
            "kind": self.record.kind,
            "label": self.record.label,
            "as_of": self.record.as_of.isoformat(),
            "max_age_days": self.max_age_days,
            "days_over": self.days_over,
            "holds": self.holds_verification,
        }


def stale(records, *, today=None, ages=None):
    """A :class:`Staleness` per current record past its age, oldest first."""
    today = today or timezone.localdate()
    ages = ages or max_ages()
    found = []
    for record in current(list(records)):
        days = ages[(record.department.kind, record.kind)]
        over = (today - record.as_of).days - days
        if over > 0:
            found.append(Staleness(record, days, over))
    return sorted(found, key=lambda s: (s.record.as_of, s.record.pk))


def stale_q(*, today=None, ages=None):
    """A filter on EconomicRecord: current records past their age."""
    today = today or timezone.localdate()
    ages = ages or max_ages()
    old = Q(pk__in=[])
    for (department_kind, kind), days in ages.items():
        old |= Q(
            department__kind=department_kind,
            kind=kind,
            as_of__lt=today - timedelta(days=days),
        )
    superseded = EconomicRecord.objects.filter(
        household=OuterRef("household"),
        department=OuterRef("department"),
        kind=OuterRef("kind"),
        label=OuterRef("label"),
        as_of__gt=OuterRef("as_of"),
    )
    return old & ~Exists(superseded)


def cadence_days(department, *, ages=None, kinds=None):
    """How often ``department`` must send its data: the shortest age of the kinds it sends."""
    ages = ages or max_ages()
    kinds = kinds or EconomicRecord.Kind.values
    return min(ages[(department.kind, kind)] for kind in kinds)


def department_refresh_due(department, *, ages=None):
    """(last import, cadence in days, next due date) of a department that sent data, else None."""
    figures = EconomicRecord.objects.filter(department=department).aggregate(
        last=Max("received_at")
    )
    if figures["last"] is None:
        return None
    kinds = set(EconomicRecord.objects.filter(department=department).values_list("kind", flat=True))
    cadence = cadence_days(department, ages=ages, kinds=kinds)
    last = timezone.localdate(figures["last"])
    return last, cadence, last + timedelta(days=cadence)


def staleness_text(entry):
    """One line for the case page: whose data, of what, since when, in words."""
    return _(
        "%(department)s提供的%(kind)s数据“%(label)s”截至 %(as_of)s，"
        "超过 %(days)s 天的有效期已 %(over)s 天。"
    ) % {
        "department": entry["department_name"],
        "kind": EconomicRecord.Kind(entry["kind"]).label,
        "label": entry["label"],
        "as_of": date.fromisoformat(entry["as_of"]).strftime("%Y-%m-%d"),
        "days": entry["max_age_days"],
        "over": entry["days_over"],
    }
