from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def _sync_permissions(sender, **kwargs):
    from .services import governance_permissions_sync

    governance_permissions_sync()


def _append_once(rules, rule):
    if rule not in rules:
        rules.append(rule)


def _plug_in_rules():
    """Recusal and the second approver join the hook lists of the services they
    govern. Governance sits above cases, offers, publication and funding, so it
    names them. Every decision on a household runs ``relatives.recusal_check``
    through one of the adapters below."""
    from matching.cases.services import duplicates, transitions, verification
    from matching.funding import services as funding
    from matching.offers import match_admin
    from matching.offers import services as offers
    from matching.publication import models as publication

    from . import approvals, relatives, services

    _append_once(offers.DECISION_RULES, relatives.match_decision_recusal)
    _append_once(offers.APPROVAL_RULES, approvals.repeated_approval_refusal)
    _append_once(offers.APPROVAL_STAGES, approvals.second_approval_stage)
    _append_once(verification.VERIFICATION_RULES, relatives.case_verification_recusal)
    _append_once(transitions.TRANSITION_RULES, relatives.case_transition_recusal)
    _append_once(duplicates.ADJUDICATION_RULES, relatives.duplicate_flag_recusal)
    _append_once(publication.APPROVAL_RULES, relatives.publication_approval_recusal)
    _append_once(match_admin.QUEUE_MARKS, approvals.queue_mark)
    _append_once(match_admin.QUEUE_PREFETCH, approvals.queue_prefetch)
    _append_once(funding.DISBURSEMENT_RULES, relatives.disbursement_recusal)
    _append_once(services.COMPLAINT_RULES, relatives.complaint_recusal)


def _recompute_complaint_deadlines(sender, years, actor=None, **kwargs):
    from .services import complaint_deadlines_recompute

    complaint_deadlines_recompute(years=years, actor=actor)


class GovernanceConfig(AppConfig):
    name = "matching.governance"
    label = "governance"
    verbose_name = _("监督管理")

    def ready(self):
        from matching.directory.permission_sync import permission_sync_register

        permission_sync_register(_sync_permissions)
        _plug_in_rules()
        from matching.cases.services import holiday_schedule_changed

        holiday_schedule_changed.connect(
            _recompute_complaint_deadlines, dispatch_uid="governance-complaint-deadlines"
        )
