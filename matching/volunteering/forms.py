"""Forms of the volunteer's pages. They parse input; the services decide."""

import datetime
from decimal import Decimal

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from matching.cases.forms import PlaceChoiceField, place_queryset
from matching.core.vocabulary import HelpForm
from matching.offers.models import SLOTS

from .selectors import DAYS, HALVES, slot_label, verified_teams
from .services import CONSENT_TEXT, DeclineReason

RADIUS_CHOICES = [
    ("1", _("1 公里")),
    ("3", _("3 公里")),
    ("5", _("5 公里")),
    ("10", _("10 公里")),
    ("20", _("20 公里")),
]
MAX_SKILLS = 10


class SlotGrid(forms.CheckboxSelectMultiple):
    """The 14 half-day slots as a week grid (rows: days; columns: morning, afternoon)."""

    template_name = "volunteering/widgets/slot_grid.html"

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        chosen = set(value or [])
        context["days"] = [
            (
                label,
                [
                    {
                        "code": f"{day}_{half}",
                        "label": slot_label(f"{day}_{half}"),
                        "half": half_label,
                        "checked": f"{day}_{half}" in chosen,
                        "id": f"id_{name}_{day}_{half}",
                    }
                    for half, half_label in HALVES
                ],
            )
            for day, label in DAYS
        ]
        context["halves"] = [label for _code, label in HALVES]
        context["name"] = name
        return context


class SkillsField(forms.CharField):
    """Skills typed as a list separated by commas (either kind) or 、."""

    def to_python(self, value):
        text = super().to_python(value) or ""
        for separator in "，、;；\n":
            text = text.replace(separator, ",")
        skills = list(dict.fromkeys(part.strip() for part in text.split(",") if part.strip()))
        return skills

    def validate(self, value):
        super().validate(value)
        if len(value) > MAX_SKILLS:
            raise forms.ValidationError(_("最多填写 10 项技能。"))
        if any(len(skill) > 32 for skill in value):
            raise forms.ValidationError(_("每项技能不超过 32 个字。"))


class ProfileForm(forms.Form):
    name = forms.CharField(
        label=_("姓名"), max_length=64, help_text=_("用于服务时长证明，不向公众公开。")
    )
    jurisdiction = PlaceChoiceField(
        label=_("常住区域（区县或街道）"),
        queryset=place_queryset(),
        empty_label=_("请选择"),
        help_text=_("平台按区域中心估算距离，不需要您提供详细地址。"),
    )
    radius_km = forms.TypedChoiceField(
        label=_("愿意前往的距离"), choices=RADIUS_CHOICES, coerce=Decimal, initial="5"
    )
    help_forms = forms.MultipleChoiceField(
        label=_("能提供的帮扶形式"), choices=HelpForm.choices, widget=forms.CheckboxSelectMultiple
    )
    skills = SkillsField(
        label=_("技能"),
        required=False,
        help_text=_("用逗号分隔，例如：陪诊，辅导作业，理发。"),
    )
    availability = forms.MultipleChoiceField(
        label=_("每周可服务时段"), choices=[(code, code) for code in SLOTS], widget=SlotGrid
    )
    hours_per_week = forms.IntegerField(
        label=_("每周可服务小时数"), min_value=1, max_value=40, initial=2
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["jurisdiction"].queryset = place_queryset()

    def details(self):
        data = self.cleaned_data
        keys = ("jurisdiction", "skills", "radius_km", "availability", "hours_per_week")
        return {"forms": data["help_forms"], **{key: data[key] for key in keys}}


class JoinForm(ProfileForm):
    email = forms.EmailField(label=_("电子邮箱"), help_text=_("用于登录和接收确认邮件。"))
    password = forms.CharField(
        label=_("密码"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("至少 8 位，不能全为数字，不能与邮箱或姓名过于相似。"),
    )
    password_again = forms.CharField(
        label=_("再次输入密码"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    consent = forms.BooleanField(label=_("我已阅读并同意上述个人信息处理说明"))

    field_order = ["email", "password", "password_again", "name"]

    def clean(self):
        data = super().clean()
        first, second = data.get("password"), data.get("password_again")
        if first and second and first != second:
            self.add_error("password_again", _("两次输入的密码不一致。"))
        return data

    consent_text = CONSENT_TEXT


class ResendForm(forms.Form):
    email = forms.EmailField(label=_("注册时填写的电子邮箱"))


class AnswerForm(forms.Form):
    ACCEPT, DECLINE = "accept", "decline"
    answer = forms.ChoiceField(
        label=_("您的答复"),
        choices=[(ACCEPT, _("接受邀请")), (DECLINE, _("谢绝邀请"))],
        widget=forms.RadioSelect,
    )
    reason_code = forms.ChoiceField(
        label=_("谢绝理由"),
        choices=[("", _("—— 请选择 ——")), *DeclineReason.CHOICES],
        required=False,
    )
    text = forms.CharField(
        label=_("补充说明"),
        max_length=200,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class HoursForm(forms.Form):
    date = forms.DateField(
        label=_("服务日期"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    hours = forms.DecimalField(
        label=_("服务时长（小时）"),
        min_value=Decimal("0.25"),
        max_value=Decimal("24"),
        decimal_places=2,
        widget=forms.NumberInput(attrs={"step": "0.25"}),
    )
    note = forms.CharField(label=_("服务内容"), max_length=200, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["date"].initial = timezone.localdate()
        self.fields["date"].widget.attrs["max"] = timezone.localdate().isoformat()

    def clean_date(self):
        day = self.cleaned_data["date"]
        if day > timezone.localdate():
            raise forms.ValidationError(_("服务日期不能晚于今天。"))
        if day < timezone.localdate() - datetime.timedelta(days=366):
            raise forms.ValidationError(_("只能登记一年以内的服务。"))
        return day


class VerifyForm(forms.Form):
    code = forms.CharField(label=_("证明验证码"), max_length=20)


class TeamForm(forms.Form):
    organization = forms.ModelChoiceField(
        label=_("申请加入志愿服务队"),
        queryset=verified_teams(),
        empty_label=_("请选择"),
        help_text=_("加入后，由服务队确认您的服务时长并出具证明。"),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = verified_teams()


class TeamDecisionForm(forms.Form):
    APPROVE, REFUSE = "approve", "refuse"
    request_id = forms.IntegerField(widget=forms.HiddenInput)
    decision = forms.ChoiceField(
        label=_("处理"),
        choices=[(APPROVE, _("同意加入")), (REFUSE, _("谢绝"))],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(label=_("理由"), max_length=200, required=False)
