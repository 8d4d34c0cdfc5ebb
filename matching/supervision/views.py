"""Supervision screens in the Wagtail admin: the dashboard, its exports and the PDF.

Each view finds the reader's subtree, parses the filter, reads the figures
through one selector and renders them; a unit outside the subtree is refused
(403), a malformed filter answered with its Chinese message.
"""

from functools import wraps

from django.http import HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from matching.core.errors import DomainError
from matching.directory.models import Jurisdiction

from . import exports, report, services
from .forms import SupervisionFilterForm
from .selectors import supervision_figures, supervision_root_for
from .tables import chart_data, figure_tables

CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pdf": "application/pdf",
}


class OutOfScope(DomainError):
    """The reader asked for a unit outside their subtree."""

    http_status = 403


def answers_403(view):
    """A unit outside the reader's subtree is refused with 403 and a Chinese page
    (not Wagtail's redirect to the dashboard, which would hide it from a download)."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except OutOfScope:
            return render(request, "supervision/forbidden.html", status=403)

    return wrapped


def _filter_form(request):
    root = supervision_root_for(user=request.user)
    if root is None:
        raise OutOfScope
    data = request.GET.copy()
    code = data.get("jurisdiction", "").strip()
    asked = Jurisdiction.objects.filter(code=code).first() if code else None
    if asked is not None and not root.contains(asked):
        raise OutOfScope
    if data and not code:
        data["jurisdiction"] = root.code
    return SupervisionFilterForm(data, root=root)


@answers_403
def dashboard(request):
    form = _filter_form(request)
    context = {"form": form, "query": request.GET.urlencode()}
    if not form.is_bound or form.is_valid():
        jurisdiction, start, end, label = form.selection()
        figures = supervision_figures(jurisdiction=jurisdiction, start=start, end=end)
        context |= {
            "figures": figures,
            "tables": figure_tables(figures),
            "charts": chart_data(figures),
            "period_label": label,
        }
    return render(request, "supervision/dashboard.html", context)


def _file_name(figures, label, extension):
    return f"supervision-{figures.jurisdiction.code}-{figures.start:%Y%m%d}.{extension}"


@answers_403
def download(request, file_format):
    form = _filter_form(request)
    if form.is_bound and not form.is_valid():
        errors = "；".join(message for messages in form.errors.values() for message in messages)
        return HttpResponse(
            _("筛选条件有误：%(errors)s") % {"errors": errors},
            status=400,
            content_type="text/plain; charset=utf-8",
        )
    jurisdiction, start, end, label = form.selection()
    figures = supervision_figures(jurisdiction=jurisdiction, start=start, end=end)
    if file_format == "pdf":
        body = report.report_pdf(figures=figures, label=label)
    else:
        build = exports.figures_csv if file_format == "csv" else exports.figures_xlsx
        body = build(figures=figures, tables=figure_tables(figures), label=label)
    services.supervision_export_record(
        actor=request.user, jurisdiction=jurisdiction, start=start, end=end, file_format=file_format
    )
    response = HttpResponse(body, content_type=CONTENT_TYPES[file_format])
    name = _file_name(figures, label, file_format)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
