"""Forms of the donor's account: a monthly gift, claiming past gifts, signing up."""

from django import forms
from django.contrib.auth import password_validation
from django.utils.translation import gettext_lazy as _

from .forms import parse_yuan
from .giving import MAX_CARD_GIFT_MINOR


class MonthlyGiftForm(forms.Form):
    amount = forms.CharField(
        label=_("每月捐赠金额（元）"),
        max_length=20,
        error_messages={"required": _("请输入每月捐赠金额。")},
    )
    anonymous = forms.BooleanField(
        label=_("匿名捐赠（公开页面不显示姓名）"), required=False, initial=True
    )
    agreed = forms.BooleanField(
        label=_("我同意每月自动扣款，直到我在“我的账户”中取消。"),
        error_messages={"required": _("请确认同意每月自动扣款。")},
    )

    # Drawn when the form page is shown; one page, at most one monthly gift.
    attempt = forms.UUIDField(required=False, widget=forms.HiddenInput)

    def clean_amount(self):
        return parse_yuan(self.cleaned_data["amount"], max_minor=MAX_CARD_GIFT_MINOR)


class ClaimForm(forms.Form):
    email = forms.EmailField(
        label=_("捐赠时填写的电子邮箱"),
        error_messages={"required": _("请输入电子邮箱。"), "invalid": _("请输入有效的电子邮箱。")},
    )


class DonorSignupForm(forms.Form):
    full_name = forms.CharField(
        label=_("姓名（选填，用于实名收据）"), max_length=100, required=False
    )
    email = forms.EmailField(
        label=_("电子邮箱"),
        error_messages={"required": _("请输入电子邮箱。"), "invalid": _("请输入有效的电子邮箱。")},
    )
    password1 = forms.CharField(label=_("密码"), widget=forms.PasswordInput, strip=False)
    password2 = forms.CharField(label=_("再次输入密码"), widget=forms.PasswordInput, strip=False)

    def clean(self):
        cleaned = super().clean()
        first, second = cleaned.get("password1"), cleaned.get("password2")
        if first and second and first != second:
            self.add_error("password2", _("两次输入的密码不一致。"))
        elif first:
            try:
                password_validation.validate_password(first)
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return cleaned
