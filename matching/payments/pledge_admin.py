"""Staff confirm offline pledges: one by one, or by a bank statement (CSV).

Only holders of ``payments.confirm_pledge`` (city staff: the receiving
account is the city's) see these screens. Both paths call
``pledges.pledge_confirm``; the statement's preview shows what would happen
and its confirmation re-checks everything under the pledges' row locks.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views import View
from wagtail.admin.ui.tables import Column, DateColumn, TitleColumn
from wagtail.admin.views import generic
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy

from matching.audit.models import AuditEntry
from matching.audit.services import audit_record_for
from matching.core.admin import ReadOnlyViewSet, form_flow, reported_errors
from matching.ledger.money import format_yuan, minor_to_yuan

from .forms import PledgeConfirmForm, StatementUploadForm
from .models import BankStatement, Donation, Pledge
from .pledges import pledge_confirm, transfer_reference_normalize
from .selectors import pledges_to_confirm
from .statements import (
    MAX_STATEMENT_BYTES,
    Outcome,
    statement_classify,
    statement_confirm,
    statement_upload,
)

CONFIRM_PERMISSION = "payments.confirm_pledge"


def can_confirm_pledges(user):
    return user.is_active and user.has_perm(CONFIRM_PERMISSION)


class PledgePermissionPolicy(ModelPermissionPolicy):
    """Seeing the pledges to confirm is the confirming permission, nothing else."""

    def user_has_permission(self, user, action):
        return action == "view" and can_confirm_pledges(user)

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, action) for action in actions)


class PledgeIndexView(generic.IndexView):
    def get_base_queryset(self):
        return pledges_to_confirm()

    def search_queryset(self, queryset):
        # A transfer reference as staff type it: spaces, hyphens, lower case.
        if self.search_query:
            reference = transfer_reference_normalize(self.search_query)
            return queryset.filter(transfer_reference__startswith=reference)
        return queryset


register_permission_policy(Pledge, PledgePermissionPolicy(Pledge))


def _confirm_link(donation):
    return reverse("payments_pledge_confirm", args=[donation.pk])


class PledgeViewSet(ReadOnlyViewSet):
    model = Pledge
    name = "payments_pledges"
    menu_label = _lazy("认捐到账确认")
    icon = "tick"
    add_to_reference_index = False
    index_view_class = PledgeIndexView
    search_fields = ["transfer_reference"]
    list_filter = {"status": ["exact"]}
    list_display = [
        # The reference links to the confirmation screen of that pledge.
        TitleColumn(
            "transfer_reference", label=_lazy("转账识别码（点击确认到账）"), get_url=_confirm_link
        ),
        Column("amount", label=_lazy("认捐金额"), accessor=lambda d: format_yuan(d.amount_minor)),
        Column("status", label=_lazy("状态"), accessor="get_status_display"),
        "target_code",
        DateColumn("created_at", label=_lazy("认捐时间")),
        DateColumn("pledge_expires_at", label=_lazy("有效期至")),
    ]


def _require_permission(request):
    if not can_confirm_pledges(request.user):
        raise PermissionDenied


class PledgeConfirmView(View):
    """One pledge: the bank's transaction number and the amount received."""

    template_name = "payments/admin/pledge_confirm.html"

    def dispatch(self, request, pk):
        _require_permission(request)
        self.pledge = get_object_or_404(Donation.objects.exclude(transfer_reference=""), pk=pk)
        return super().dispatch(request, pk)

    def get(self, request, pk):
        initial = {"received": str(minor_to_yuan(self.pledge.amount_minor))}
        return self._flow(request, PledgeConfirmForm(initial=initial))

    def post(self, request, pk):
        return self._flow(request, PledgeConfirmForm(request.POST))

    def _flow(self, request, form):
        return form_flow(
            request,
            form,
            perform=lambda data: pledge_confirm(
                pledge=self.pledge,
                bank_transaction_id=data["bank_transaction_id"],
                received_minor=data["received"],
                accept_difference=data["accept_difference"],
                confirmed_by=request.user,
            ),
            success_message=lambda confirmed: (
                _("认捐 %(ref)s 已确认到账 %(amount)s。")
                % {
                    "ref": confirmed[0].transfer_reference,
                    "amount": format_yuan(confirmed[0].amount_minor),
                }
            ),
            success_url=reverse("payments_pledges:index"),
            render=lambda form, status: TemplateResponse(
                request,
                self.template_name,
                {"form": form, "pledge": self.pledge, "page_title": _("确认认捐到账")},
                status=status,
            ),
            errors=(ValidationError,),
        )


class StatementUploadView(View):
    template_name = "payments/admin/statement_upload.html"

    def dispatch(self, request, *args, **kwargs):
        _require_permission(request)
        return super().dispatch(request, *args, **kwargs)

    def get(self, request):
        return self._render(request, StatementUploadForm())

    def post(self, request):
        form = StatementUploadForm(request.POST, request.FILES)
        if not form.is_valid():
            return self._render(request, form, status=422)
        upload = form.cleaned_data["statement"]
        with reported_errors(request, form=form, errors=(ValidationError,)) as outcome:
            statement = statement_upload(
                filename=upload.name, raw=_read_capped(upload), uploaded_by=request.user
            )
        if not outcome.ok:
            return self._render(request, form, status=422)
        return redirect("payments_statement", pk=statement.pk)

    def _render(self, request, form, status=200):
        context = {"form": form, "page_title": _("导入银行流水")}
        return TemplateResponse(request, self.template_name, context, status=status)


def _read_capped(upload):
    return upload.read(MAX_STATEMENT_BYTES + 1)  # one byte over: "too large", not truncated


class StatementView(View):
    """The preview of an uploaded statement (GET) and its confirmation (POST)."""

    template_name = "payments/admin/statement_preview.html"

    def dispatch(self, request, pk):
        _require_permission(request)
        self.statement = get_object_or_404(BankStatement, pk=pk)
        return super().dispatch(request, pk)

    def get(self, request, pk):
        # Memos may carry payers' names: every showing is on the audit log.
        audit_record_for(
            actor=request.user,
            action=AuditEntry.Action.READ_PERSONAL_DATA,
            object_type="payments.bankstatement",
            object_id=self.statement.pk,
            summary=f"bank statement preview: {len(self.statement.rows)} rows shown",
        )
        return self._render(request, statement_classify(rows=self.statement.rows))

    def post(self, request, pk):
        with reported_errors(request, errors=(ValidationError,)) as outcome:
            classified = statement_confirm(statement=self.statement, confirmed_by=request.user)
        if not outcome.ok:
            return redirect("payments_statement", pk=pk)
        count = len(classified.matched)
        messages.success(request, _("已确认 %(count)d 笔认捐到账。") % {"count": count})
        self.statement.refresh_from_db()
        return self._render(request, classified, confirmed_now=True)

    def _render(self, request, classified, confirmed_now=False):
        groups = [
            (outcome, label, classified.of(outcome))
            for outcome, label in (
                (Outcome.MATCHED, _("已确认") if confirmed_now else _("匹配成功，待确认")),
                (Outcome.UNMATCHED, _("未匹配")),
                (Outcome.AMBIGUOUS, _("无法确定（需人工核对）")),
                (Outcome.ALREADY, _("已确认过，不会重复入账")),
            )
        ]
        context = {
            "statement": self.statement,
            "groups": groups,
            "matched_count": len(classified.matched),
            "page_title": _("银行流水核对"),
        }
        return TemplateResponse(request, self.template_name, context)
