"""Writes for governance: complaints (file, route, conclude, escalate), dishonesty
records (decide, appeal, revoke), staff TOTP devices, permissions of role groups.

Every state change is written to the audit log; nothing personal goes into it.
"""

import secrets
import string

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group, Permission
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from matching.audit.models import AuditEntry
from matching.audit.services import audit_record
from matching.cases.deadlines import add_working_days
from matching.cases.services import deadline_move
from matching.core import crypto
from matching.core.states import Transitions
from matching.core.validators import normalize_phone, validate_phone
from matching.directory.models import DishonestyRecord, Profile, Role
from matching.directory.selectors import organization_may_publish
from matching.notifications.models import EventKind
from matching.notifications.services import notify, notify_phone

from .middleware import needs_second_factor
from .models import Complaint
from .selectors import complaint_cases, district_of, staff_users_at

RECEIPT_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"

_C = Complaint.Status
COMPLAINT_TRANSITIONS = Transitions(
    _C,
    {
        _C.ROUTED: {_C.IN_PROGRESS, _C.CONCLUDED},
        _C.IN_PROGRESS: {_C.CONCLUDED},
        _C.CONCLUDED: set(),
    },
    messages={
        _C.IN_PROGRESS: _lazy("只有已转办的投诉可以开始办理。"),
        _C.CONCLUDED: _lazy("该投诉已办结。"),
    },
)


def _save(obj):
    obj.full_clean()
    obj.save()
    return obj


# --- complaints --------------------------------------------------------------


def _new_receipt_number(now):
    while True:
        number = (
            "TS"
            + timezone.localtime(now).strftime("%y%m%d")
            + "".join(secrets.choice(RECEIPT_ALPHABET) for _ in range(8))
        )
        if not Complaint.objects.filter(receipt_number=number).exists():
            return number


def complaint_responsible_unit(*, place, subject_kind):
    """The civil-affairs unit that answers: the place's district; for a complaint
    about a staff member, the level above the place (a street's district, a
    district's city), so that nobody judges their own colleague."""
    if subject_kind == Complaint.Subject.STAFF:
        return place.parent or place
    return district_of(place)


def _checked_phone(value):
    """A contact phone as the forms take it: normalised, a valid number or empty."""
    phone = normalize_phone(value)
    if phone:
        validate_phone(phone)
    return phone


@transaction.atomic
def complaint_file(
    *, place, subject_kind, content, subject_name="", contact_name="", contact_phone="", now=None
):
    """File a complaint; returns (complaint, follow_code). The code is shown once."""
    now = now or timezone.now()
    follow_code = "".join(secrets.choice(string.digits) for _ in range(4))
    complaint = Complaint(
        receipt_number=_new_receipt_number(now),
        follow_code_hash=make_password(follow_code),
        subject_kind=subject_kind,
        subject_name=subject_name.strip(),
        place=place,
        district=district_of(place),
        content=content.strip(),
        contact_name=contact_name.strip(),
        contact_phone=_checked_phone(contact_phone),
        routed_to=complaint_responsible_unit(place=place, subject_kind=subject_kind),
        filed_at=now,
        due_at=add_working_days(now, settings.COMPLAINT_RESPONSE_WORKING_DAYS),
    )
    _save(complaint)
    audit_record(
        actor=None,
        action=AuditEntry.Action.CREATE,
        obj=complaint,
        summary="complaint filed and routed",
        after={
            "subject_kind": subject_kind,
            "routed_to": complaint.routed_to_id,
            "anonymous": complaint.anonymous,
        },
    )
    transaction.on_commit(lambda: _routing_notice(complaint.pk))
    return complaint, follow_code


def _routing_notice(complaint_id):
    complaint = Complaint.objects.select_related("routed_to").get(pk=complaint_id)
    notify(
        kind=EventKind.COMPLAINT,
        users=staff_users_at(complaint.routed_to),
        subject=_lazy("【投诉举报】新转办 %(receipt)s"),
        body=_lazy("投诉举报 %(receipt)s（%(kind)s）已转贵单位办理，请在 %(due)s 前办结。"),
        params=_notice_values(complaint),
    )


def _notice_values(complaint):
    return {
        "receipt": complaint.receipt_number,
        "kind": Complaint.Subject(complaint.subject_kind).label,
        "due": complaint.due_at,
        "unit": complaint.routed_to,
    }


def _progress_sms(complaint_id):
    """The complainant's text (a named complaint with a phone): the receipt number and
    the new status, never the content or the reply."""
    complaint = Complaint.objects.filter(pk=complaint_id).first()
    if complaint is None or complaint.anonymous or not complaint.contact_phone:
        return
    notify_phone(
        kind=EventKind.COMPLAINT,
        phone=complaint.contact_phone,
        body=_lazy(
            "【长春市社会救助】您的投诉举报 %(receipt)s 办理进度：%(status)s。"
            "可凭受理编号和查询码查看。"
        ),
        params={"receipt": complaint.receipt_number, "status": _C(complaint.status).label},
    )


def complaint_contact_read(*, complaint, actor):
    """Log a staff read of a named complaint's contact details (anonymous ones: nothing)."""
    if complaint.anonymous:
        return None
    return audit_record(
        actor=actor,
        action=AuditEntry.Action.READ_PERSONAL_DATA,
        obj=complaint,
        summary="complaint contact details shown",
    )


# Rules ``(complaint, actor, case)`` run for each case a complaint concerns
# before staff take it up or conclude it, and return a refusal message or
# None; governance's recusal rule is appended in ``apps``. They run outside
# the decision's transaction, so what a rule records (a recusal) is kept.
COMPLAINT_RULES = []


def complaint_refusal(*, complaint, actor):
    """Why ``actor`` may not handle ``complaint`` (a rule's message), or None."""
    for case in complaint_cases(complaint=complaint):
        for rule in COMPLAINT_RULES:
            refusal = rule(complaint, actor, case)
            if refusal:
                return refusal
    return None


def _check_complaint_rules(complaint, actor):
    refusal = complaint_refusal(complaint=complaint, actor=actor)
    if refusal:
        raise PermissionDenied(refusal)


def complaint_start(*, complaint, actor):
    """Staff take the complaint up: routed → in progress."""
    _check_complaint_rules(complaint, actor)
    return _complaint_start(complaint=complaint, actor=actor)


@transaction.atomic
def _complaint_start(*, complaint, actor):
    complaint = Complaint.objects.select_for_update().get(pk=complaint.pk)
    before = COMPLAINT_TRANSITIONS.move(complaint, Complaint.Status.IN_PROGRESS)
    _save(complaint)
    _audit_transition(actor, complaint, before)
    transaction.on_commit(lambda: _progress_sms(complaint.pk))
    return complaint


def complaint_conclude(*, complaint, actor, outcome, reply):
    """Record the outcome and the reply the reporter will see."""
    _check_complaint_rules(complaint, actor)
    return _complaint_conclude(complaint=complaint, actor=actor, outcome=outcome, reply=reply)


@transaction.atomic
def _complaint_conclude(*, complaint, actor, outcome, reply):
    complaint = Complaint.objects.select_for_update().get(pk=complaint.pk)
    COMPLAINT_TRANSITIONS.check(complaint, Complaint.Status.CONCLUDED)
    if outcome not in Complaint.Outcome.values:
        raise ValidationError(_("请选择办理结果。"))
    before = COMPLAINT_TRANSITIONS.move(complaint, Complaint.Status.CONCLUDED)
    complaint.outcome = outcome
    complaint.reply = reply.strip()
    complaint.concluded_at = timezone.now()
    complaint.concluded_by = actor
    _save(complaint)
    _audit_transition(actor, complaint, before)
    transaction.on_commit(lambda: _progress_sms(complaint.pk))
    return complaint


def _audit_transition(actor, complaint, before):
    audit_record(
        actor=actor,
        action=AuditEntry.Action.TRANSITION,
        obj=complaint,
        before={"status": before},
        after={"status": complaint.status, "outcome": complaint.outcome},
    )


@transaction.atomic
def complaint_escalate(*, complaint, now=None):
    """Escalate an overdue complaint one level up and notify that level's staff."""
    now = now or timezone.now()
    complaint = (
        Complaint.objects.select_for_update().select_related("routed_to").get(pk=complaint.pk)
    )
    if complaint.escalated_at or not complaint.is_overdue(now):
        return False
    complaint.escalated_at = now
    complaint.escalated_to = complaint.routed_to.parent or complaint.routed_to
    _save(complaint)
    audit_record(
        actor=None,
        action=AuditEntry.Action.TRANSITION,
        obj=complaint,
        summary="overdue complaint escalated",
        before={"escalated": False},
        after={"escalated": True, "escalated_to": complaint.escalated_to_id},
    )
    transaction.on_commit(lambda: _escalation_notice(complaint.pk))
    return True


def _escalation_notice(complaint_id):
    complaint = Complaint.objects.select_related("routed_to", "escalated_to").get(pk=complaint_id)
    users = staff_users_at(complaint.escalated_to) + staff_users_at(complaint.routed_to)
    notify(
        kind=EventKind.COMPLAINT,
        users=users,
        subject=_lazy("【督办】投诉举报逾期未办结 %(receipt)s"),
        body=_lazy(
            "%(unit)s 未在 %(due)s 前办结投诉举报 %(receipt)s（%(kind)s），已提请上级督办。"
        ),
        params=_notice_values(complaint),
    )


def complaints_escalate_overdue(*, now=None):
    """The sweep: escalate every open complaint past its deadline; returns how many."""
    now = now or timezone.now()
    overdue = Complaint.objects.exclude(status=Complaint.Status.CONCLUDED).filter(
        due_at__lt=now, escalated_at__isnull=True
    )
    return sum(1 for complaint in overdue if complaint_escalate(complaint=complaint, now=now))


# --- dishonesty records ------------------------------------------------------


def _record_state(record):
    return {
        "subject_kind": record.subject_kind,
        "organization": record.organization_id,
        "starts": record.starts.isoformat(),
        "ends": record.ends.isoformat(),
        "revoked": record.revoked,
        "appeal_status": record.appeal_status,
    }


@transaction.atomic
def dishonesty_record_decide(
    *,
    actor,
    reason,
    evidence,
    decision,
    starts,
    ends,
    organization=None,
    applicant_id_number="",
):
    """Record a decided dishonesty finding against an organization or an applicant."""
    if not evidence.strip() or not decision.strip():
        raise ValidationError(_("失信记录必须附有证据材料和处理决定。"))
    kind = (
        DishonestyRecord.SubjectKind.ORGANIZATION
        if organization is not None
        else DishonestyRecord.SubjectKind.APPLICANT
    )
    if kind == DishonestyRecord.SubjectKind.APPLICANT and not applicant_id_number:
        raise ValidationError(_("请指定失信的社会组织或申请人。"))
    record = DishonestyRecord(
        subject_kind=kind,
        organization=organization,
        applicant_id_index=crypto.blind_index(applicant_id_number) if applicant_id_number else "",
        reason=reason,
        evidence=evidence,
        decision=decision,
        decided_on=timezone.localdate(),
        decided_by=actor,
        starts=starts,
        ends=ends,
    )
    _save(record)
    audit_record(
        actor=actor, action=AuditEntry.Action.CREATE, obj=record, after=_record_state(record)
    )
    return record


def _record_transition(record, actor, mutate):
    record = DishonestyRecord.objects.select_for_update().get(pk=record.pk)
    before = _record_state(record)
    mutate(record)
    _save(record)
    audit_record(
        actor=actor,
        action=AuditEntry.Action.TRANSITION,
        obj=record,
        before=before,
        after=_record_state(record),
    )
    return record


@transaction.atomic
def dishonesty_record_appeal(*, record, reason, actor=None, on=None):
    """The subject appeals; the record stays in force while the appeal is reviewed."""

    def mutate(current):
        if current.appeal_status != DishonestyRecord.Appeal.NONE:
            raise ValidationError(_("该失信记录已提出过申诉。"))
        if current.revoked:
            raise ValidationError(_("已撤销的失信记录无需申诉。"))
        current.appeal_status = DishonestyRecord.Appeal.FILED
        current.appeal_reason = reason
        current.appeal_filed_on = on or timezone.localdate()

    return _record_transition(record, actor, mutate)


@transaction.atomic
def dishonesty_record_decide_appeal(*, record, actor, overturn, note, on=None):
    """Staff review the appeal: overturned revokes the record, upheld keeps it."""
    if not note.strip():
        raise ValidationError(_("请填写复核意见。"))

    def mutate(current):
        if current.appeal_status != DishonestyRecord.Appeal.FILED:
            raise ValidationError(_("只有审查中的申诉可以作出复核决定。"))
        current.appeal_status = (
            DishonestyRecord.Appeal.OVERTURNED if overturn else DishonestyRecord.Appeal.UPHELD
        )
        current.appeal_decision = note
        current.appeal_decided_on = on or timezone.localdate()
        current.revoked = current.revoked or overturn

    return _record_transition(record, actor, mutate)


@transaction.atomic
def dishonesty_record_revoke(*, record, actor, note):
    """Withdraw a record outside an appeal (e.g. a decision found wrong on review)."""
    if not note.strip():
        raise ValidationError(_("请填写撤销理由。"))

    def mutate(current):
        current.revoked = True
        current.appeal_decision = current.appeal_decision or note

    return _record_transition(record, actor, mutate)


def project_publication_check(*, organization, on=None):
    """Raise if ``organization`` may not create or publish projects on ``on`` (today)."""
    if organization is not None and not organization_may_publish(organization, on=on):
        raise ValidationError(
            _("该组织处于失信惩戒期内，暂不能发布新的帮扶项目。"), code="dishonest_organization"
        )


# --- staff two-factor devices -----------------------------------------------


@transaction.atomic
def totp_device_start(*, user):
    """An unconfirmed TOTP device for ``user`` (replacing any earlier unconfirmed one)."""
    TOTPDevice.objects.filter(user=user, confirmed=False).delete()
    return TOTPDevice.objects.create(user=user, name=_("身份验证器"), confirmed=False)


@transaction.atomic
def totp_device_confirm(*, device, token):
    """Confirm a new device with its first code; False if the code is wrong."""
    if not device.verify_token(token):
        return False
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    audit_record(
        actor=device.user,
        action=AuditEntry.Action.CREATE,
        obj=device,
        summary="staff two-factor device confirmed",
    )
    return True


BACKUP_CODE_COUNT = 10


@transaction.atomic
def backup_codes_generate(*, user):
    """Ten fresh one-time backup codes for ``user``, replacing any earlier ones.

    Returns the codes in clear: the caller shows them once; only django-otp's
    static device keeps them (each is deleted when used)."""
    device = StaticDevice.objects.filter(user=user).first()
    if device is None:
        device = StaticDevice(user=user, name=_("备用验证码"), confirmed=True)
        device.full_clean()
        device.save()
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _index in range(BACKUP_CODE_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    audit_record(
        actor=user,
        action=AuditEntry.Action.UPDATE,
        obj=device,
        summary="staff backup codes generated",
        after={"count": BACKUP_CODE_COUNT},
    )
    return codes


@transaction.atomic
def backup_code_use(*, user, code):
    """The static device if ``code`` is one of ``user``'s unused backup codes,
    consuming it; None otherwise. Deleting the row is the test, so two
    requests with the same code cannot both succeed."""
    device = StaticDevice.objects.select_for_update().filter(user=user, confirmed=True).first()
    if device is None or not device.verify_is_allowed()[0]:
        return None
    deleted, _rows = device.token_set.filter(token=code).delete()
    if not deleted:
        device.throttle_increment()
        return None
    device.throttle_reset(commit=False)
    device.set_last_used_timestamp(commit=False)
    device.save()
    return device


def totp_device_removable(*, device):
    """False for the last authenticator of an account that must use two-factor."""
    if not (settings.STAFF_REQUIRE_2FA and needs_second_factor(device.user)):
        return True
    others = TOTPDevice.objects.filter(user=device.user, confirmed=True).exclude(pk=device.pk)
    return others.exists()


@transaction.atomic
def totp_device_remove(*, device, actor):
    """Remove one of ``actor``'s own authenticators (refused for the last one
    while two-factor is required: add a new one first)."""
    if device.user_id != actor.pk:
        raise ValidationError(_("只能移除自己的设备。"), code="not_own_device")
    if not totp_device_removable(device=device):
        raise ValidationError(
            _("这是您唯一的身份验证器，两步验证为必需，不能移除。请先添加新的身份验证器。"),
            code="last_device",
        )
    audit_record(
        actor=actor,
        action=AuditEntry.Action.DELETE,
        obj=device,
        summary="staff two-factor device removed by its owner",
    )
    device.delete()


def two_factor_may_reset(*, actor, user):
    """Superusers reset anyone's devices; city staff those of non-superusers, not their own."""
    if actor.pk == user.pk or not actor.is_authenticated:
        return False
    if actor.is_superuser:
        return True
    role = Profile.objects.filter(user=actor).values_list("role", flat=True).first()
    return role == Role.CITY_STAFF and not user.is_superuser


@transaction.atomic
def two_factor_reset(*, actor, user, reason):
    """Recovery for a staff member who lost their phone and codes: remove all of
    ``user``'s devices (they enrol again at their next admin visit); logged
    with who did it and why."""
    if not two_factor_may_reset(actor=actor, user=user):
        raise ValidationError(_("您无权重置该账户的两步验证。"), code="not_allowed")
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("请填写重置原因。"), code="reason_required")
    totp = TOTPDevice.objects.filter(user=user)
    static = StaticDevice.objects.filter(user=user)
    removed = {"authenticators": totp.count(), "backup_code_sets": static.count()}
    totp.delete()
    static.delete()
    return audit_record(
        actor=actor,
        action=AuditEntry.Action.ADMIN,
        obj=user,
        summary=f"two-factor reset for {user.get_username()}",
        after={"reason": reason[:500], **removed},
    )


# --- permissions -------------------------------------------------------------

_GROUP_PERMISSIONS = {
    Role.CITY_STAFF: [
        "view_complaint",
        "change_complaint",
        "view_dishonestyrecord",
        "add_dishonestyrecord",
        "change_dishonestyrecord",
    ],
    Role.DISTRICT_STAFF: [
        "view_complaint",
        "change_complaint",
        "view_dishonestyrecord",
        "add_dishonestyrecord",
        "change_dishonestyrecord",
    ],
    Role.STREET_STAFF: ["view_complaint", "change_complaint", "view_dishonestyrecord"],
    Role.INSPECTOR: ["view_complaint", "view_dishonestyrecord"],
}


def governance_permissions_sync():
    """Give each staff role group its model permissions on complaints and records."""
    for role, codenames in _GROUP_PERMISSIONS.items():
        group, _created = Group.objects.get_or_create(name=role.label)
        permissions = Permission.objects.filter(
            content_type__app_label__in=["governance", "directory"], codename__in=codenames
        )
        group.permissions.add(*permissions)


def complaint_deadlines_recompute(*, years, actor=None):
    """After staff changed the holiday schedule of ``years``: recompute the deadlines of
    complaints not yet concluded that run into those years; returns how many moved."""
    years = sorted(set(years))
    moved = 0
    with transaction.atomic():
        open_complaints = (
            Complaint.objects.select_for_update()
            .filter(due_at__year__gte=years[0])
            .exclude(status=Complaint.Status.CONCLUDED)
        )
        for complaint in open_complaints:
            span = range(
                timezone.localtime(complaint.filed_at).year,
                timezone.localtime(complaint.due_at).year + 1,
            )
            if not any(year in span for year in years):
                continue
            due_at = add_working_days(complaint.filed_at, settings.COMPLAINT_RESPONSE_WORKING_DAYS)
            moved += deadline_move(record=complaint, due_at=due_at, actor=actor)
    return moved
