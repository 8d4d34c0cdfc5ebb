"""What the matcher may know about a need: a profile without personal data.

Names, ID numbers, phones and addresses never leave this module: the text is
de-identified, ages stand in for birth dates, and assistance already received
is summarised by category, provider and end date.
"""

from dataclasses import dataclass, field
from datetime import date, datetime

from django.db.models import Q
from django.utils import timezone

from matching.cases.models import AssistanceRecord, Case, Urgency
from matching.deidentify import deidentify


@dataclass(frozen=True)
class Received:
    """Assistance the household already receives (the duplicate-aid check)."""

    category: str
    provider: str  # a department kind or "org:<id>"
    provider_label: str
    until: date | None


@dataclass(frozen=True)
class NeedProfile:
    pk: int
    ref: str
    categories: tuple[str, ...]
    forms: tuple[str, ...]
    urgency: str
    area_codes: tuple[str, ...]  # the need's jurisdiction and every ancestor
    location: tuple[float, float] | None
    ages: tuple[int, ...]
    statuses: tuple[str, ...]
    amount_needed_minor: int | None
    opened_at: datetime
    text: str
    received: tuple[Received, ...] = field(default_factory=tuple)

    @property
    def is_emergency(self):
        return self.urgency == Urgency.EMERGENCY

    def waiting_days(self, now=None):
        return max(0, ((now or timezone.now()) - self.opened_at).days)


def _received(members, day):
    indexes = [member.id_index for member in members]
    records = (
        AssistanceRecord.objects.filter(id_index__in=indexes, start__lte=day)
        .filter(Q(end__isnull=True) | Q(end__gte=day))
        .select_related("provider_organization")
        .order_by()  # sorted below: a household has a few; sorting in SQL cost ~0.5 ms more
    )
    records = sorted(records, key=lambda record: record.start, reverse=True)
    return tuple(
        Received(
            category=record.category,
            provider=record.provider_department or f"org:{record.provider_organization_id}",
            provider_label=(
                record.get_provider_department_display()
                if record.provider_department
                else str(record.provider_organization)
            ),
            until=record.end,
        )
        for record in records
    )


def need_profile_get(*, need: Case, day=None) -> NeedProfile:
    day = day or timezone.localdate()
    household = need.household
    members = list(household.members.all())
    text = deidentify(
        f"{need.title}\n{need.description}",
        names=[member.name for member in members],
        addresses=[household.address],
    ).text
    location = (household.lat, household.lon) if household.lat is not None else None
    return NeedProfile(
        pk=need.pk,
        ref=need.ref or need.receipt_number,
        categories=tuple(need.categories),
        forms=tuple(need.forms),
        urgency=need.urgency,
        area_codes=tuple(need.jurisdiction.path.split("/")),
        location=location,
        ages=tuple(member.age for member in members),
        statuses=tuple(household.statuses),
        amount_needed_minor=(None if need.amount_needed is None else int(need.amount_needed * 100)),
        opened_at=need.opened_at,
        text=text,
        received=_received(members, day),
    )
