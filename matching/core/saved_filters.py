"""Saved filters on the admin lists: the kit asks, the app that stores them answers.

``ScopedIndexView`` (``admin.py``) shows the reader's saved filter sets of the
list and a form to name the current one; the storage (per user, private) is
registered by the directory app with ``saved_filters_register``. Kept here so
that the kit depends on no app of this project.
"""

from django.utils.http import urlencode

# Query parameters that are not filters: never saved.
TRANSIENT = frozenset({"p", "page", "export", "csrfmiddlewaretoken", "saved_filter_name"})

_STORE = {"list": lambda user, list_name: [], "save": None}


def saved_filters_register(*, list, save):
    _STORE.update(list=list, save=save)


def filter_query(params):
    """The filters of a request's query (a QueryDict), without paging or export."""
    return urlencode(
        [(key, value) for key, values in params.lists() if key not in TRANSIENT for value in values]
    )


def saved_filter_list(*, user, list_name):
    return _STORE["list"](user, list_name)


def saved_filter_save(*, user, list_name, name, query):
    if _STORE["save"] is None:
        return None
    return _STORE["save"](user, list_name, name, query)
