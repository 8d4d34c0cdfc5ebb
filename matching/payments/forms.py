"""Forms of the giving flow and of the offline gift entry (staff)."""

import re

from django import forms
from django.utils.translation import gettext_lazy as _

from matching.ledger.money import format_yuan, yuan_to_minor

from .giving import MAX_CARD_GIFT_MINOR
from .models import Donation
from .pledges import MAX_PLEDGE_MINOR, MIN_PLEDGE_MINOR
from .targets import KINDS

# Plain yuan as people type it: digits, optional thousands commas, a point.
_AMOUNT = re.compile(r"^[0-9][0-9,]*(\.[0-9]+)?$")
MAX_OFFLINE_GIFT_MINOR = 100_000_000_000  # one billion yuan: a typo, not a gift


def parse_yuan(raw, *, max_minor):
    """A typed yuan amount as fen, or ValidationError with a clear Chinese message."""
    text = (raw or "").strip().replace("，", ",").removeprefix("¥").removesuffix("元").strip()
    if text.startswith("-"):
        raise forms.ValidationError(_("捐赠金额必须大于零。"))
    if not _AMOUNT.match(text):
        raise forms.ValidationError(_("请输入有效的金额（元），例如 100 或 88.50。"))
    try:
        minor = yuan_to_minor(text)
    except ValueError as error:
        if "decimal places" in str(error):
            raise forms.ValidationError(_("金额最多两位小数（精确到分）。")) from error
        raise _too_large(max_minor) from error
    if minor <= 0:
        raise forms.ValidationError(_("捐赠金额必须大于零。"))
    if minor > max_minor:
        raise _too_large(max_minor)
    return minor


def _too_large(max_minor):
    return forms.ValidationError(_("单笔金额不能超过 %(max)s。") % {"max": format_yuan(max_minor)})


class DonorFieldsMixin(forms.Form):
    anonymous = forms.BooleanField(label=_("匿名捐赠"), required=False, initial=True)
    donor_name = forms.CharField(label=_("捐赠人姓名"), required=False, max_length=100)
    donor_email = forms.EmailField(
        label=_("电子邮箱"),
        required=False,
        help_text=_("用于接收捐赠收据和追踪码。"),
    )
    # A named card donor gets the receipt by e-mail; staff may not know a payer's.
    email_required_when_named = True

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("anonymous"):
            if not cleaned.get("donor_name", "").strip():
                self.add_error("donor_name", _("实名捐赠请填写姓名，或选择匿名捐赠。"))
            missing_email = not cleaned.get("donor_email") and "donor_email" not in self.errors
            if self.email_required_when_named and missing_email:
                self.add_error("donor_email", _("实名捐赠请填写电子邮箱。"))
        return cleaned

    def donor(self):
        return {
            "anonymous": self.cleaned_data["anonymous"],
            "donor_name": self.cleaned_data["donor_name"].strip(),
            "donor_email": self.cleaned_data["donor_email"],
        }


CARD = Donation.Channel.CARD.value
BANK_TRANSFER = Donation.Channel.BANK_TRANSFER.value
METHOD_LABELS = {
    CARD: _("在线支付（银行卡等）"),
    BANK_TRANSFER: _("银行转账认捐（先登记，再转账）"),
}
# The buttons above the amount field: a link each, so no script is needed.
AMOUNT_PRESETS = ("50", "100", "200", "500", "1000")


class GiftForm(DonorFieldsMixin):
    """One gift: online (Stripe Checkout) or an offline pledge, as ``methods`` allow."""

    method = forms.ChoiceField(
        label=_("捐赠方式"),
        widget=forms.RadioSelect,
        required=False,
        error_messages={"invalid_choice": _("请选择可用的捐赠方式。")},
    )
    amount = forms.CharField(
        label=_("捐赠金额（元）"),
        max_length=20,
        error_messages={"required": _("请输入捐赠金额。")},
    )
    # Set by the confirmation step: the donor has seen the split and the policy.
    confirmed = forms.BooleanField(required=False, widget=forms.HiddenInput)
    # Drawn when the confirmation page is shown; one page, at most one donation.
    attempt = forms.UUIDField(required=False, widget=forms.HiddenInput)

    field_order = ["method", "amount", "anonymous", "donor_name", "donor_email"]

    def __init__(self, *args, methods=(CARD,), **kwargs):
        super().__init__(*args, **kwargs)
        self.methods = list(methods)
        self.fields["method"].choices = [(m, METHOD_LABELS[m]) for m in self.methods]
        self.fields["method"].initial = self.methods[0] if self.methods else None
        if len(self.methods) < 2:  # nothing to choose: carried, not asked
            self.fields["method"].widget = forms.HiddenInput()

    def clean_method(self):
        # A POST without a method is a card gift (the form before pledges existed).
        return self.cleaned_data["method"] or CARD

    def clean_amount(self):
        if self.cleaned_data.get("method") == BANK_TRANSFER:
            minor = parse_yuan(self.cleaned_data["amount"], max_minor=MAX_PLEDGE_MINOR)
            if minor < MIN_PLEDGE_MINOR:
                raise forms.ValidationError(
                    _("认捐金额至少 %(min)s。") % {"min": format_yuan(MIN_PLEDGE_MINOR)}
                )
            return minor
        return parse_yuan(self.cleaned_data["amount"], max_minor=MAX_CARD_GIFT_MINOR)

    @property
    def is_pledge(self):
        return self.cleaned_data.get("method") == BANK_TRANSFER


class OfflineDonationForm(DonorFieldsMixin):
    channel = forms.ChoiceField(
        label=_("捐赠渠道"),
        choices=[
            (c.value, c.label) for c in (Donation.Channel.BANK_TRANSFER, Donation.Channel.CASH)
        ],
    )
    reference = forms.CharField(label=_("银行流水号/现金收据号"), max_length=64)
    target_kind = forms.ChoiceField(
        label=_("捐赠对象类型"),
        choices=list(
            zip(KINDS, [_("公示求助"), _("帮扶项目"), _("公益基金"), _("类别总基金")], strict=True)
        ),
    )
    target_ref = forms.CharField(
        label=_("捐赠对象编号"),
        max_length=32,
        help_text=_("求助、项目或基金的编号；类别总基金填类别代码，如 medical。"),
    )
    amount = forms.CharField(label=_("金额（元）"), max_length=20)
    email_required_when_named = False

    field_order = [
        "channel",
        "reference",
        "amount",
        "target_kind",
        "target_ref",
        "anonymous",
        "donor_name",
        "donor_email",
    ]

    def clean_amount(self):
        return parse_yuan(self.cleaned_data["amount"], max_minor=MAX_OFFLINE_GIFT_MINOR)


class PledgeConfirmForm(forms.Form):
    """Staff confirm one pledge's transfer from the bank's record of it."""

    bank_transaction_id = forms.CharField(label=_("银行交易流水号"), max_length=64)
    received = forms.CharField(label=_("实际到账金额（元）"), max_length=20)
    accept_difference = forms.BooleanField(
        label=_("到账金额与认捐金额不同，按实际到账金额确认"), required=False
    )

    def clean_received(self):
        return parse_yuan(self.cleaned_data["received"], max_minor=MAX_OFFLINE_GIFT_MINOR)


class StatementUploadForm(forms.Form):
    statement = forms.FileField(
        label=_("银行流水文件（CSV 或 XLSX）"),
        help_text=_("列：交易日期、金额、附言、交易流水号；CSV 为 UTF-8 或 GBK 编码均可。"),
    )
