"""The dashboard's filter: which unit (inside the reader's subtree) and which period."""

import datetime
import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from matching.directory.models import Jurisdiction

from .selectors import supervised_jurisdictions

MONTH = re.compile(r"^(\d{4})-(\d{2})$")
LONGEST_RANGE_DAYS = 366


def month_bounds(text):
    """ "2026-10" -> (date(2026, 10, 1), date(2026, 11, 1)); ValueError when malformed."""
    found = MONTH.match(text.strip())
    if not found:
        raise ValueError(text)
    year, month = int(found[1]), int(found[2])
    first = datetime.date(year, month, 1)
    following = datetime.date(year + (month == 12), month % 12 + 1, 1)
    return first, following


def local_midnight(day):
    """00:00 of ``day`` in the site's time zone (Beijing), as an aware datetime."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time()))


def period_label(first, following):
    last = following - datetime.timedelta(days=1)
    if first.day == 1 and following == month_bounds(f"{first:%Y-%m}")[1]:
        return _("%(year)s年%(month)s月") % {"year": first.year, "month": first.month}
    return _("%(first)s 至 %(last)s") % {"first": first.isoformat(), "last": last.isoformat()}


class SupervisionFilterForm(forms.Form):
    jurisdiction = forms.ChoiceField(label=_("辖区"))
    month = forms.CharField(
        label=_("月份"),
        required=False,
        widget=forms.TextInput(attrs={"type": "month"}),
        help_text=_("按月统计；填写下方起止日期时以日期为准。"),
    )
    start = forms.DateField(
        label=_("开始日期"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    end = forms.DateField(
        label=_("结束日期（含）"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, data=None, *, root):
        self.root = root
        initial = {"jurisdiction": root.code, "month": f"{timezone.localdate():%Y-%m}"}
        super().__init__(data if data else None, initial=initial)
        units = supervised_jurisdictions(root=root)
        depth = root.path.count("/")
        self.fields["jurisdiction"].choices = [
            (unit.code, "　" * (unit.path.count("/") - depth) + unit.name) for unit in units
        ]

    def clean_month(self):
        month = self.cleaned_data["month"].strip()
        if month:
            try:
                month_bounds(month)
            except ValueError:
                raise ValidationError(_("月份格式应为 年-月，例如 2026-10。")) from None
        return month

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if bool(start) != bool(end):
            raise ValidationError(_("请同时填写开始日期和结束日期。"))
        if start and end:
            if end < start:
                raise ValidationError(_("结束日期不能早于开始日期。"))
            if (end - start).days >= LONGEST_RANGE_DAYS:
                raise ValidationError(_("统计区间最长一年。"))
            data["first"], data["following"] = start, end + datetime.timedelta(days=1)
        elif "month" in data:
            month = data["month"] or f"{timezone.localdate():%Y-%m}"
            data["first"], data["following"] = month_bounds(month)
        return data

    def selection(self):
        """(jurisdiction, start, end, label) of a valid form, or the defaults when unbound."""
        if not self.is_bound:
            first, following = month_bounds(self.initial["month"])
            jurisdiction = self.root
        else:
            data = self.cleaned_data
            first, following = data["first"], data["following"]
            jurisdiction = Jurisdiction.objects.get(code=data["jurisdiction"])
        return (
            jurisdiction,
            local_midnight(first),
            local_midnight(following),
            period_label(first, following),
        )
