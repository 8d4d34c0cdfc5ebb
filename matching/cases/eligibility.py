"""Minimum-living-allowance eligibility, computed in Decimal with every step shown.

A household is eligible when its monthly income per person is below the
local line and (when the standard sets one) its assets per person do not
exceed the asset limit. The monthly top-up is the gap to the line times
the household size (差额补助).
"""

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext as _

CENT = Decimal("0.01")


def money(value):
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


@dataclass
class Eligibility:
    household_size: int
    monthly_income: Decimal
    income_per_person: Decimal
    assets: Decimal
    line: Decimal
    monthly_top_up: Decimal
    eligible: bool
    steps: list = field(default_factory=list)


def _sum_line(label, amounts):
    total = money(sum(amounts, Decimal("0")))
    terms = " + ".join(str(money(a)) for a in amounts) or "0.00"
    return total, _("%(label)s = %(terms)s = %(total)s 元") % {
        "label": label,
        "terms": terms,
        "total": total,
    }


def compute(
    *, household_size, incomes, assets, line, asset_limit_per_person=None, standard_label=""
):
    """Pure arithmetic over Decimal amounts; returns an :class:`Eligibility`."""
    line = money(line)
    monthly_income, income_step = _sum_line(_("家庭月收入合计"), incomes)
    asset_total, asset_step = _sum_line(_("家庭财产合计"), assets)
    per_person = money(monthly_income / household_size)
    steps = [
        income_step,
        _("人均月收入 = %(income)s ÷ %(size)s 人 = %(per)s 元")
        % {"income": monthly_income, "size": household_size, "per": per_person},
        _("低保标准 = %(line)s 元/人·月（%(label)s）") % {"line": line, "label": standard_label},
    ]
    income_ok = per_person < line
    steps.append(
        (
            _("%(per)s < %(line)s，收入符合条件")
            if income_ok
            else _("%(per)s ≥ %(line)s，收入超过标准")
        )
        % {"per": per_person, "line": line}
    )
    assets_ok = True
    if asset_limit_per_person is not None:
        limit = money(asset_limit_per_person) * household_size
        assets_ok = asset_total <= limit
        steps.append(asset_step)
        steps.append(
            (
                _("%(assets)s ≤ %(limit)s（%(per)s 元/人 × %(size)s 人），财产符合条件")
                if assets_ok
                else _("%(assets)s > %(limit)s（%(per)s 元/人 × %(size)s 人），财产超过上限")
            )
            % {
                "assets": asset_total,
                "limit": limit,
                "per": money(asset_limit_per_person),
                "size": household_size,
            }
        )
    eligible = income_ok and assets_ok
    top_up = money((line - per_person) * household_size) if eligible else money(0)
    if eligible:
        steps.append(
            _("月补差 = (%(line)s − %(per)s) × %(size)s 人 = %(top)s 元")
            % {"line": line, "per": per_person, "size": household_size, "top": top_up}
        )
    steps.append(_("结论：符合最低生活保障条件") if eligible else _("结论：不符合最低生活保障条件"))
    return Eligibility(
        household_size, monthly_income, per_person, asset_total, line, top_up, eligible, steps
    )
