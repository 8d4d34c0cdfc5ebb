"""Writes for a volunteer's self-service: sign-up and its e-mail confirmation,
the profile, consent and its withdrawal, answers to proposals, certificates.

Hours are logged through ``funding.services.volunteer_hours_log`` and
decided through ``volunteer_hours_decide``; a proposal is answered through
``offers.services.match_respond``. This module adds only what a volunteer
acting for themself needs on top of them.
"""

import hashlib
import logging
import secrets
import smtplib

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from matching.audit.models import AuditEntry
from matching.audit.services import audit_record
from matching.core.errors import DomainError
from matching.directory.models import Profile, Role
from matching.directory.services import account_create
from matching.notifications.models import EventKind
from matching.notifications.services import notify
from matching.offers.models import Match, MatchStatus, Volunteer
from matching.offers.services import match_respond, match_withdraw

from . import selectors
from .areas import area_centre
from .models import Certificate, Consent, Enrolment, TeamRequest

logger = logging.getLogger(__name__)

CONFIRM_SALT = "volunteering.confirm"
CONSENT_VERSION = "2026-12"
CONSENT_TEXT = _lazy(
    "本人同意长春市社会救助服务平台为对接志愿服务处理本人的姓名、电子邮箱、"
    "所在街道、技能、帮扶形式、服务半径与可服务时段：用于向民政工作人员推荐"
    "合适的服务对象、安排服务任务、登记与确认服务时长、出具服务时长证明。"
    "平台不向公众公开上述信息。本人可随时在志愿者工作台撤回同意；撤回后不再"
    "接收新的服务邀请，平台仅保留依法需要留存的服务记录。"
)


class ConfirmationRefused(DomainError):
    default_message = _lazy("确认链接无效。")


def consent_digest():
    """SHA-256 of the consent text as shown in Chinese, the version of record."""
    with translation.override("zh-hans"):
        return hashlib.sha256(str(CONSENT_TEXT).encode()).hexdigest()


def _email_taken(email):
    users = get_user_model().objects
    return (
        users.filter(email__iexact=email).exists() or users.filter(username__iexact=email).exists()
    )


def _check_password(password, *, email, name):
    probe = get_user_model()(username=email, email=email, first_name=name)
    try:
        validate_password(password, user=probe)
    except ValidationError as error:
        raise ValidationError({"password": error.messages}) from error


def _place_fields(jurisdiction):
    lat, lon = area_centre(jurisdiction)
    return {"jurisdiction": jurisdiction, "lat": lat, "lon": lon}


def volunteer_register(*, email, password, name, details, consent, confirm_link):
    """Create the (inactive) account, its profile, the volunteer and the consent
    record, and e-mail a signed link; nothing is proposed to the volunteer until
    the link is followed. ``details``: jurisdiction, forms, skills, radius_km,
    availability, hours_per_week. ``confirm_link(token)`` gives the absolute URL."""
    email = email.strip().lower()
    if _email_taken(email):
        raise ValidationError({"email": _("该邮箱已注册。请直接登录，或使用其他邮箱。")})
    _check_password(password, email=email, name=name)
    if not consent:
        raise ValidationError({"consent": _("请阅读并同意个人信息处理说明。")})
    with transaction.atomic():
        user = account_create(
            username=email,
            password=password,
            role=Role.VOLUNTEER,
            jurisdiction=details["jurisdiction"],
            email=email,
            full_name=name,
        )
        user.is_active = False
        user.save(update_fields=["is_active"])
        volunteer = Volunteer(name=name, user=user, active=False, **_volunteer_fields(details))
        volunteer.full_clean()
        volunteer.save()
        Enrolment.objects.create(volunteer=volunteer)
        _consent_record(volunteer)
        audit_record(
            actor=user, action=AuditEntry.Action.CREATE, obj=volunteer, summary="volunteer joined"
        )
    confirmation_send(volunteer=volunteer, confirm_link=confirm_link)
    return volunteer


def _volunteer_fields(details):
    return {
        **_place_fields(details["jurisdiction"]),
        "forms": list(details["forms"]),
        "skills": list(details["skills"]),
        "radius_km": details["radius_km"],
        "availability": list(details["availability"]),
        "hours_per_week": details["hours_per_week"],
    }


def _consent_record(volunteer):
    return Consent.objects.create(
        volunteer=volunteer,
        version=CONSENT_VERSION,
        text_digest=consent_digest(),
        given_at=timezone.now(),
    )


def confirmation_token(volunteer):
    return signing.dumps({"v": volunteer.pk}, salt=CONFIRM_SALT)


def confirmation_send(*, volunteer, confirm_link):
    """E-mail the signed confirmation link, in the language of the request."""
    link = confirm_link(confirmation_token(volunteer))
    hours = settings.VOLUNTEER_CONFIRM_MAX_AGE // 3600
    body = render_to_string(
        "volunteering/email_confirm.txt", {"name": volunteer.name, "link": link, "hours": hours}
    )
    try:
        send_mail(_("请确认您的志愿者注册"), body, None, [volunteer.user.email])
    except (OSError, smtplib.SMTPException) as error:
        # The sign-up is kept; the person asks for the link again from the
        # page that follows. Logged without the address: the exception's class
        # only (an SMTP refusal's message and traceback quote the recipient).
        logger.warning(
            "confirmation e-mail to volunteer %s not sent: %s", volunteer.pk, type(error).__name__
        )
        return False
    return True


def confirmation_resend(*, email, confirm_link):
    """Send the link again to an account still waiting; silent otherwise (no one
    learns from this form whether an address is registered)."""
    enrolment = (
        Enrolment.objects.select_related("volunteer__user")
        .filter(volunteer__user__email__iexact=email.strip(), confirmed_at__isnull=True)
        .first()
    )
    if enrolment is not None:
        confirmation_send(volunteer=enrolment.volunteer, confirm_link=confirm_link)


def volunteer_confirm(*, token):
    """Follow the signed link once: activate the account and the volunteer."""
    try:
        payload = signing.loads(
            token, salt=CONFIRM_SALT, max_age=settings.VOLUNTEER_CONFIRM_MAX_AGE
        )
    except signing.SignatureExpired as error:
        raise ConfirmationRefused(_("确认链接已过期，请重新发送确认邮件。")) from error
    except signing.BadSignature as error:
        raise ConfirmationRefused(_("确认链接无效，请检查邮件中的链接是否完整。")) from error
    with transaction.atomic():
        enrolment = (
            Enrolment.objects.select_for_update(of=("self",))
            .select_related("volunteer__user")
            .filter(volunteer_id=payload.get("v"))
            .first()
        )
        if enrolment is None:
            raise ConfirmationRefused(_("确认链接无效，请检查邮件中的链接是否完整。"))
        if enrolment.confirmed_at is not None:
            raise ConfirmationRefused(_("该确认链接已使用过，请直接登录。"))
        enrolment.confirmed_at = timezone.now()
        enrolment.save(update_fields=["confirmed_at"])
        volunteer = enrolment.volunteer
        volunteer.user.is_active = True
        volunteer.user.save(update_fields=["is_active"])
        volunteer.active = selectors.consent_current(volunteer) is not None
        volunteer.save()
    return volunteer


def _own(volunteer, actor):
    if volunteer.user_id is None or volunteer.user_id != actor.pk:
        raise PermissionDenied(_("只能由志愿者本人操作。"))


def volunteer_profile_update(*, volunteer, actor, name, details):
    """The volunteer edits their own profile and weekly availability."""
    _own(volunteer, actor)
    with transaction.atomic():
        volunteer = Volunteer.objects.select_for_update().get(pk=volunteer.pk)
        volunteer.name = name
        for field, value in _volunteer_fields(details).items():
            setattr(volunteer, field, value)
        volunteer.full_clean()
        volunteer.save()
        Profile.objects.filter(user=actor).update(jurisdiction=details["jurisdiction"])
        actor.first_name = name
        actor.save(update_fields=["first_name"])
    return volunteer


def consent_withdraw(*, volunteer, actor):
    """Withdraw consent: the volunteer goes off duty (the matcher skips inactive
    volunteers), open matches are withdrawn, skills and availability are erased.
    Kept: name, e-mail (to sign in), the hours records and certificates (service
    records the organization must keep) and the consent records themselves."""
    _own(volunteer, actor)
    with transaction.atomic():
        volunteer = Volunteer.objects.select_for_update().get(pk=volunteer.pk)
        current = selectors.consent_current(volunteer)
        if current is None:
            raise DomainError(_("您已撤回同意。"))
        current.withdrawn_at = timezone.now()
        current.save(update_fields=["withdrawn_at"])
        volunteer.active = False
        volunteer.skills, volunteer.availability, volunteer.hours_per_week = [], [], 0
        volunteer.save()
        for match in Match.objects.filter(volunteer=volunteer, status__in=selectors.OPEN):
            match_withdraw(match=match, actor=actor, reason=_("志愿者已撤回个人信息处理同意"))
        audit_record(
            actor=actor,
            action=AuditEntry.Action.UPDATE,
            obj=volunteer,
            summary="volunteer consent withdrawn",
        )
    return volunteer


def consent_give(*, volunteer, actor):
    """Consent again after a withdrawal (the current text); on duty once confirmed."""
    _own(volunteer, actor)
    with transaction.atomic():
        volunteer = Volunteer.objects.select_for_update().get(pk=volunteer.pk)
        if selectors.consent_current(volunteer) is not None:
            raise DomainError(_("您已同意个人信息处理说明。"))
        _consent_record(volunteer)
        confirmed = Enrolment.objects.filter(volunteer=volunteer, confirmed_at__isnull=False)
        volunteer.active = confirmed.exists() or not hasattr(volunteer, "enrolment")
        volunteer.save()
    return volunteer


class DeclineReason:
    """Why a volunteer declines: a code from this list, plus their own words."""

    CHOICES = [
        ("time", _lazy("时间冲突")),
        ("distance", _lazy("距离太远")),
        ("skills", _lazy("技能不匹配")),
        ("health", _lazy("身体原因")),
        ("other", _lazy("其他原因")),
    ]


def proposal_answer(*, match, actor, accept, reason_code="", text=""):
    """Accept a proposal, or decline it with a reason from the list (and words for
    "other"); the reason is recorded in Chinese, the staff's language."""
    text = text.strip()
    reason = text
    if not accept:
        labels = dict(DeclineReason.CHOICES)
        if reason_code not in labels:
            raise ValidationError({"reason_code": _("请选择谢绝的理由。")})
        if reason_code == "other" and not text:
            raise ValidationError({"text": _("选择“其他原因”时请简要说明。")})
        with translation.override("zh-hans"):
            label = str(labels[reason_code])
        reason = f"{label}：{text}" if text else label
    if match.status != MatchStatus.PROPOSED:
        raise DomainError(_("该邀请已答复或已撤回。"))
    return match_respond(match=match, actor=actor, accept=accept, reason=reason)


def _certificate_code():
    alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
    raw = "".join(secrets.choice(alphabet) for _ in range(12))
    return f"{raw[:4]}-{raw[4:8]}-{raw[8:]}"


def certificate_issue(*, volunteer, actor):
    """A certificate of the confirmed hours so far, with a code anyone can verify."""
    _own(volunteer, actor)
    summary = selectors.certificate_summary(volunteer)
    if not summary.total:
        raise DomainError(_("暂无已确认的服务时长，暂不能出具证明。"))
    certificate = Certificate.objects.create(
        volunteer=volunteer,
        code=_certificate_code(),
        issuer=volunteer.organization.name if volunteer.organization_id else "",
        holder=volunteer.name,
        total_hours=summary.total,
        lines={
            "tasks": [[match_id, str(hours)] for match_id, hours in summary.tasks],
            "months": [[month, str(hours)] for month, hours in summary.months],
        },
    )
    audit_record(
        actor=actor,
        action=AuditEntry.Action.CREATE,
        obj=certificate,
        summary=f"certificate of {summary.total} hours",
    )
    return certificate


def team_request_create(*, volunteer, actor, organization):
    """Ask to join a verified volunteer team (one open request at a time)."""
    _own(volunteer, actor)
    if volunteer.organization_id:
        raise DomainError(_("您已加入志愿服务队。"))
    if organization not in selectors.verified_teams():
        raise ValidationError({"organization": _("请选择已核验的志愿服务队。")})
    if TeamRequest.objects.filter(volunteer=volunteer, status=TeamRequest.Status.PENDING).exists():
        raise DomainError(_("您已有待审核的加入申请。"))
    return TeamRequest.objects.create(volunteer=volunteer, organization=organization)


def team_leave(*, volunteer, actor):
    """The volunteer leaves their team. From then on they are an independent
    volunteer: hours still awaiting the team's confirmation are confirmed by
    the staff of the need's area instead (``volunteer_hours_decide``), the
    certificates the team issued stay valid, and they may ask to join a team
    again. The team's administrators are told."""
    _own(volunteer, actor)
    with transaction.atomic():
        volunteer = (
            Volunteer.objects.select_for_update(of=("self",))
            .select_related("organization")
            .get(pk=volunteer.pk)
        )
        team = volunteer.organization
        if team is None:
            raise DomainError(_("您目前没有加入志愿服务队。"))
        volunteer.organization = None
        volunteer.save()
        Profile.objects.filter(user_id=volunteer.user_id, organization=team).update(
            organization=None
        )
        audit_record(
            actor=actor,
            action=AuditEntry.Action.UPDATE,
            obj=volunteer,
            summary="left the volunteer team",
            before={"organization": team.pk},
            after={"organization": None},
        )
    admins = [
        profile.user
        for profile in Profile.objects.filter(
            organization=team, role=Role.CHARITY_ADMIN
        ).select_related("user")
    ]
    notify(
        kind=EventKind.ORGANIZATION,
        users=admins,
        subject=_lazy("志愿者退出服务队"),
        body=_lazy(
            "志愿者 %(name)s 已退出“%(team)s”。"
            "其尚待确认的服务时长改由需求所在地的民政工作人员确认。"
        ),
        params={"name": volunteer.name, "team": team.name},
    )
    return volunteer


def team_request_decide(*, team_request, actor, approve, reason=""):
    """The team's administrator accepts the volunteer (who then belongs to the
    team: the team confirms their hours and issues their certificates) or
    refuses with a reason."""
    with transaction.atomic():
        team_request = TeamRequest.objects.select_for_update().get(pk=team_request.pk)
        if not selectors.is_team_admin(actor, team_request.organization):
            raise PermissionDenied(_("只有该志愿服务队的管理员可以处理加入申请。"))
        if team_request.status != TeamRequest.Status.PENDING:
            raise DomainError(_("该申请已处理。"))
        if not approve and not reason.strip():
            raise ValidationError({"reason": _("谢绝申请必须填写理由。")})
        team_request.status = TeamRequest.Status.APPROVED if approve else TeamRequest.Status.REFUSED
        team_request.decided_by, team_request.decided_at = actor, timezone.now()
        team_request.reason = reason.strip()
        team_request.save()
        if approve:
            volunteer = Volunteer.objects.select_for_update().get(pk=team_request.volunteer_id)
            volunteer.organization = team_request.organization
            volunteer.save()
            Profile.objects.filter(user_id=volunteer.user_id).update(
                organization=team_request.organization
            )
        audit_record(
            actor=actor,
            action=AuditEntry.Action.TRANSITION,
            obj=team_request,
            summary=f"team request {team_request.status}",
        )
    return team_request
