"""The donor's account: which gifts are theirs, claiming past gifts by e-mail,
and a minimal donor sign-up confirmed by e-mail (docs/funding.md, "The donor's account").

A gift belongs to an account through ``DonationOwner``: made when a signed-in
donor gives (``donation_owner_link``), when a monthly gift's invoice is paid,
or when the donor claims gifts given before with an e-mail address they
prove is theirs. Links are never moved from one account to another.

Links sent by e-mail are signed (``django.core.signing``, salted per purpose)
and expire; a claim link names the account that asked for it, so it links
nothing when followed from another account.
"""

from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core import signing
from django.db import transaction
from django.utils.translation import gettext as _

from matching.core.errors import DomainError
from matching.directory.models import Jurisdiction, Profile, Role

from .models import Donation, DonationOwner, RecurringGift
from .recurring import CANCELLABLE

CLAIM_SALT = "payments.donor-claim"
SIGNUP_SALT = "payments.donor-signup"
# Statuses whose money arrived and stayed (in whole or in part): they get a receipt.
RECEIPTED = (Donation.Status.SUCCEEDED, Donation.Status.PARTIALLY_REFUNDED)


class LinkRefused(DomainError):
    """A claim or sign-up link that is wrong, expired or someone else's."""

    http_status = 400


# --- reads ---------------------------------------------------------------------------------


def donor_gift_list(*, user):
    """Every gift linked to ``user``, newest first, with its instalment if any."""
    return (
        Donation.objects.filter(owner__user=user)
        .select_related("instalment")
        .order_by("-created_at", "-pk")
    )


def donor_gift_get(*, user, tracking_code):
    """One of the donor's own gifts, or None (someone else's is None too)."""
    return donor_gift_list(user=user).filter(tracking_code=tracking_code).first()


def donor_recurring_list(*, user):
    return RecurringGift.objects.filter(donor=user).order_by("-created_at", "-pk")


def donor_recurring_get(*, user, pk):
    return donor_recurring_list(user=user).filter(pk=pk).first()


def recurring_failed_instalments(*, gifts):
    """{gift id: [failed instalment donations]} for the gifts shown."""
    failed = {}
    for donation in (
        Donation.objects.filter(instalment__recurring_gift__in=gifts, status=Donation.Status.FAILED)
        .select_related("instalment")
        .order_by("-instalment__period_start")
    ):
        failed.setdefault(donation.instalment.recurring_gift_id, []).append(donation)
    return failed


def recurring_cancellable(gift):
    return gift.status in CANCELLABLE and bool(gift.stripe_subscription_id)


def donor_receipt_available(donation):
    return donation.status in RECEIPTED


def is_donor(user):
    return bool(
        user.is_authenticated and Profile.objects.filter(user=user, role=Role.DONOR).exists()
    )


# --- links between gifts and accounts ------------------------------------------------------


def donation_owner_link(*, donation, user, how=DonationOwner.How.SIGNED_IN):
    """Link a gift to the account that gave it; a gift already linked stays where it is."""
    owner, _created = DonationOwner.objects.get_or_create(
        donation=donation, defaults={"user": user, "how": how}
    )
    return owner


def claim_token_make(*, user, email):
    return signing.dumps({"u": user.pk, "e": email.strip().lower()}, salt=CLAIM_SALT)


def _token_read(token, *, salt, max_age):
    try:
        return signing.loads(token, salt=salt, max_age=max_age)
    except signing.SignatureExpired as error:
        raise LinkRefused(_("该链接已过期，请重新申请。")) from error
    except signing.BadSignature as error:
        raise LinkRefused(_("该链接无效，请检查邮件中的完整链接。")) from error


@dataclass(frozen=True)
class ClaimResult:
    email: str
    linked: int


def donor_gifts_claim(*, user, token):
    """Link every unlinked gift given with the token's e-mail to ``user``."""
    data = _token_read(token, salt=CLAIM_SALT, max_age=settings.DONOR_LINK_MAX_AGE)
    if not isinstance(data, dict) or data.get("u") != user.pk or not data.get("e"):
        raise LinkRefused(_("该链接属于另一个账户，请登录申请认领的账户后再打开。"))
    email = data["e"]
    with transaction.atomic():
        unclaimed = (
            Donation.objects.select_for_update(of=("self",))
            .filter(donor_email__iexact=email, owner__isnull=True)
            .order_by("pk")
        )
        owners = [
            DonationOwner(donation=donation, user=user, how=DonationOwner.How.CLAIMED)
            for donation in unclaimed
        ]
        DonationOwner.objects.bulk_create(owners, ignore_conflicts=True)
    return ClaimResult(email=email, linked=len(owners))


# --- sign-up -------------------------------------------------------------------------------


def donor_signup_start(*, email, password, full_name):
    """An inactive donor account, or None if the address is taken (the caller
    answers alike either way). Returns (user or None, token to mail)."""
    email = email.strip().lower()
    users = get_user_model().objects
    if users.filter(email__iexact=email).exists() or users.filter(username=email).exists():
        return None, None
    user = users.create_user(
        username=email, email=email, password=password, first_name=full_name, is_active=False
    )
    return user, signing.dumps({"u": user.pk}, salt=SIGNUP_SALT)


def donor_signup_confirm(*, token):
    """Activate the account named by a sign-up link and give it the donor role."""
    data = _token_read(token, salt=SIGNUP_SALT, max_age=settings.DONOR_LINK_MAX_AGE)
    user = get_user_model().objects.filter(pk=_int(data, "u")).first()
    if user is None:
        raise LinkRefused(_("该链接无效，请检查邮件中的完整链接。"))
    with transaction.atomic():
        if not user.is_active:
            user.is_active = True
            user.save(update_fields=["is_active"])
        if not Profile.objects.filter(user=user).exists():
            _donor_profile_add(user)
    return user


def _int(data, key):
    value = data.get(key) if isinstance(data, dict) else None
    return value if isinstance(value, int) else None


def _donor_profile_add(user):
    city = Jurisdiction.objects.filter(level=Jurisdiction.Level.CITY).order_by("code").first()
    if city is None:
        raise LinkRefused(_("平台尚未完成初始化，请稍后再试。"))
    # What directory's account_create does after making the user: profile and group.
    profile = Profile(user=user, role=Role.DONOR, jurisdiction=city)
    profile.full_clean()
    profile.save()
    group, _created = Group.objects.get_or_create(name=Role.DONOR.label)
    user.groups.add(group)
