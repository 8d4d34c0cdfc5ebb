"""Reads for cases. Reads of personal data go through ``*_personal_data_get``,
which checks the reader's scope and writes an audit entry."""

from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.crypto import constant_time_compare
from django.utils.translation import gettext as _

from matching.audit.models import AuditEntry
from matching.audit.services import audit_record
from matching.core import crypto
from matching.core.masking import mask_id_number, mask_phone
from matching.core.scope import subtree
from matching.core.vocabulary import URGENT_FIRST, Urgency
from matching.directory.models import Department, Role
from matching.directory.selectors import profile_get, staff_profile

from . import freshness
from .access import can_handle_case, can_see_personal_data
from .models import (
    AssistanceRecord,
    Case,
    CaseStatus,
    DiscoveryReport,
    EconomicRecord,
    LocalStandard,
    Member,
    Referral,
    RefreshRequest,
    Verification,
)

CASE_URGENT_FIRST = models.Case(
    models.When(case__urgency=Urgency.EMERGENCY, then=models.Value(0)),
    default=models.Value(1),
    output_field=models.IntegerField(),
)


def _within(profile, field="jurisdiction"):
    return subtree(profile.jurisdiction.path, field=f"{field}__path")


def case_list(*, user, status=None, urgency=None):
    """Cases in the user's jurisdiction, emergencies first, then oldest first."""
    profile = staff_profile(user)
    if profile is None:
        return Case.objects.none()
    queryset = Case.objects.filter(_within(profile)).select_related("jurisdiction")
    if status:
        queryset = queryset.filter(status=status)
    if urgency:
        queryset = queryset.filter(urgency=urgency)
    return queryset.order_by(URGENT_FIRST.asc(), "opened_at")


def emergencies_today(*, user):
    today = timezone.localdate()
    return case_list(user=user, urgency=Urgency.EMERGENCY).filter(
        Q(opened_at__date=today) | Q(first_responded_at__isnull=True)
    )


def referral_list(*, user, open_only=False, overdue_only=False):
    """Liaisons see their department's referrals; staff those of their cases."""
    profile = profile_get(user=user)
    if profile is None:
        return Referral.objects.none()
    if profile.role == Role.LIAISON:
        queryset = Referral.objects.filter(department_id=profile.department_id)
    elif staff_profile(user):
        queryset = Referral.objects.filter(_within(profile, "case__jurisdiction"))
    else:
        return Referral.objects.none()
    if open_only or overdue_only:
        queryset = queryset.filter(status=Referral.Status.OPEN)
    if overdue_only:
        queryset = queryset.filter(due_at__lt=timezone.now())
    return queryset.select_related("case", "department").order_by(CASE_URGENT_FIRST.asc(), "due_at")


def verification_list(*, user):
    profile = staff_profile(user)
    if profile is None:
        return Verification.objects.none()
    return Verification.objects.filter(_within(profile, "case__jurisdiction")).select_related(
        "case", "standard"
    )


def verification_get(*, user, pk):
    """One verification (household income and assets) for staff of the case's
    jurisdiction; the read is audited, as every read of personal data is."""
    verification = verification_list(user=user).filter(pk=pk).first()
    if verification is None:
        return None
    audit_record(
        actor=user,
        action=AuditEntry.Action.READ_PERSONAL_DATA,
        obj=verification.case,
        summary=f"verification {verification.pk}: household income and assets shown",
    )
    return verification


def referral_list_for_department(*, department):
    return (
        Referral.objects.filter(department=department)
        .select_related("case")
        .order_by(CASE_URGENT_FIRST.asc(), "due_at")
    )


def discovery_report_list(*, user, pending_only=False):
    profile = staff_profile(user)
    if profile is None:
        return DiscoveryReport.objects.none()
    queryset = DiscoveryReport.objects.filter(_within(profile))
    if pending_only:
        queryset = queryset.filter(status=DiscoveryReport.Status.PENDING)
    return queryset.order_by(URGENT_FIRST.asc(), "triage_due")


def household_id_indexes(*, household):
    return list(household.members.values_list("id_index", flat=True))


def case_other_applications(*, case):
    """Other cases whose household holds a member with an ID number of ``case``'s
    household (the blind index), in any household and any district."""
    indexes = household_id_indexes(household=case.household)
    return (
        Case.objects.filter(household__members__id_index__in=indexes)
        .exclude(pk=case.pk)
        .distinct()
        .select_related("jurisdiction")
        .order_by("pk")
    )


def assistance_for_household(*, household):
    """Everything any member of the household already receives."""
    return AssistanceRecord.objects.filter(
        id_index__in=household_id_indexes(household=household)
    ).select_related("provider_organization")


def assistance_overlapping(*, household, category, start, end=None):
    """Records in ``category`` whose period overlaps [start, end] (open-ended when None)."""
    queryset = (
        assistance_for_household(household=household)
        .filter(category=category)
        .filter(Q(end__isnull=True) | Q(end__gte=start))
    )
    if end is not None:
        queryset = queryset.filter(start__lte=end)
    return queryset


def local_standard_get(*, jurisdiction, year):
    """The standard of the nearest level at or above ``jurisdiction`` for ``year``."""
    codes = jurisdiction.path.split("/")
    standards = {
        s.jurisdiction_id: s
        for s in LocalStandard.objects.filter(jurisdiction_id__in=codes, year=year).select_related(
            "jurisdiction"
        )
    }
    for code in reversed(codes):
        if code in standards:
            return standards[code]
    return None


def can_reveal_personal_data(user, case):
    """Who may reveal a member's full ID number and phone: civil-affairs staff
    handling the case. A department liaison answers a referral with masked
    numbers (their task needs who and which category, not the numbers)."""
    return can_handle_case(user, case)


def _member_view(member):
    """A member as a screen shows them: ID number and phone masked."""
    return {
        "pk": member.pk,
        "name": member.name,
        "relation": member.get_relation_display(),
        "sex": member.get_sex_display(),
        "age": member.age,
        "id_number": mask_id_number(member.id_number),
        "phone": mask_phone(member.phone),
    }


def case_personal_data_get(*, user, case):
    """The household's personal data for an authorized reader, as much as the
    reader's task needs; every call is audited.

    ID numbers and members' phones are always masked (a full number only
    through ``member_personal_data_reveal``). Staff handling the case see the
    address and the contact phone; a department liaison sees the place
    (jurisdiction) and a masked contact phone."""
    if not can_see_personal_data(user, case):
        raise PermissionDenied(_("您无权查看该申请的个人信息。"))
    household = case.household
    members = list(household.members.all())
    audit_record(
        actor=user,
        action=AuditEntry.Action.READ_PERSONAL_DATA,
        obj=case,
        summary=f"household {household.pk}, {len(members)} members",
    )
    handles = can_handle_case(user, case)
    return {
        "address": household.address if handles else None,
        "place": case.jurisdiction,
        "contact_phone": case.contact_phone if handles else mask_phone(case.contact_phone),
        "members": [_member_view(member) for member in members],
        "can_reveal": can_reveal_personal_data(user, case),
        "case_pk": case.pk,
    }


def member_personal_data_reveal(*, user, case, member_pk):
    """One member's full ID number and phone, for a reader allowed to reveal
    them; written to the audit trail (the entry names the member, never the
    number)."""
    if not can_reveal_personal_data(user, case):
        raise PermissionDenied(_("您无权查看完整身份证号码。"))
    member = case.household.members.filter(pk=member_pk).first()
    if member is None:
        raise PermissionDenied(_("您无权查看完整身份证号码。"))
    audit_record(
        actor=user,
        action=AuditEntry.Action.READ_PERSONAL_DATA,
        obj=member,
        summary=f"full ID number and phone revealed (case {case.pk})",
        jurisdiction=case.jurisdiction,
    )
    return {
        "name": member.name,
        "relation": member.get_relation_display(),
        "id_number": member.id_number,
        "phone": member.phone,
    }


def discovery_report_get(*, user, pk):
    """A report for triage by staff of its jurisdiction; the read is audited."""
    report = DiscoveryReport.objects.select_related("jurisdiction").filter(pk=pk).first()
    if report is None or not can_handle_case(user, report):
        raise PermissionDenied(_("您无权查看该主动发现报告。"))
    audit_record(
        actor=user,
        action=AuditEntry.Action.READ_PERSONAL_DATA,
        obj=report,
        summary="discovery report opened for triage",
    )
    return report


def case_status_lookup(*, receipt_number, phone_last4):
    """The case for a receipt number whose contact phone ends in ``phone_last4``, else None.

    Unknown receipt numbers and wrong digits look the same to the caller.
    """
    case = Case.objects.filter(receipt_number=receipt_number.strip().upper()).first()
    if case is None or len(phone_last4) != 4:
        return None
    return case if constant_time_compare(case.contact_phone[-4:], phone_last4) else None


FINISHED = (CaseStatus.CLOSED, CaseStatus.REJECTED)


def id_number_holders(*, user, id_number):
    """The applications whose household already holds ``id_number`` (a valid,
    normalized number), newest first, for the intake screen's check before
    saving. A reader sees the receipt number and a link only for the cases
    they may handle; of others, the district and the status alone. The ID
    number itself is never returned, only masked."""
    index = crypto.blind_index(id_number)
    cases = (
        Case.objects.filter(household__members__id_index=index)
        .distinct()
        .select_related("jurisdiction")
        .order_by("-opened_at")[:10]
    )
    hits = []
    for case in cases:
        may_open = can_handle_case(user, case)
        # Finding that a person has applied is itself a read of their data.
        audit_record(
            actor=user,
            action=AuditEntry.Action.READ_PERSONAL_DATA,
            obj=case,
            summary="ID number check at window intake (existing application found)",
        )
        hits.append(
            {
                "id_number": mask_id_number(id_number),
                "receipt_number": case.receipt_number if may_open else "",
                "case_pk": case.pk if may_open else None,
                "place": case.jurisdiction.name,
                "status": str(case.get_status_display()),
                "open": case.status not in FINISHED,
                "opened_on": timezone.localdate(case.opened_at).isoformat(),
            }
        )
    return hits


# --- fresh economic data (docs/cases.md, "Fresh economic data") -------------------------


def _department_or_staff_rows(queryset, user, household_field="household"):
    """A liaison: their department's rows; staff: the rows of households in their jurisdiction."""
    profile = profile_get(user=user)
    if profile is None:
        return queryset.none()
    if profile.role == Role.LIAISON:
        return queryset.filter(department_id=profile.department_id)
    if staff_profile(user):
        return queryset.filter(_within(profile, f"{household_field}__jurisdiction"))
    return queryset.none()


def stale_economic_record_list(*, user, today=None):
    """Current records past their age, oldest first, as the reader may see them."""
    rows = EconomicRecord.objects.filter(freshness.stale_q(today=today))
    rows = _department_or_staff_rows(rows, user)
    return rows.select_related("household", "department").order_by("as_of", "pk")


def household_head_masked(household):
    """The masked ID number of the household's applicant (else its first member)."""
    members = Member.objects.filter(household=household).order_by("pk")
    head = members.filter(relation=Member.Relation.SELF).first() or members.first()
    return mask_id_number(head.id_number) if head else ""


def household_head_masked_of(row):
    """For a list column: the masked ID number behind a row that has a household."""
    return household_head_masked(row.household)


def refresh_request_list(*, user, open_only=False):
    rows = _department_or_staff_rows(RefreshRequest.objects.all(), user)
    if open_only:
        rows = rows.filter(status=RefreshRequest.Status.OPEN)
    return rows.select_related("household", "department", "case").order_by("requested_at", "pk")


def case_freshness(*, case):
    """The case page's view of its household's data: each department's stale
    records in words, and whether a refresh request is open for it."""
    stale = freshness.stale(case.household.economic_records.select_related("department"))
    open_requests = {
        request.department_id: request
        for request in case.household.refresh_requests.filter(status=RefreshRequest.Status.OPEN)
    }
    by_department = {}
    for found in stale:
        entry = by_department.setdefault(
            found.record.department_id,
            {
                "department": found.record.department,
                "lines": [],
                "holds": False,
                "request": open_requests.get(found.record.department_id),
            },
        )
        entry["lines"].append(freshness.staleness_text(found.as_entry()))
        entry["holds"] = entry["holds"] or found.holds_verification
    return list(by_department.values())


def refresh_schedule(*, user, today=None):
    """For staff: each department in their jurisdiction with its cadence, last
    import, next due date, stale records and open requests."""
    profile = staff_profile(user)
    if profile is None:
        return []
    today = today or timezone.localdate()
    ages = freshness.max_ages()
    departments = Department.objects.filter(
        subtree(profile.jurisdiction.path, field="jurisdiction__path")
    ).select_related("jurisdiction")
    stale_counts = dict(
        EconomicRecord.objects.filter(freshness.stale_q(today=today, ages=ages))
        .values_list("department")
        .annotate(n=models.Count("pk"))
    )
    open_counts = dict(
        RefreshRequest.objects.filter(status=RefreshRequest.Status.OPEN)
        .values_list("department")
        .annotate(n=models.Count("pk"))
    )
    rows = []
    for department in departments.order_by("jurisdiction__path", "kind"):
        due = freshness.department_refresh_due(department, ages=ages)
        rows.append(
            {
                "department": department,
                "cadence": due[1] if due else freshness.cadence_days(department, ages=ages),
                "last": due[0] if due else None,
                "next_due": due[2] if due else None,
                "overdue": bool(due and due[2] < today),
                "stale": stale_counts.get(department.pk, 0),
                "open_requests": open_counts.get(department.pk, 0),
            }
        )
    return sorted(rows, key=lambda row: (not row["overdue"], -row["stale"]))
