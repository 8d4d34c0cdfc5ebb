"""Jurisdiction scope as a query: a row belongs to a jurisdiction when its
jurisdiction path is that jurisdiction's path or lies below it.

Paths are codes joined by ``/`` from the city down (``220100/220104/…``);
matching on the separator keeps ``220104`` from also matching a sibling
code that merely starts with the same digits.
"""

from django.db.models import Q


def subtree(path, *, field="jurisdiction__path"):
    """``Q`` for rows whose ``field`` is ``path`` or a path below it."""
    return Q(**{field: path}) | Q(**{f"{field}__startswith": path + "/"})


def within(queryset, jurisdiction, *, field="jurisdiction__path"):
    """``queryset`` narrowed to ``jurisdiction`` and everything under it."""
    return queryset.filter(subtree(jurisdiction.path, field=field))
