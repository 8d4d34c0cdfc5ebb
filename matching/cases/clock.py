"""A deadline as staff read it: the absolute time, the time left or overdue in
words, and a state (overdue, due soon, on time, done) shown in colour, icon
and text together, never by colour or bold type alone."""

from dataclasses import dataclass
from datetime import timedelta

from django.utils import timezone
from django.utils.translation import gettext as _

DUE_SOON = timedelta(hours=24)


@dataclass(frozen=True)
class Clock:
    state: str  # "overdue" | "soon" | "ok" | "done"
    icon: str
    text: str


def _span(delta):
    minutes = max(1, int(delta.total_seconds() // 60))
    days, hours = divmod(minutes // 60, 24)
    if days:
        return (
            _("%(d)d 天 %(h)d 小时") % {"d": days, "h": hours}
            if hours
            else _("%(d)d 天") % {"d": days}
        )
    if hours:
        return _("%(h)d 小时") % {"h": hours}
    return _("%(m)d 分钟") % {"m": minutes}


def clock(due, *, done=False, now=None):
    """ "截止 12月8日 17:00 · 已超期 2 小时" and its state; None without a deadline."""
    if due is None:
        return None
    now = now or timezone.now()
    local = timezone.localtime(due)
    when = _("截止 %(month)d月%(day)d日 %(time)s") % {
        "month": local.month,
        "day": local.day,
        "time": local.strftime("%H:%M"),
    }
    if done:
        return Clock("done", "success", _("%(when)s · 已按时办理") % {"when": when})
    if due < now:
        return Clock(
            "overdue",
            "warning",
            _("%(when)s · 已超期 %(span)s") % {"when": when, "span": _span(now - due)},
        )
    state, icon = ("soon", "time") if due - now <= DUE_SOON else ("ok", "date")
    return Clock(
        state, icon, _("%(when)s · 剩余 %(span)s") % {"when": when, "span": _span(due - now)}
    )
