"""The funding app's state maps: which status each record may move to, and
the refusal when it may not (``matching.core.states``)."""

from django.utils.translation import gettext_lazy as _lazy

from matching.core.states import Transitions

from ..models import Disbursement, InKindGift, VolunteerHours

_D = Disbursement.Status
DISBURSEMENT_TRANSITIONS = Transitions(
    _D,
    {
        _D.REQUESTED: {_D.APPROVED, _D.CANCELLED},
        _D.APPROVED: {_D.POSTED, _D.CANCELLED},
        _D.POSTED: set(),
        _D.CANCELLED: set(),
    },
    messages={
        _D.APPROVED: _lazy("该拨付不在待复核状态。"),
        _D.POSTED: _lazy("该拨付尚未通过复核，不能拨付。"),
        _D.CANCELLED: _lazy("只能撤销尚未拨付的申请。"),
    },
)

# Delivered goods to a need are confirmed by the household's receipt code.
IN_KIND_TRANSITIONS = Transitions(
    InKindGift.Status,
    {InKindGift.Status.PENDING: {InKindGift.Status.DELIVERED}, InKindGift.Status.DELIVERED: {InKindGift.Status.CONFIRMED}, InKindGift.Status.CONFIRMED: set()},
    messages={InKindGift.Status.DELIVERED: _lazy("该物资已登记送达。")},
)

HOURS_TRANSITIONS = Transitions(
    VolunteerHours.Status,
    {VolunteerHours.Status.LOGGED: {VolunteerHours.Status.CONFIRMED, VolunteerHours.Status.REJECTED}, VolunteerHours.Status.CONFIRMED: set(), VolunteerHours.Status.REJECTED: set()},
    message=_lazy("该记录已处理。"),
)
