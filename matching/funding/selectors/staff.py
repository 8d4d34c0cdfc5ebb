"""What staff see in the admin: each list scoped to the reader."""

from django.db.models import Q

from matching.core.scope import subtree
from matching.directory.models import Role
from matching.directory.selectors import profile_get, staff_profile
from matching.ledger.models import Entry
from matching.offers.models import Match, MatchStatus
from matching.offers.selectors import fund_list_managed
from matching.publication.models import PublicNeed

from ..models import Disbursement, InKindGift, VolunteerHours

# --- what staff see in the admin ---------------------------------------------------------


def _jurisdiction_q(user, prefix):
    """Q for rows whose ``prefix`` jurisdiction lies in the user's; None = everything."""
    if user.is_superuser:
        return None
    profile = staff_profile(user)
    if profile is None:
        other = profile_get(user=user)
        if other is not None and other.role == Role.INSPECTOR:
            return None
        return Q(pk__in=[])
    return subtree(profile.jurisdiction.path, field=f"{prefix}__path")


def _scoped(queryset, user, prefix):
    scope = _jurisdiction_q(user, prefix)
    return queryset if scope is None else queryset.filter(scope)


def disbursement_list(*, user):
    rows = Disbursement.objects.select_related("match__need", "account", "requested_by")
    return _scoped(rows, user, "match__need__jurisdiction")


def in_kind_gift_list(*, user):
    rows = InKindGift.objects.select_related("need", "project")
    scope = _jurisdiction_q(user, "need__case__jurisdiction")
    if scope is None:
        return rows
    # Gifts to projects have no household: every staff member may see them.
    if staff_profile(user) is not None:
        scope |= Q(need__isnull=True)
    return rows.filter(scope)


def volunteer_hours_list(*, user):
    rows = VolunteerHours.objects.select_related("volunteer", "match__need")
    profile = profile_get(user=user)
    if profile is not None and profile.role == Role.CHARITY_ADMIN:
        return rows.filter(volunteer__organization_id=profile.organization_id)
    return _scoped(rows, user, "match__need__jurisdiction")


def approved_match_list(*, user):
    rows = Match.objects.filter(status=MatchStatus.APPROVED).select_related(
        "need", "project", "fund", "volunteer"
    )
    return _scoped(rows, user, "need__jurisdiction")


def public_need_list(*, user):
    return _scoped(PublicNeed.objects.all(), user, "case__jurisdiction")


def appropriable_fund_list(*, user):
    """The government funds a staff member may put budget money into: those of
    the departments in their jurisdiction (``government_fund_appropriate``)."""
    return fund_list_managed(user=user).filter(source="government")


def fund_ledger_rows(*, fund):
    """The ledger lines of a fund's account, newest first: kind, the budget
    document number of an appropriation, the amount in fen, when."""
    prefix = f"appropriation-{fund.pk}-"
    entries = (
        Entry.objects.filter(account__code=f"fund:{fund.pk}")
        .select_related("transaction")
        .order_by("-transaction__created_at", "-pk")
    )
    return [
        {
            "kind": entry.transaction.get_kind_display(),
            "reference": entry.transaction.idempotency_key.removeprefix(prefix)
            if entry.transaction.idempotency_key.startswith(prefix)
            else "",
            "amount_minor": entry.amount_minor,
            "at": entry.transaction.created_at,
        }
        for entry in entries
    ]
