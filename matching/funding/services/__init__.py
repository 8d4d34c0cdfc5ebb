"""Writes for money out and what follows a gift: disbursements toward approved
matches, the household's confirmation of receipt, in-kind gifts and volunteer
hours. Every service is keyword-only, refuses with a ``DomainError``,
``ValidationError`` or ``PermissionDenied`` carrying a Chinese message, and
audits each step. Import services from this package; the submodules are its
internal layout.
"""

from .confirmations import (
    GENERIC_REFUSAL,
    ConfirmationRefused,
    confirmation_confirm,
    confirmation_reissue,
    confirmation_send_sms,
    confirmations_flag_overdue,
    new_code,
)
from .disbursements import (
    DISBURSED_CODE,
    DISBURSEMENT_RULES,
    OPEN_STATUSES,
    disbursement_approve,
    disbursement_cancel,
    disbursement_post,
    disbursement_request,
    needs_second_approval,
)
from .government import (
    budget_account,
    government_fund_account,
    government_fund_appropriate,
    government_fund_of_account,
    government_money_for_its_purpose,
)
from .hours import volunteer_hours_decide, volunteer_hours_log
from .in_kind import in_kind_gift_deliver, in_kind_gift_record
from .transitions import DISBURSEMENT_TRANSITIONS, HOURS_TRANSITIONS, IN_KIND_TRANSITIONS

__all__ = [
    "DISBURSED_CODE",
    "DISBURSEMENT_RULES",
    "DISBURSEMENT_TRANSITIONS",
    "GENERIC_REFUSAL",
    "HOURS_TRANSITIONS",
    "IN_KIND_TRANSITIONS",
    "OPEN_STATUSES",
    "ConfirmationRefused",
    "confirmation_confirm",
    "confirmation_reissue",
    "confirmation_send_sms",
    "confirmations_flag_overdue",
    "disbursement_approve",
    "disbursement_cancel",
    "disbursement_post",
    "disbursement_request",
    "budget_account",
    "government_fund_account",
    "government_fund_appropriate",
    "government_fund_of_account",
    "government_money_for_its_purpose",
    "in_kind_gift_deliver",
    "in_kind_gift_record",
    "needs_second_approval",
    "new_code",
    "volunteer_hours_decide",
    "volunteer_hours_log",
]
