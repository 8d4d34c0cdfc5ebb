"""Writes for cases: intake, the status machine, referrals and escalation,
discovery reports, verification, assistance records and duplicate checks.

Every service is keyword-only, validates with ``full_clean()`` inside a
transaction, writes an audit entry for each state change, and sends notices
only after the transaction commits. Import services from this package; the
submodules are its internal layout.
"""

from .accounts import (
    ROLE_PERMISSIONS,
    api_token_authenticate,
    api_token_issue,
    case_permissions_sync,
)
from .base import CaseRuleError, NotPermitted, TransitionNotAllowed
from .discovery import (
    discovery_report_assessing,
    discovery_report_dismiss,
    discovery_report_file,
    discovery_report_follow,
    discovery_report_open_case,
)
from .duplicates import (
    assistance_record_submit,
    case_check_duplicates,
    case_check_reapplications,
    duplicate_flag_adjudicate,
    platform_assistance_record,
    platform_assistance_withdraw,
)
from .freshness import economic_refresh_overdue, refresh_request_create, refresh_requests_answer
from .intake import (
    application_submit_online,
    case_submit,
    emergency_case_opened,
    household_create,
    member_add,
    need_import,
    window_application_submit,
)
from .referrals import (
    deadline_move,
    holiday_schedule_changed,
    referral_answer,
    referral_create,
    referral_deadlines_recompute,
    referral_escalate,
    referrals_escalate_overdue,
    referrals_remind,
    supervising_level,
)
from .transitions import ALLOWED_TRANSITIONS, case_status_changed, case_transition
from .verification import case_verify, economic_record_submit, household_for_id_number

__all__ = [
    "window_application_submit",
    "deadline_move",
    "ALLOWED_TRANSITIONS",
    "ROLE_PERMISSIONS",
    "CaseRuleError",
    "NotPermitted",
    "TransitionNotAllowed",
    "api_token_authenticate",
    "api_token_issue",
    "application_submit_online",
    "assistance_record_submit",
    "case_check_duplicates",
    "case_check_reapplications",
    "case_permissions_sync",
    "case_status_changed",
    "case_submit",
    "case_transition",
    "case_verify",
    "discovery_report_assessing",
    "discovery_report_dismiss",
    "discovery_report_file",
    "discovery_report_follow",
    "discovery_report_open_case",
    "duplicate_flag_adjudicate",
    "economic_record_submit",
    "economic_refresh_overdue",
    "refresh_request_create",
    "refresh_requests_answer",
    "emergency_case_opened",
    "holiday_schedule_changed",
    "household_create",
    "household_for_id_number",
    "member_add",
    "need_import",
    "platform_assistance_record",
    "platform_assistance_withdraw",
    "referral_answer",
    "referral_create",
    "referral_deadlines_recompute",
    "referral_escalate",
    "referrals_escalate_overdue",
    "referrals_remind",
    "supervising_level",
]
