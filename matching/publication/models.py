"""Published needs: what the public may see of an approved case, and nothing more.

A ``PublicNeed`` is *derived* from a case by ``services.public_need_derive``:
its title and story went through the de-identification pipeline, its
quasi-identifiers (location, age and household-size bands, statuses) through
the k-anonymity check. It holds no name, number, address or free text of the
case. The link to the case (``case``) stays inside: it is never rendered on
a public page and never indexed. docs/publication.md.
"""

import re
from decimal import Decimal

from django.contrib.contenttypes.fields import GenericRelation
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from wagtail.models import (
    DraftStateMixin,
    PreviewableMixin,
    RevisionMixin,
    Task,
    TaskState,
    WorkflowMixin,
)

from matching.cases.access import can_handle_case
from matching.cases.models import Case, CaseStatus
from matching.core.rules import refuse_first
from matching.core.scope import subtree
from matching.core.vocabulary import (
    Category,
    HelpForm,
    HouseholdStatus,
    Urgency,
    validate_categories,
    validate_forms,
)
from matching.deidentify import INSTITUTION_REPLACEMENTS, REPLACEMENTS
from matching.directory.models import Jurisdiction
from matching.directory.selectors import staff_profile

# Case statuses in which a need may stay public; any other unpublishes it.
OPEN_CASE_STATUSES = (CaseStatus.APPROVED, CaseStatus.PUBLISHED, CaseStatus.MATCHED)

# Replacement token → the kind of identifier it stands for (for highlighting).
TOKEN_KINDS = (
    {token: kind for kind, token in REPLACEMENTS.items()}
    | {token: "institution" for token in INSTITUTION_REPLACEMENTS.values()}
    | {"某街道": "place", "某社区": "place"}  # location finer than what is published
)
_TOKEN_PATTERN = re.compile(
    "|".join(re.escape(token) for token in sorted(TOKEN_KINDS, key=len, reverse=True))
)


def highlight_redactions(text):
    """HTML of ``text`` with every replacement token wrapped in ``<mark>``.

    Tokens are found in the published text itself, so a redaction stays
    highlighted after staff edit the story around it.
    """
    pieces, position = [], 0
    for match in _TOKEN_PATTERN.finditer(text):
        kind = TOKEN_KINDS[match.group()]
        pieces.append(escape(text[position : match.start()]))
        pieces.append(
            f'<mark class="redaction" data-kind="{kind}" title="{kind}">'
            f"{escape(match.group())}</mark>"
        )
        position = match.end()
    pieces.append(escape(text[position:]))
    return mark_safe("".join(pieces))  # noqa: S308 - every piece is escaped above


class PublicNeedQuerySet(models.QuerySet):
    def public_candidates(self):
        """Approved by staff with the case still open: the population of the k-check."""
        return self.filter(live=True, case__status__in=[s.value for s in OPEN_CASE_STATUSES])

    def public(self):
        """What the public may see: approved by staff, passed the k-check, case still open."""
        return self.public_candidates().filter(withheld=False)


class PublicNeed(WorkflowMixin, DraftStateMixin, RevisionMixin, PreviewableMixin, models.Model):
    case = models.OneToOneField(
        Case,
        verbose_name=_("来源申请"),
        on_delete=models.PROTECT,
        related_name="public_need",
        editable=False,
    )
    title = models.CharField(_("公示标题"), max_length=120)
    story = models.TextField(
        _("公示说明"), help_text=_("保存时重新去标识化：姓名、证件号、电话、住址等会被替换。")
    )
    categories = models.JSONField(
        _("救助类别"), default=list, validators=[validate_categories], editable=False
    )
    forms = models.JSONField(
        _("帮扶形式"), default=list, validators=[validate_forms], editable=False
    )
    urgency = models.CharField(
        _("紧急程度"), max_length=10, choices=Urgency.choices, default=Urgency.NORMAL
    )
    amount_needed = models.DecimalField(
        _("尚需金额(元)"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0"))],
    )
    # Filled by the ledger (donations earmarked to this need); 0 until then.
    raised_amount = models.DecimalField(
        _("已筹金额(元)"), max_digits=12, decimal_places=2, default=Decimal("0"), editable=False
    )
    # Published quasi-identifiers, as the k-check left them (None = suppressed).
    district = models.ForeignKey(
        Jurisdiction,
        verbose_name=_("区县"),
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
    )
    street = models.ForeignKey(
        Jurisdiction,
        verbose_name=_("街道/乡镇"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
    )
    age_bands = models.JSONField(_("年龄段"), null=True, blank=True, editable=False)
    # None: suppressed by the k-check (the k-check's own notation).
    size_band = models.CharField(  # noqa: DJ001
        _("家庭人口"), max_length=4, null=True, blank=True, editable=False
    )
    statuses = models.JSONField(_("家庭类别"), null=True, blank=True, editable=False)
    # The un-generalized bands and codes fed to the k-check (internal only).
    quasi = models.JSONField(default=dict, editable=False)
    k_steps = models.JSONField(_("概括处理"), default=list, editable=False)
    withheld = models.BooleanField(_("暂不公示"), default=True, editable=False, db_index=True)
    withheld_reason = models.CharField(
        _("暂不公示原因"), max_length=120, blank=True, editable=False
    )
    opened_month = models.CharField(_("求助月份"), max_length=7, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    _revisions = GenericRelation("wagtailcore.Revision", related_query_name="publicneed")
    workflow_states = GenericRelation(
        "wagtailcore.WorkflowState",
        content_type_field="base_content_type",
        object_id_field="object_id",
        related_query_name="publicneed",
        for_concrete_model=False,
    )

    objects = PublicNeedQuerySet.as_manager()

    class Meta:
        ordering = ["-updated_at"]
        verbose_name = _("公示求助")
        verbose_name_plural = _("公示求助")
        indexes = [models.Index(fields=["live", "withheld", "district"])]

    def __str__(self):
        return self.title

    @property
    def revisions(self):
        return self._revisions

    @property
    def is_public(self):
        return self.live and not self.withheld and self.case.status in OPEN_CASE_STATUSES

    @property
    def progress_percent(self):
        if not self.amount_needed:
            return 0
        return min(100, int(self.raised_amount * 100 / self.amount_needed))

    def category_labels(self):
        return [Category(code).label for code in self.categories]

    def form_labels(self):
        return [HelpForm(code).label for code in self.forms]

    def status_labels(self):
        return [HouseholdStatus(code).label for code in self.statuses or []]

    def story_highlighted(self):
        return highlight_redactions(self.story)

    def title_highlighted(self):
        return highlight_redactions(self.title)

    def get_preview_template(self, request, mode_name):
        return "publication/need_preview.html"


class PublicNeedUpdate(models.Model):
    """A progress note on a published need, de-identified like its story."""

    need = models.ForeignKey(PublicNeed, on_delete=models.CASCADE, related_name="updates")
    text = models.TextField(_("进展"))
    posted_at = models.DateTimeField(_("发布时间"), auto_now_add=True)

    class Meta:
        ordering = ["-posted_at"]
        verbose_name = _("求助进展")
        verbose_name_plural = _("求助进展")

    def __str__(self):
        return self.text[:40]


# Rules ``(need, actor)`` run before a reviewer approves a public need and
# return a refusal message or None; governance appends its recusal rule. They
# run outside any transaction, so what a rule records (a recusal) is kept.
APPROVAL_RULES = []


class JurisdictionApprovalTask(Task):
    """Approval by civil-affairs staff whose jurisdiction holds the need's case."""

    admin_form_fields = Task.admin_form_fields

    def _may_review(self, obj, user):
        case = getattr(obj, "case", None)
        return bool(case and can_handle_case(user, case))

    def user_can_access_editor(self, obj, user):
        return self._may_review(obj, user)

    def locked_for_user(self, obj, user):
        return not self._may_review(obj, user)

    def get_actions(self, obj, user):
        if not self._may_review(obj, user):
            return []
        return [
            ("reject", _("退回修改"), True),
            ("approve", _("批准公示"), False),
            ("approve", _("附意见批准"), True),
        ]

    def on_action(self, task_state, user, action_name, **kwargs):
        if action_name == "approve":
            need = PublicNeed.objects.select_related("case__household").get(
                pk=task_state.workflow_state.object_id
            )
            refuse_first(APPROVAL_RULES, need, user)
        return super().on_action(task_state, user, action_name, **kwargs)

    def get_task_states_user_can_moderate(self, user, **kwargs):
        profile = staff_profile(user)
        if profile is None:
            return TaskState.objects.none()
        need_ids = PublicNeed.objects.filter(
            subtree(profile.jurisdiction.path, field="case__jurisdiction__path")
        ).values_list("pk", flat=True)
        return self.task_states.filter(
            status=TaskState.STATUS_IN_PROGRESS,
            workflow_state__object_id__in=[str(pk) for pk in need_ids],
        )

    @classmethod
    def get_description(cls):
        return _("由求助所在辖区的民政工作人员审核去标识化预览后批准公示")

    class Meta:
        verbose_name = _("辖区民政审核")
        verbose_name_plural = _("辖区民政审核")


class ProjectModerationTask(Task):
    """Staff moderation of a charity's project; only a verified organization's may be approved."""

    admin_form_fields = Task.admin_form_fields

    def _may_review(self, obj, user):
        profile = staff_profile(user)
        organization = getattr(obj, "organization", None)
        return bool(
            profile and organization and profile.jurisdiction.contains(organization.jurisdiction)
        )

    def user_can_access_editor(self, obj, user):
        return self._may_review(obj, user)

    def locked_for_user(self, obj, user):
        return not self._may_review(obj, user)

    def get_actions(self, obj, user):
        if not self._may_review(obj, user):
            return []
        actions = [("reject", _("退回修改"), True)]
        if obj.organization.verified:  # an unverified organization cannot publish
            actions.append(("approve", _("批准发布"), False))
        return actions

    def on_action(self, task_state, user, action_name, **kwargs):
        obj = task_state.revision.as_object()
        if action_name == "approve" and not obj.organization.verified:
            raise PermissionError("organization not verified")
        return super().on_action(task_state, user, action_name, **kwargs)

    def get_task_states_user_can_moderate(self, user, **kwargs):
        profile = staff_profile(user)
        if profile is None:
            return TaskState.objects.none()
        return self.task_states.filter(status=TaskState.STATUS_IN_PROGRESS)

    @classmethod
    def get_description(cls):
        return _("民政工作人员审核社会组织的帮扶项目；组织须已核验")

    class Meta:
        verbose_name = _("帮扶项目审核")
        verbose_name_plural = _("帮扶项目审核")
