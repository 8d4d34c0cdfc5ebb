"""Staff forms in the admin: they parse; the services decide."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from wagtail.documents import get_document_model
from wagtail.documents.widgets import AdminDocumentChooser

from matching.ledger.models import Account
from matching.ledger.money import yuan_to_minor
from matching.offers.models import Project, Volunteer

from . import selectors
from .models import PayeeKind


class YuanField(forms.CharField):
    """Yuan as typed ("1,234.50") to integer fen; more than two decimals is an error."""

    def clean(self, value):
        value = super().clean(value)
        if value in (None, ""):
            return None
        try:
            minor = yuan_to_minor(value)
        except (ValueError, ArithmeticError) as error:
            raise ValidationError(_("请输入有效金额（元，最多两位小数）。")) from error
        if minor <= 0:
            raise ValidationError(_("金额必须大于零。"))
        return minor


class MatchChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, match):
        return f"{match.need.receipt_number} ↔ {match.offer}"


class DisbursementForm(forms.Form):
    match = MatchChoiceField(label=_("已批准的匹配"), queryset=None)
    account = forms.ModelChoiceField(
        label=_("支出账户"),
        queryset=Account.objects.filter(kind__in=selectors.ACCOUNT_KINDS_HELD),
        to_field_name="code",
    )
    amount = YuanField(label=_("金额（元）"))
    payee_kind = forms.ChoiceField(label=_("收款方类型"), choices=PayeeKind.choices)
    payee_name = forms.CharField(label=_("收款方名称"), max_length=120)
    invoice_number = forms.CharField(label=_("发票/凭证号"), max_length=64, required=False)
    evidence = forms.ModelChoiceField(
        label=_("凭证文件"),
        queryset=get_document_model().objects.all(),
        required=False,
        widget=AdminDocumentChooser,
    )
    note = forms.CharField(label=_("用途说明"), max_length=255, required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["match"].queryset = selectors.approved_match_list(user=user)


class AppropriationForm(forms.Form):
    amount = YuanField(
        label=_("拨入金额（元）"), help_text=_("最多两位小数，如 50000 或 12,345.67。")
    )
    reference = forms.CharField(
        label=_("拨款文号"), max_length=60, help_text=_("财政或民政部门的预算文件编号。")
    )
    confirm = forms.BooleanField(
        label=_("我已核对金额和文号：拨款入账后不可撤销"),
        required=False,
    )

    def clean_confirm(self):
        # Checked here, on the server: the page's own checkbox is only a hint.
        if not self.cleaned_data.get("confirm"):
            raise ValidationError(_("拨款入账后不可撤销，请勾选确认后再提交。"))
        return True


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("理由"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    # Ticked for a decision that cannot be undone (the views say which).
    confirm = forms.BooleanField(label=_("我已核实：此决定不可撤销，确认提交"), required=False)


class InKindGiftForm(forms.Form):
    items = forms.CharField(label=_("物资"), max_length=120)
    quantity = forms.DecimalField(label=_("数量"), max_digits=10, decimal_places=2)
    unit = forms.CharField(label=_("单位"), max_length=16)
    estimated_value = YuanField(label=_("估值（元）"))
    need = forms.ModelChoiceField(label=_("受赠求助"), queryset=None, required=False)
    project = forms.ModelChoiceField(
        label=_("受赠项目"), queryset=Project.objects.all(), required=False
    )
    donor_name = forms.CharField(label=_("捐赠人"), max_length=100, required=False)
    anonymous = forms.BooleanField(label=_("匿名"), required=False, initial=True)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["need"].queryset = selectors.public_need_list(user=user)


class VolunteerHoursForm(forms.Form):
    match = MatchChoiceField(label=_("志愿服务匹配"), queryset=None)
    date = forms.DateField(label=_("服务日期"), widget=forms.DateInput(attrs={"type": "date"}))
    hours = forms.DecimalField(label=_("时长（小时）"), max_digits=4, decimal_places=2)
    note = forms.CharField(label=_("服务内容"), max_length=200, required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["match"].queryset = selectors.approved_match_list(user=user).filter(
            volunteer__isnull=False
        )

    def volunteer(self):
        return Volunteer.objects.get(pk=self.cleaned_data["match"].volunteer_id)
