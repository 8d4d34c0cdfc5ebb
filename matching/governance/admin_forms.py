"""Admin forms: they parse and check the transition asked for; the services write."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm

from matching.cases.forms import ConfirmIrreversibleMixin, with_empty_choice
from matching.core.validators import normalize_id_number, validate_id_number
from matching.directory.models import DishonestyRecord

from .models import Complaint


class ComplaintHandleForm(ConfirmIrreversibleMixin, WagtailAdminModelForm):
    """Take a complaint up (no outcome) or conclude it (an outcome and a reply).

    Concluding cannot be undone: any outcome needs the confirmation."""

    decision_field = "outcome"
    irreversible = frozenset(Complaint.Outcome.values)

    class Meta:
        model = Complaint
        fields = ["outcome", "reply"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["outcome"].choices = with_empty_choice(Complaint.Outcome.choices)
        self.add_confirm_field(_("选择办理结果即办结，须勾选。"))

    def clean(self):
        cleaned = super().clean()
        if self.instance.status == Complaint.Status.CONCLUDED:
            raise ValidationError(_("该投诉已办结。"))
        if cleaned.get("outcome") and not cleaned.get("reply", "").strip():
            self.add_error("reply", _("办结时请填写答复意见。"))
        return cleaned


class DishonestyDecisionForm(ConfirmIrreversibleMixin, WagtailAdminModelForm):
    """A new record: an organization, or an applicant named by ID number (kept as a blind index).

    A sanction: the subject kind is chosen, never pre-selected, and the record
    is written only with the confirmation (only an appeal lifts it)."""

    decision_field = "subject_kind"
    irreversible = frozenset(DishonestyRecord.SubjectKind.values)

    applicant_id_number = forms.CharField(
        label=_("申请人身份证号码"),
        required=False,
        max_length=20,
        help_text=_("失信主体为申请人时填写；仅保存不可逆的索引。"),
    )

    class Meta:
        model = DishonestyRecord
        fields = [
            "subject_kind",
            "organization",
            "reason",
            "evidence",
            "decision",
            "starts",
            "ends",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["subject_kind"].choices = with_empty_choice(
            DishonestyRecord.SubjectKind.choices
        )
        self.initial["subject_kind"] = ""
        self.add_confirm_field()

    def clean_applicant_id_number(self):
        value = self.cleaned_data.get("applicant_id_number", "")
        if value:
            value = normalize_id_number(value)
            validate_id_number(value)
        return value

    def clean(self):
        cleaned = super().clean()
        applicant = cleaned.get("subject_kind") == DishonestyRecord.SubjectKind.APPLICANT
        if applicant and not cleaned.get("applicant_id_number"):
            self.add_error("applicant_id_number", _("请填写申请人身份证号码。"))
        if applicant:
            cleaned["organization"] = None
        for name in ("evidence", "decision"):
            if not cleaned.get(name, "").strip():
                self.add_error(name, _("失信记录必须附有证据材料和处理决定。"))
        return cleaned


APPEAL_MOVES = {
    (DishonestyRecord.Appeal.NONE, DishonestyRecord.Appeal.FILED),
    (DishonestyRecord.Appeal.FILED, DishonestyRecord.Appeal.UPHELD),
    (DishonestyRecord.Appeal.FILED, DishonestyRecord.Appeal.OVERTURNED),
}


class DishonestyAppealForm(ConfirmIrreversibleMixin, WagtailAdminModelForm):
    """Record an appeal, or the decision on it; nothing else of a record is edited.

    The move is chosen, never pre-selected; deciding an appeal is final and
    needs the confirmation."""

    decision_field = "appeal_status"
    irreversible = frozenset({DishonestyRecord.Appeal.UPHELD, DishonestyRecord.Appeal.OVERTURNED})

    class Meta:
        model = DishonestyRecord
        fields = ["appeal_status", "appeal_reason", "appeal_decision"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["appeal_status"].choices = with_empty_choice(DishonestyRecord.Appeal.choices)
        self.initial["appeal_status"] = ""
        self.add_confirm_field(_("作出“维持”或“撤销”复核决定时须勾选。"))

    def clean(self):
        cleaned = super().clean()
        before = DishonestyRecord.objects.get(pk=self.instance.pk).appeal_status
        after = cleaned.get("appeal_status")
        if (before, after) not in APPEAL_MOVES:
            raise ValidationError(_("申诉状态不能这样变更。"))
        if after == DishonestyRecord.Appeal.FILED and not cleaned.get("appeal_reason", "").strip():
            self.add_error("appeal_reason", _("请填写申诉理由。"))
        if (
            after != DishonestyRecord.Appeal.FILED
            and not cleaned.get("appeal_decision", "").strip()
        ):
            self.add_error("appeal_decision", _("请填写复核意见。"))
        self.appeal_before = before
        return cleaned
