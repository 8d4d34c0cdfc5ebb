"""近亲属备案 in the Wagtail admin: each staff member manages only their own
registrations. The ID number is typed once and then only shown masked;
registering and withdrawing go through ``relatives`` (audited)."""

from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.ui.tables import Column, DateColumn, TitleColumn
from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies.base import BasePermissionPolicy
from wagtail.permissions import register_permission_policy

from matching.core.admin import scoped_index
from matching.core.errors import refusal_show
from matching.core.validators import normalize_id_number, validate_id_number
from matching.directory.selectors import staff_profile

from . import relatives
from .models import NearRelative


class OwnRegistrationsPolicy(BasePermissionPolicy):
    """Civil-affairs staff view, add and withdraw their own registrations; nobody edits."""

    ACTIONS = ("view", "add", "delete")

    def user_has_permission(self, user, action):
        return action in self.ACTIONS and staff_profile(user) is not None

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, action) for action in actions)

    def user_has_permission_for_instance(self, user, action, instance):
        return self.user_has_permission(user, action) and instance.staff_id == user.pk

    def users_with_any_permission(self, actions):
        return get_user_model().objects.none()


register_permission_policy(NearRelative, OwnRegistrationsPolicy(NearRelative))


class NearRelativeForm(WagtailAdminModelForm):
    id_number_entry = forms.CharField(
        label=_("身份证号码"),
        max_length=20,
        help_text=_("加密保存，仅用于回避比对；保存后只显示脱敏号码。"),
    )

    class Meta:
        model = NearRelative
        fields = ["relation", "name"]

    def clean_id_number_entry(self):
        number = normalize_id_number(self.cleaned_data["id_number_entry"])
        validate_id_number(number)
        return number


def _own_registrations(*, user):
    return NearRelative.objects.filter(staff_id=user.pk)


class NearRelativeCreateView(generic.CreateView):
    def get_success_buttons(self):
        return []  # there is no edit view

    def save_instance(self):
        data = self.form.cleaned_data
        try:
            return relatives.near_relative_register(
                staff=self.request.user,
                id_number=data["id_number_entry"],
                relation=data["relation"],
                name=data["name"],
            )
        except ValidationError as error:
            refusal_show(self.request, error, form=self.form, field="id_number_entry")
            raise

    def form_valid(self, form):
        try:
            return super().form_valid(form)
        except ValidationError:
            return self.form_invalid(form)


class NearRelativeDeleteView(generic.DeleteView):
    def get_queryset(self):
        return _own_registrations(user=self.request.user)

    def delete_action(self):
        relatives.near_relative_remove(staff=self.request.user, relative=self.object)


class NearRelativeViewSet(ModelViewSet):
    model = NearRelative
    name = "near_relatives"
    menu_label = _("近亲属备案")
    icon = "group"
    menu_order = 820
    add_to_admin_menu = True
    copy_view_enabled = False
    inspect_view_enabled = False
    form_fields = ["relation", "name"]
    index_view_class = scoped_index(_own_registrations)
    add_view_class = NearRelativeCreateView
    delete_view_class = NearRelativeDeleteView
    list_display = [
        Column("relation", label=_("关系"), accessor="get_relation_display"),
        Column("name", label=_("姓名")),
        TitleColumn(
            "id_masked",
            label=_("身份证号码（脱敏）"),
            get_url=lambda relative: reverse("near_relatives:delete", args=[relative.pk]),
        ),
        DateColumn("registered_at", label=_("备案时间")),
    ]

    def get_form_class(self, for_update=False):
        return NearRelativeForm  # there is no edit view: withdraw and register again

    def get_common_view_kwargs(self, **kwargs):
        view_kwargs = super().get_common_view_kwargs(**kwargs)
        for name in ("edit", "history", "usage"):
            view_kwargs[f"{name}_url_name"] = None
        return view_kwargs

    def get_urlpatterns(self):
        kept = {"index", "index_results", "add", "delete"}
        return [url for url in super().get_urlpatterns() if url.name in kept]
