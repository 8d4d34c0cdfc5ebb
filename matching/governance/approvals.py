"""Second approver (双人审批) for matches above ``settings.MATCH_SECOND_APPROVAL_MINOR``.

The first staff approval of such a match is recorded (``MatchApproval`` and
an audit entry ``approval``) and leaves the match waiting, without reserving
anything; a different staff member's approval completes it, and only then
does ``matching.offers.services`` reserve the offer's capacity or money.
"""

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from matching.audit.models import AuditEntry
from matching.audit.services import audit_record
from matching.directory.models import STAFF_ROLES, Profile
from matching.ledger.money import yuan_to_minor
from matching.notifications.models import EventKind
from matching.notifications.services import notify
from matching.offers.models import MatchStatus

from .models import MatchApproval, Recusal


def needs_second_approval(match):
    if match.amount is None:
        return False
    return yuan_to_minor(match.amount) > settings.MATCH_SECOND_APPROVAL_MINOR


def awaiting_second_approval(match):
    return (
        match.status == MatchStatus.ACCEPTED
        and needs_second_approval(match)
        and MatchApproval.objects.filter(match_id=match.pk).exists()
    )


def repeated_approval_refusal(match, actor):
    """Rule for ``APPROVAL_RULES``: the first approver cannot also be the second."""
    if (
        needs_second_approval(match)
        and MatchApproval.objects.filter(match_id=match.pk, approver=actor).exists()
    ):
        return _("您已作出第一人审批，须由另一名工作人员完成第二人审批。")
    return None


def _ask_for_second_approver(match, first):
    codes = match.need.jurisdiction.path.split("/")
    profiles = Profile.objects.filter(jurisdiction_id__in=codes, role__in=STAFF_ROLES)
    notify(
        kind=EventKind.APPROVAL,
        users=[p.user for p in profiles.select_related("user") if p.user_id != first.pk],
        subject=_lazy("匹配待第二人审批：%(number)s"),
        body=_lazy(
            "受理编号 %(number)s 的匹配金额超过单人审批限额，"
            "已有一名工作人员批准，请另一名工作人员审批。"
        ),
        params={"number": match.need.receipt_number},
    )


def second_approval_stage(match, actor, reason):
    """Stage for ``APPROVAL_STAGES`` (called under the match's row lock): True
    when this approval was recorded as the first of two and the match waits."""
    if match.status != MatchStatus.ACCEPTED or not needs_second_approval(match):
        return False
    refusal = repeated_approval_refusal(match, actor)
    if refusal:
        raise PermissionDenied(refusal)
    first = not MatchApproval.objects.filter(match_id=match.pk).exists()
    MatchApproval.objects.create(match=match, approver=actor, reason=reason)
    if not first:
        return False
    audit_record(
        actor=actor,
        action=AuditEntry.Action.APPROVAL,
        obj=match,
        summary="first approval; a second approver is required",
        after={"approvals": 1, "status": match.status},
    )
    transaction.on_commit(lambda: _ask_for_second_approver(match, actor))
    return True


def _match_recusals():
    return Recusal.objects.filter(kind=Recusal.Kind.MATCH_APPROVAL, object_type="offers.match")


def queue_prefetch(matches):
    """For ``QUEUE_PREFETCH``: a page's first approvals and recusals in two queries."""
    ids = [match.pk for match in matches]
    recused = set(
        _match_recusals()
        .filter(object_id__in=[str(pk) for pk in ids])
        .values_list("object_id", flat=True)
    )
    approved = set(
        MatchApproval.objects.filter(match_id__in=ids).values_list("match_id", flat=True)
    )
    for match in matches:
        match.queue_recused = str(match.pk) in recused
        match.queue_first_approved = match.pk in approved


def queue_mark(match):
    """The note the review queue shows beside a match."""
    marks = []
    first_approved = getattr(match, "queue_first_approved", None)
    if first_approved is None:
        waiting = awaiting_second_approval(match)
    else:
        waiting = (
            match.status == MatchStatus.ACCEPTED and needs_second_approval(match) and first_approved
        )
    if waiting:
        marks.append(_("待第二人审批"))
    recused = getattr(match, "queue_recused", None)
    if recused is None:
        recused = _match_recusals().filter(object_id=str(match.pk)).exists()
    if recused:
        marks.append(_("回避：已转其他工作人员审批"))
    return "；".join(marks)
