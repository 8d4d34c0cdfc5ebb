"""Public pages: follow a gift by its tracking code, confirm receipt, transparency."""

import csv

from django.conf import settings
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django_ratelimit.decorators import ratelimit

from matching.core.errors import refusal_show
from matching.ledger.money import minor_to_yuan

from . import selectors, services
from .forms import ConfirmReceiptForm, TrackLookupForm


def track_rate(group, request):
    return settings.FUNDING_TRACK_RATE


@never_cache
@ratelimit(key="ip", rate=track_rate, method=ratelimit.ALL, group="funding.track")
def track_lookup(request):
    """The tracking-code box: a well-formed code goes to its page, anything else
    stays here with the reason."""
    form = TrackLookupForm(request.GET or None)
    if form.is_bound and form.is_valid():
        return redirect("funding:track", tracking_code=form.cleaned_data["code"])
    status = 400 if form.is_bound else 200
    return render(request, "funding/track_lookup.html", {"form": form}, status=status)


@never_cache
@ratelimit(key="ip", rate=track_rate, method=ratelimit.ALL, group="funding.track")
def track(request, tracking_code):
    path = selectors.gift_path_get(tracking_code=tracking_code)
    if path is None:
        # One friendly page, no hint whether a code ever existed.
        return render(request, "funding/track_unknown.html", status=404)
    return render(request, "funding/track.html", {"path": path, "lookup": TrackLookupForm()})


def confirm_rate(group, request):
    return settings.FUNDING_CONFIRM_RATE


@never_cache
@ratelimit(key="ip", rate=confirm_rate, method="POST", group="funding.confirm")
def confirm(request):
    """The household confirms receipt with the reference and one-time code."""
    form = ConfirmReceiptForm(request.POST or None)
    status, confirmed = 200, None
    if request.method == "POST" and not form.is_valid():
        status = 400
    elif request.method == "POST":
        try:
            confirmed = services.confirmation_confirm(**form.cleaned_data)
        except services.ConfirmationRefused as refused:
            refusal_show(request, refused, form=form)  # one message whatever was wrong
            status = 400
    context = {"form": form if confirmed is None else None, "confirmed": confirmed}
    return render(request, "funding/confirm.html", context, status=status)


TRANSPARENCY_HEADERS = [
    gettext_lazy("救助类别"),
    gettext_lazy("区县"),
    gettext_lazy("已筹(元)"),
    gettext_lazy("已拨付(元)"),
    gettext_lazy("结余(元)"),
    gettext_lazy("物资估值(元)"),
    gettext_lazy("志愿服务(小时)"),
]


@ratelimit(key="ip", rate=track_rate, method=ratelimit.ALL, group="funding.transparency")
def transparency(request):
    flows = selectors.transparency_flows()
    context = {
        "flows": flows,
        "totals": selectors.transparency_totals(flows),
        "min_needs": settings.TRANSPARENCY_MIN_NEEDS,
        "lookup": TrackLookupForm(),
    }
    return render(request, "funding/transparency.html", context)


@ratelimit(key="ip", rate=track_rate, method=ratelimit.ALL, group="funding.transparency")
def transparency_csv(request):
    flows = selectors.transparency_flows()
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="transparency.csv"'
    response.write("\ufeff")  # the BOM: Excel then reads the Chinese as UTF-8
    writer = csv.writer(response)
    writer.writerow([str(header) for header in TRANSPARENCY_HEADERS])
    for flow in [*flows, selectors.transparency_totals(flows)]:
        writer.writerow(
            [
                flow.category,
                flow.district,
                minor_to_yuan(flow.raised_minor),
                minor_to_yuan(flow.disbursed_minor),
                minor_to_yuan(flow.balance_minor),
                minor_to_yuan(flow.in_kind_minor),
                flow.volunteer_hours,
            ]
        )
    return response
