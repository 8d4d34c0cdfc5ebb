"""Reads for money out and what follows a gift: the tracking path of a gift,
what a match may be paid from, volunteer hours, the transparency figures and
the staff lists, each scoped to its reader. Import selectors from this
package; the submodules are its internal layout.
"""

from .accounts import (
    account_fifo_allocation,
    match_account_codes,
    match_accounts,
    public_need_of_case,
)
from .figures import PublicFigures, public_figures
from .hours import volunteer_hours_totals
from .public import need_progress_updates
from .staff import (
    appropriable_fund_list,
    approved_match_list,
    disbursement_list,
    fund_ledger_rows,
    in_kind_gift_list,
    public_need_list,
    volunteer_hours_list,
)
from .tracking import (
    ACCOUNT_KINDS_HELD,
    AccountPlace,
    GiftPath,
    PublicStep,
    account_place,
    category_label,
    gift_path_get,
    need_for_account_code,
)
from .transparency import CITYWIDE_KEY, OTHER, Flow, transparency_flows, transparency_totals

__all__ = [
    "ACCOUNT_KINDS_HELD",
    "CITYWIDE_KEY",
    "OTHER",
    "AccountPlace",
    "Flow",
    "GiftPath",
    "PublicFigures",
    "PublicStep",
    "account_fifo_allocation",
    "account_place",
    "appropriable_fund_list",
    "approved_match_list",
    "category_label",
    "disbursement_list",
    "fund_ledger_rows",
    "gift_path_get",
    "in_kind_gift_list",
    "match_account_codes",
    "match_accounts",
    "need_for_account_code",
    "need_progress_updates",
    "public_figures",
    "public_need_list",
    "public_need_of_case",
    "transparency_flows",
    "transparency_totals",
    "volunteer_hours_list",
    "volunteer_hours_totals",
]
