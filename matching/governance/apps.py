from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _sync_permissions(sender, **kwargs):
    from .services import governance_permissions_sync

    governance_permissions_sync()


def _append_once(rules, rule):
    if rule not in rules:
        rules.append(rule)


def _plug_in_rules():
    """Recusal and the second approver join the hook lists of the services they
    govern. Governance sits above cases, offers and funding, so it names them."""
    from matching.cases.services import verification
    from matching.funding import services as funding
    from matching.offers import match_admin
    from matching.offers import services as offers

    from . import approvals, relatives

    _append_once(offers.APPROVAL_RULES, relatives.match_approval_recusal)
    _append_once(offers.APPROVAL_RULES, approvals.repeated_approval_refusal)
    _append_once(offers.APPROVAL_STAGES, approvals.second_approval_stage)
    _append_once(verification.VERIFICATION_RULES, relatives.case_verification_recusal)
    _append_once(match_admin.QUEUE_MARKS, approvals.queue_mark)
    _append_once(funding.DISBURSEMENT_RULES, relatives.disbursement_recusal)


def _recompute_complaint_deadlines(sender, years, actor=None, **kwargs):
    from .services import complaint_deadlines_recompute

    complaint_deadlines_recompute(years=years, actor=actor)


class GovernanceConfig(AppConfig):
    name = "matching.governance"
    label = "governance"
    verbose_name = _("监督管理")

    def ready(self):
        post_migrate.connect(_sync_permissions, sender=self, dispatch_uid="governance-permissions")
        _plug_in_rules()
        from matching.cases.services import holiday_schedule_changed

        holiday_schedule_changed.connect(
            _recompute_complaint_deadlines, dispatch_uid="governance-complaint-deadlines"
        )
