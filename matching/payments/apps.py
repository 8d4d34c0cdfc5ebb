import threading

import stripe
from django.apps import AppConfig
from django.conf import settings
from django.db import transaction
from django.db.models.signals import post_save
from django.utils.translation import gettext_lazy as _


def _target_saved(sender, instance, raw=False, **kwargs):
    if raw:  # loaddata: the fixture carries the ledger too
        return
    # Publication and offers know nothing of the ledger: a signal keeps the
    # target's account (and its cap) in step when a need, project or fund
    # is published, edited, withheld, closed or deactivated.
    from .targets import giving_account_sync_for

    giving_account_sync_for(instance)


# Transactions posted on this thread whose needs are not refreshed yet.
_posted = threading.local()


def _ledger_transaction_posted(sender, instance, created, raw=False, **kwargs):
    # A need's "raised" copy follows every posting to its account (a gift, a
    # refund, a dispute); after commit, when the entries are in. One task
    # per commit, however many postings it holds (a webhook batch has
    # hundreds): the first hook to run takes every id gathered so far.
    # Ids of postings rolled back stay in the set and are flushed with the
    # next commit, where they find no entries: harmless.
    if raw or not created:
        return
    pending = getattr(_posted, "ids", None)
    if pending is None:
        pending = _posted.ids = set()
    pending.add(instance.pk)
    transaction.on_commit(_need_raised_refresh_enqueue)


def _need_raised_refresh_enqueue():
    from .tasks import need_raised_refresh

    ids, _posted.ids = getattr(_posted, "ids", None), set()
    if ids:
        need_raised_refresh.enqueue(transaction_ids=sorted(ids))


def _sync_permissions(sender, **kwargs):
    from .permissions import payments_permissions_sync

    payments_permissions_sync()


class PaymentsConfig(AppConfig):
    name = "matching.payments"
    label = "payments"
    verbose_name = _("捐赠与资金")

    def ready(self):
        from matching.directory.permission_sync import permission_sync_register
        from matching.ledger.models import Transaction
        from matching.offers.models import Fund, Project
        from matching.publication.models import PublicNeed

        # Configure the SDK once; STRIPE_API_BASE points it at stripe-mock in tests.
        stripe.api_key = settings.STRIPE_SECRET_KEY or None
        if settings.STRIPE_API_BASE:
            stripe.api_base = settings.STRIPE_API_BASE
        stripe.max_network_retries = 2
        for model in (PublicNeed, Project, Fund):
            post_save.connect(
                _target_saved, sender=model, dispatch_uid=f"payments-target-{model.__name__}"
            )
        post_save.connect(
            _ledger_transaction_posted, sender=Transaction, dispatch_uid="payments-need-raised"
        )
        permission_sync_register(_sync_permissions)


def card_payments_enabled():
    """Card giving is offered only when Stripe is fully configured."""
    return bool(settings.STRIPE_SECRET_KEY and settings.STRIPE_WEBHOOK_SECRET)
