"""Hook lists of rules: what lets a higher app (governance) govern a lower one's
decisions without the lower one knowing it.

A service exposes a module-level list of rules; each rule takes the decision's
arguments and returns a refusal message or None. ``refuse_first`` runs them in
order and refuses with the first message.
"""

from django.core.exceptions import PermissionDenied


def refuse_first(rules, *args, error=PermissionDenied):
    """Run ``rules(*args)`` in order; the first that returns a message raises ``error``."""
    for rule in rules:
        refusal = rule(*args)
        if refusal:
            raise error(refusal)
