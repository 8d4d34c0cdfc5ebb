"""Households, applications at the window and online, and bulk import of needs."""

import secrets

from django.core.exceptions import ValidationError
from django.db import transaction
from django.dispatch import Signal
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from matching.audit.models import AuditEntry
from matching.audit.services import audit_record

from matching.core import crypto
from matching.notifications.models import EventKind
from matching.notifications.services import notify, notify_phone
from .. import deadlines
from ..models import Case, DeadlineRule, Household, Member
from matching.core.vocabulary import Category
from matching.core.validators import id_facts, normalize_id_number, normalize_phone
from .base import _save, _staff_of
from .duplicates import case_check_reapplications

# Sent after commit when an emergency case is opened; the matcher connects
# here to propose offers at once (``sender`` is Case, ``case_id`` the key).
emergency_case_opened = Signal()

RECEIPT_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"


# --- households --------------------------------------------------------------


def member_add(*, household, name, id_number, relation, phone="", actor=None):
    id_number = normalize_id_number(id_number)
    member = Member(
        household=household,
        name=name.strip(),
        id_number=id_number,
        relation=relation,
        phone=normalize_phone(phone),
    )
    member.full_clean(exclude=["id_index", "birth_date", "sex"])
    facts = id_facts(id_number)
    member.id_index = crypto.blind_index(id_number)
    member.birth_date, member.sex = facts.birth_date, facts.sex
    if household.members.filter(id_index=member.id_index).exists():
        raise ValidationError({"id_number": _("该身份证号码已在本家庭中登记。")})
    member.save()
    if actor is not None:
        audit_record(
            actor=actor,
            action=AuditEntry.Action.CREATE,
            obj=member,
            after={"household": household.pk, "relation": relation},
        )
    return member


@transaction.atomic
def household_create(*, jurisdiction, address, members, statuses=(), ref=None, actor=None):
    """A household and its members (dicts with name, id_number, relation, phone)."""
    household = _save(
        Household(
            jurisdiction=jurisdiction, address=address.strip(), statuses=list(statuses), ref=ref
        )
    )
    for member in members:
        member_add(household=household, **member)
    audit_record(
        actor=actor,
        action=AuditEntry.Action.CREATE,
        obj=household,
        after={"members": len(members), "jurisdiction": jurisdiction.code},
    )
    return household


# --- intake ------------------------------------------------------------------


def _new_receipt_number(now):
    while True:
        number = (
            "CC"
            + timezone.localtime(now).strftime("%y%m%d")
            + "".join(secrets.choice(RECEIPT_ALPHABET) for _ in range(8))
        )
        if not Case.objects.filter(receipt_number=number).exists():
            return number


@transaction.atomic
def case_submit(
    *,
    household,
    jurisdiction,
    channel,
    categories,
    forms,
    urgency,
    title,
    description,
    contact_phone,
    amount_needed=None,
    opened_at=None,
    ref=None,
    actor=None,
):
    """Open a case at the window; the first-response clock starts now."""
    opened_at = opened_at or timezone.now()
    case = Case(
        household=household,
        jurisdiction=jurisdiction,
        channel=channel,
        categories=list(categories),
        forms=list(forms),
        urgency=urgency,
        title=title.strip(),
        description=description.strip(),
        contact_phone=normalize_phone(contact_phone),
        amount_needed=amount_needed,
        opened_at=opened_at,
        status_changed_at=opened_at,
        ref=ref,
        receipt_number=_new_receipt_number(opened_at),
        created_by=actor if actor and actor.is_authenticated else None,
        first_response_due=deadlines.deadline_for(
            purpose=DeadlineRule.Purpose.FIRST_RESPONSE, urgency=urgency, start=opened_at
        ),
    )
    _save(case)
    audit_record(
        actor=actor,
        action=AuditEntry.Action.CREATE,
        obj=case,
        after={"status": case.status, "urgency": urgency, "channel": channel},
    )
    case_check_reapplications(case=case)  # the same person applying again, anywhere
    if case.contact_phone:
        transaction.on_commit(lambda: _receipt_sms(case.pk))
    if case.is_emergency:
        transaction.on_commit(lambda: _emergency_opened(case.pk))
    return case


def _receipt_sms(case_id):
    case = Case.objects.get(pk=case_id)
    notify_phone(
        kind=EventKind.CASE_STATUS,
        phone=case.contact_phone,
        body=_lazy(
            "【长春市社会救助】您的申请已受理，受理编号 %(receipt)s，"
            "可凭编号和手机号后四位查询进度。"
        ),
        params={"receipt": case.receipt_number},
    )


def _emergency_opened(case_id):
    case = Case.objects.select_related("jurisdiction").get(pk=case_id)
    recipients = _staff_of(case.jurisdiction) + _staff_of(
        case.jurisdiction.parent or case.jurisdiction
    )
    notify(
        kind=EventKind.EMERGENCY,
        users=recipients,
        subject=_lazy("【救急难】紧急救助申请 %(receipt)s"),
        body=_lazy("紧急救助申请 %(receipt)s 已受理，请在 %(due)s 前首次响应。"),
        params={"receipt": case.receipt_number, "due": case.first_response_due},
    )
    emergency_case_opened.send(sender=Case, case_id=case_id)


@transaction.atomic
def application_submit_online(
    *, jurisdiction, name, id_number, phone, address, categories, forms, urgency, description
):
    """A public online application: the applicant is the household's first member."""
    household = household_create(
        jurisdiction=jurisdiction,
        address=address,
        members=[
            {"name": name, "id_number": id_number, "relation": Member.Relation.SELF, "phone": phone}
        ],
    )
    title = _("%(categories)s申请") % {
        "categories": "、".join(str(Category(c).label) for c in categories)
    }
    return case_submit(
        household=household,
        jurisdiction=jurisdiction,
        channel=Case.Channel.ONLINE,
        categories=categories,
        forms=forms,
        urgency=urgency,
        title=title,
        description=description,
        contact_phone=phone,
    )


# --- bulk import of needs ------------------------------------------------------------


def _assign_changed(instance, values):
    """Set the values that differ; returns True when anything changed."""
    changed = {k: v for k, v in values.items() if getattr(instance, k) != v}
    for key, value in changed.items():
        setattr(instance, key, value)
    return bool(changed)


def _members_sync(household, members):
    by_index = {m.id_index: m for m in household.members.all()}
    wanted = {crypto.blind_index(m["id_number"]): m for m in members}
    changed = False
    for index, values in wanted.items():
        member = by_index.get(index)
        if member is None:
            member_add(household=household, **values)
            changed = True
        elif _assign_changed(member, {k: values[k] for k in ("name", "relation", "phone")}):
            _save(member)
            changed = True
    stale = [member.pk for index, member in by_index.items() if index not in wanted]
    if stale:
        Member.objects.filter(pk__in=stale).delete()
    return changed or bool(stale)


@transaction.atomic
def need_import(
    *,
    ref,
    jurisdiction,
    categories,
    forms,
    urgency,
    title,
    description,
    opened_at,
    amount_needed,
    statuses,
    members,
    address,
    lat,
    lon,
):
    """Create or update the case with this sender ``ref``; a repeat changes nothing.

    The contact phone is the first member's phone given. Returns "created",
    "updated" or "unchanged".
    """
    phone = next((m["phone"] for m in members if m["phone"]), "")
    case = Case.objects.select_related("household").filter(ref=ref).first()
    if case is None:
        household = household_create(
            jurisdiction=jurisdiction, address=address, members=members, statuses=statuses
        )
        household.lat, household.lon = lat, lon
        _save(household)
        case_submit(
            household=household,
            jurisdiction=jurisdiction,
            channel=Case.Channel.IMPORT,
            categories=categories,
            forms=forms,
            urgency=urgency,
            title=title,
            description=description,
            contact_phone=phone,
            amount_needed=amount_needed,
            opened_at=opened_at,
            ref=ref,
        )
        return "created"
    household = case.household
    household_changed = _assign_changed(
        household,
        {
            "jurisdiction": jurisdiction,
            "address": address,
            "statuses": statuses,
            "lat": lat,
            "lon": lon,
        },
    )
    if household_changed:
        _save(household)
    members_changed = _members_sync(household, members)
    case_changed = _assign_changed(
        case,
        {
            "jurisdiction": jurisdiction,
            "categories": categories,
            "forms": forms,
            "urgency": urgency,
            "title": title,
            "description": description,
            "opened_at": opened_at,
            "amount_needed": amount_needed,
            "contact_phone": phone,
        },
    )
    if case_changed:
        case.first_response_due = deadlines.deadline_for(
            purpose=DeadlineRule.Purpose.FIRST_RESPONSE, urgency=urgency, start=opened_at
        )
        _save(case)
        audit_record(
            actor=None, action=AuditEntry.Action.UPDATE, obj=case, summary=f"import ref {ref}"
        )
    return "updated" if household_changed or members_changed or case_changed else "unchanged"


@transaction.atomic
def window_application_submit(
    *, jurisdiction, address, applicant, members, title, description, categories, forms, urgency,
    actor
):
    """The window's one-screen intake: the household with the applicant and
    every member, and the case, in one transaction (nothing half-saved)."""
    household = household_create(
        jurisdiction=jurisdiction,
        address=address,
        actor=actor,
        members=[{**applicant, "relation": Member.Relation.SELF}, *members],
    )
    return case_submit(
        household=household,
        jurisdiction=jurisdiction,
        channel=Case.Channel.WINDOW,
        categories=categories,
        forms=forms,
        urgency=urgency,
        title=title,
        description=description,
        contact_phone=applicant["phone"],
        actor=actor,
    )
