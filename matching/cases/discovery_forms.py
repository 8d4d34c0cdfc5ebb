"""The public discovery-report form (/report/) and its follow form."""

from django import forms
from django.utils.translation import gettext_lazy as _

from matching.core.vocabulary import Category, Urgency

from .forms import PhoneField, PlaceChoiceField, place_queryset


class DiscoveryReportForm(forms.Form):
    jurisdiction = PlaceChoiceField(
        label=_("发现地点所在区县或街道(乡镇)"), queryset=place_queryset(), empty_label=_("请选择")
    )
    location_text = forms.CharField(
        label=_("具体位置"),
        max_length=200,
        help_text=_("例如小区、路口或附近的标志性建筑，便于工作人员找到当事人。"),
    )
    person_description = forms.CharField(
        label=_("发生了什么"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("请描述当事人遇到的困难和现状；不必填写当事人的身份证号码。"),
    )
    urgency = forms.ChoiceField(
        label=_("紧急程度"),
        choices=Urgency.choices,
        initial=Urgency.NORMAL,
        widget=forms.RadioSelect,
        help_text=_("突发灾害、意外事故、重大疾病等危及生命或基本生活的情况请选择“紧急”。"),
    )
    categories = forms.MultipleChoiceField(
        label=_("可能需要的救助（可不选）"),
        choices=Category.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    reporter_name = forms.CharField(label=_("您的称呼"), max_length=64, required=False)
    reporter_phone = PhoneField(
        label=_("您的联系电话"),
        max_length=20,
        required=False,
        help_text=_("工作人员核实情况时可能联系您。匿名报告可不填。"),
    )
    reporter_email = forms.EmailField(
        label=_("您的电子邮箱"),
        required=False,
        help_text=_("填写后，查询码也会发送到该邮箱；邮箱地址不会保存。"),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["jurisdiction"].queryset = place_queryset()


class DiscoveryFollowForm(forms.Form):
    code = forms.CharField(
        label=_("查询码"),
        max_length=40,
        help_text=_("提交报告时显示的 16 位查询码，例如 ABCD-EFGH-JKMN-PQRS。"),
    )
