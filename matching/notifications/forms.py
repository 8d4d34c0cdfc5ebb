from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from matching.core.validators import normalize_phone, validate_phone

from .models import Channel, EventKind


class NotificationSettingsForm(forms.Form):
    language = forms.ChoiceField(label=_("消息语言"), choices=settings.LANGUAGES)
    phone = forms.CharField(
        label=_("接收短信的手机号"),
        required=False,
        max_length=20,
        help_text=_("选择短信接收时必须填写。"),
    )
    quiet_start = forms.TimeField(
        label=_("短信免打扰开始"),
        required=False,
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
    )
    quiet_end = forms.TimeField(
        label=_("短信免打扰结束"),
        required=False,
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        help_text=_("免打扰时段内的短信会在时段结束时发送，不会丢失。"),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for kind in EventKind:
            self.fields[f"kind_{kind.value}"] = forms.MultipleChoiceField(
                label=kind.label,
                choices=Channel.choices,
                required=False,
                widget=forms.CheckboxSelectMultiple,
            )

    @classmethod
    def initial_from(cls, prefs):
        initial = {
            "language": prefs.language,
            "phone": prefs.phone,
            "quiet_start": prefs.quiet_start,
            "quiet_end": prefs.quiet_end,
        }
        for kind in EventKind:
            initial[f"kind_{kind.value}"] = sorted(prefs.channels_for(kind.value))
        return initial

    def clean_phone(self):
        phone = normalize_phone(self.cleaned_data["phone"])
        if phone:
            validate_phone(phone)
        return phone

    def clean(self):
        data = super().clean()
        if (data.get("quiet_start") is None) != (data.get("quiet_end") is None):
            raise ValidationError(_("免打扰时段须同时填写开始和结束时间。"))
        wants_sms = any(Channel.SMS in data.get(f"kind_{k.value}", []) for k in EventKind)
        if wants_sms and not data.get("phone") and "phone" not in self.errors:
            self.add_error("phone", _("选择了短信接收，请填写手机号。"))
        return data

    def service_arguments(self):
        data = self.cleaned_data
        return {
            "language": data["language"],
            "phone": data["phone"],
            "quiet_start": data["quiet_start"],
            "quiet_end": data["quiet_end"],
            "channels": {k.value: data.get(f"kind_{k.value}", []) for k in EventKind},
        }
