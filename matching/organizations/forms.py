"""Forms of the registration page, the workspace and the staff screens.
They parse input (the type and size of a file included); services decide."""

from django import forms
from django.conf import settings
from django.contrib.auth import password_validation
from django.utils.translation import gettext_lazy as _

from matching.core.validators import normalize_phone, validate_phone
from matching.core.vocabulary import Category, HelpForm
from matching.directory.models import Jurisdiction, Organization, validate_credit_code

from .uploads import CERTIFICATE_KINDS, PHOTO_KINDS, upload_check


def _place_choices():
    return Jurisdiction.objects.filter(
        level__in=[Jurisdiction.Level.CITY, Jurisdiction.Level.DISTRICT]
    ).order_by("code")


class CertificateField(forms.FileField):
    def clean(self, data, initial=None):
        upload = super().clean(data, initial)
        if upload:
            upload_check(
                upload,
                kinds=CERTIFICATE_KINDS,
                max_bytes=settings.ORGANIZATION_CERTIFICATE_MAX_BYTES,
            )
        return upload


class MultiplePhotoInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class PhotosField(forms.FileField):
    """Several photos at once, each checked: JPEG or PNG, size-limited."""

    widget = MultiplePhotoInput(attrs={"accept": "image/jpeg,image/png"})

    def clean(self, data, initial=None):
        uploads = data if isinstance(data, list | tuple) else ([data] if data else [])
        if self.required and not uploads:
            raise forms.ValidationError(self.error_messages["required"], code="required")
        for upload in uploads:
            upload_check(upload, kinds=PHOTO_KINDS, max_bytes=settings.ORGANIZATION_PHOTO_MAX_BYTES)
        return list(uploads)


class PhoneField(forms.CharField):
    default_validators = [validate_phone]

    def to_python(self, value):
        return normalize_phone(super().to_python(value))


class CreditCodeField(forms.CharField):
    default_validators = [validate_credit_code]

    def to_python(self, value):
        return (super().to_python(value) or "").strip().upper().replace(" ", "")


class RegistrationForm(forms.Form):
    name = forms.CharField(label=_("组织名称"), max_length=128)
    credit_code = CreditCodeField(
        label=_("统一社会信用代码"),
        max_length=24,
        help_text=_("18 位，见登记证书。"),
    )
    kind = forms.ChoiceField(label=_("组织类别"), choices=Organization.Kind.choices)
    jurisdiction = forms.ModelChoiceField(
        label=_("登记管理机关所在地"),
        queryset=_place_choices(),
        empty_label=_("请选择"),
    )
    certificate = CertificateField(
        label=_("登记证书"),
        help_text=_("PDF、JPEG 或 PNG，不超过 5 MB；仅审核人员可见，绝不公开。"),
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,image/jpeg,image/png"}),
    )
    contact_name = forms.CharField(label=_("联系人姓名"), max_length=64)
    contact_phone = PhoneField(label=_("联系人手机"), max_length=20)
    contact_email = forms.EmailField(label=_("联系人电子邮箱"))
    admin_name = forms.CharField(label=_("管理员姓名"), max_length=64)
    admin_email = forms.EmailField(
        label=_("管理员电子邮箱"), help_text=_("登录账号；我们会发送确认链接到此邮箱。")
    )
    password = forms.CharField(
        label=_("密码"), widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )
    password_again = forms.CharField(
        label=_("再次输入密码"),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean(self):
        data = super().clean()
        password = data.get("password")
        if password and password != data.get("password_again"):
            self.add_error("password_again", _("两次输入的密码不一致。"))
        elif password:
            try:
                password_validation.validate_password(password)
            except forms.ValidationError as error:
                self.add_error("password", error)
        return data


class AnswerForm(forms.Form):
    answer = forms.CharField(label=_("补充说明"), widget=forms.Textarea(attrs={"rows": 4}))
    certificate = CertificateField(
        label=_("更新登记证书（可选）"),
        required=False,
        help_text=_("PDF、JPEG 或 PNG，不超过 5 MB。"),
    )


class RenewForm(forms.Form):
    certificate = CertificateField(
        label=_("更新登记证书（可选）"),
        required=False,
        help_text=_("PDF、JPEG 或 PNG，不超过 5 MB。"),
    )


class RespondForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("答复"),
        choices=[("accept", _("接受")), ("decline", _("谢绝"))],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=_("理由"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("谢绝时必填。"),
    )

    def clean(self):
        data = super().clean()
        if data.get("decision") == "decline" and not data.get("reason", "").strip():
            self.add_error("reason", _("谢绝时请填写理由。"))
        return data


class ProjectForm(forms.Form):
    title = forms.CharField(label=_("项目名称"), max_length=120)
    description = forms.CharField(label=_("项目介绍"), widget=forms.Textarea(attrs={"rows": 4}))
    categories = forms.MultipleChoiceField(
        label=_("救助类别"), choices=Category.choices, widget=forms.CheckboxSelectMultiple
    )
    help_forms = forms.MultipleChoiceField(
        label=_("帮扶形式"), choices=HelpForm.choices, widget=forms.CheckboxSelectMultiple
    )
    jurisdictions = forms.MultipleChoiceField(
        label=_("服务区域"), choices=(), widget=forms.CheckboxSelectMultiple
    )
    budget_remaining = forms.DecimalField(
        label=_("预算（元）"), required=False, min_value=0, max_digits=12, decimal_places=2
    )
    max_per_case = forms.DecimalField(
        label=_("单户上限（元）"), required=False, min_value=0, max_digits=12, decimal_places=2
    )
    slots_remaining = forms.IntegerField(label=_("名额"), required=False, min_value=0)
    starts = forms.DateField(
        label=_("开始日期"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    ends = forms.DateField(
        label=_("结束日期"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["jurisdictions"].choices = [(p.code, p.name) for p in _place_choices()]


class DeliveryReportForm(forms.Form):
    project = forms.ModelChoiceField(
        label=_("帮扶项目"), queryset=None, required=False, empty_label=_("（不针对具体项目）")
    )
    title = forms.CharField(label=_("标题"), max_length=120)
    delivered_on = forms.DateField(
        label=_("交付日期"), widget=forms.DateInput(attrs={"type": "date"})
    )
    text = forms.CharField(
        label=_("交付情况"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("不要写受助人的姓名、电话、住址等个人信息。"),
    )
    photos = PhotosField(
        label=_("照片"),
        required=False,
        help_text=_("JPEG 或 PNG，每张不超过 5 MB。只拍物品、场地或背影，不得出现任何人的面部。"),
    )
    no_faces_confirmed = forms.BooleanField(label=_("我确认照片中没有任何人的面部"), required=False)

    def __init__(self, *args, projects, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["project"].queryset = projects


class PeriodicReportForm(forms.Form):
    summary = forms.CharField(
        label=_("报告内容"),
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("本期开展的项目、服务户数、收支概况；不要写受助人的个人信息。"),
    )


# --- staff ---------------------------------------------------------------------------------


class VettingDecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("审核决定"),
        choices=[
            ("verify", _("核验通过")),
            ("ask_more", _("要求补充材料")),
            ("refuse", _("不予核验")),
        ],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=_("理由（组织可见）"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("要求补充材料或不予核验时必填。"),
    )


class DeliveryReviewForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("审核决定"),
        choices=[("publish", _("公开")), ("return", _("退回"))],
        widget=forms.RadioSelect,
    )
    faces_checked = forms.BooleanField(
        label=_("我已逐张查看照片，没有任何人的面部"), required=False
    )
    reason = forms.CharField(
        label=_("理由（组织可见）"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("退回时必填。"),
    )
