"""Writes for inspections: open an inspection, record a finding with its
rectification deadline, the unit's evidence, the inspectors' review, and the
one-time escalation of an overdue rectification.

Every decision is written to the audit log; nothing personal goes into it.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from matching.audit.models import AuditEntry
from matching.audit.services import audit_record
from matching.cases.deadlines import add_working_days
from matching.core.errors import DomainError
from matching.core.states import Transitions
from matching.directory.models import STAFF_ROLES, Jurisdiction, Profile, Role
from matching.notifications.models import EventKind
from matching.notifications.services import notify

from .models import Evidence, EvidenceFile, Finding, Inspection
from .selectors import finding_may_answer, is_inspector

_F = Finding.Status
FINDING_TRANSITIONS = Transitions(
    _F,
    {
        _F.OPEN: {_F.SUBMITTED},
        _F.RETURNED: {_F.SUBMITTED},
        _F.SUBMITTED: {_F.RECTIFIED, _F.RETURNED},
        _F.RECTIFIED: set(),
    },
    messages={
        _F.SUBMITTED: _lazy("该问题已提交整改材料或已整改完成，不能再次提交。"),
        _F.RECTIFIED: _lazy("只有待审核的整改材料可以审核。"),
        _F.RETURNED: _lazy("只有待审核的整改材料可以退回。"),
    },
)
INSPECTOR_ROLES = frozenset({Role.CITY_STAFF, Role.INSPECTOR})


def _save(obj):
    obj.full_clean()
    obj.save()
    return obj


def _refuse_unless_inspector(actor, inspection):
    if not is_inspector(user=actor, inspection=inspection):
        raise PermissionDenied(_("只有本次督查组成员可以办理。"))


@transaction.atomic
def inspection_create(*, actor, title, topic, scope, starts_on, ends_on, team):
    """Open an inspection; its team must be city staff or inspectors."""
    members = list(team)
    roles = dict(Profile.objects.filter(user__in=members).values_list("user_id", "role"))
    if not members or any(roles.get(user.pk) not in INSPECTOR_ROLES for user in members):
        raise ValidationError({"team": _("督查组成员须为市级民政工作人员或监督检查人员。")})
    inspection = _save(
        Inspection(title=title, topic=topic, scope=scope, starts_on=starts_on, ends_on=ends_on)
    )
    inspection.team.set(members)
    audit_record(
        actor=actor,
        action=AuditEntry.Action.CREATE,
        obj=inspection,
        jurisdiction=scope,
        after={"scope": scope.code, "team": sorted(user.pk for user in members)},
    )
    return inspection


@transaction.atomic
def inspection_conclude(*, inspection, actor):
    """The team closes an inspection once every finding is rectified; a
    concluded inspection takes no new finding. Refused, with the number still
    open, while any finding awaits rectification or review."""
    _refuse_unless_inspector(actor, inspection)
    inspection = Inspection.objects.select_for_update().get(pk=inspection.pk)
    if inspection.status != Inspection.Status.UNDERWAY:
        raise DomainError(_("该专项督查已经结束。"))
    unfinished = inspection.findings.exclude(status=Finding.Status.RECTIFIED).count()
    if unfinished:
        raise DomainError(
            _("尚有 %(count)s 个问题未整改完毕，全部整改并审核通过后才能结束督查。")
            % {"count": unfinished}
        )
    inspection.status = Inspection.Status.CONCLUDED
    inspection.save(update_fields=["status"])
    audit_record(
        actor=actor,
        action=AuditEntry.Action.TRANSITION,
        obj=inspection,
        jurisdiction=inspection.scope,
        summary="inspection concluded",
        before={"status": Inspection.Status.UNDERWAY},
        after={"status": Inspection.Status.CONCLUDED},
    )
    return inspection


def _place_path(unit, department):
    if (unit is None) == (department is None):
        raise ValidationError(_("请选择一个被督查单位：民政机构或部门，二者选一。"))
    return (unit or department.jurisdiction).path


@transaction.atomic
def finding_record(
    *, inspection, actor, severity, description, task, working_days, unit=None, department=None
):
    """Record a finding against a unit inside the inspection's scope; the
    rectification deadline is ``working_days`` working days later."""
    _refuse_unless_inspector(actor, inspection)
    if inspection.status != Inspection.Status.UNDERWAY:
        raise ValidationError(_("该督查已结束，不能再记录问题。"))
    path = _place_path(unit, department)
    if not inspection.scope.contains(Jurisdiction(path=path)):
        raise ValidationError(_("被督查单位不在本次督查范围内。"))
    now = timezone.now()
    finding = _save(
        Finding(
            inspection=inspection,
            unit=unit,
            department=department,
            place_path=path,
            severity=severity,
            description=description.strip(),
            task=task.strip(),
            working_days=working_days,
            recorded_at=now,
            due_at=add_working_days(now, working_days),
        )
    )
    audit_record(
        actor=actor,
        action=AuditEntry.Action.CREATE,
        obj=finding,
        jurisdiction=_jurisdiction_of(finding),
        after={"severity": severity, "due_at": finding.due_at.isoformat()},
    )
    transaction.on_commit(lambda: _unit_notice(finding.pk))
    return finding


def _jurisdiction_of(finding):
    return finding.unit or finding.department.jurisdiction


def _unit_users(finding):
    if finding.department_id:
        profiles = Profile.objects.filter(role=Role.LIAISON, department=finding.department_id)
    else:
        profiles = Profile.objects.filter(role__in=STAFF_ROLES, jurisdiction=finding.unit_id)
    return [profile.user for profile in profiles.select_related("user")]


def _params(finding):
    return {
        "inspection": finding.inspection.title,
        "unit": finding.unit_name,
        "due": timezone.localtime(finding.due_at).strftime("%Y-%m-%d"),
    }


def _unit_notice(finding_id):
    finding = Finding.objects.select_related("inspection", "unit", "department").get(pk=finding_id)
    notify(
        kind=EventKind.APPROVAL,
        users=_unit_users(finding),
        subject=_lazy("【整改通知】%(inspection)s"),
        body=_lazy(
            "%(inspection)s 发现 %(unit)s 存在问题，请于 %(due)s 前完成整改并提交整改材料。"
        ),
        params=_params(finding),
    )


def evidence_submit(*, finding, actor, text, files=()):
    """The unit's staff report the rectification done, with attachments
    (already checked by the form: type by first bytes, size)."""
    if not finding_may_answer(user=actor, finding=finding):
        raise PermissionDenied(_("只有被督查单位的工作人员可以提交整改材料。"))
    if not text.strip():
        raise ValidationError({"text": _("请填写整改情况说明。")})
    return _evidence_submit(finding=finding, actor=actor, text=text, files=files)


@transaction.atomic
def _evidence_submit(*, finding, actor, text, files):
    finding = Finding.objects.select_for_update().get(pk=finding.pk)
    before = FINDING_TRANSITIONS.move(finding, Finding.Status.SUBMITTED)
    _save(finding)
    evidence = _save(Evidence(finding=finding, text=text.strip(), submitted_by=actor))
    for upload, kind in files:
        EvidenceFile.objects.create(evidence=evidence, file=upload, kind=kind)
    _audit_transition(actor, finding, before, evidence=evidence)
    transaction.on_commit(lambda: _review_notice(finding.pk))
    return evidence


def _review_notice(finding_id):
    finding = Finding.objects.select_related("inspection", "unit", "department").get(pk=finding_id)
    notify(
        kind=EventKind.APPROVAL,
        users=list(finding.inspection.team.all()),
        subject=_lazy("【整改材料待审核】%(inspection)s"),
        body=_lazy("%(unit)s 已提交整改材料，请审核。"),
        params=_params(finding),
    )


def evidence_review(*, evidence, actor, accept, reason=""):
    """Accept the evidence (the finding is rectified) or return it with a reason."""
    finding = evidence.finding
    _refuse_unless_inspector(actor, finding.inspection)
    if not accept and not reason.strip():
        raise ValidationError({"reason": _("退回时请填写退回理由。")})
    return _evidence_review(evidence=evidence, actor=actor, accept=accept, reason=reason)


@transaction.atomic
def _evidence_review(*, evidence, actor, accept, reason):
    finding = Finding.objects.select_for_update().get(pk=evidence.finding_id)
    evidence = Evidence.objects.select_for_update().get(pk=evidence.pk)
    if evidence.decision != Evidence.Decision.PENDING:
        raise ValidationError(_("这份整改材料已审核。"))
    target = Finding.Status.RECTIFIED if accept else Finding.Status.RETURNED
    before = FINDING_TRANSITIONS.move(finding, target)
    now = timezone.now()
    finding.rectified_at = now if accept else None
    _save(finding)
    evidence.decision = Evidence.Decision.ACCEPTED if accept else Evidence.Decision.RETURNED
    evidence.reason = reason.strip()
    evidence.reviewed_by = actor
    evidence.reviewed_at = now
    _save(evidence)
    _audit_transition(actor, finding, before, evidence=evidence)
    if not accept:
        transaction.on_commit(lambda: _returned_notice(finding.pk))
    return evidence


def _returned_notice(finding_id):
    finding = Finding.objects.select_related("inspection", "unit", "department").get(pk=finding_id)
    notify(
        kind=EventKind.APPROVAL,
        users=_unit_users(finding),
        subject=_lazy("【整改退回】%(inspection)s"),
        body=_lazy("%(unit)s 提交的整改材料被退回，请按审核意见重新整改，时限 %(due)s。"),
        params=_params(finding),
    )


def _audit_transition(actor, finding, before, *, evidence):
    audit_record(
        actor=actor,
        action=AuditEntry.Action.TRANSITION,
        obj=finding,
        jurisdiction=_jurisdiction_of(finding),
        before={"status": before},
        after={"status": finding.status, "evidence": evidence.pk, "decision": evidence.decision},
    )


@transaction.atomic
def finding_escalate(*, finding, now=None):
    """Escalate an overdue rectification once: audited, and the inspectors and
    the unit told."""
    now = now or timezone.now()
    finding = Finding.objects.select_for_update().get(pk=finding.pk)
    if finding.escalated_at or not finding.is_overdue(now):
        return False
    finding.escalated_at = now
    _save(finding)
    audit_record(
        actor=None,
        action=AuditEntry.Action.TRANSITION,
        obj=finding,
        jurisdiction=_jurisdiction_of(finding),
        summary="overdue rectification escalated",
        before={"escalated": False},
        after={"escalated": True},
    )
    transaction.on_commit(lambda: _escalation_notice(finding.pk))
    return True


def _escalation_notice(finding_id):
    finding = Finding.objects.select_related("inspection", "unit", "department").get(pk=finding_id)
    notify(
        kind=EventKind.APPROVAL,
        users=list(finding.inspection.team.all()) + _unit_users(finding),
        subject=_lazy("【督办】整改逾期 %(inspection)s"),
        body=_lazy("%(unit)s 未在 %(due)s 前完成整改，已列入督办。"),
        params=_params(finding),
    )


def findings_escalate_overdue(*, now=None):
    """The sweep: escalate every overdue rectification not yet escalated; returns how many."""
    now = now or timezone.now()
    overdue = Finding.objects.exclude(status=Finding.Status.RECTIFIED).filter(
        due_at__lt=now, escalated_at__isnull=True
    )
    return sum(1 for finding in overdue if finding_escalate(finding=finding, now=now))
