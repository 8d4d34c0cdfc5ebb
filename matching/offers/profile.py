"""What the matcher may know about a need: a profile without personal data.

Names, ID numbers, phones and addresses never leave this module: the text is
de-identified, ages stand in for birth dates, and assistance already received
is summarised by category, provider and end date.
"""

from dataclasses import dataclass, field
from datetime import date, datetime

from django.db import connection
from django.utils import timezone

from matching.cases.models import AssistanceRecord, Case, Household, Member
from matching.core.validators import age_on
from matching.core.vocabulary import Urgency
from matching.deidentify import deidentify
from matching.directory.models import Department, Jurisdiction, Organization


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


# Everything the profile reads of the household comes in one round trip:
# the household and the need's jurisdiction path, each member, and each
# assistance record a member receives on ``day`` (one row per member and
# record), help the platform gave (source "platform") included except what
# it gave for this very need. Through the ORM this took four queries and
# 5-7 ms a match, most of it building querysets and model instances (and
# decrypting the members' ID numbers and phones, which the matcher never
# reads); this query takes about 1.5 ms (docs/performance.md, "Fifth
# round"). Runs on PostgreSQL and SQLite.
_PROFILE_SQL = """
SELECT h.address, h.statuses, h.lat, h.lon, j.path,
       m.id, m.name, m.birth_date,
       r.id, r.category, r.provider_department, r.provider_organization_id, o.name,
       r.start, r."end"
FROM {household} h
JOIN {jurisdiction} j ON j.code = %s
LEFT JOIN {member} m ON m.household_id = h.id
LEFT JOIN {record} r ON r.id_index = m.id_index AND r.start <= %s
     AND (r."end" IS NULL OR r."end" >= %s)
     AND (r.case_id IS NULL OR r.case_id <> %s)
LEFT JOIN {organization} o ON o.id = r.provider_organization_id
WHERE h.id = %s
ORDER BY m.id, r.start DESC, r.id
"""


def _profile_rows(need, day):
    tables = {
        "household": Household,
        "jurisdiction": Jurisdiction,
        "member": Member,
        "record": AssistanceRecord,
        "organization": Organization,
    }
    quote = connection.ops.quote_name
    sql = _PROFILE_SQL.format(**{key: quote(model._meta.db_table) for key, model in tables.items()})
    with connection.cursor() as cursor:
        cursor.execute(sql, [need.jurisdiction_id, day, day, need.pk, need.household_id])
        return cursor.fetchall()


def _field(model, name):
    return model._meta.get_field(name)


def need_profile_get(*, need: Case, day=None) -> NeedProfile:
    day = day or timezone.localdate()
    rows = _profile_rows(need, day)
    if not rows:
        raise Household.DoesNotExist(f"household {need.household_id} of case {need.pk}")
    address, statuses, lat, lon, path = rows[0][:5]
    address = _field(Household, "address").from_db_value(address, None, connection)
    statuses = _field(Household, "statuses").from_db_value(statuses, None, connection)
    to_date = _field(Member, "birth_date").to_python
    members, records = {}, {}
    for row in rows:
        member_id, name, birth_date, record_id = row[5:9]
        if member_id is not None:
            members[member_id] = (name, to_date(birth_date))
        if record_id is not None:
            records[record_id] = row[9:]
    received = sorted(records.values(), key=lambda record: to_date(record[4]), reverse=True)
    today = timezone.localdate()  # ages as the household's records show them (Member.age)
    text = deidentify(
        f"{need.title}\n{need.description}",
        names=[name for name, _ in members.values()],
        addresses=[address],
    ).text
    return NeedProfile(
        pk=need.pk,
        ref=need.ref or need.receipt_number,
        categories=tuple(need.categories),
        forms=tuple(need.forms),
        urgency=need.urgency,
        area_codes=tuple(path.split("/")),
        location=(lat, lon) if lat is not None else None,
        ages=tuple(age_on(birth_date, today) for _, birth_date in members.values()),
        statuses=tuple(statuses),
        amount_needed_minor=(None if need.amount_needed is None else int(need.amount_needed * 100)),
        opened_at=need.opened_at,
        text=text,
        received=tuple(
            Received(
                category=category,
                provider=department or f"org:{organization_id}",
                provider_label=(
                    str(Department.Kind(department).label) if department else organization_name
                ),
                until=None if end is None else to_date(end),
            )
            for category, department, organization_id, organization_name, _, end in received
        ),
    )
