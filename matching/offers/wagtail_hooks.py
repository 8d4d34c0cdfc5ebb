"""Charity projects (and funds, match review: fund_admin, match_admin) in the Wagtail admin.

A charity's users create and edit their own organization's projects (and
nothing else: ``ProjectPolicy``); staff moderate them through the
``帮扶项目审核`` workflow, which approves only a verified organization's
project. Publishing is never granted directly: a project goes live when the
workflow approves it.
"""

from django.forms import CheckboxSelectMultiple, MultipleChoiceField
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.menu import MenuItem
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel, ObjectList
from wagtail.admin.ui.tables import BooleanColumn
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from matching.cases.admin_views import CASE_SECTIONS
from matching.core.admin import scope_object_views
from matching.core.vocabulary import Category, HelpForm, HouseholdStatus
from matching.directory.models import Organization
from matching.directory.selectors import staff_profile

from .fund_admin import FundViewSet, area_choices
from .match_admin import MatchQueueViewSet, admin_urls
from .models import Fund, Project
from .policies import FundPolicy, ProjectPolicy, organization_of

register_permission_policy(Project, ProjectPolicy(Project))
register_permission_policy(Fund, FundPolicy(Fund))


class ProjectForm(WagtailAdminModelForm):
    categories = MultipleChoiceField(
        label=_("救助类别"), choices=Category.choices, widget=CheckboxSelectMultiple
    )
    forms = MultipleChoiceField(
        label=_("帮扶形式"), choices=HelpForm.choices, widget=CheckboxSelectMultiple
    )
    jurisdictions = MultipleChoiceField(
        label=_("服务区域"), choices=(), widget=CheckboxSelectMultiple
    )
    household_status_any = MultipleChoiceField(
        label=_("适用家庭类型"),
        choices=HouseholdStatus.choices,
        widget=CheckboxSelectMultiple,
        required=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["jurisdictions"].choices = area_choices()
        organization = organization_of(self.for_user) if self.for_user else None
        if organization is not None and "organization" in self.fields:
            # A charity user files projects for their own organization only.
            field = self.fields["organization"]
            field.queryset = Organization.objects.filter(pk=organization.pk)
            field.initial = organization.pk


@scope_object_views
class ProjectViewSet(SnippetViewSet):
    model = Project
    icon = "folder-open-inverse"
    menu_label = _("帮扶项目")
    menu_order = 220
    add_to_admin_menu = True
    copy_view_enabled = False
    list_display = ["title", "organization", "status", BooleanColumn("live", label=_("已发布"))]
    list_filter = ["status", "live", "organization"]
    search_fields = ["title", "description"]
    edit_handler = ObjectList(
        [
            FieldPanel("organization"),
            FieldPanel("title"),
            FieldPanel("description"),
            FieldPanel("categories"),
            FieldPanel("forms"),
            FieldPanel("jurisdictions"),
            MultiFieldPanel(
                [
                    FieldPanel("household_status_any"),
                    FieldRowPanel([FieldPanel("min_age"), FieldPanel("max_age")]),
                ],
                heading=_("受助条件"),
            ),
            FieldRowPanel(
                [
                    FieldPanel("budget_remaining"),
                    FieldPanel("max_per_case"),
                    FieldPanel("slots_remaining"),
                ]
            ),
            FieldRowPanel([FieldPanel("starts"), FieldPanel("ends")]),
        ],
        base_form_class=ProjectForm,
    )

    def get_queryset(self, request):
        return (
            ProjectPolicy(Project)
            .instances_user_has_any_permission_for(request.user, ["change", "view"])
            .select_related("organization")
        )


register_snippet(ProjectViewSet)


# Funds: social and government (fund_admin.py).
@hooks.register("register_admin_viewset")
def register_fund_admin():
    return FundViewSet()


# The match review queue (match_admin.py, the matcher's screens).
@hooks.register("register_admin_viewset")
def register_match_queue():
    return MatchQueueViewSet()


@hooks.register("register_admin_urls")
def register_match_review_urls():
    return admin_urls()


class EmergencyLaneMenuItem(MenuItem):
    def is_shown(self, request):
        return staff_profile(request.user) is not None


@hooks.register("register_admin_menu_item")
def register_emergency_lane_menu_item():
    return EmergencyLaneMenuItem(
        _("救急难快速审批"), reverse("offers_admin_emergency_lane"), icon_name="warning", order=211
    )


def _case_matches_section(request, case):
    """The case page's "匹配" tab: every match for the case, with its score in points."""
    from .explain import points

    rows = [
        {"match": match, "points": points(match.score)}
        for match in case.matches.select_related("project", "fund", "volunteer").order_by(
            "-score", "id"
        )
    ]
    return {
        "id": "matches",
        "title": _("匹配"),
        "template": "offers/admin/_case_matches.html",
        "match_rows": rows,
    }


if _case_matches_section not in CASE_SECTIONS:
    CASE_SECTIONS.append(_case_matches_section)
