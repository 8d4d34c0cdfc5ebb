"""Writes for organizations: registration, vetting, expiry, the workspace's
projects, delivery reports and periodic reports (docs/organizations.md).

Every vetting move goes through ``VETTING`` and is recorded twice: as a
``VettingEvent`` the organization and staff read (actor, time, reason) and in
the audit trail. E-mails leave after the commit and name no person.
"""

import datetime as dt
import io

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.images import ImageFile
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from PIL import Image as PILImage
from wagtail.images import get_image_model
from wagtail.models import Collection

from matching.audit.models import AuditEntry
from matching.audit.services import audit_record
from matching.core.errors import DomainError
from matching.core.states import Transitions
from matching.directory.models import Organization, Role
from matching.directory.selectors import profile_get, staff_profile
from matching.directory.services import account_create
from matching.notifications.models import EventKind
from matching.notifications.services import notify
from matching.offers.models import OfferStatus, Project

from .models import DeliveryPhoto, DeliveryReport, PeriodicReport, Vetting, VettingEvent
from .selectors import organization_admins

Status = Vetting.Status
VETTING = Transitions(
    Status,
    {
        Status.SUBMITTED: {Status.VERIFIED, Status.MORE_REQUESTED, Status.REFUSED},
        Status.MORE_REQUESTED: {Status.SUBMITTED},
        # A verified organization asks for renewal before its verification ends.
        Status.VERIFIED: {Status.SUBMITTED, Status.EXPIRED},
        Status.EXPIRED: {Status.SUBMITTED},
        Status.REFUSED: set(),
    },
    message=_lazy("核验当前为“%(from)s”，不能变为“%(to)s”。"),
)
CONFIRM_SALT = "organizations.confirm-admin"


class RegistrationRefused(DomainError):
    default_message = _lazy("注册未能完成。")


# --- registration -------------------------------------------------------------------------


@transaction.atomic
def organization_register(
    *,
    name,
    kind,
    jurisdiction,
    credit_code,
    certificate,
    contact_name,
    contact_phone,
    contact_email,
    admin_name,
    admin_email,
    password,
):
    """A new, unverified organization, its file for vetting and its first
    administrator (inactive until the e-mail is confirmed)."""
    credit_code = credit_code.strip().upper()
    if Organization.objects.filter(credit_code=credit_code).exists():
        raise RegistrationRefused(
            _("该统一社会信用代码已注册。如需找回管理员账户，请联系所在区县民政部门。"),
            field="credit_code",
        )
    if get_user_model().objects.filter(username__iexact=admin_email).exists():
        raise RegistrationRefused(_("该电子邮箱已有账户，请直接登录。"), field="admin_email")
    organization = Organization(
        name=name, kind=kind, jurisdiction=jurisdiction, credit_code=credit_code, verified=False
    )
    organization.full_clean()
    organization.save()
    vetting = Vetting(
        organization=organization,
        certificate=certificate,
        contact_name=contact_name,
        contact_phone=contact_phone,
        contact_email=contact_email,
        submitted_at=timezone.now(),
    )
    vetting.full_clean()
    vetting.save()
    user = account_create(
        username=admin_email,
        password=password,
        role=Role.CHARITY_ADMIN,
        jurisdiction=jurisdiction,
        organization=organization,
        email=admin_email,
        full_name=admin_name,
    )
    user.is_active = False
    user.save(update_fields=["is_active"])
    _record(vetting, VettingEvent.Action.SUBMITTED, actor=None, reason="")
    transaction.on_commit(lambda: _send_confirmation(user))
    return organization, user


def confirmation_token(user):
    return signing.dumps({"user": user.pk}, salt=CONFIRM_SALT)


def _send_confirmation(user):
    link = settings.WAGTAILADMIN_BASE_URL.rstrip("/") + reverse(
        "join_organization_confirm", args=[confirmation_token(user)]
    )
    days = settings.ORGANIZATION_CONFIRM_MAX_AGE // 86400
    # The account is not active yet: a transactional e-mail, not a notice.
    send_mail(
        _("请确认您的电子邮箱 · 社会组织注册"),
        _("请在 %(days)s 天内打开以下链接，确认电子邮箱并启用管理员账户：\n%(link)s")
        % {"days": days, "link": link},
        None,
        [user.email],
    )


def admin_account_confirm(*, token):
    """Activate the administrator the signed, unexpired ``token`` names."""
    try:
        data = signing.loads(
            token, salt=CONFIRM_SALT, max_age=settings.ORGANIZATION_CONFIRM_MAX_AGE
        )
    except signing.SignatureExpired as error:
        raise RegistrationRefused(_("确认链接已过期，请联系所在区县民政部门重新发送。")) from error
    except signing.BadSignature as error:
        raise RegistrationRefused(_("确认链接无效。")) from error
    user = get_user_model().objects.filter(pk=data.get("user")).first()
    if user is None:
        raise RegistrationRefused(_("确认链接无效。"))
    if not user.is_active:
        user.is_active = True
        user.save(update_fields=["is_active"])
    return user


# --- vetting -------------------------------------------------------------------------------


def _record(vetting, action, *, actor, reason):
    VettingEvent.objects.create(vetting=vetting, action=action, actor=actor, reason=reason)
    audit_record(
        actor=actor,
        action=AuditEntry.Action.TRANSITION,
        obj=vetting,
        summary=f"vetting {action}",
        after={"status": vetting.status, "action": action},
        jurisdiction=vetting.organization.jurisdiction,
    )


def _locked(vetting):
    return Vetting.objects.select_for_update().select_related("organization").get(pk=vetting.pk)


def may_vet(user, organization):
    """Civil-affairs staff whose jurisdiction holds the organization's registration."""
    profile = staff_profile(user)
    return bool(profile and profile.jurisdiction.contains(organization.jurisdiction))


DECISIONS = {
    "verify": (Status.VERIFIED, VettingEvent.Action.VERIFIED),
    "ask_more": (Status.MORE_REQUESTED, VettingEvent.Action.MORE_REQUESTED),
    "refuse": (Status.REFUSED, VettingEvent.Action.REFUSED),
}


@transaction.atomic
def vetting_decide(*, vetting, actor, decision, reason=""):
    """Staff verify, ask for more (a reason the organization reads) or refuse (a reason)."""
    vetting = _locked(vetting)
    if not may_vet(actor, vetting.organization):
        raise PermissionDenied(_("只有组织登记地的民政工作人员可以审核。"))
    to_status, action = DECISIONS[decision]
    reason = reason.strip()
    if decision != "verify" and not reason:
        raise ValidationError({"reason": _("要求补充材料或不予核验时必须填写理由。")})
    VETTING.move(vetting, to_status)
    vetting.reason = reason
    vetting.decided_at = timezone.now()
    organization = vetting.organization
    if to_status == Status.VERIFIED:
        days = settings.ORGANIZATION_VERIFICATION_DAYS
        vetting.verified_until = timezone.localdate() + dt.timedelta(days=days)
        vetting.renewal_reminded = False
        organization.verified = True
    elif to_status == Status.REFUSED:
        organization.verified = False
    organization.save(update_fields=["verified"])
    vetting.save()
    _record(vetting, action, actor=actor, reason=reason)
    transaction.on_commit(lambda: _tell_admins_of_decision(vetting))
    return vetting


def _tell_admins_of_decision(vetting):
    subjects = {
        Status.VERIFIED: _lazy("您的组织已通过核验"),
        Status.MORE_REQUESTED: _lazy("您的组织注册需要补充材料"),
        Status.REFUSED: _lazy("您的组织未通过核验"),
    }
    body, params = _lazy("审核结果：%(status)s。"), {"status": vetting.get_status_display()}
    if vetting.reason:
        body = _lazy("审核结果：%(status)s。\n审核意见：%(reason)s")
        params["reason"] = vetting.reason
    notify(
        kind=EventKind.ORGANIZATION,
        users=organization_admins(vetting.organization),
        subject=subjects[vetting.status],
        body=body,
        params=params,
        link=reverse("organization_home"),
    )


def _speaks_for(actor, organization):
    profile = profile_get(user=actor)
    if not (
        profile
        and profile.role == Role.CHARITY_ADMIN
        and profile.organization_id == organization.pk
    ):
        raise PermissionDenied(_("只有本组织的管理员可以办理。"))


@transaction.atomic
def vetting_answer(*, vetting, actor, answer, certificate=None):
    """The organization answers a request for more and submits its file again."""
    vetting = _locked(vetting)
    _speaks_for(actor, vetting.organization)
    if vetting.status != Status.MORE_REQUESTED:
        raise DomainError(_("目前无需补充材料。"))
    if not answer.strip():
        raise ValidationError({"answer": _("请填写补充说明。")})
    VETTING.move(vetting, Status.SUBMITTED)
    vetting.answer = answer.strip()
    if certificate:
        vetting.certificate = certificate
    vetting.submitted_at = timezone.now()
    vetting.save()
    _record(vetting, VettingEvent.Action.ANSWERED, actor=actor, reason=vetting.answer)
    return vetting


@transaction.atomic
def vetting_renew(*, vetting, actor, certificate=None):
    """Ask for renewal: a verified (still valid) or expired organization is vetted again."""
    vetting = _locked(vetting)
    _speaks_for(actor, vetting.organization)
    VETTING.move(vetting, Status.SUBMITTED)
    if certificate:
        vetting.certificate = certificate
    vetting.submitted_at = timezone.now()
    vetting.save()
    _record(vetting, VettingEvent.Action.RENEWAL_REQUESTED, actor=actor, reason="")
    return vetting


def verifications_expire(*, today=None):
    """Daily: remind administrators before a verification ends; on its end the
    organization is no longer verified (it stops publishing and receiving
    proposals) until staff verify it again. Returns (reminded, expired)."""
    today = today or timezone.localdate()
    notice = today + dt.timedelta(days=settings.ORGANIZATION_RENEWAL_NOTICE_DAYS)
    reminded = [
        _remind(vetting)
        for vetting in Vetting.objects.filter(
            status=Status.VERIFIED, renewal_reminded=False, verified_until__lte=notice
        ).filter(verified_until__gte=today)
    ]
    expired = [
        _expire(vetting)
        for vetting in Vetting.objects.filter(verified_until__lt=today, organization__verified=True)
    ]
    return reminded, expired


@transaction.atomic
def _remind(vetting):
    vetting = _locked(vetting)
    vetting.renewal_reminded = True
    vetting.save(update_fields=["renewal_reminded"])
    _record(vetting, VettingEvent.Action.RENEWAL_REMINDED, actor=None, reason="")
    transaction.on_commit(
        lambda: notify(
            kind=EventKind.ORGANIZATION,
            users=organization_admins(vetting.organization),
            subject=_lazy("您的组织核验即将到期"),
            body=_lazy("核验有效期至 %(day)s。请在工作台申请续期。"),
            params={"day": vetting.verified_until},
            link=reverse("organization_home"),
        )
    )
    return vetting


@transaction.atomic
def _expire(vetting):
    vetting = _locked(vetting)
    organization = vetting.organization
    organization.verified = False
    organization.save(update_fields=["verified"])
    if vetting.status == Status.VERIFIED:
        VETTING.move(vetting, Status.EXPIRED)
        vetting.save(update_fields=["status"])
    _record(vetting, VettingEvent.Action.EXPIRED, actor=None, reason="")
    transaction.on_commit(
        lambda: notify(
            kind=EventKind.ORGANIZATION,
            users=organization_admins(organization),
            subject=_lazy("您的组织核验已过期"),
            body=_lazy("核验已于 %(day)s 到期：在重新核验前，不能发布项目，也不会收到匹配建议。"),
            params={"day": vetting.verified_until},
            link=reverse("organization_home"),
        )
    )
    return vetting


# --- the workspace: projects ---------------------------------------------------------------

PROJECT_FIELDS = (
    "title",
    "description",
    "categories",
    "forms",
    "jurisdictions",
    "budget_remaining",
    "max_per_case",
    "slots_remaining",
    "starts",
    "ends",
)


@transaction.atomic
def project_submit(*, organization, actor, data, project=None):
    """Create or change a project and submit it to the project workflow.

    Only a verified organization submits; the change stays a revision (the
    public keeps seeing the approved version) until staff approve it.
    """
    _speaks_for_member(actor, organization)
    if not organization.verified:
        raise DomainError(_("组织通过核验后才能发布项目。"))
    if project is None:
        project = Project(organization=organization, status=OfferStatus.ACTIVE, live=False)
    elif project.organization_id != organization.pk:
        raise PermissionDenied(_("只能修改本组织的项目。"))
    for name in PROJECT_FIELDS:
        setattr(project, name, data.get(name))
    project.full_clean()
    if project.pk is None:
        project.save()
    project.save_revision(user=actor)
    workflow = project.get_workflow()
    if workflow is None:
        raise DomainError(_("项目审核流程未配置，请联系平台管理员。"))
    if project.current_workflow_state is None:
        workflow.start(project, actor)
    return project


def _speaks_for_member(actor, organization):
    profile = profile_get(user=actor)
    if not (
        profile
        and profile.role in (Role.CHARITY_ADMIN, Role.CHARITY_MEMBER)
        and profile.organization_id == organization.pk
    ):
        raise PermissionDenied(_("只有本组织的成员可以办理。"))


# --- delivery reports ----------------------------------------------------------------------


@transaction.atomic
def delivery_report_submit(
    *, organization, actor, title, text, delivered_on, photos, no_faces_confirmed, project=None
):
    """A delivery report for staff review; photos stay private files until published."""
    _speaks_for_member(actor, organization)
    if photos and not no_faces_confirmed:
        raise ValidationError(
            {"no_faces_confirmed": _("请确认照片中没有任何人的面部，否则不能上传照片。")}
        )
    if project is not None and project.organization_id != organization.pk:
        raise PermissionDenied(_("只能报告本组织的项目。"))
    report = DeliveryReport(
        organization=organization,
        project=project,
        title=title,
        text=text,
        delivered_on=delivered_on,
        no_faces_confirmed=no_faces_confirmed,
        submitted_by=actor,
    )
    report.full_clean()
    report.save()
    for photo in photos:
        DeliveryPhoto.objects.create(report=report, file=photo)
    audit_record(
        actor=actor,
        action=AuditEntry.Action.CREATE,
        obj=report,
        summary="delivery report submitted",
        jurisdiction=organization.jurisdiction,
    )
    return report


@transaction.atomic
def delivery_report_review(*, report, actor, publish, reason="", faces_checked=False):
    """Staff publish a report (its photos become Wagtail images) or return it with a reason.

    Publishing a report with photos needs the reviewer's own confirmation that
    they looked at every photo and no face is shown (``faces_checked``).
    """
    report = (
        DeliveryReport.objects.select_for_update().select_related("organization").get(pk=report.pk)
    )
    if not may_vet(actor, report.organization):
        raise PermissionDenied(_("只有组织登记地的民政工作人员可以审核。"))
    if report.status != DeliveryReport.Status.SUBMITTED:
        raise DomainError(_("该报告已审核。"))
    if not publish and not reason.strip():
        raise ValidationError({"reason": _("退回报告必须填写理由。")})
    if publish and report.photos.exists() and not faces_checked:
        raise ValidationError(
            {"faces_checked": _("请逐张查看照片，确认没有任何人的面部后再公开。")}
        )
    if publish:
        for photo in report.photos.all():
            photo.image = _public_image(report, photo)
            photo.save(update_fields=["image"])
    report.status = DeliveryReport.Status.PUBLISHED if publish else DeliveryReport.Status.RETURNED
    report.reviewed_by, report.reviewed_at = actor, timezone.now()
    report.review_reason = reason.strip()
    report.save()
    audit_record(
        actor=actor,
        action=AuditEntry.Action.APPROVAL,
        obj=report,
        summary=f"delivery report {report.status}",
        after={"status": report.status},
        jurisdiction=report.organization.jurisdiction,
    )
    return report


def _delivery_collection():
    root = Collection.get_first_root_node()
    found = root.get_children().filter(name="交付报告照片").first()
    return found or root.add_child(name="交付报告照片")


def _without_metadata(photo):
    """The photo re-encoded from its pixels only: no EXIF (a phone writes the
    GPS position of the household's door into it), no comments."""
    with photo.file.open("rb"), PILImage.open(photo.file) as picture:
        kind = "PNG" if picture.format == "PNG" else "JPEG"
        pixels = picture.convert("RGBA" if kind == "PNG" else "RGB")
        out = io.BytesIO()
        pixels.save(out, format=kind, quality=90)
    return out.getvalue(), kind.lower().replace("jpeg", "jpg")


def _public_image(report, photo):
    """Copy a reviewed photo into the public image library under a new name
    (the private file is never exposed)."""
    content, extension = _without_metadata(photo)
    image = get_image_model()(
        title=f"{report.title} #{photo.pk}",
        collection=_delivery_collection(),
        file=ImageFile(io.BytesIO(content), name=f"delivery-{report.pk}-{photo.pk}.{extension}"),
    )
    image.save()
    return image


# --- periodic reports (reporting duty) -----------------------------------------------------


def quarter_before(day):
    """The last full quarter before ``day``: (start, end)."""
    first_of_quarter = dt.date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)
    end = first_of_quarter - dt.timedelta(days=1)
    start = dt.date(end.year, end.month - 2, 1)
    return start, end


def _owes(organization, end):
    vetting = getattr(organization, "vetting", None)
    if vetting is not None and vetting.decided_at is not None:
        return timezone.localdate(vetting.decided_at) <= end
    return timezone.localdate(organization.created_at) <= end


def reporting_duty_sweep(*, today=None):
    """Daily: open the report each verified organization owes for the last
    quarter, and mark those past their due date overdue. Returns (opened, overdue)."""
    today = today or timezone.localdate()
    start, end = quarter_before(today)
    due = end + dt.timedelta(days=settings.ORGANIZATION_REPORT_DUE_DAYS)
    opened = []
    for organization in Organization.objects.filter(verified=True).select_related("vetting"):
        if _owes(organization, end):
            report, created = PeriodicReport.objects.get_or_create(
                organization=organization,
                period_start=start,
                defaults={"period_end": end, "due_on": due},
            )
            if created:
                opened.append(report)
    overdue = list(
        PeriodicReport.objects.filter(status=PeriodicReport.Status.DUE, due_on__lt=today)
    )
    PeriodicReport.objects.filter(pk__in=[r.pk for r in overdue]).update(
        status=PeriodicReport.Status.OVERDUE
    )
    return opened, overdue


@transaction.atomic
def periodic_report_submit(*, report, actor, summary):
    report = (
        PeriodicReport.objects.select_for_update().select_related("organization").get(pk=report.pk)
    )
    _speaks_for_member(actor, report.organization)
    if report.status == PeriodicReport.Status.SUBMITTED:
        raise DomainError(_("该期报告已提交。"))
    if not summary.strip():
        raise ValidationError({"summary": _("请填写报告内容。")})
    report.status = PeriodicReport.Status.SUBMITTED
    report.summary = summary.strip()
    report.submitted_at, report.submitted_by = timezone.now(), actor
    report.save()
    audit_record(
        actor=actor,
        action=AuditEntry.Action.CREATE,
        obj=report,
        summary="periodic report submitted",
        jurisdiction=report.organization.jurisdiction,
    )
    return report
