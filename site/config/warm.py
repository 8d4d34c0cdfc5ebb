"""What a server process does once, before its first request."""

import gc


def settle():
    """Import every URLconf and view, then freeze what start-up built.

    A server process holds some 450,000 objects after start-up (Django, Wagtail,
    every app's URLs, views and models). They live as long as the process, yet
    Python's full garbage collection walked all of them every few dozen
    requests: a pause of about 250 ms on whichever request triggered it, which
    was the p95 of the staff lists (docs/performance.md, "Staff workbench").
    ``gc.freeze()`` moves them to a generation the collector never scans;
    objects made while serving requests are collected as before.
    """
    from django.urls import get_resolver

    get_resolver().url_patterns  # noqa: B018 (imports every URLconf and view module)
    gc.collect()
    gc.freeze()
