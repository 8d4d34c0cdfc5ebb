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
