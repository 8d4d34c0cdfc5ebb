"""The domain: cases, needs, offers, matches and the ledger.

Each sub-package is a Django app of its own; ``matching`` imports nothing
from ``cms``, ``search`` or ``config``.
"""
