"""Funds in the Wagtail admin: a charity's social funds and a department's
government funds, listed, created and edited by the people who manage them
(``policies.FundPolicy``); every save goes through ``services.fund_save``,
which audits it. The balance is never a form field: money enters a fund only
through the ledger (gifts, or budget appropriations — docs/funding.md).
"""

from django.forms import CheckboxSelectMultiple, MultipleChoiceField
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel, ObjectList
from wagtail.admin.ui.tables import BooleanColumn, Column
from wagtail.admin.views import generic

from matching.core.admin import UndeletableViewSet, scope_object_views, scoped_index
from matching.core.vocabulary import Category, HouseholdStatus
from matching.directory.models import Jurisdiction
from matching.directory.selectors import staff_profile

from . import services
from .models import Fund, FundSource
from .policies import organization_of
from .selectors import fund_departments, fund_list_managed


def area_choices():
    """The areas an offer may serve: the city and its districts (the Project form's too)."""
    places = Jurisdiction.objects.filter(
        level__in=[Jurisdiction.Level.CITY, Jurisdiction.Level.DISTRICT]
    ).order_by("code")
    return [(place.code, place.name) for place in places]


class FundForm(WagtailAdminModelForm):
    categories = MultipleChoiceField(
        label=_("救助类别"), choices=Category.choices, widget=CheckboxSelectMultiple
    )
    jurisdictions = MultipleChoiceField(
        label=_("服务区域"),
        choices=(),
        widget=CheckboxSelectMultiple,
        required=False,
        help_text=_("不勾选表示所属组织或部门的辖区。"),
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
        adding = self.instance._state.adding
        if staff_profile(self.for_user) is not None:
            # Staff manage government funds of the departments in their jurisdiction.
            self.fields["department"].queryset = fund_departments(user=self.for_user)
            self.fields["department"].required = True
            if adding:
                self.instance.source = FundSource.GOVERNMENT
        else:
            # A charity administrator: their organization's social funds.
            del self.fields["department"]
            if adding:
                self.instance.source = FundSource.SOCIAL
                self.instance.organization = organization_of(self.for_user)
        if adding:
            self.instance.balance = 0  # the ledger fills it

    class Meta:
        model = Fund
        fields = [
            "name",
            "department",
            "categories",
            "jurisdictions",
            "max_per_case",
            "household_status_any",
            "min_age",
            "max_age",
            "active",
        ]


class FundCreateView(generic.CreateView):
    def save_instance(self):
        return services.fund_save(fund=self.form.instance, actor=self.request.user)


class FundEditView(generic.EditView):
    def save_instance(self):
        return services.fund_save(fund=self.form.instance, actor=self.request.user)


# Functions ``(request, fund) -> (label, url) | None``: links a higher app adds to
# each row of the fund list (funding: the appropriation screen).
FUND_LINKS = []


class FundLinksColumn(Column):
    cell_template_name = "offers/admin/_fund_links_cell.html"

    def get_cell_context_data(self, instance, parent_context):
        context = super().get_cell_context_data(instance, parent_context)
        request = parent_context.get("request")
        found = (link(request, instance) for link in FUND_LINKS) if request else ()
        context["links"] = [link for link in found if link]
        return context


def _owner(fund):
    return fund.department if fund.is_government else fund.organization


@scope_object_views
class FundViewSet(UndeletableViewSet):
    model = Fund
    name = "offers_funds"
    menu_label = _("基金与政府资金")
    icon = "doc-full"
    menu_order = 221
    add_to_admin_menu = True
    copy_view_enabled = False
    index_view_class = scoped_index(fund_list_managed)
    add_view_class = FundCreateView
    edit_view_class = FundEditView
    list_display = [
        "name",
        Column("source", label=_("资金来源"), accessor="get_source_display"),
        Column("owner", label=_("所属组织或部门"), accessor=_owner),
        Column("balance", label=_("可用余额（元）"), accessor="balance"),
        Column("max_per_case", label=_("单户上限（元）"), accessor="max_per_case"),
        BooleanColumn("active", label=_("启用")),
        FundLinksColumn("links", label=_("操作")),
    ]
    list_filter = ["source", "active"]
    search_fields = ["name"]
    search_backend_name = None  # the database: funds are not in Wagtail's search index
    edit_handler = ObjectList(
        [
            FieldPanel("name"),
            FieldPanel("department"),
            FieldPanel("categories"),
            FieldPanel("jurisdictions"),
            FieldPanel("max_per_case"),
            MultiFieldPanel(
                [
                    FieldPanel("household_status_any"),
                    FieldRowPanel([FieldPanel("min_age"), FieldPanel("max_age")]),
                ],
                heading=_("受助条件"),
            ),
            FieldPanel("active"),
        ],
        base_form_class=FundForm,
    )
