from django import forms
from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _


class ConfirmReceiptForm(forms.Form):
    reference = forms.CharField(
        label=_("确认编号"),
        max_length=12,
        help_text=_("工作人员交给您的回执单或短信上的编号，如 R7K3M9Q2XA。"),
    )
    code = forms.CharField(
        label=_("确认码"),
        min_length=6,
        max_length=6,
        validators=[RegexValidator(r"^\d{6}$", _("确认码为 6 位数字。"))],
    )


class TrackLookupForm(forms.Form):
    """The tracking-code box (home, transparency, /track/): the code on the receipt."""

    code = forms.CharField(
        label=_("追踪码"),
        max_length=64,
        strip=True,
        help_text=_("捐赠成功后页面和收据上显示的追踪码。"),
        validators=[
            RegexValidator(
                r"^[A-Za-z0-9_-]{8,32}$", _("追踪码由字母、数字、-和_组成，请核对后再输入。")
            )
        ],
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["code"].widget.attrs.update(
            {"autocomplete": "off", "spellcheck": "false", "autocapitalize": "off"}
        )
