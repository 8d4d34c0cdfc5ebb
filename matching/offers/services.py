"""Writes for matches: proposals, the offer side's answer, staff decisions.

A match moves through an explicit map of allowed transitions; one function
checks and records every move. Approval runs the pluggable approval rules
(the governance capability adds its own) and reserves the offer's capacity
or money under a row lock, so two approvals can never spend the same slot
or yuan twice.
"""

from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from matching.audit.models import AuditEntry
from matching.audit.services import audit_record
from matching.cases.access import can_handle_case
from matching.cases.services import platform_assistance_record, platform_assistance_withdraw
from matching.core.rules import refuse_first
from matching.core.states import Transitions
from matching.directory.models import STAFF_ROLES, Department, Profile, Role
from matching.directory.selectors import profile_get
from matching.notifications.models import EventKind
from matching.notifications.services import notify

from .models import Fund, Match, MatchStatus, OfferType, Project, Volunteer
from .selectors import fund_departments, fund_list_managed

ALLOWED = Transitions(
    MatchStatus,
    {
        MatchStatus.PROPOSED: {
            MatchStatus.ACCEPTED,
            MatchStatus.DECLINED,
            MatchStatus.REJECTED,
            MatchStatus.WITHDRAWN,
        },
        MatchStatus.ACCEPTED: {MatchStatus.APPROVED, MatchStatus.REJECTED, MatchStatus.WITHDRAWN},
        MatchStatus.APPROVED: {MatchStatus.WITHDRAWN},
        MatchStatus.DECLINED: set(),
        MatchStatus.REJECTED: set(),
        MatchStatus.WITHDRAWN: set(),
    },
    message=_lazy("匹配当前为“%(from)s”，不能变为“%(to)s”。"),
)
OPEN = (MatchStatus.PROPOSED, MatchStatus.ACCEPTED, MatchStatus.APPROVED)
OFFER_MODELS = {OfferType.PROJECT: Project, OfferType.VOLUNTEER: Volunteer, OfferType.FUND: Fund}


def _entered_the_case(match, actor):
    if match.need.created_by_id and match.need.created_by_id == actor.pk:
        return _("录入该案件的工作人员不能批准其匹配，请由其他工作人员审批。")
    return None


# Each rule returns a refusal message or None; governance appends its own.
# Rules run outside the decision's transaction, so what a rule records about
# its refusal (a recusal) is kept.
APPROVAL_RULES = [_entered_the_case]
# Rules ``(match, actor, approve)`` run before every staff decision, approval
# or rejection, in the same way; governance appends its recusal rule.
DECISION_RULES = []
# Each stage ``(match, actor, reason)`` runs under the match's row lock and
# returns True when it recorded the approval without completing it (a first
# of two approvals); governance appends its own.
APPROVAL_STAGES = []


def _offer_by_ref(offer_type, ref):
    model = OFFER_MODELS[offer_type]
    prefix = f"{offer_type}-"
    found = model.objects.filter(ref=ref).first()
    if found is None and ref.startswith(prefix) and ref[len(prefix) :].isdigit():
        found = model.objects.filter(pk=int(ref[len(prefix) :])).first()
    return found


def _proposed_amount(need, offer):
    """Money an offer would put toward the need now: its per-case cap, at most what is
    needed and what the offer has left (a fund's balance, a project's budget)."""
    limit = getattr(offer, "max_per_case", None)
    if limit is None or need.amount_needed is None:
        return None
    left = getattr(offer, "balance", None)
    if left is None:
        left = getattr(offer, "budget_remaining", None)
    return min(limit, need.amount_needed, *([left] if left is not None else []))


def _may_receive_proposals(offer):
    """Only a verified organization's projects and funds receive proposals
    (a volunteer is vetted as a person; docs/organizations.md)."""
    organization = offer.organization if not isinstance(offer, Volunteer) else None
    return organization is None or organization.verified


@transaction.atomic
def matches_propose(*, need, proposals, bundle=None):
    """Turn the matcher's proposals into match records; known open pairs are skipped."""
    created = []
    for proposal in proposals:
        offer = _offer_by_ref(proposal["type"], proposal["offer"])
        if offer is None or not _may_receive_proposals(offer):
            continue
        link = {proposal["type"]: offer}
        if Match.objects.filter(need=need, status__in=OPEN, **link).exists():
            continue
        match = Match(
            need=need,
            offer_type=proposal["type"],
            score=proposal["score"],
            reasons=proposal["reasons"],
            parts=proposal.get("parts") or {},
            bundle=bundle,
            amount=_proposed_amount(need, offer),
            **link,
        )
        match.full_clean()
        match.save()
        created.append(match)
    if created:
        ids = [match.pk for match in created]
        transaction.on_commit(lambda: _proposal_notices(ids))
    return created


def _government_fund_answerers(fund):
    """Who answers for a government fund: its department's liaisons and the
    civil-affairs staff of the department's own jurisdiction (docs/funding.md)."""
    return Profile.objects.filter(
        Q(role=Role.LIAISON, department_id=fund.department_id)
        | Q(role__in=STAFF_ROLES, jurisdiction_id=fund.department.jurisdiction_id)
    )


def _is_government_fund_match(match):
    return match.offer_type == OfferType.FUND and match.fund.is_government


def offer_side_users(match):
    """Who answers for the offer: the volunteer, the organization's administrators,
    or, for a government fund, its department's people."""
    if match.offer_type == OfferType.VOLUNTEER:
        return [match.volunteer.user] if match.volunteer.user_id else []
    if _is_government_fund_match(match):
        profiles = _government_fund_answerers(match.fund).select_related("user")
        return [profile.user for profile in profiles]
    organization_id = match.offer.organization_id
    if organization_id is None:
        return []
    profiles = Profile.objects.filter(organization_id=organization_id, role=Role.CHARITY_ADMIN)
    return [profile.user for profile in profiles.select_related("user")]


def _offer_params(match):
    # The offer's own name and the need's receipt number: nothing about the household.
    return {"receipt": match.need.receipt_number, "offer": str(match.offer)}


def _proposal_notices(match_ids):
    for match in Match.objects.filter(pk__in=match_ids).select_related("need"):
        notify(
            kind=EventKind.MATCH_PROPOSED,
            users=offer_side_users(match),
            subject=_lazy("新的匹配建议：%(offer)s"),
            body=_lazy(
                "平台为“%(offer)s”匹配了一项救助需求（受理编号 %(receipt)s），"
                "请登录平台查看并答复是否接受。"
            ),
            params=_offer_params(match),
        )


def _decision_notice(match_id):
    match = Match.objects.select_related("need").get(pk=match_id)
    approved = match.status == MatchStatus.APPROVED
    notify(
        kind=EventKind.MATCH_DECIDED,
        users=offer_side_users(match),
        subject=_lazy("匹配已批准：%(offer)s") if approved else _lazy("匹配未获批准：%(offer)s"),
        body=_lazy(
            "“%(offer)s”与受理编号 %(receipt)s 的匹配已由民政工作人员批准，请按约定提供帮扶。"
        )
        if approved
        else _lazy("“%(offer)s”与受理编号 %(receipt)s 的匹配未获批准，无需继续跟进。"),
        params=_offer_params(match),
    )


def _move(match, to_status, actor, reason=""):
    before = ALLOWED.move(match, to_status)
    if to_status in (MatchStatus.APPROVED, MatchStatus.REJECTED):
        transaction.on_commit(lambda: _decision_notice(match.pk))
    if to_status == MatchStatus.APPROVED:
        match_assistance_record(match=match)
    elif before == MatchStatus.APPROVED:
        platform_assistance_withdraw(origin=f"match:{match.pk}")
    match.decided_at, match.decided_by = timezone.now(), actor
    match.decision_reason = reason
    match.save(update_fields=["status", "decided_at", "decided_by", "decision_reason"])
    audit_record(
        actor=actor,
        action=AuditEntry.Action.TRANSITION,
        obj=match,
        summary=f"match {before} -> {to_status}",
        before={"status": before},
        after={"status": to_status},
    )
    return match


def match_assistance_record(*, match, amount=None):
    """An approved match is help the household receives through the platform: it
    counts in the categories of the need the offer serves (a volunteer serves
    them all) for the duplicate check and the matcher. Repeating updates it."""
    offer = match.offer
    if match.offer_type == OfferType.VOLUNTEER:
        categories = list(match.need.categories)
    else:
        categories = [c for c in match.need.categories if c in offer.categories]
    organization = offer.organization
    department = getattr(offer, "department", None)
    if organization:
        provider = ""
    else:  # a government fund's department; an independent volunteer: civil affairs
        provider = department.kind if department else Department.Kind.CIVIL_AFFAIRS
    return platform_assistance_record(
        case=match.need,
        categories=categories,
        origin=f"match:{match.pk}",
        provider_organization=organization,
        provider_department=provider,
        amount=match.amount if amount is None else amount,
    )


def speaks_for_offer(actor, match):
    """Whether ``actor`` may answer a proposal for the match's offer."""
    if match.offer_type == OfferType.VOLUNTEER:
        return match.volunteer.user_id == actor.pk
    if _is_government_fund_match(match):
        return _government_fund_answerers(match.fund).filter(user=actor).exists()
    profile = profile_get(user=actor)
    return bool(
        profile
        and match.offer.organization_id is not None
        and profile.organization_id == match.offer.organization_id
    )


@transaction.atomic
def match_respond(*, match, actor, accept, reason=""):
    """The offering charity or volunteer accepts or declines a proposal."""
    match = Match.objects.select_for_update().get(pk=match.pk)
    if not speaks_for_offer(actor, match):
        raise PermissionDenied(_("只有提供该资源的组织或志愿者本人可以答复。"))
    if accept and not _may_receive_proposals(match.offer):
        raise ValidationError(_("组织尚未通过核验或核验已过期，不能接受匹配。"))
    return _move(match, MatchStatus.ACCEPTED if accept else MatchStatus.DECLINED, actor, reason)


@transaction.atomic
def match_withdraw(*, match, actor, reason):
    """The offer side (or staff of the need's jurisdiction) withdraws an open match:
    the offer is no longer available, e.g. a volunteer withdrew their consent."""
    match = Match.objects.select_for_update().select_related("need").get(pk=match.pk)
    if not (speaks_for_offer(actor, match) or can_handle_case(actor, match.need)):
        raise PermissionDenied(_("只有提供该资源的组织、志愿者本人或辖区工作人员可以撤回。"))
    return _move(match, MatchStatus.WITHDRAWN, actor, reason)


def _reserve(match):
    """Take the slot or money an approved match uses, refusing what is not there."""
    offer = type(match.offer).objects.select_for_update().get(pk=match.offer.pk)
    amount = match.amount or Decimal("0")
    if isinstance(offer, Project):
        if offer.slots_remaining is not None:
            if offer.slots_remaining < 1:
                raise ValidationError(_("该项目名额已满。"))
            offer.slots_remaining -= 1
        if offer.budget_remaining is not None:
            if offer.budget_remaining < amount:
                raise ValidationError(_("该项目剩余预算不足。"))
            offer.budget_remaining -= amount
    elif isinstance(offer, Fund):
        if offer.balance < amount:
            raise ValidationError(_("该基金余额不足。"))
        offer.balance -= amount
    offer.save()


def _check_jurisdiction(match, actor):
    if not can_handle_case(actor, match.need):
        raise PermissionDenied(_("您无权审批本辖区以外的匹配。"))


def match_decide(*, match, actor, approve, reason=""):
    """Staff of the need's jurisdiction approve (reserving capacity) or reject, with a reason."""
    current = Match.objects.select_related("need").get(pk=match.pk)
    _check_jurisdiction(current, actor)
    refuse_first(DECISION_RULES, current, actor, approve)
    if approve:
        refuse_first(APPROVAL_RULES, current, actor)
    return _decide(match=match, actor=actor, approve=approve, reason=reason)


@transaction.atomic
def _decide(*, match, actor, approve, reason):
    match = Match.objects.select_for_update().select_related("need").get(pk=match.pk)
    _check_jurisdiction(match, actor)
    if not approve:
        if not reason.strip():
            raise ValidationError(_("驳回匹配必须填写理由。"))
        return _move(match, MatchStatus.REJECTED, actor, reason)
    ALLOWED.check(match, MatchStatus.APPROVED)  # before a stage records or _reserve takes anything
    for stage in APPROVAL_STAGES:
        if stage(match, actor, reason):
            return match
    _reserve(match)
    return _move(match, MatchStatus.APPROVED, actor, reason)


def _fund_fields(fund):
    return {
        "name": fund.name,
        "source": fund.source,
        "organization": fund.organization_id,
        "department": fund.department_id,
        "categories": list(fund.categories),
        "jurisdictions": list(fund.jurisdictions),
        "max_per_case": str(fund.max_per_case),
        "household_status_any": list(fund.household_status_any),
        "min_age": fund.min_age,
        "max_age": fund.max_age,
        "active": fund.active,
    }


@transaction.atomic
def fund_save(*, fund, actor):
    """Create or change a fund from the admin; audited. The balance is never
    written here: money enters only through the ledger (gifts, appropriations)."""
    created = fund._state.adding
    if created:
        fund.balance = Decimal("0.00")
        before = None
    else:
        stored = (
            fund_list_managed(user=actor).select_for_update(of=("self",)).filter(pk=fund.pk).first()
        )
        if stored is None:
            raise PermissionDenied(_("您无权修改该资金。"))
        fund.balance, fund.source = stored.balance, stored.source
        before = _fund_fields(stored)
    departments = fund_departments(user=actor)
    if fund.is_government and not departments.filter(pk=fund.department_id).exists():
        raise PermissionDenied(_("只能为本辖区内的部门设立或修改政府资金。"))
    fund.full_clean()
    fund.save()
    if created and not fund_list_managed(user=actor).filter(pk=fund.pk).exists():
        raise PermissionDenied(_("您无权设立该资金。"))
    audit_record(
        actor=actor,
        action=AuditEntry.Action.CREATE if created else AuditEntry.Action.UPDATE,
        obj=fund,
        summary=f"fund {fund.pk} {'created' if created else 'changed'}",
        before=before,
        after=_fund_fields(fund),
        jurisdiction=(fund.department or fund.organization).jurisdiction,
    )
    return fund
