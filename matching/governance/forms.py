"""Forms of the public complaint pages and the staff two-factor screens."""

from django import forms
from django.utils.translation import gettext_lazy as _

from matching.cases.forms import PhoneField, PlaceChoiceField, place_queryset

from .models import Complaint


class ComplaintForm(forms.Form):
    subject_kind = forms.ChoiceField(
        label=_("投诉举报对象"), choices=Complaint.Subject.choices, widget=forms.RadioSelect
    )
    subject_name = forms.CharField(
        label=_("对象名称或编号"),
        max_length=120,
        required=False,
        help_text=_("例如：受理编号、组织名称、工作人员姓名或工号（可不填）。"),
    )
    place = PlaceChoiceField(
        label=_("发生地（区县或街道）"), queryset=place_queryset(), empty_label=_("请选择")
    )
    content = forms.CharField(
        label=_("投诉举报内容"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("请写明时间、经过和诉求。"),
    )
    contact_name = forms.CharField(label=_("联系人（可匿名）"), max_length=64, required=False)
    # Validated as the application form does: a mobile or a landline number.
    contact_phone = PhoneField(label=_("联系电话（可匿名）"), max_length=20, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["place"].queryset = place_queryset()


class ComplaintFollowForm(forms.Form):
    receipt_number = forms.CharField(label=_("受理编号"), max_length=20)
    follow_code = forms.RegexField(
        label=_("查询码（4 位数字）"),
        regex=r"^\d{4}$",
        max_length=4,
        error_messages={"invalid": _("查询码为 4 位数字。")},
    )


class TokenForm(forms.Form):
    token = forms.RegexField(
        label=_("动态验证码（6 位数字）"),
        regex=r"^\d{6}$",
        max_length=6,
        error_messages={"invalid": _("验证码为 6 位数字。")},
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )


class VerifyForm(forms.Form):
    """The second factor at sign-in: an authenticator code or one backup code."""

    token = forms.CharField(
        label=_("动态验证码或备用验证码"),
        max_length=20,
        help_text=_(
            "6 位动态验证码；手机不在身边时，可输入一个 8 位备用验证码（每个只能用一次）。"
        ),
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code"}),
    )

    def clean_token(self):
        token = "".join(self.cleaned_data["token"].split()).replace("-", "").lower()
        if not (len(token) == 6 and token.isdigit()) and not (
            len(token) == 8 and all(c in "abcdefghijklmnopqrstuvwxyz234567" for c in token)
        ):
            raise forms.ValidationError(
                _("请输入 6 位动态验证码或 8 位备用验证码。"), code="invalid"
            )
        return token

    @property
    def is_backup_code(self):
        return len(self.cleaned_data["token"]) == 8


class TwoFactorResetForm(forms.Form):
    reason = forms.CharField(
        label=_("重置原因"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("例如：手机丢失，已当面核实本人身份。原因将记入审计日志。"),
    )
