"""Forms for the public pages and the staff screens. They parse input; the
services decide."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from matching.core.validators import (
    normalize_id_number,
    normalize_phone,
    validate_id_number,
    validate_phone,
)
from matching.core.vocabulary import Category, HelpForm, Urgency
from matching.directory.models import Jurisdiction
from matching.directory.place_names import place_name

from .models import CaseStatus, DiscoveryReport, DuplicateFlag, Member, Referral


class PlaceChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        if obj.level == Jurisdiction.Level.STREET and obj.parent_id:
            return f"{place_name(obj.parent.name)} · {place_name(obj.name)}"
        return place_name(obj.name)


def place_queryset():
    return (
        Jurisdiction.objects.filter(
            level__in=[Jurisdiction.Level.DISTRICT, Jurisdiction.Level.STREET]
        )
        .select_related("parent")
        .order_by("path")
    )


class IdNumberField(forms.CharField):
    default_validators = [validate_id_number]

    def to_python(self, value):
        return normalize_id_number(super().to_python(value))


class PhoneField(forms.CharField):
    default_validators = [validate_phone]

    def to_python(self, value):
        return normalize_phone(super().to_python(value))


class OnlineApplicationForm(forms.Form):
    name = forms.CharField(label=_("申请人姓名"), max_length=64)
    id_number = IdNumberField(label=_("身份证号码"), max_length=20)
    phone = PhoneField(
        label=_("联系电话"), max_length=20, help_text=_("查询办理进度时需要输入手机号后四位。")
    )
    jurisdiction = PlaceChoiceField(
        label=_("所在街道(乡镇)"), queryset=place_queryset(), empty_label=_("请选择")
    )
    address = forms.CharField(label=_("家庭住址"), max_length=200)
    categories = forms.MultipleChoiceField(
        label=_("申请救助类别"), choices=Category.choices, widget=forms.CheckboxSelectMultiple
    )
    help_forms = forms.MultipleChoiceField(
        label=_("需要的帮扶形式"),
        choices=HelpForm.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    urgency = forms.ChoiceField(
        label=_("紧急程度"),
        choices=Urgency.choices,
        initial=Urgency.NORMAL,
        widget=forms.RadioSelect,
        help_text=_("突发灾害、意外事故、重大疾病等请选择“紧急”。"),
    )
    description = forms.CharField(
        label=_("困难情况说明"), max_length=2000, widget=forms.Textarea(attrs={"rows": 5})
    )
    pledge = forms.BooleanField(
        label=_("本人承诺所填信息真实有效，同意民政部门依法核对家庭经济状况。")
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["jurisdiction"].queryset = place_queryset()


class StatusLookupForm(forms.Form):
    receipt_number = forms.CharField(label=_("受理编号"), max_length=20)
    phone_last4 = forms.RegexField(
        label=_("联系电话后四位"),
        regex=r"^\d{4}$",
        max_length=4,
        error_messages={"invalid": _("请输入 4 位数字。")},
    )


# Decision forms never pre-select a choice: the first option is this empty one
# and the field is required, so nothing is decided by pressing the button alone.
NO_CHOICE = ("", _("—— 请选择 ——"))


def with_empty_choice(choices):
    return [NO_CHOICE, *[(value, label) for value, label in choices if value != ""]]


class ConfirmIrreversibleMixin:
    """A decision that cannot be undone is applied only with ``confirm`` ticked
    (checked here, on the server, not by a script in the page).

    ``decision_field`` names the choice; ``irreversible`` its values that need
    the confirmation."""

    decision_field = ""
    irreversible = frozenset()

    def add_confirm_field(self, help_text=""):
        self.fields["confirm"] = forms.BooleanField(
            label=_("我已核实：此决定不可撤销，确认提交"), required=False, help_text=help_text
        )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get(self.decision_field) in self.irreversible and not cleaned.get("confirm"):
            self.add_error("confirm", _("此决定不可撤销，请勾选确认后再提交。"))
        return cleaned


class TransitionForm(ConfirmIrreversibleMixin, forms.Form):
    decision_field = "to_status"
    # Rejecting and closing end the case's path: no reopening from closed, and
    # a rejection notifies the applicant.
    irreversible = frozenset({CaseStatus.REJECTED, CaseStatus.CLOSED})

    to_status = forms.ChoiceField(
        label=_("变更为"), error_messages={"required": _("请选择要变更的状态。")}
    )
    note = forms.CharField(
        label=_("说明"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, targets=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_status"].choices = with_empty_choice((t.value, t.label) for t in targets)
        self.add_confirm_field(_("变更为“不予批准”或“已办结”时须勾选。"))


class ReferralForm(forms.Form):
    department = forms.ModelChoiceField(label=_("承办部门"), queryset=None)
    category = forms.ChoiceField(label=_("救助类别"), choices=Category.choices)
    note = forms.CharField(
        label=_("转办说明"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, departments, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = departments


class ReferralAnswerForm(ConfirmIrreversibleMixin, forms.ModelForm):
    decision_field = "outcome"
    # An answer cannot be changed; refusing help needs the confirmation.
    irreversible = frozenset({Referral.Outcome.DECLINED, Referral.Outcome.NOT_RESPONSIBLE})

    class Meta:
        model = Referral
        fields = ["outcome", "answer"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["outcome"].choices = with_empty_choice(Referral.Outcome.choices)
        self.fields["outcome"].required = True
        self.fields["outcome"].error_messages["required"] = _("请选择办理结果。")
        self.add_confirm_field(_("答复“不符合条件”或“非本部门职责”时须勾选。"))

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("outcome"):
            raise ValidationError(_("请选择办理结果。"))
        return cleaned


class AdjudicationForm(ConfirmIrreversibleMixin, forms.ModelForm):
    decision_field = "decision"
    # "Duplicate" denies the aid; an adjudication is final.
    irreversible = frozenset({DuplicateFlag.Decision.DUPLICATE})

    class Meta:
        model = DuplicateFlag
        fields = ["decision", "note"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        decided = [
            choice
            for choice in DuplicateFlag.Decision.choices
            if choice[0] != DuplicateFlag.Decision.PENDING
        ]
        self.fields["decision"].choices = with_empty_choice(decided)
        self.fields["decision"].initial = ""
        self.add_confirm_field(_("裁定“确属重复”时须勾选。"))


class DismissForm(forms.Form):
    """Dismissing a discovery report cannot be undone: the confirmation is required."""

    reason = forms.CharField(label=_("不予受理理由"), widget=forms.Textarea(attrs={"rows": 3}))
    public_reason = forms.ChoiceField(
        label=_("对报告人说明的理由"),
        choices=with_empty_choice(DiscoveryReport.PublicReason.choices),
        help_text=_("报告人凭查询码看到的说明；不含当事人或案件的任何信息。"),
    )
    confirm = forms.BooleanField(
        label=_("我已核实：此决定不可撤销，确认提交"),
        error_messages={"required": _("此决定不可撤销，请勾选确认后再提交。")},
    )


class WindowIntakeForm(OnlineApplicationForm):
    """The window clerk's form: the applicant signs the pledge on paper."""

    title = forms.CharField(label=_("标题"), max_length=120)
    duplicate_ack = forms.BooleanField(
        label=_("已核对上方的已有申请，仍需新建本申请"), required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["pledge"]


class OpenCaseForm(forms.Form):
    title = forms.CharField(label=_("标题"), max_length=120)
    contact_phone = PhoneField(label=_("联系电话"), max_length=20)
    categories = forms.MultipleChoiceField(
        label=_("救助类别"), choices=Category.choices, widget=forms.CheckboxSelectMultiple
    )


class MemberForm(forms.Form):
    name = forms.CharField(label=_("姓名"), max_length=64)
    id_number = IdNumberField(label=_("身份证号码"), max_length=20)
    relation = forms.ChoiceField(label=_("与户主关系"), choices=Member.Relation.choices)
    phone = PhoneField(label=_("联系电话"), max_length=20, required=False)


class HouseholdMemberForm(forms.Form):
    """One row of the intake screen's household: a member other than the applicant."""

    name = forms.CharField(label=_("姓名"), max_length=64)
    id_number = IdNumberField(label=_("身份证号码"), max_length=20)
    relation = forms.ChoiceField(
        label=_("与申请人关系"),
        choices=with_empty_choice(
            (value, label) for value, label in Member.Relation.choices if value != "self"
        ),
    )
    phone = PhoneField(label=_("联系电话"), max_length=20, required=False)


class BaseMemberFormSet(forms.BaseFormSet):
    def clean(self):
        """The same ID number twice in one household is a typing slip: say which row."""
        seen = set(self.applicant_numbers)
        for form in self.forms:
            if not form.has_changed() or self._should_delete_form(form) or form.errors:
                continue
            number = form.cleaned_data.get("id_number")
            if number in seen:
                form.add_error("id_number", _("该身份证号码在本次登记中重复。"))
            seen.add(number)

    applicant_numbers = ()


MemberFormSet = forms.formset_factory(
    HouseholdMemberForm, formset=BaseMemberFormSet, extra=0, can_delete=True, max_num=20
)
