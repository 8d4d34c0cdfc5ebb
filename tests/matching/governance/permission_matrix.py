"""The permission matrix as data: one row per endpoint (or per endpoint and
record, where the answer depends on whose record it is), one cell per role.

``docs/permissions.md`` holds the same table; ``test_permission_matrix``
checks that the two agree and runs every cell over HTTP.

Cell codes (columns in ``permission_world.COLUMNS`` order):

- ``Y`` allowed;
- ``C`` allowed, a listing that shows both districts' rows (city-wide);
- ``A`` allowed, a listing that shows district A's rows and not district B's
  (or the user's own organization's / department's, not another's);
- ``0`` allowed, a listing that shows neither district's rows;
- ``N`` refused (401/403/404/400, or a redirect to the login or the admin
  dashboard); a refused write leaves the database unchanged;
- ``-`` not applicable (a department token only counts on ``/api/v1/``).
"""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from django_otp.plugins.otp_totp.models import TOTPDevice

from matching.audit.models import AuditEntry
from matching.cases.models import (
    AssistanceRecord,
    Case,
    CaseStatus,
    DiscoveryReport,
    DuplicateFlag,
    EconomicRecord,
    LocalStandard,
    Referral,
    RefreshRequest,
    Verification,
)
from matching.coordination.models import MeetingTask
from matching.directory.models import DishonestyRecord, Role
from matching.funding.models import Disbursement, VolunteerHours
from matching.governance.models import Complaint
from matching.offers.models import Fund, Match, MatchStatus
from matching.organizations.models import Vetting

CHARITY = (Role.CHARITY_ADMIN, Role.CHARITY_MEMBER)


@dataclass
class Row:
    key: str  # "<url name>" or "<url name>[A|B|…]"
    method: str
    url: Callable  # world -> path
    cells: str  # one code per column
    data: Callable | None = None  # (world, column) -> POST body
    json_body: bool = False
    markers: Callable | None = None  # world -> (text of A's row, text of B's row)
    effect: Callable | None = None  # (world, before) -> did the write happen?
    snapshot: Callable | None = None  # world -> state before the request
    note: str = ""
    ok_redirects: tuple = ()  # redirects that are this endpoint's normal answer
    personal: bool = False  # the screen shows a household's personal data to its readers

    @property
    def url_name(self):
        return self.key.split("[")[0]


def _receipts(w):
    return w.a.case.receipt_number, w.b.case.receipt_number


def _titles(attr):
    return lambda w: (getattr(w.a, attr).title, getattr(w.b, attr).title)


def _get(key, url, cells, **kwargs):
    return Row(key, "GET", url, cells, **kwargs)


def _post(key, url, cells, data, effect, snapshot=None, **kwargs):
    return Row(key, "POST", url, cells, data=data, effect=effect, snapshot=snapshot, **kwargs)


def _count(model, **filters):
    return lambda w: model.objects.filter(**filters).count()


def _grew(model, **filters):
    return lambda w, before: model.objects.filter(**filters).count() > before


def _authenticator_of(w, role):
    device, _created = TOTPDevice.objects.get_or_create(
        user=w.user(role), name="matrix phone", defaults={"confirmed": True}
    )
    return device.pk


def _outsiders_message():
    """A message in the inbox of a user who is none of the matrix's columns."""
    from django.contrib.auth import get_user_model

    from matching.notifications.models import Message

    outsider, _created = get_user_model().objects.get_or_create(username="matrix-outsider")
    message, _created = Message.objects.get_or_create(
        recipient=outsider, kind="case_status", subject="-", body="-"
    )
    return message.pk


def _publicity_page(kind):
    """A live policy or notice page (the demo's), created on first use; its path."""
    from wagtail.models import Locale

    from cms import demo
    from cms.publicity import NoticeIndexPage, PolicyIndexPage

    chinese = Locale.get_default()
    if kind == "policy":
        page = demo.policy_add(PolicyIndexPage.objects.get(locale=chinese), demo.STANDARD_POLICY)
        return f"/policies/{page.slug}/"
    page = demo.notice_add(NoticeIndexPage.objects.get(locale=chinese), demo.PLATFORM_NOTICE)
    return f"/notices/{page.slug}/"


_PUBLIC = "YYYYYYYYYY-"
_SIGNED_IN = "YYYYYYYYYN-"
_STAFF_ONLY = "YYYNNNNNNN-"
_CITY_ONLY = "YNNNNNNNNN-"
_NOBODY = "NNNNNNNNNN-"
_TOKEN_ONLY = "NNNNNNNNNNY"
_NOBODY_API = "NNNNNNNNNNN"
_STAFF_LIST = "CAANNNNNNN-"
_DONOR_ONLY = "NNNNNNNYNN-"

PUBLIC_ROWS = [
    _get("wagtail_serve[home]", lambda w: "/", _PUBLIC),
    _get(
        "wagtail_serve[needs]",
        lambda w: "/needs/?q=透析",
        _PUBLIC,
        note="the public listing and search (rate-limited)",
    ),
    _get("wagtail_serve[need-approved]", lambda w: f"/needs/{w.a.need.pk}/", _PUBLIC),
    _get(
        "wagtail_serve[need-draft]",
        lambda w: f"/needs/{w.b.need.pk}/",
        _NOBODY,
        note="not approved: nobody sees it on the public site",
    ),
    _get("wagtail_serve[projects]", lambda w: "/projects/?district=220104", _PUBLIC),
    _get(
        "wagtail_serve[project-public]",
        lambda w: f"/projects/{w.a.project.pk}/",
        _PUBLIC,
        note="a live project of a verified organization; any other project is a 404",
    ),
    _get("wagtail_serve[policies]", lambda w: "/policies/", _PUBLIC),
    _get("wagtail_serve[policy]", lambda w: _publicity_page("policy"), _PUBLIC),
    _get("wagtail_serve[notices]", lambda w: "/notices/", _PUBLIC),
    _get("wagtail_serve[notice]", lambda w: _publicity_page("notice"), _PUBLIC),
    _get(
        "wagtail_serve[figures]",
        lambda w: "/figures/",
        _PUBLIC,
        note="implementation figures, cells under 5 withheld (docs/publicity.md)",
    ),
    _get(
        "wagtail_serve[dishonesty]",
        lambda w: "/dishonesty/",
        _PUBLIC,
        note="organizations' records in force; never an applicant's",
    ),
    _get("cases_apply", lambda w: "/apply/", _PUBLIC),
    _get("cases_apply_done", lambda w: "/apply/done/", _PUBLIC),
    _get("cases_status", lambda w: "/apply/status/", _PUBLIC),
    _get("complaint_file", lambda w: "/complaints/", _PUBLIC),
    _get("complaint_done", lambda w: "/complaints/done/", _PUBLIC),
    _get("complaint_follow", lambda w: "/complaints/follow/", _PUBLIC),
    _get("complaint_statistics", lambda w: "/complaints/statistics/", _PUBLIC),
    _get("healthz", lambda w: "/healthz/", _PUBLIC),
    _get("report", lambda w: "/report/", _PUBLIC, note="anyone reports a person in trouble"),
    _get("report_done", lambda w: "/report/done/", _PUBLIC),
    _get("report_follow", lambda w: "/report/follow/", _PUBLIC),
    _get("inbox", lambda w: "/inbox/", _SIGNED_IN, note="the user's own messages only"),
    _get(
        "inbox_message",
        lambda w: f"/inbox/{_outsiders_message()}/",
        _NOBODY,
        note="another user's message: 404 for everyone",
    ),
    _post(
        "inbox_mark_all_read",
        lambda w: "/inbox/read-all/",
        _SIGNED_IN,
        data=lambda w, c: {},
        effect=None,
        ok_redirects=("/inbox/",),
    ),
    _get("notification_settings", lambda w: "/inbox/settings/", _SIGNED_IN),
    _get(
        "landing",
        lambda w: "/accounts/landing/",
        _SIGNED_IN,
        ok_redirects=("/admin/", "/accounts/me/", "/organization/"),
        note="sends charity users to their workspace, other admin-side roles to the admin, "
        "the others to their account page",
    ),
    _get("my_account", lambda w: "/accounts/me/", _SIGNED_IN),
    _get("two_factor_verify", lambda w: "/accounts/2fa/", _SIGNED_IN),
    _get("two_factor_setup", lambda w: "/accounts/2fa/setup/", _SIGNED_IN),
    _get("two_factor_backup_codes", lambda w: "/accounts/2fa/backup-codes/", _SIGNED_IN),
    _get("two_factor_devices", lambda w: "/accounts/2fa/devices/", _SIGNED_IN),
    _get(
        "two_factor_device_remove",
        lambda w: f"/accounts/2fa/devices/{_authenticator_of(w, Role.DISTRICT_STAFF)}/remove/",
        "NYNNNNNNNN-",
        note="a district staff member's authenticator: its owner only (after this session's "
        "second factor), 404 for everyone else",
    ),
    _get(
        "two_factor_reset",
        lambda w: f"/accounts/2fa/reset/{w.user(Role.DISTRICT_STAFF).pk}/",
        _CITY_ONLY,
        note="recovery for another account (superusers too); 404 for the others",
    ),
    _post(
        "payments:stripe_webhook",
        lambda w: "/payments/stripe/webhook/",
        _NOBODY,
        data=lambda w, c: {},
        effect=lambda w, before: False,
        note="answers only a request signed by Stripe (400 otherwise), whoever sends it",
    ),
]


def _first_member(w):
    return w.a.case.household.members.order_by("pk").first()


def _member_reveals(w):
    return AuditEntry.objects.filter(
        object_type="cases.member", object_id=str(_first_member(w).pk)
    ).count()


def _case_url(side, suffix=""):
    return lambda w: f"/admin/cases/case/{getattr(w, side).case.pk}/{suffix}"


def _window_intake(w, column):
    from tests.matching.cases.case_factories import id_number

    return {
        "name": "赵春生",
        "id_number": id_number(born=dt.date(1966, 1, 9)),
        "phone": "13504310088",
        "jurisdiction": w.places["hongqi"].code,
        "address": "红旗街道某小区 2 栋",
        "categories": ["medical"],
        "help_forms": ["material"],
        "urgency": "normal",
        "description": "突发脑梗住院，医疗费用难以负担。",
        "title": "突发重病医疗救助",
        "members-TOTAL_FORMS": "0",
        "members-INITIAL_FORMS": "0",
    }


def _member(w, column):
    from tests.matching.cases.case_factories import id_number

    return {
        "name": "李建军",
        "id_number": id_number(born=dt.date(1986, 7, 9)),
        "relation": "child",
        "phone": "",
    }


CASE_ROWS = [
    _get("wagtailadmin_home", lambda w: "/admin/", "YYYYYYNNYN-", note="the admin dashboard"),
    _get("cases_admin_window_intake", lambda w: "/admin/cases/window/", _STAFF_ONLY),
    _post(
        "cases_admin_window_intake[POST]",
        lambda w: "/admin/cases/window/",
        _STAFF_ONLY,
        data=_window_intake,
        snapshot=_count(Case),
        effect=_grew(Case),
    ),
    _get(
        "cases_admin_handle[A]",
        _case_url("a"),
        "YYYYNNNNNN-",
        note="the case file with personal data; the liaison of a department the case "
        "is referred to reads it too",
        personal=True,
    ),
    _get("cases_admin_handle[B]", _case_url("b"), _CITY_ONLY),
    _get(
        "cases_admin_receipt_pdf[A]",
        _case_url("a", "receipt.pdf"),
        _STAFF_ONLY,
        note="the applicant's receipt: their name, the ID number masked",
        personal=True,
    ),
    _get("cases_admin_receipt_pdf[B]", _case_url("b", "receipt.pdf"), _CITY_ONLY),
    _post(
        "cases_admin_id_check",
        lambda w: "/admin/cases/window/id-check/",
        _STAFF_ONLY,
        data=lambda w, c: {"id_number": "110101199003074477"},
        effect=None,
        note="intake's check as the number is typed: masked, a link only to cases in scope",
    ),
    _post(
        "cases_admin_transition[A]",
        _case_url("a", "transition/"),
        _STAFF_ONLY,
        data=lambda w, c: {"to_status": "rejected", "note": "材料不全", "confirm": "on"},
        effect=lambda w, before: Case.objects.get(pk=w.a.case.pk).status == CaseStatus.REJECTED,
    ),
    _post(
        "cases_admin_transition[B]",
        _case_url("b", "transition/"),
        _CITY_ONLY,
        data=lambda w, c: {"to_status": "rejected", "note": "材料不全", "confirm": "on"},
        effect=lambda w, before: Case.objects.get(pk=w.b.case.pk).status == CaseStatus.REJECTED,
    ),
    _post(
        "cases_admin_refer[A]",
        _case_url("a", "refer/"),
        _STAFF_ONLY,
        data=lambda w, c: {"department": w.a.department.pk, "category": "education", "note": ""},
        snapshot=lambda w: w.a.case.referrals.count(),
        effect=lambda w, before: w.a.case.referrals.count() > before,
    ),
    _post(
        "cases_admin_member[A]",
        _case_url("a", "member/"),
        _STAFF_ONLY,
        data=_member,
        snapshot=lambda w: w.a.case.household.members.count(),
        effect=lambda w, before: w.a.case.household.members.count() > before,
    ),
    _post(
        "cases_admin_member_reveal[A]",
        lambda w: f"/admin/cases/case/{w.a.case.pk}/member/{_first_member(w).pk}/reveal/",
        _STAFF_ONLY,
        data=lambda w, c: {},
        snapshot=_member_reveals,
        effect=lambda w, before: _member_reveals(w) > before,
        personal=True,
        note="one member's full ID number and phone, audited; never the liaison",
    ),
    _post(
        "cases_admin_verify[A]",
        _case_url("a", "verify/"),
        _STAFF_ONLY,
        data=lambda w, c: {},
        snapshot=lambda w: Verification.objects.filter(case=w.a.case).count(),
        effect=lambda w, before: Verification.objects.filter(case=w.a.case).count() > before,
    ),
    _post(
        "cases_admin_refresh_request[A]",
        _case_url("a", "refresh-request/"),
        _STAFF_ONLY,
        data=lambda w, c: {"department": w.a.housing.pk},
        snapshot=lambda w: RefreshRequest.objects.filter(department=w.a.housing).count(),
        effect=lambda w, before: (
            RefreshRequest.objects.filter(department=w.a.housing).count() > before
        ),
        note="asks a department for fresh economic data on the household",
    ),
    _get(
        "cases_admin_refresh_schedule",
        lambda w: "/admin/cases/economic/schedule/",
        "CA0NNNNNNN-",
        markers=lambda w: (w.a.department.name, w.b.department.name),
        note="departments of the reader's jurisdiction; a street has none",
    ),
    _get(
        "cases_stale_economic:index",
        lambda w: "/admin/cases_stale_economic/",
        "CAAANNNNNN-",
        markers=lambda w: (w.a.stale_label, w.b.stale_label),
        note="a liaison: their department's stale records; staff: their households'",
    ),
    _get(
        "cases_refresh_requests:index",
        lambda w: "/admin/cases_refresh_requests/",
        "CAAANNNNNN-",
        markers=lambda w: (w.a.department.name, w.b.department.name),
    ),
    _post(
        "cases_admin_adjudicate[A]",
        lambda w: f"/admin/cases/flag/{w.a.flag.pk}/adjudicate/",
        _STAFF_ONLY,
        data=lambda w, c: {"decision": "not_duplicate", "note": "原低保已停发"},
        effect=lambda w, before: (
            DuplicateFlag.objects.get(pk=w.a.flag.pk).decision == "not_duplicate"
        ),
    ),
    _get(
        "cases_admin_referral_answer[A]",
        lambda w: f"/admin/cases/referral/{w.a.referral.pk}/answer/",
        "NNNYNNNNNN-",
        note="only the liaison of the department it is referred to",
        personal=True,
    ),
    _get(
        "cases_admin_referral_answer[B]",
        lambda w: f"/admin/cases/referral/{w.b.referral.pk}/answer/",
        _NOBODY,
    ),
    _post(
        "cases_admin_referral_answer[A-POST]",
        lambda w: f"/admin/cases/referral/{w.a.referral.pk}/answer/",
        "NNNYNNNNNN-",
        data=lambda w, c: {"outcome": "granted", "answer": "已纳入医疗救助"},
        effect=lambda w, before: (
            Referral.objects.get(pk=w.a.referral.pk).status == Referral.Status.ANSWERED
        ),
    ),
    _get(
        "cases_admin_triage[A]",
        lambda w: f"/admin/cases/discovery/{w.a.report.pk}/triage/",
        _STAFF_ONLY,
    ),
    _get(
        "cases_admin_triage[B]",
        lambda w: f"/admin/cases/discovery/{w.b.report.pk}/triage/",
        _CITY_ONLY,
    ),
    _post(
        "cases_admin_triage[A-POST]",
        lambda w: f"/admin/cases/discovery/{w.a.report.pk}/triage/",
        _STAFF_ONLY,
        data=lambda w, c: {
            "action": "dismiss",
            "reason": "已由亲属接回",
            "public_reason": "already_helped",
            "confirm": "on",
        },
        effect=lambda w, before: (
            DiscoveryReport.objects.get(pk=w.a.report.pk).status != DiscoveryReport.Status.PENDING
        ),
    ),
    _get("cases_my:index", lambda w: "/admin/cases_my/", _STAFF_LIST, markers=_receipts),
    _get(
        "cases_my:index[export]",
        lambda w: "/admin/cases_my/?export=csv",
        _STAFF_LIST,
        markers=_receipts,
    ),
    _get(
        "cases_emergencies:index",
        lambda w: "/admin/cases_emergencies/",
        _STAFF_LIST,
        markers=_receipts,
    ),
    _get(
        "cases_my_referrals:index",
        lambda w: "/admin/cases_my_referrals/",
        "CAAANNNNNN-",
        markers=_receipts,
    ),
    _get(
        "cases_overdue_referrals:index",
        lambda w: "/admin/cases_overdue_referrals/",
        "CAAANNNNNN-",
        markers=_receipts,
    ),
    _get(
        "cases_overdue_referrals:index[export]",
        lambda w: "/admin/cases_overdue_referrals/?export=csv",
        "CAAANNNNNN-",
        markers=lambda w: (f"{w.a.case}", f"{w.b.case}"),
    ),
    _get(
        "cases_discovery:index",
        lambda w: "/admin/cases_discovery/",
        _STAFF_LIST,
        markers=lambda w: (
            f"/admin/cases/discovery/{w.a.report.pk}/triage/",
            f"/admin/cases/discovery/{w.b.report.pk}/triage/",
        ),
    ),
    _get(
        "cases_verifications:index",
        lambda w: "/admin/cases_verifications/",
        _STAFF_LIST,
        markers=_receipts,
    ),
    _get(
        "cases_verifications:index[export]",
        lambda w: "/admin/cases_verifications/?export=csv",
        _STAFF_LIST,
        markers=lambda w: (f"{w.a.case}", f"{w.b.case}"),
    ),
    _get(
        "cases_verifications:inspect[A]",
        lambda w: f"/admin/cases_verifications/inspect/{w.a.verification.pk}/",
        _STAFF_ONLY,
    ),
    _get(
        "cases_verifications:inspect[B]",
        lambda w: f"/admin/cases_verifications/inspect/{w.b.verification.pk}/",
        _CITY_ONLY,
        note="household income and assets: staff of the case's jurisdiction only",
    ),
    _get("cases_assistance:index", lambda w: "/admin/cases_assistance/", _STAFF_ONLY),
    _get("cases_standards:index", lambda w: "/admin/cases_standards/", _STAFF_ONLY),
    _get("cases_standards:add", lambda w: "/admin/cases_standards/new/", "YYNNNNNNNN-"),
    _get(
        "cases_standards:edit[A]",
        lambda w: f"/admin/cases_standards/edit/{w.a.standard.pk}/",
        "YYNNNNNNNN-",
    ),
    _get(
        "cases_standards:edit[B]",
        lambda w: f"/admin/cases_standards/edit/{w.b.standard.pk}/",
        _CITY_ONLY,
        note="district staff set their own district's standard only",
    ),
    _post(
        "cases_standards:edit[B-POST]",
        lambda w: f"/admin/cases_standards/edit/{w.b.standard.pk}/",
        _CITY_ONLY,
        data=lambda w, c: {
            "jurisdiction": w.b.standard.jurisdiction_id,
            "year": w.b.standard.year,
            "monthly_line_per_person": "999.00",
            "asset_limit_per_person": "",
        },
        effect=lambda w, before: (
            str(LocalStandard.objects.get(pk=w.b.standard.pk).monthly_line_per_person) == "999.00"
        ),
    ),
    _get(
        "cases_standards:copy[A]",
        lambda w: f"/admin/cases_standards/copy/{w.a.standard.pk}/",
        "YYNNNNNNNN-",
    ),
    _get(
        "cases_standards:delete[A]",
        lambda w: f"/admin/cases_standards/delete/{w.a.standard.pk}/",
        _NOBODY,
        note="standards are never deleted",
    ),
    _get(
        "cases_standards:history[A]",
        lambda w: f"/admin/cases_standards/history/{w.a.standard.pk}/",
        "YYNNNNNNNN-",
    ),
    _get(
        "cases_standards:usage[A]",
        lambda w: f"/admin/cases_standards/usage/{w.a.standard.pk}/",
        "YYNNNNNNNN-",
    ),
    _get("cases_deadline_rules:index", lambda w: "/admin/cases_deadline_rules/", _STAFF_ONLY),
    _get("cases_deadline_rules:add", lambda w: "/admin/cases_deadline_rules/new/", _CITY_ONLY),
    _get(
        "cases_deadline_rules:edit",
        lambda w: f"/admin/cases_deadline_rules/edit/{w.rule.pk}/",
        _CITY_ONLY,
    ),
    _get(
        "cases_deadline_rules:copy",
        lambda w: f"/admin/cases_deadline_rules/copy/{w.rule.pk}/",
        _CITY_ONLY,
    ),
    _get(
        "cases_deadline_rules:delete",
        lambda w: f"/admin/cases_deadline_rules/delete/{w.rule.pk}/",
        _NOBODY,
    ),
    _get(
        "cases_deadline_rules:history",
        lambda w: f"/admin/cases_deadline_rules/history/{w.rule.pk}/",
        _CITY_ONLY,
    ),
    _get(
        "cases_deadline_rules:usage",
        lambda w: f"/admin/cases_deadline_rules/usage/{w.rule.pk}/",
        _CITY_ONLY,
    ),
    _get("cases_freshness_rules:index", lambda w: "/admin/cases_freshness_rules/", _STAFF_ONLY),
    _get("cases_freshness_rules:add", lambda w: "/admin/cases_freshness_rules/new/", _CITY_ONLY),
    _get(
        "cases_freshness_rules:edit",
        lambda w: f"/admin/cases_freshness_rules/edit/{w.freshness_rule.pk}/",
        _CITY_ONLY,
    ),
    _get(
        "cases_freshness_rules:copy",
        lambda w: f"/admin/cases_freshness_rules/copy/{w.freshness_rule.pk}/",
        _CITY_ONLY,
    ),
    _get(
        "cases_freshness_rules:delete",
        lambda w: f"/admin/cases_freshness_rules/delete/{w.freshness_rule.pk}/",
        _NOBODY,
    ),
    _get(
        "cases_freshness_rules:history",
        lambda w: f"/admin/cases_freshness_rules/history/{w.freshness_rule.pk}/",
        _CITY_ONLY,
    ),
    _get(
        "cases_freshness_rules:usage",
        lambda w: f"/admin/cases_freshness_rules/usage/{w.freshness_rule.pk}/",
        _CITY_ONLY,
    ),
    _get("cases_holidays:index", lambda w: "/admin/cases_holidays/", _STAFF_ONLY),
    _get("cases_holidays:add", lambda w: "/admin/cases_holidays/new/", _CITY_ONLY),
    _get(
        "cases_holidays:edit",
        lambda w: f"/admin/cases_holidays/edit/{w.holiday.pk}/",
        _CITY_ONLY,
    ),
    _get(
        "cases_holidays:copy",
        lambda w: f"/admin/cases_holidays/copy/{w.holiday.pk}/",
        _CITY_ONLY,
    ),
    _get(
        "cases_holidays:delete",
        lambda w: f"/admin/cases_holidays/delete/{w.holiday.pk}/",
        _CITY_ONLY,
    ),
    _get(
        "cases_holidays:history",
        lambda w: f"/admin/cases_holidays/history/{w.holiday.pk}/",
        _CITY_ONLY,
    ),
    _get(
        "cases_holidays:usage",
        lambda w: f"/admin/cases_holidays/usage/{w.holiday.pk}/",
        _CITY_ONLY,
    ),
]


def _match_decision(w, column):
    if column in CHARITY:
        return {
            "decision": "decline",
            "decline_code": "exhausted",
            "reason": "名额已满",
            "confirm": "on",
        }
    return {
        "decision": "reject",
        "reason": "已由其他项目帮扶",
        "confirm": "on",
        "reject_code": "other",
    }


def _matches(w):
    return (f"/admin/matches/review/{w.a.match.pk}/", f"/admin/matches/review/{w.b.match.pk}/")


def _fund_names(attr):
    return lambda w: (getattr(w.a, attr).name, getattr(w.b, attr).name)


def _fund_edit(w, column):
    fund = w.a.fund
    return {
        "name": fund.name,
        "department": fund.department_id,
        "categories": ["medical"],
        "max_per_case": f"{1000 + sum(map(ord, column)) % 1000}.00",  # one per column
        "active": "on",
    }


def _fund_terms(w):
    return Fund.objects.get(pk=w.a.fund.pk).max_per_case


def _fund_balance(w):
    return Fund.objects.get(pk=w.a.fund.pk).balance


def _appropriation(w, column):
    return {"amount": "1.00", "reference": f"matrix-{column}", "confirm": "on"}


_FUND_STAFF = "YYNNNNNNNN-"  # staff of the department's jurisdiction or above

FUND_ROWS = [
    _get(
        "offers_funds:index",
        lambda w: "/admin/offers_funds/",
        "CA0N0NNNNN-",
        markers=_fund_names("fund"),
        note="government funds of the departments in the reader's jurisdiction",
    ),
    _get(
        "offers_funds:index[social]",
        lambda w: "/admin/offers_funds/",
        "000NANNNNN-",
        markers=_fund_names("social_fund"),
        note="a charity administrator: their organization's social funds",
    ),
    _get("offers_funds:add", lambda w: "/admin/offers_funds/new/", "YYYNYNNNNN-"),
    _get("offers_funds:edit[A]", lambda w: f"/admin/offers_funds/edit/{w.a.fund.pk}/", _FUND_STAFF),
    _get("offers_funds:edit[B]", lambda w: f"/admin/offers_funds/edit/{w.b.fund.pk}/", _CITY_ONLY),
    _get(
        "offers_funds:edit[social-A]",
        lambda w: f"/admin/offers_funds/edit/{w.a.social_fund.pk}/",
        "NNNNYNNNNN-",
    ),
    _post(
        "offers_funds:edit[A-POST]",
        lambda w: f"/admin/offers_funds/edit/{w.a.fund.pk}/",
        _FUND_STAFF,
        data=_fund_edit,
        effect=lambda w, before: _fund_terms(w) != before,
        snapshot=_fund_terms,
        note="through fund_save (audited); the balance is not a field",
    ),
    _get(
        "offers_funds:history[A]",
        lambda w: f"/admin/offers_funds/history/{w.a.fund.pk}/",
        _FUND_STAFF,
    ),
    _get(
        "offers_funds:usage[A]", lambda w: f"/admin/offers_funds/usage/{w.a.fund.pk}/", _FUND_STAFF
    ),
    _get(
        "funding_fund_appropriate[A]",
        lambda w: f"/admin/funding/funds/{w.a.fund.pk}/appropriate/",
        _FUND_STAFF,
    ),
    _get(
        "funding_fund_appropriate[B]",
        lambda w: f"/admin/funding/funds/{w.b.fund.pk}/appropriate/",
        _CITY_ONLY,
    ),
    _post(
        "funding_fund_appropriate[A-POST]",
        lambda w: f"/admin/funding/funds/{w.a.fund.pk}/appropriate/",
        _FUND_STAFF,
        data=_appropriation,
        effect=lambda w, before: _fund_balance(w) != before,
        snapshot=_fund_balance,
        note="government_fund_appropriate: budget money into the fund, posted in the ledger",
    ),
]

OFFER_ROWS = [
    _get("matches:index", lambda w: "/admin/matches/", "CAA0AANNNN-", markers=_matches),
    _get(
        "matches:index[export]",
        lambda w: "/admin/matches/?export=csv",
        "CAA0AANNNN-",
        markers=lambda w: (w.a.case.receipt_number, w.b.case.receipt_number),
    ),
    _get(
        "offers_admin_match_review[A]",
        lambda w: f"/admin/matches/review/{w.a.match.pk}/",
        "YYYNYYNNNN-",
    ),
    _get(
        "offers_admin_match_review[B]",
        lambda w: f"/admin/matches/review/{w.b.match.pk}/",
        _CITY_ONLY,
    ),
    _post(
        "offers_admin_match_review[A-POST]",
        lambda w: f"/admin/matches/review/{w.a.match.pk}/",
        "YYYNYYNNNN-",
        data=_match_decision,
        effect=lambda w, before: Match.objects.get(pk=w.a.match.pk).status != MatchStatus.PROPOSED,
        note="staff approve or reject; the offering charity accepts or declines",
    ),
    _get("offers_admin_emergency_lane", lambda w: "/admin/matches/emergency/", _STAFF_ONLY),
    _post(
        "offers_admin_emergency_lane[POST]",
        lambda w: "/admin/matches/emergency/",
        _STAFF_ONLY,
        data=lambda w, c: {"match": [w.a.match.pk, w.b.match.pk]},
        effect=None,
        note="each ticked match through match_decide; only the user's accepted emergencies",
    ),
    _get(
        "wagtailsnippets_offers_project:list",
        lambda w: "/admin/snippets/offers/project/",
        "CCNNAANNNN-",
        markers=_titles("project"),
    ),
    _get(
        "wagtailsnippets_offers_project:add",
        lambda w: "/admin/snippets/offers/project/add/",
        "NNNNYYNNNN-",
    ),
    _get(
        "wagtailsnippets_offers_project:edit[A]",
        lambda w: f"/admin/snippets/offers/project/edit/{w.a.project.pk}/",
        "YYNNYYNNNN-",
    ),
    _get(
        "wagtailsnippets_offers_project:edit[B]",
        lambda w: f"/admin/snippets/offers/project/edit/{w.b.project.pk}/",
        "YYNNNNNNNN-",
    ),
    _get(
        "wagtailsnippets_offers_project:history[B]",
        lambda w: f"/admin/snippets/offers/project/history/{w.b.project.pk}/",
        "YYNNNNNNNN-",
    ),
    _get(
        "wagtailsnippets_offers_project:delete[A]",
        lambda w: f"/admin/snippets/offers/project/delete/{w.a.project.pk}/",
        _NOBODY,
    ),
]

PUBLICATION_ROWS = [
    _get(
        "wagtailsnippets_publication_publicneed:list",
        lambda w: "/admin/snippets/publication/publicneed/",
        _STAFF_LIST,
        markers=_titles("need"),
    ),
    _get(
        "wagtailsnippets_publication_publicneed:inspect[A]",
        lambda w: f"/admin/snippets/publication/publicneed/inspect/{w.a.need.pk}/",
        _STAFF_ONLY,
    ),
    _get(
        "wagtailsnippets_publication_publicneed:inspect[B]",
        lambda w: f"/admin/snippets/publication/publicneed/inspect/{w.b.need.pk}/",
        _CITY_ONLY,
    ),
    _get(
        "wagtailsnippets_publication_publicneed:edit[A]",
        lambda w: f"/admin/snippets/publication/publicneed/edit/{w.a.need.pk}/",
        _STAFF_ONLY,
    ),
    _get(
        "wagtailsnippets_publication_publicneed:edit[B]",
        lambda w: f"/admin/snippets/publication/publicneed/edit/{w.b.need.pk}/",
        _CITY_ONLY,
    ),
    _get(
        "wagtailsnippets_publication_publicneed:history[B]",
        lambda w: f"/admin/snippets/publication/publicneed/history/{w.b.need.pk}/",
        _CITY_ONLY,
    ),
    _get(
        "wagtailsnippets_publication_publicneed:add",
        lambda w: "/admin/snippets/publication/publicneed/add/",
        _NOBODY,
        note="needs are derived from approved cases, never added by hand",
    ),
    _get(
        "wagtailsnippets_publication_publicneed:delete[A]",
        lambda w: f"/admin/snippets/publication/publicneed/delete/{w.a.need.pk}/",
        _NOBODY,
    ),
]


def _complaints(w):
    return w.a.complaint.receipt_number, w.b.complaint.receipt_number


GOVERNANCE_ROWS = [
    _get("complaints:index", lambda w: "/admin/complaints/", "CA0NNNNNCN-", markers=_complaints),
    _get(
        "complaints:index[export]",
        lambda w: "/admin/complaints/?export=csv",
        "CA0NNNNNCN-",
        markers=_complaints,
    ),
    _get(
        "complaints:inspect[A]",
        lambda w: f"/admin/complaints/inspect/{w.a.complaint.pk}/",
        "YYNNNNNNYN-",
    ),
    _get(
        "complaints:inspect[B]",
        lambda w: f"/admin/complaints/inspect/{w.b.complaint.pk}/",
        "YNNNNNNNYN-",
    ),
    _get(
        "complaints:edit[A]",
        lambda w: f"/admin/complaints/edit/{w.a.complaint.pk}/",
        "YYNNNNNNNN-",
    ),
    _get(
        "complaints:edit[B]",
        lambda w: f"/admin/complaints/edit/{w.b.complaint.pk}/",
        _CITY_ONLY,
    ),
    _post(
        "complaints:edit[A-POST]",
        lambda w: f"/admin/complaints/edit/{w.a.complaint.pk}/",
        "YYNNNNNNNN-",
        data=lambda w, c: {
            "outcome": "substantiated",
            "reply": "已责令该组织整改。",
            "confirm": "on",
        },
        effect=lambda w, before: (
            Complaint.objects.get(pk=w.a.complaint.pk).status == Complaint.Status.CONCLUDED
        ),
        note="inspectors read, never handle",
    ),
    _get("complaints:add", lambda w: "/admin/complaints/new/", _NOBODY),
    _get(
        "complaints:history[B]",
        lambda w: f"/admin/complaints/history/{w.b.complaint.pk}/",
        _CITY_ONLY,
    ),
    _get(
        "complaints:usage[B]",
        lambda w: f"/admin/complaints/usage/{w.b.complaint.pk}/",
        _CITY_ONLY,
    ),
    _get("dishonesty_records:index", lambda w: "/admin/dishonesty_records/", "YYYNNNNNYN-"),
    _get(
        "dishonesty_records:index[export]",
        lambda w: "/admin/dishonesty_records/?export=csv",
        "YYYNNNNNYN-",
    ),
    _get(
        "dishonesty_records:inspect",
        lambda w: f"/admin/dishonesty_records/inspect/{w.dishonesty.pk}/",
        "YYYNNNNNYN-",
    ),
    _get("dishonesty_records:add", lambda w: "/admin/dishonesty_records/new/", "YYNNNNNNNN-"),
    _post(
        "dishonesty_records:add[POST]",
        lambda w: "/admin/dishonesty_records/new/",
        "YYNNNNNNNN-",
        data=lambda w, c: {
            "subject_kind": "organization",
            "organization": w.a.organization.pk,
            "reason": "虚报受助人数",
            "evidence": "核查报告",
            "decision": "列入失信名单半年",
            "starts": dt.date(2026, 12, 1).isoformat(),
            "ends": dt.date(2027, 5, 31).isoformat(),
            "confirm": "on",
        },
        snapshot=_count(DishonestyRecord),
        effect=_grew(DishonestyRecord),
    ),
    _get(
        "dishonesty_records:edit",
        lambda w: f"/admin/dishonesty_records/edit/{w.dishonesty.pk}/",
        "YYNNNNNNNN-",
    ),
    _post(
        "dishonesty_records:edit[POST]",
        lambda w: f"/admin/dishonesty_records/edit/{w.dishonesty.pk}/",
        "YYNNNNNNNN-",
        data=lambda w, c: {
            "appeal_status": "filed",
            "appeal_reason": "项目支出有票据",
            "appeal_decision": "",
        },
        effect=lambda w, before: (
            DishonestyRecord.objects.get(pk=w.dishonesty.pk).appeal_status
            == DishonestyRecord.Appeal.FILED
        ),
    ),
    _get(
        "dishonesty_records:history",
        lambda w: f"/admin/dishonesty_records/history/{w.dishonesty.pk}/",
        "YYNNNNNNNN-",
    ),
    _get(
        "dishonesty_records:usage",
        lambda w: f"/admin/dishonesty_records/usage/{w.dishonesty.pk}/",
        "YYNNNNNNNN-",
    ),
    _get("audit_entries:index", lambda w: "/admin/audit_entries/", "YNNNNNNNYN-"),
    _get(
        "audit_entries:index[export]",
        lambda w: "/admin/audit_entries/?export=csv",
        "YNNNNNNNYN-",
    ),
    _get(
        "audit_entries:inspect",
        lambda w: f"/admin/audit_entries/inspect/{w.audit_entry().pk}/",
        "YNNNNNNNYN-",
    ),
]


def _api_headers(w):
    return {"HTTP_AUTHORIZATION": f"Bearer {w.a.token}"}


API_ROWS = [
    _get("api:openapi-json", lambda w: "/api/v1/openapi.json", "YYYYYYYYYYY"),
    _get("api:openapi-view", lambda w: "/api/v1/docs", "YYYYYYYYYYY"),
    _get(
        "api:list_referrals",
        lambda w: "/api/v1/referrals?status=all",
        "NNNNNNNNNNA",
        markers=_receipts,
        note="a department token sees its own department's referrals",
    ),
    _post(
        "api:post_assistance_record",
        lambda w: "/api/v1/assistance-records",
        _TOKEN_ONLY,
        json_body=True,
        data=lambda w, c: {
            "id_number": w.a.id_number,
            "category": "medical",
            "amount": "800.00",
            "start": "2026-10-01",
        },
        snapshot=_count(AssistanceRecord),
        effect=_grew(AssistanceRecord),
    ),
    _post(
        "api:post_economic_record",
        lambda w: "/api/v1/economic-records",
        _TOKEN_ONLY,
        json_body=True,
        data=lambda w, c: {
            "id_number": w.a.id_number,
            "kind": "income",
            "label": "养老金",
            "amount": "1200.00",
            "as_of": "2026-10-01",
        },
        snapshot=_count(EconomicRecord),
        effect=_grew(EconomicRecord),
    ),
    _post(
        "api:answer_referral[A]",
        lambda w: f"/api/v1/referrals/{w.a.referral.pk}/answer",
        _TOKEN_ONLY,
        json_body=True,
        data=lambda w, c: {"outcome": "granted", "answer": "已纳入医疗救助"},
        effect=lambda w, before: (
            Referral.objects.get(pk=w.a.referral.pk).status == Referral.Status.ANSWERED
        ),
    ),
    _post(
        "api:answer_referral[B]",
        lambda w: f"/api/v1/referrals/{w.b.referral.pk}/answer",
        _NOBODY_API,
        json_body=True,
        data=lambda w, c: {"outcome": "granted", "answer": "已纳入医疗救助"},
        effect=lambda w, before: (
            Referral.objects.get(pk=w.b.referral.pk).status == Referral.Status.ANSWERED
        ),
        note="another department's referral",
    ),
]

_SUPERVISORS = "YYYNNNNNYN-"
_MONEY_READERS = "YYNNNNNNYN-"


def _donor_gift(w):
    """District A's received donation, linked to the matrix's donor account."""
    from matching.payments.donors import donation_owner_link

    donation_owner_link(donation=w.a.donation, user=w.user(Role.DONOR))
    return w.a.donation


def _donor_monthly(w):
    """An active monthly gift of the matrix's donor to district A's project."""
    from matching.payments.models import RecurringGift

    gift, _created = RecurringGift.objects.get_or_create(
        donor=w.user(Role.DONOR),
        target_code=f"project:{w.a.project.pk}",
        defaults={"amount_minor": 5_000, "status": "active", "stripe_subscription_id": "sub_m"},
    )
    return gift


def _disbursements(w):
    return (
        f"/admin/funding/disbursements/{w.a.disbursement.pk}/",
        f"/admin/funding/disbursements/{w.b.disbursement.pk}/",
    )


FUNDING_ROWS = [
    _get(
        "funding:track_lookup",
        lambda w: "/track/",
        _PUBLIC,
        note="the tracking-code box; a well-formed code redirects to its page",
    ),
    _get(
        "funding:track",
        lambda w: f"/track/{w.a.donation.tracking_code}/",
        _PUBLIC,
        note="a gift's path by its tracking code",
    ),
    _get("funding:confirm", lambda w: "/confirm/", _PUBLIC),
    _get("funding:transparency", lambda w: "/transparency/", _PUBLIC),
    _get("funding:transparency_csv", lambda w: "/transparency.csv", _PUBLIC),
    _get("giving:give", lambda w: f"/give/need/{w.a.need.pk}/", _PUBLIC),
    _get("giving:thanks", lambda w: f"/give/thanks/{w.a.donation.tracking_code}/", _PUBLIC),
    _get("giving:cancelled", lambda w: f"/give/cancelled/{w.a.donation.tracking_code}/", _PUBLIC),
    _get(
        "giving:pledge_print",
        lambda w: f"/give/pledge/{w.pledge.tracking_code}/print/",
        _PUBLIC,
        note="an offline pledge's transfer details, by its tracking code",
    ),
    _get("payments_donations:index", lambda w: "/admin/payments_donations/", _MONEY_READERS),
    _get(
        "payments_donations:inspect",
        lambda w: f"/admin/payments_donations/inspect/{w.a.donation.pk}/",
        _MONEY_READERS,
        note="donors' e-mail addresses: city staff only",
    ),
    _get("payments_offline_gift", lambda w: "/admin/payments/offline/", "YYNNNNNNNN-"),
    _get(
        "payments_pledges:index",
        lambda w: "/admin/payments_pledges/",
        _CITY_ONLY,
        note="pledges to confirm: the receiving account is the city's",
    ),
    _get(
        "payments_pledge_confirm",
        lambda w: f"/admin/payments/pledges/{w.pledge.pk}/confirm/",
        _CITY_ONLY,
    ),
    _get("payments_statement_upload", lambda w: "/admin/payments/statements/upload/", _CITY_ONLY),
    _get(
        "payments_statement",
        lambda w: f"/admin/payments/statements/{w.statement.pk}/",
        _CITY_ONLY,
        note="a bank statement's preview (memos may name payers): audited",
    ),
    _get("payments_stripe_events:index", lambda w: "/admin/payments_stripe_events/", _CITY_ONLY),
    _get(
        "payments_stripe_events:inspect",
        lambda w: f"/admin/payments_stripe_events/inspect/{w.stripe_event.pk}/",
        _CITY_ONLY,
    ),
    _get(
        "payments_recurring_gifts:index",
        lambda w: "/admin/payments_recurring_gifts/",
        _MONEY_READERS,
    ),
    _get(
        "payments_recurring_gifts:inspect",
        lambda w: f"/admin/payments_recurring_gifts/inspect/{_donor_monthly(w).pk}/",
        _MONEY_READERS,
        note="monthly gifts: amount, status, failed payments; no donor details",
    ),
    _get(
        "donor:signup",
        lambda w: "/accounts/signup/donor/",
        _PUBLIC,
        ok_redirects=("/accounts/me/",),
        note="signed-in users are sent to their account page",
    ),
    _get(
        "donor:signup_confirm",
        lambda w: "/accounts/signup/donor/confirm/not-a-signed-link/",
        _NOBODY,
        note="only the signed link sent by e-mail works (tests/matching/payments)",
    ),
    _get("donor:claim", lambda w: "/accounts/me/claim/", _DONOR_ONLY),
    _get(
        "donor:claim_confirm",
        lambda w: "/accounts/me/claim/not-a-signed-link/",
        _NOBODY,
        note="only the signed link sent to the donor's account works (tests/matching/payments)",
    ),
    _get(
        "donor:receipt",
        lambda w: f"/accounts/me/gifts/{_donor_gift(w).tracking_code}/receipt.pdf",
        _DONOR_ONLY,
        note="the donor's own received gift; anyone else's is 404",
    ),
    _get(
        "donor:recurring_cancel",
        lambda w: f"/accounts/me/monthly/{_donor_monthly(w).pk}/cancel/",
        _DONOR_ONLY,
        note="the confirmation page of the donor's own monthly gift",
    ),
    _get(
        "donor:monthly",
        lambda w: f"/give/monthly/project/{w.a.project.pk}/",
        _PUBLIC,
        note="the form for a donor, a sign-in prompt for everyone else",
    ),
    _get(
        "funding_disbursements:index",
        lambda w: "/admin/funding_disbursements/",
        "CAANNNNNCN-",
        markers=_disbursements,
    ),
    _get("funding_disbursement_new", lambda w: "/admin/funding/disbursements/new/", _STAFF_ONLY),
    _get(
        "funding_disbursement[A]",
        lambda w: f"/admin/funding/disbursements/{w.a.disbursement.pk}/",
        _SUPERVISORS,
    ),
    _get(
        "funding_disbursement[B]",
        lambda w: f"/admin/funding/disbursements/{w.b.disbursement.pk}/",
        "YNNNNNNNYN-",
    ),
    _post(
        "funding_disbursement[A-POST]",
        lambda w: f"/admin/funding/disbursements/{w.a.disbursement.pk}/",
        _STAFF_ONLY,
        data=lambda w, c: {"action": "cancel", "reason": "重复申请", "confirm": "on"},
        effect=lambda w, before: (
            Disbursement.objects.get(pk=w.a.disbursement.pk).status == Disbursement.Status.CANCELLED
        ),
        note="inspectors read payouts, never act on them",
    ),
    _get("funding_in_kind:index", lambda w: "/admin/funding_in_kind/", _SUPERVISORS),
    _get("funding_in_kind_new", lambda w: "/admin/funding/in-kind/new/", _STAFF_ONLY),
    _get(
        "funding_in_kind[A]",
        lambda w: f"/admin/funding/in-kind/{w.a.gift.pk}/",
        _SUPERVISORS,
    ),
    _get(
        "funding_in_kind[B]",
        lambda w: f"/admin/funding/in-kind/{w.b.gift.pk}/",
        "YNNNNNNNYN-",
    ),
    _get(
        "funding_volunteer_hours:index",
        lambda w: "/admin/funding_volunteer_hours/",
        "YYYNYNNNYN-",
    ),
    _get("funding_hours_new", lambda w: "/admin/funding/hours/new/", _STAFF_ONLY),
    _get(
        "funding_hours_decide[A]",
        lambda w: f"/admin/funding/hours/{w.a.hours.pk}/",
        "YYYNYNNNYN-",
        note="the volunteer's organization's admin confirms; staff log",
    ),
    _post(
        "funding_hours_decide[A-POST]",
        lambda w: f"/admin/funding/hours/{w.a.hours.pk}/",
        "NNNNYNNNNN-",
        data=lambda w, c: {"decision": "confirm", "reason": ""},
        effect=lambda w, before: (
            VolunteerHours.objects.get(pk=w.a.hours.pk).status == VolunteerHours.Status.CONFIRMED
        ),
    ),
    _get(
        "funding_hours_decide[B]",
        lambda w: f"/admin/funding/hours/{w.b.hours.pk}/",
        "YNNNNNNNYN-",
    ),
    _get(
        "funding_ledger_accounts:index", lambda w: "/admin/funding_ledger_accounts/", _MONEY_READERS
    ),
    _get(
        "funding_ledger_accounts:inspect",
        lambda w: f"/admin/funding_ledger_accounts/inspect/{w.a.disbursement.account_id}/",
        _MONEY_READERS,
    ),
    _get(
        "funding_ledger_transactions:index",
        lambda w: "/admin/funding_ledger_transactions/",
        _MONEY_READERS,
    ),
    _get(
        "funding_ledger_transactions:inspect",
        lambda w: f"/admin/funding_ledger_transactions/inspect/{w.ledger_transaction().pk}/",
        _MONEY_READERS,
    ),
]

RECUSAL_AND_SUPERVISION_ROWS = [
    _get("near_relatives:index", lambda w: "/admin/near_relatives/", _STAFF_ONLY),
    _get("near_relatives:add", lambda w: "/admin/near_relatives/new/", _STAFF_ONLY),
    _get(
        "near_relatives:delete",
        lambda w: f"/admin/near_relatives/delete/{w.near_relative.pk}/",
        "NYNNNNNNNN-",
        note="a staff member's own registrations only (this one is district A staff's)",
    ),
    _post(
        "api:decide_match[A]",
        lambda w: f"/api/v1/staff/matches/{w.a.match.pk}/decision",
        "YYYNNNNNNNN",
        json_body=True,
        data=lambda w, c: {"decision": "reject", "reason": "已由其他项目帮扶"},
        effect=lambda w, before: Match.objects.get(pk=w.a.match.pk).status != MatchStatus.PROPOSED,
        note="the staff API: a staff session, never a department token",
    ),
    _post(
        "api:decide_match[B]",
        lambda w: f"/api/v1/staff/matches/{w.b.match.pk}/decision",
        "YNNNNNNNNNN",
        json_body=True,
        data=lambda w, c: {"decision": "reject", "reason": "已由其他项目帮扶"},
        effect=lambda w, before: Match.objects.get(pk=w.b.match.pk).status != MatchStatus.PROPOSED,
    ),
    _get("supervision_dashboard", lambda w: "/admin/supervision/", _SUPERVISORS),
    _get(
        "supervision_dashboard[B]",
        lambda w: "/admin/supervision/?jurisdiction=220102",
        "YNNNNNNNYN-",
        note="district B's figures: city-wide readers only",
    ),
    _get(
        "supervision_csv",
        lambda w: "/admin/supervision/export.csv",
        _SUPERVISORS,
    ),
    _get(
        "supervision_xlsx",
        lambda w: "/admin/supervision/export.xlsx",
        _SUPERVISORS,
    ),
    _get(
        "supervision_pdf",
        lambda w: "/admin/supervision/report.pdf",
        _SUPERVISORS,
    ),
    _get(
        "supervision_pdf[B]",
        lambda w: "/admin/supervision/report.pdf?jurisdiction=220102",
        "YNNNNNNNYN-",
    ),
]

# Wagtail's own screens: a sample, to show that no role of ours reaches them.
WAGTAIL_ROWS = [
    _get("wagtailusers_users:index", lambda w: "/admin/users/", _NOBODY),
    _get("wagtailusers_groups:index", lambda w: "/admin/groups/", _NOBODY),
    _get("wagtailsites:index", lambda w: "/admin/sites/", _NOBODY),
    _get("wagtailadmin_workflows:index", lambda w: "/admin/workflows/list/", _NOBODY),
    _get("wagtailadmin_explore_root", lambda w: "/admin/pages/", _NOBODY),
    _get(
        "wagtailadmin_reports:site_history",
        lambda w: "/admin/reports/site-history/",
        "YYYYYYNNYN-",
        note="Wagtail's log, scoped per record: another jurisdiction's objects are not listed",
    ),
]

# --- organizations (docs/organizations.md) ------------------------------------------

_CHARITY = "NNNNYYNNNN-"
_VETTERS = "YYNNNNNNNN-"


def _vetting_status(w):
    return Vetting.objects.get(pk=w.a.vetting.pk).status


def _vetting_set(w, status):
    Vetting.objects.filter(pk=w.a.vetting.pk).update(status=status)


ORGANIZATION_ROWS = [
    _get("join_organization", lambda w: "/join/organization/", _PUBLIC),
    _get("join_organization_done", lambda w: "/join/organization/done/", _PUBLIC),
    _get(
        "join_organization_confirm",
        lambda w: "/join/organization/confirm/not-a-token/",
        _PUBLIC,
        note="a button; only its POST with a valid, unexpired signed link activates",
    ),
    _get(
        "organization_deliveries",
        lambda w: f"/organizations/{w.a.organization.pk}/deliveries/",
        _PUBLIC,
        note="published delivery reports only (none here: both await review)",
    ),
    _get(
        "organization_home",
        lambda w: "/organization/",
        _CHARITY,
        note="the organization's workspace: its own proposals, projects, funds and reports",
    ),
    _get("organization_project_new", lambda w: "/organization/projects/new/", _CHARITY),
    _get(
        "organization_project_edit[A]",
        lambda w: f"/organization/projects/{w.a.project.pk}/edit/",
        _CHARITY,
    ),
    _get(
        "organization_project_edit[B]",
        lambda w: f"/organization/projects/{w.b.project.pk}/edit/",
        _NOBODY,
        note="another organization's project: 404",
    ),
    _get("organization_delivery_new", lambda w: "/organization/deliveries/new/", _CHARITY),
    _get("organization_report[A]", lambda w: f"/organization/reports/{w.a.periodic.pk}/", _CHARITY),
    _get(
        "organization_report[B]",
        lambda w: f"/organization/reports/{w.b.periodic.pk}/",
        _NOBODY,
    ),
    _post(
        "organization_respond[A-POST]",
        lambda w: f"/organization/proposals/{w.a.match.pk}/",
        _CHARITY,
        data=lambda w, c: {"decision": "accept"},
        effect=lambda w, before: Match.objects.get(pk=w.a.match.pk).status == MatchStatus.ACCEPTED,
        note="the organization's own proposal (a match to another's is 404)",
    ),
    _post(
        "organization_answer[POST]",
        lambda w: "/organization/vetting/answer/",
        "NNNNYNNNNN-",
        data=lambda w, c: {"answer": "已补充年检报告。"},
        snapshot=lambda w: _vetting_set(w, Vetting.Status.MORE_REQUESTED),
        effect=lambda w, before: _vetting_status(w) == Vetting.Status.SUBMITTED,
        note="the organization's administrators only",
    ),
    _post(
        "organization_renew[POST]",
        lambda w: "/organization/vetting/renew/",
        "NNNNYNNNNN-",
        data=lambda w, c: {},
        effect=lambda w, before: _vetting_status(w) == Vetting.Status.SUBMITTED,
    ),
    _get(
        "organizations_vetting:index",
        lambda w: "/admin/organizations_vetting/",
        "CANNNNNNNN-",
        markers=lambda w: (w.a.organization.name, w.b.organization.name),
        note="organizations registered inside the staff member's jurisdiction",
    ),
    _get(
        "organizations_vetting_decide[A]",
        lambda w: f"/admin/organizations/vetting/{w.a.vetting.pk}/",
        _VETTERS,
        note="the contact person shown (read audited)",
    ),
    _get(
        "organizations_vetting_decide[B]",
        lambda w: f"/admin/organizations/vetting/{w.b.vetting.pk}/",
        _CITY_ONLY,
    ),
    _post(
        "organizations_vetting_decide[A-POST]",
        lambda w: f"/admin/organizations/vetting/{w.a.vetting.pk}/",
        _VETTERS,
        data=lambda w, c: {"decision": "ask_more", "reason": "请补充年检报告。"},
        snapshot=lambda w: _vetting_set(w, Vetting.Status.SUBMITTED),
        effect=lambda w, before: _vetting_status(w) == Vetting.Status.MORE_REQUESTED,
    ),
    _get(
        "organizations_certificate[A]",
        lambda w: f"/admin/organizations/vetting/{w.a.vetting.pk}/certificate/",
        _VETTERS,
        note="the private registration certificate (read audited)",
    ),
    _get(
        "organizations_deliveries:index",
        lambda w: "/admin/organizations_deliveries/",
        "CANNNNNNNN-",
        markers=lambda w: (w.a.delivery.title, w.b.delivery.title),
    ),
    _get(
        "organizations_delivery_review[A]",
        lambda w: f"/admin/organizations/deliveries/{w.a.delivery.pk}/review/",
        _VETTERS,
    ),
    _get(
        "organizations_delivery_review[B]",
        lambda w: f"/admin/organizations/deliveries/{w.b.delivery.pk}/review/",
        _CITY_ONLY,
    ),
    _get(
        "organizations_delivery_photo[A]",
        lambda w: f"/admin/organizations/deliveries/photos/{w.a.photo.pk}/",
        _VETTERS,
        note="a photo before review: staff only, never a public URL",
    ),
    _get(
        "organizations_reports:index",
        lambda w: "/admin/organizations_reports/",
        "CANNNNNNNN-",
        markers=lambda w: (w.a.organization.name, w.b.organization.name),
    ),
]

# The volunteer's own pages (docs/volunteers.md): the world's volunteer account is
# side A's volunteer; everyone else's answer is 404 (or the login page).
_VOLUNTEER_ONLY = "NNNNNNYNNN-"
VOLUNTEER_ROWS = [
    _get("join_volunteer", lambda w: "/join/volunteer/", _PUBLIC),
    _get("join_volunteer_sent", lambda w: "/join/volunteer/sent/", _PUBLIC),
    _get("join_volunteer_resend", lambda w: "/join/volunteer/resend/", _PUBLIC),
    _get(
        "join_volunteer_confirm",
        lambda w: "/join/volunteer/confirm/not-a-token/",
        _PUBLIC,
        note="GET shows a button; the POST checks the signed link",
    ),
    _get(
        "volunteer_certificate_verify",
        lambda w: f"/volunteer/verify/?code={w.a.certificate.code}",
        _PUBLIC,
        note="the holder's name masked, the hours, the issuer",
    ),
    _get("volunteer_home", lambda w: "/volunteer/", _VOLUNTEER_ONLY),
    _get(
        "volunteer_proposal[A]",
        lambda w: f"/volunteer/proposals/{w.a.volunteer_proposal.pk}/",
        _VOLUNTEER_ONLY,
        note="the minimum about the household: area, forms, categories, urgency",
    ),
    _post(
        "volunteer_proposal[A-POST]",
        lambda w: f"/volunteer/proposals/{w.a.volunteer_proposal.pk}/",
        _VOLUNTEER_ONLY,
        data=lambda w, c: {"answer": "accept"},
        effect=lambda w, before: (
            Match.objects.get(pk=w.a.volunteer_proposal.pk).status == MatchStatus.ACCEPTED
        ),
    ),
    _get(
        "volunteer_task[A]",
        lambda w: f"/volunteer/tasks/{w.a.volunteer_task.pk}/",
        _VOLUNTEER_ONLY,
        note="an approved task: the caseworker as the contact path, never the household's",
    ),
    _get(
        "volunteer_task[B]",
        lambda w: f"/volunteer/tasks/{w.b.volunteer_task.pk}/",
        _NOBODY,
        note="another volunteer's task",
    ),
    _get("volunteer_profile", lambda w: "/volunteer/profile/", _VOLUNTEER_ONLY),
    _post(
        "volunteer_team",
        lambda w: "/volunteer/team/",
        _VOLUNTEER_ONLY,
        data=lambda w, c: {"organization": w.a.organization.pk},
        effect=None,
        note="asks to join a verified volunteer team (this one is not: refused with a message)",
    ),
    _get(
        "volunteer_team_leave",
        lambda w: "/volunteer/team/leave/",
        _VOLUNTEER_ONLY,
        note="what leaving the team means, to confirm (this volunteer has no team: home)",
    ),
    _get(
        "volunteer_team_requests",
        lambda w: "/volunteer-team/requests/",
        _NOBODY,
        note="a volunteer team's admin only; this world's organizations are charities",
    ),
    _get("volunteer_consent", lambda w: "/volunteer/consent/", _VOLUNTEER_ONLY),
    _get("volunteer_certificates", lambda w: "/volunteer/certificates/", _VOLUNTEER_ONLY),
    _get(
        "volunteer_certificate_pdf[A]",
        lambda w: f"/volunteer/certificates/{w.a.certificate.code}.pdf",
        _VOLUNTEER_ONLY,
    ),
]


# --- special inspections (docs/inspections.md) ------------------------------------------


def _finding_units(w):
    return w.a.finding.unit.name, w.b.finding.unit.name


def _finding(side, suffix=""):
    return lambda w: f"/admin/inspections/findings/{getattr(w, side).finding.pk}/{suffix}"


INSPECTION_ROWS = [
    _get("inspections:index", lambda w: "/admin/inspections/", "YYYYNNNNYN-"),
    _get(
        "inspections:inspect",
        lambda w: f"/admin/inspections/inspect/{w.inspection.pk}/",
        "YNNNNNNNYN-",
    ),
    _get("inspections_new", lambda w: "/admin/inspections/new/", "YNNNNNNNYN-"),
    _get(
        "inspections_conclude",
        lambda w: f"/admin/inspections/{w.inspection.pk}/conclude/",
        "NNNNNNNNYN-",
        note="the inspection's team only; concluding needs every finding rectified",
    ),
    _get(
        "inspections_finding_new",
        lambda w: f"/admin/inspections/{w.inspection.pk}/findings/new/",
        "NNNNNNNNYN-",
    ),
    _get(
        "inspections_circular",
        lambda w: f"/admin/inspections/{w.inspection.pk}/circular.pdf",
        "YNNNNNNNYN-",
    ),
    _get(
        "inspection_findings:index",
        lambda w: "/admin/inspection_findings/",
        "CAA0NNNNCN-",
        markers=_finding_units,
    ),
    _get("inspections_finding[A]", _finding("a"), "YYYNNNNNYN-"),
    _get("inspections_finding[B]", _finding("b"), "YNNNNNNNYN-"),
    _get("inspections_evidence_submit[A]", _finding("a", "evidence/"), "YYYNNNNNYN-"),
    _get("inspections_evidence_review[A]", _finding("a", "review/"), "YYYNNNNNYN-"),
    _get(
        "inspections_evidence_file[A]",
        lambda w: f"/admin/inspections/evidence/files/{w.a.evidence_file.pk}/",
        "YYYNNNNNYN-",
    ),
]


# --- joint meetings (docs/coordination.md) -------------------------------------------


def _meetings(w):
    return w.a.meeting.title, w.b.meeting.title


COORDINATION_ROWS = [
    _get(
        "coordination_overview",
        lambda w: "/admin/coordination/",
        "CA00NNNNCN-",
        markers=_meetings,
        note="a liaison is sent on to the department's own screen",
    ),
    _get(
        "coordination_tasks",
        lambda w: "/admin/coordination/tasks/",
        "CA0ANNNNCN-",
        markers=_receipts,
    ),
    _get(
        "coordination_department",
        lambda w: "/admin/coordination/department/",
        "NNNANNNNNN-",
        markers=_receipts,
        note="the liaison's department's tasks only, the applicant masked",
    ),
    _post(
        "coordination_department[POST]",
        lambda w: "/admin/coordination/department/",
        "NNNYNNNNNN-",
        data=lambda w, c: {"task": w.a.meeting_task.pk, "result": "已办结"},
        effect=lambda w, before: MeetingTask.objects.get(pk=w.a.meeting_task.pk).status == "done",
        ok_redirects=("/admin/coordination/department/",),
    ),
    _get(
        "coordination_meeting[A]",
        lambda w: f"/admin/coordination/meeting/{w.a.meeting.pk}/",
        "YYNNNNNNYN-",
    ),
    _get(
        "coordination_meeting[B]",
        lambda w: f"/admin/coordination/meeting/{w.b.meeting.pk}/",
        "YNNNNNNNYN-",
    ),
    _get(
        "coordination_minutes[A]",
        lambda w: f"/admin/coordination/meeting/{w.a.meeting.pk}/minutes.pdf",
        "YYNNNNNNYN-",
    ),
    _get(
        "coordination_decide[A]",
        lambda w: f"/admin/coordination/item/{w.a.agenda_item.pk}/decide/",
        "YYNNNNNNNN-",
        note="city or district staff over the body's jurisdiction",
    ),
]

ROWS = [*PUBLIC_ROWS, *CASE_ROWS, *OFFER_ROWS, *PUBLICATION_ROWS, *GOVERNANCE_ROWS, *API_ROWS]
ROWS += [*FUNDING_ROWS, *RECUSAL_AND_SUPERVISION_ROWS, *WAGTAIL_ROWS]
ROWS += [*ORGANIZATION_ROWS, *VOLUNTEER_ROWS, *COORDINATION_ROWS]
ROWS += INSPECTION_ROWS
ROWS += FUND_ROWS
MATRIX = {row.key: row for row in ROWS}
