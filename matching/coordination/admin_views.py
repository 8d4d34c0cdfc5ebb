"""The joint-meeting screens in the Wagtail admin. Each view checks who reads,
parses one form, calls one service or selector and renders or redirects."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from matching.cases.clock import clock
from matching.core import workqueue
from matching.core.admin import reported_errors
from matching.directory.models import Role
from matching.directory.selectors import profile_get

from . import selectors, services
from .forms import AgendaItemForm, DecisionForm, MeetingForm, TaskDoneForm
from .minutes import meeting_minutes_pdf
from .models import AgendaItem, MeetingTask

TASKS_PER_PAGE = 50


def _with_clocks(tasks):
    tasks = list(tasks)
    for task in tasks:
        task.clock = clock(task.due_at, done=task.status == MeetingTask.Status.DONE)
    return tasks


def _is_liaison(user):
    profile = profile_get(user=user)
    return profile is not None and profile.role == Role.LIAISON


def overview(request):
    """Sessions in scope, open tasks per department (overdue first), and the
    form that schedules a session."""
    if _is_liaison(request.user):
        return redirect("coordination_department")
    profile = profile_get(user=request.user)
    if profile is None or profile.role not in selectors.READERS:
        raise PermissionDenied
    bodies = selectors.meeting_body_list(user=request.user)
    mine = [body.pk for body in bodies if services.may_convene(request.user, body)]
    convenable = bodies.filter(pk__in=mine)
    form = MeetingForm(request.POST or None, bodies=convenable) if convenable.exists() else None
    if request.method == "POST":
        if form is None:
            raise PermissionDenied
        if form.is_valid():
            with reported_errors(request, form=form) as outcome:
                meeting = services.meeting_schedule(actor=request.user, **form.cleaned_data)
            if outcome.ok:
                messages.success(request, _("已安排会议。"))
                return redirect("coordination_meeting", pk=meeting.pk)
    context = {
        "meetings": selectors.meeting_list(user=request.user)[:20],
        "loads": selectors.open_tasks_by_department(user=request.user),
        "now": timezone.now(),
        "form": form,
    }
    return render(
        request, "coordination/overview.html", context, status=422 if form and form.errors else 200
    )


def tasks(request):
    """Every task in scope, open and overdue first (the dashboard's queue opens here)."""
    profile = profile_get(user=request.user)
    if profile is None or profile.role not in selectors.TASK_READERS:
        raise PermissionDenied
    queue = workqueue.queue_get(request.GET.get("queue", ""))
    if queue is not None and queue.index_url_name == "coordination_tasks":
        code = request.GET.get("unit")
        unit = workqueue.unit_get(user=request.user, code=code) if code else None
        rows = queue.list_rows(user=request.user, unit=unit)
    else:
        queue, rows = None, selectors.task_list(user=request.user)
    page = Paginator(rows, TASKS_PER_PAGE).get_page(request.GET.get("p"))
    context = {"tasks": _with_clocks(page.object_list), "page_obj": page, "queue": queue}
    # A TemplateResponse, as the generic index views answer: tests read its context.
    return TemplateResponse(request, "coordination/tasks.html", context)


def meeting(request, pk):
    """One session: its agenda, decisions and tasks; convenors add cases to the agenda."""
    session = selectors.meeting_get(user=request.user, pk=pk)
    if session is None:
        raise Http404
    convenes = services.may_convene(request.user, session.body)
    form = AgendaItemForm(request.POST or None) if convenes else None
    if request.method == "POST":
        if form is None:
            raise PermissionDenied
        if form.is_valid():
            data = form.cleaned_data
            with reported_errors(request, form=form) as outcome:
                services.agenda_item_add(
                    meeting=session,
                    case=data["case"],
                    question=data["question"],
                    reason=data["reason"],
                    actor=request.user,
                )
            if outcome.ok:
                messages.success(request, _("已列入会议议题。"))
                return redirect("coordination_meeting", pk=session.pk)
    items = list(selectors.agenda_item_list(meeting=session))
    for item in items:
        item.task_rows = _with_clocks(item.tasks.all())
        item.categories = selectors.category_text(item.case)
    context = {"meeting": session, "items": items, "form": form, "convenes": convenes}
    return render(
        request, "coordination/meeting.html", context, status=422 if form and form.errors else 200
    )


def item_decide(request, pk):
    """Record the meeting's decision on one agenda item and the tasks it gives."""
    item = AgendaItem.objects.select_related("meeting__body", "case").filter(pk=pk).first()
    if item is None or selectors.meeting_get(user=request.user, pk=item.meeting_id) is None:
        raise Http404
    if not services.may_convene(request.user, item.meeting.body):
        raise PermissionDenied
    form = DecisionForm(request.POST or None, departments=item.meeting.body.members.all())
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        with reported_errors(request, form=form) as outcome:
            services.agenda_item_decide(
                item=item,
                outcome=data["outcome"],
                decision=data["decision"],
                tasks=data["tasks"],
                actor=request.user,
            )
        if outcome.ok:
            messages.success(request, _("已记录会议决定。"))
            return redirect("coordination_meeting", pk=item.meeting_id)
    return render(
        request,
        "coordination/decide.html",
        {"item": item, "form": form},
        status=422 if form.errors else 200,
    )


def minutes_pdf(request, pk):
    session = selectors.meeting_get(user=request.user, pk=pk)
    if session is None:
        raise Http404
    response = HttpResponse(meeting_minutes_pdf(meeting=session), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="minutes-{session.pk}.pdf"'
    return response


def department(request):
    """The liaison's screen: only what their department needs, and the form that
    reports a task done."""
    if not _is_liaison(request.user):
        raise PermissionDenied
    form = TaskDoneForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        task = selectors.task_list(user=request.user).filter(pk=form.cleaned_data["task"]).first()
        if task is None:
            raise Http404
        with reported_errors(request) as outcome:
            services.meeting_task_complete(
                task=task, result=form.cleaned_data["result"], actor=request.user
            )
        if outcome.ok:
            messages.success(request, _("已报告办结。"))
        return redirect("coordination_department")
    items = selectors.department_item_list(user=request.user)
    for item in items:
        item.tasks = _with_clocks(item.tasks)
    profile = profile_get(user=request.user)
    context = {"items": items, "department": profile.department, "form_errors": form.errors}
    return render(
        request, "coordination/department.html", context, status=422 if form.errors else 200
    )


def urls():
    from django.urls import path

    return [
        path("coordination/", overview, name="coordination_overview"),
        path("coordination/tasks/", tasks, name="coordination_tasks"),
        path("coordination/department/", department, name="coordination_department"),
        path("coordination/meeting/<int:pk>/", meeting, name="coordination_meeting"),
        path("coordination/meeting/<int:pk>/minutes.pdf", minutes_pdf, name="coordination_minutes"),
        path("coordination/item/<int:pk>/decide/", item_decide, name="coordination_decide"),
    ]
