"""Reads for organizations: their administrators, the vetting queue, the
workspace's lists, the overdue reports staff follow."""

from django.db.models import Q, Sum

from matching.core.scope import subtree
from matching.core.vocabulary import Category, HelpForm
from matching.directory.models import Profile, Role
from matching.directory.selectors import profile_get, staff_profile
from matching.funding.models import Disbursement
from matching.offers.models import Fund, Match, MatchStatus, Project

from .models import DeliveryReport, PeriodicReport, Vetting

CHARITY_ROLES = (Role.CHARITY_ADMIN, Role.CHARITY_MEMBER)


def organization_admins(organization):
    """The active administrator accounts of ``organization``."""
    return [
        profile.user
        for profile in Profile.objects.filter(
            organization=organization, role=Role.CHARITY_ADMIN, user__is_active=True
        ).select_related("user")
    ]


def workspace_organization(*, user):
    """The organization ``user`` works for (admin or member), or None."""
    profile = profile_get(user=user)
    if profile and profile.role in CHARITY_ROLES and profile.organization_id:
        return profile.organization
    return None


def _staff_scope(user, field):
    profile = staff_profile(user)
    if profile is None:
        return Q(pk__in=[])
    return subtree(profile.jurisdiction.path, field=field)


def vetting_list(*, user):
    """Vettings of organizations registered inside the staff member's jurisdiction."""
    return (
        Vetting.objects.filter(_staff_scope(user, "organization__jurisdiction__path"))
        .select_related("organization", "organization__jurisdiction")
        .order_by("status", "-submitted_at")
    )


def delivery_report_list(*, user):
    return DeliveryReport.objects.filter(
        _staff_scope(user, "organization__jurisdiction__path")
    ).select_related("organization", "project")


def periodic_report_list(*, user):
    return PeriodicReport.objects.filter(
        _staff_scope(user, "organization__jurisdiction__path")
    ).select_related("organization")


def overdue_report_count(*, user):
    return periodic_report_list(user=user).filter(status=PeriodicReport.Status.OVERDUE).count()


def incoming_matches(*, organization):
    """Proposals to this organization's projects and funds, open ones first."""
    return (
        Match.objects.filter(
            Q(project__organization=organization) | Q(fund__organization=organization)
        )
        .select_related("need", "project", "fund")
        .order_by("status", "-proposed_at")
    )


def proposal_rows(*, organization, limit=50):
    """What an organization may know of the needs proposed to it: the
    categories, forms and urgency, the district, the amount, and the public
    need's de-identified title when it is published; never the case's own
    title, receipt number or anything about the household."""
    rows = []
    matches = incoming_matches(organization=organization).select_related(
        "need__jurisdiction", "need__public_need"
    )[:limit]
    for match in matches:
        need = match.need
        public = getattr(need, "public_need", None)
        place = need.jurisdiction
        rows.append(
            {
                "match": match,
                "categories": [Category(code).label for code in need.categories],
                "forms": [HelpForm(code).label for code in need.forms],
                "urgency": need.get_urgency_display(),
                "district": place.parent.name
                if place.level == "street" and place.parent_id
                else place.name,
                "public_title": public.title if public is not None and public.is_public else "",
                "public_pk": public.pk if public is not None and public.is_public else None,
            }
        )
    return rows


def open_proposals(*, organization):
    return incoming_matches(organization=organization).filter(status=MatchStatus.PROPOSED)


def organization_projects(*, organization):
    return Project.objects.filter(organization=organization).order_by("-updated_at")


def organization_funds(*, organization):
    """Each fund with what approved matches reserved of it (``committed``) and
    what was paid out toward those matches (``disbursed_minor``)."""
    funds = list(
        Fund.objects.filter(organization=organization).annotate(
            committed=Sum("matches__amount", filter=Q(matches__status=MatchStatus.APPROVED))
        )
    )
    paid = dict(
        Disbursement.objects.filter(match__fund__in=funds, status=Disbursement.Status.POSTED)
        .values_list("match__fund")
        .annotate(total=Sum("amount_minor"))
    )
    for fund in funds:
        fund.disbursed_minor = paid.get(fund.pk, 0)
    return funds


def published_delivery_reports(*, organization):
    return DeliveryReport.objects.filter(
        organization=organization, status=DeliveryReport.Status.PUBLISHED
    ).prefetch_related("photos__image")
