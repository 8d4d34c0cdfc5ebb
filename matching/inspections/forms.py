"""Forms of the inspection screens: they parse (files included: type by first
bytes, size); the services decide."""

from django import forms
from django.conf import settings
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from matching.core.files import sniffed_kind, upload_check
from matching.directory.models import Department, Jurisdiction, Role

from .models import Finding

EVIDENCE_KINDS = ("pdf", "jpeg", "png")


class InspectionForm(forms.Form):
    title = forms.CharField(label=_("督查名称"), max_length=120)
    topic = forms.CharField(label=_("督查事项"), widget=forms.Textarea(attrs={"rows": 3}))
    scope = forms.ModelChoiceField(
        label=_("督查范围"),
        queryset=Jurisdiction.objects.filter(
            level__in=[Jurisdiction.Level.CITY, Jurisdiction.Level.DISTRICT]
        ),
    )
    starts_on = forms.DateField(label=_("开始日期"), widget=forms.DateInput(attrs={"type": "date"}))
    ends_on = forms.DateField(label=_("结束日期"), widget=forms.DateInput(attrs={"type": "date"}))
    team = forms.ModelMultipleChoiceField(
        label=_("督查组成员"),
        queryset=get_user_model().objects.filter(
            profile__role__in=[Role.CITY_STAFF, Role.INSPECTOR]
        ),
    )

    def clean(self):
        cleaned = super().clean()
        starts, ends = cleaned.get("starts_on"), cleaned.get("ends_on")
        if starts and ends and ends < starts:
            self.add_error("ends_on", _("结束日期不能早于开始日期。"))
        return cleaned


class FindingForm(forms.Form):
    unit = forms.ModelChoiceField(
        label=_("被督查单位（民政）"),
        required=False,
        queryset=Jurisdiction.objects.filter(
            level__in=[Jurisdiction.Level.DISTRICT, Jurisdiction.Level.STREET]
        ),
    )
    department = forms.ModelChoiceField(
        label=_("被督查单位（部门）"), required=False, queryset=Department.objects.all()
    )
    severity = forms.ChoiceField(label=_("问题性质"), choices=Finding.Severity.choices)
    description = forms.CharField(
        label=_("问题描述"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("不得包含申请人的姓名、身份证号码、电话或住址。"),
    )
    task = forms.CharField(label=_("整改要求"), widget=forms.Textarea(attrs={"rows": 3}))
    working_days = forms.IntegerField(
        label=_("整改期限（工作日）"), min_value=1, max_value=120, initial=20
    )

    def clean(self):
        cleaned = super().clean()
        if bool(cleaned.get("unit")) == bool(cleaned.get("department")):
            raise forms.ValidationError(_("请选择一个被督查单位：民政机构或部门，二者选一。"))
        return cleaned


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class AttachmentsField(forms.FileField):
    """Several attachments, each PDF, JPEG or PNG by its first bytes, size-limited."""

    widget = MultipleFileInput(attrs={"accept": "application/pdf,image/jpeg,image/png"})

    def clean(self, data, initial=None):
        uploads = data if isinstance(data, list | tuple) else ([data] if data else [])
        checked = []
        for upload in uploads:
            upload_check(
                upload, kinds=EVIDENCE_KINDS, max_bytes=settings.INSPECTION_EVIDENCE_MAX_BYTES
            )
            checked.append((upload, sniffed_kind(upload)))
        return checked


class EvidenceForm(forms.Form):
    text = forms.CharField(
        label=_("整改情况说明"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("不得包含申请人的姓名、身份证号码、电话或住址。"),
    )
    files = AttachmentsField(label=_("附件（PDF、JPEG 或 PNG）"), required=False)


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("审核结果"),
        choices=[("accept", _("认可整改")), ("return", _("退回重新整改"))],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=_("审核意见"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("decision") == "return" and not cleaned.get("reason", "").strip():
            self.add_error("reason", _("退回时请填写退回理由。"))
        return cleaned
