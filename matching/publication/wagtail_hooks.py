"""Staff screens of publication: public needs as a workflow-enabled snippet.

Staff see only the needs of their jurisdiction (``PublicNeedPolicy``); the
edit view's preview panel shows the de-identified text with every redaction
highlighted; approval runs through the ``需求公示审批`` workflow
(``JurisdictionApprovalTask``).
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.panels import FieldPanel, HelpPanel, ObjectList
from wagtail.admin.ui.tables import BooleanColumn, Column
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, WorkflowActionView

from matching.core.admin import scope_object_views
from matching.offers.models import Project

from .forms import PublicNeedForm
from .models import PublicNeed
from .policies import PublicNeedPolicy

register_permission_policy(PublicNeed, PublicNeedPolicy(PublicNeed))


class PublicNeedWorkflowActionView(WorkflowActionView):
    """A refused decision (e.g. a recusal) is shown with its own message on the
    edit page, not as Wagtail's generic "no permission"."""

    def post(self, request, *args, **kwargs):
        try:
            return super().post(request, *args, **kwargs)
        except PermissionDenied as refusal:
            if not str(refusal) or request.headers.get("x-requested-with") == "XMLHttpRequest":
                raise
            messages.error(request, str(refusal))
            return redirect(self.redirect_url)


@scope_object_views
class PublicNeedViewSet(SnippetViewSet):
    model = PublicNeed
    icon = "doc-full-inverse"
    menu_label = _("公示求助")
    menu_order = 210
    add_to_admin_menu = False
    inspect_view_enabled = True
    copy_view_enabled = False
    workflow_action_view_class = PublicNeedWorkflowActionView
    list_display = [
        "title",
        Column("district", label=_("区县")),
        "urgency",
        BooleanColumn("live", label=_("已批准")),
        BooleanColumn("withheld", label=_("暂不公示")),
        "updated_at",
    ]
    list_filter = ["live", "withheld", "urgency", "district"]
    search_fields = ["title", "story"]
    inspect_view_fields = [
        "title",
        "story",
        "district",
        "street",
        "age_bands",
        "size_band",
        "statuses",
        "k_steps",
        "withheld_reason",
    ]
    edit_handler = ObjectList(
        [
            HelpPanel(
                content=_(
                    "标题和说明保存时会重新去标识化，并重新进行防再识别(k-匿名)检查。"
                    "右侧“预览”中高亮显示每一处被替换的个人信息。"
                )
            ),
            FieldPanel("title"),
            FieldPanel("story"),
            FieldPanel("amount_needed"),
            FieldPanel("urgency"),
        ],
        base_form_class=PublicNeedForm,
    )

    def get_queryset(self, request):
        return (
            PublicNeedPolicy(PublicNeed)
            .instances_user_has_any_permission_for(request.user, ["change", "view"])
            .select_related("district")
        )


class PublicationGroup(ViewSetGroup):
    menu_label = _("匿名公示")
    menu_icon = "doc-full-inverse"
    menu_order = 210
    items = (PublicNeedViewSet,)


register_snippet(PublicationGroup)


@hooks.register("construct_snippet_action_menu")
def publish_only_through_the_workflow(menu_items, request, context):
    """Needs and projects go public when their workflow approves them, never directly."""
    if context.get("model") in (PublicNeed, Project):
        menu_items[:] = [item for item in menu_items if item.name != "action-publish"]
