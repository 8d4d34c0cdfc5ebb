"""Near-relative registration (近亲属备案) and recusal (回避).

Staff register their near relatives by ID number (encrypted, with the same
blind index as household members). Every decision on a household that holds
a registered relative of the deciding staff member -- a case transition, a
duplicate-aid ruling, the economic verification, the approval of its public
need, a match decision, a payout, the handling of a complaint about its
case -- goes through one rule, ``recusal_check``: it is refused with one fixed
message that names no one, the refusal is recorded (a ``Recusal`` and an
audit entry ``recusal``) and the other staff who can handle the item are told
by e-mail. The adapters below plug that rule into the hook lists the owning
services expose (see ``GovernanceConfig.ready``).
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from matching.audit.models import AuditEntry
from matching.audit.services import audit_record
from matching.cases.models import Case, Member
from matching.core import crypto
from matching.core.masking import mask_id_number
from matching.core.validators import normalize_id_number, validate_id_number
from matching.directory.models import STAFF_ROLES, Profile
from matching.directory.selectors import staff_profile
from matching.notifications.models import EventKind
from matching.notifications.services import notify

from .models import NearRelative, Recusal


def recusal_message():
    return _("您与该家庭存在已备案的近亲属关系，须回避。")


@transaction.atomic
def near_relative_register(*, staff, id_number, relation, name=""):
    """Register one near relative of ``staff``; the audit entry holds no ID number."""
    if staff_profile(staff) is None:
        raise PermissionDenied(_("只有民政工作人员需要备案近亲属。"))
    number = normalize_id_number(id_number)
    validate_id_number(number)
    index = crypto.blind_index(number)
    if NearRelative.objects.filter(staff=staff, id_index=index).exists():
        raise ValidationError({"id_number": _("该身份证号码已经备案。")})
    relative = NearRelative(
        staff=staff,
        name=(name or "").strip(),
        relation=relation,
        id_number=number,
        id_index=index,
        id_masked=mask_id_number(number),
    )
    relative.full_clean()
    relative.save()
    audit_record(
        actor=staff,
        action=AuditEntry.Action.CREATE,
        obj=relative,
        summary="near relative registered",
        after={"relation": relation},
    )
    return relative


@transaction.atomic
def near_relative_remove(*, staff, relative):
    """Withdraw one's own registration; the removal stays in the audit log."""
    if relative.staff_id != staff.pk:
        raise PermissionDenied(_("只能撤销本人的近亲属备案。"))
    audit_record(
        actor=staff,
        action=AuditEntry.Action.DELETE,
        obj=relative,
        summary="near relative registration withdrawn",
        before={"relation": relative.relation, "registered_at": relative.registered_at.isoformat()},
    )
    relative.delete()


def has_relative_in_household(*, staff, household):
    """True when a member of ``household`` is one of ``staff``'s registered relatives."""
    indexes = Member.objects.filter(household_id=household.pk).values("id_index")
    return NearRelative.objects.filter(staff=staff, id_index__in=indexes).exists()


def _other_handlers(case, recused):
    codes = case.jurisdiction.path.split("/")
    profiles = Profile.objects.filter(jurisdiction_id__in=codes, role__in=STAFF_ROLES)
    users = [p.user for p in profiles.select_related("user") if p.user_id != recused.pk]
    household = case.household
    return [u for u in users if not has_relative_in_household(staff=u, household=household)]


def _route_to_others(recusal_id, case_id):
    recusal = Recusal.objects.select_related("staff").get(pk=recusal_id)
    case = Case.objects.select_related("jurisdiction", "household").get(pk=case_id)
    notify(
        kind=EventKind.APPROVAL,
        users=_other_handlers(case, recusal.staff),
        subject=_lazy("回避转办：%(kind)s %(number)s"),
        body=_lazy("受理编号 %(number)s 的“%(kind)s”因原经办人员依规回避，请您办理。"),
        params={"number": recusal.receipt_number, "kind": Recusal.Kind(recusal.kind).label},
    )


def recusal_record(*, staff, kind, obj, case):
    """Record (once per person, item and kind) that ``staff`` must stand aside, and
    route the item to the other staff who can handle it."""
    object_type = f"{obj._meta.app_label}.{obj._meta.model_name}"
    existing = Recusal.objects.filter(
        staff=staff, kind=kind, object_type=object_type, object_id=str(obj.pk)
    ).first()
    if existing:
        return existing
    try:
        with transaction.atomic():
            recusal = Recusal.objects.create(
                staff=staff,
                kind=kind,
                object_type=object_type,
                object_id=str(obj.pk),
                receipt_number=case.receipt_number,
                jurisdiction=case.jurisdiction,
            )
            audit_record(
                actor=staff,
                action=AuditEntry.Action.RECUSAL,
                obj=obj,
                summary=f"recusal: {kind}",
                after={"kind": kind, "recusal": recusal.pk},
                jurisdiction=case.jurisdiction,
            )
    except IntegrityError:  # the same refusal recorded by a concurrent request
        return Recusal.objects.get(
            staff=staff, kind=kind, object_type=object_type, object_id=str(obj.pk)
        )
    transaction.on_commit(lambda: _route_to_others(recusal.pk, case.pk))
    return recusal


class RecusalRequired(PermissionDenied):
    """The deciding staff member must stand aside; ``str()`` is the fixed message."""


def recusal_check(*, actor, case, decision, obj=None):
    """THE recusal rule: refuse ``actor`` a ``decision`` (a ``Recusal.Kind``) on
    ``obj`` (default: the case) when ``case``'s household holds one of the
    actor's registered near relatives. The refusal is recorded (once) and routed
    to the other staff before ``RecusalRequired`` is raised; callers run this
    outside their decision's transaction so that the record is kept."""
    if actor is None or not getattr(actor, "is_authenticated", False) or case is None:
        return
    if not has_relative_in_household(staff=actor, household=case.household):
        return
    recusal_record(staff=actor, kind=decision, obj=case if obj is None else obj, case=case)
    raise RecusalRequired(recusal_message())


def _refusal(actor, *, kind, obj, case):
    """``recusal_check`` as a hook-list rule: the refusal message, or None."""
    try:
        recusal_check(actor=actor, case=case, decision=kind, obj=obj)
    except RecusalRequired as refusal:
        return str(refusal)
    return None


# --- adapters plugged into the hook lists of other services (see apps.py) -------


def match_decision_recusal(match, actor, approve):
    kind = Recusal.Kind.MATCH_APPROVAL if approve else Recusal.Kind.MATCH_REJECTION
    return _refusal(actor, kind=kind, obj=match, case=match.need)


def case_verification_recusal(case, actor):
    return _refusal(actor, kind=Recusal.Kind.CASE_VERIFICATION, obj=case, case=case)


def case_transition_recusal(case, actor, to_status):
    return _refusal(actor, kind=Recusal.Kind.CASE_TRANSITION, obj=case, case=case)


def duplicate_flag_recusal(flag, actor):
    return _refusal(actor, kind=Recusal.Kind.DUPLICATE_FLAG, obj=flag, case=flag.case)


def publication_approval_recusal(need, actor):
    return _refusal(actor, kind=Recusal.Kind.PUBLICATION, obj=need, case=need.case)


def complaint_recusal(complaint, actor, case):
    return _refusal(actor, kind=Recusal.Kind.COMPLAINT, obj=complaint, case=case)


def _case_of(item):
    for chain in (("case",), ("match", "need"), ("need",)):
        target = item
        for name in chain:
            target = getattr(target, name, None)
        if target is not None:
            return target
    return None


def disbursement_recusal(disbursement, actor):
    """A payout not yet saved (a request) is recorded against its match."""
    case = _case_of(disbursement)
    if case is None:
        return None
    obj = disbursement if disbursement.pk else getattr(disbursement, "match", disbursement)
    return _refusal(actor, kind=Recusal.Kind.DISBURSEMENT, obj=obj, case=case)
