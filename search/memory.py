"""Pausing Python's cyclic garbage collector around allocation-heavy work.

Building many short-lived dicts and lists (a match's parsed hits, a batch of
documents to index) sets off collections of the cyclic collector, and each
one walks every object the process holds: in a Django process, 200,000 and
more. None of these short-lived objects is part of a cycle (reference
counting frees them), so the collector can wait until the work is done.
docs/performance.md has the figures.
"""

import gc
from contextlib import contextmanager


@contextmanager
def gc_paused(active=True):
    """Collections wait while the block runs (unless ``active`` is false or
    the collector is already off); one may run as soon as it ends."""
    if not (active and gc.isenabled()):
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()
