"""The signed-in user's inbox and notification settings."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from . import selectors, services
from .forms import NotificationSettingsForm


@never_cache
@login_required
def inbox(request):
    page = Paginator(selectors.message_list(user=request.user), 20).get_page(
        request.GET.get("page")
    )
    unread = selectors.unread_count(user=request.user)
    return render(request, "notifications/inbox.html", {"page": page, "unread": unread})


@never_cache
@login_required
def message_detail(request, pk):
    message = selectors.message_get(user=request.user, pk=pk)
    if message is None:
        raise Http404
    message = services.message_mark_read(message=message, user=request.user)
    return render(request, "notifications/message.html", {"message": message})


@require_POST
@login_required
def inbox_mark_all_read(request):
    count = services.messages_mark_all_read(user=request.user)
    messages.success(request, _("已将 %(n)d 条消息标为已读。") % {"n": count})
    return redirect("inbox")


@never_cache
@login_required
def notification_settings(request):
    prefs = services.settings_for(request.user)
    form = NotificationSettingsForm(
        request.POST or None, initial=NotificationSettingsForm.initial_from(prefs)
    )
    if request.method == "POST" and form.is_valid():
        services.notification_settings_update(user=request.user, **form.service_arguments())
        messages.success(request, _("通知设置已保存。"))
        return redirect("notification_settings")
    status = 400 if request.method == "POST" else 200
    return render(request, "notifications/settings.html", {"form": form}, status=status)
