"""Re-encrypting personal data under the newest key (docs/operations.md).

Every concrete model field that is an ``EncryptedTextField`` is found through
the app registry. Rows are visited in primary-key order, in batches, one
transaction per batch; a value already under the newest key is left alone, so
an interrupted run resumes where it stopped when started again. Each write is
a compare-and-set on the stored token: a value a user changed meanwhile (and
thereby encrypted under the newest key) is not overwritten.
"""

from dataclasses import dataclass

from django.apps import apps
from django.db import models, transaction
from django.db.models.functions import Cast
from django.db.models.lookups import Exact

from . import crypto
from .fields import _PREFIX, EncryptedTextField


@dataclass
class FieldState:
    label: str
    total: int = 0
    current: int = 0
    older: int = 0
    unreadable: int = 0
    rotated: int = 0


def encrypted_fields():
    """``[(model, field)]`` of every stored encrypted field, in a stable order."""
    found = []
    for model in apps.get_models():
        meta = model._meta
        if meta.proxy or not meta.managed:
            continue
        for field in meta.concrete_fields:
            if isinstance(field, EncryptedTextField):
                found.append((model, field))
    return sorted(found, key=lambda pair: (pair[0]._meta.label, pair[1].name))


def _raw(field):
    # The stored text itself: a Cast to a plain TextField skips the decryption.
    return Cast(models.F(field.attname), output_field=models.TextField())


def _tokens(model, field, *, after, limit):
    rows = model._base_manager.all()
    if after is not None:
        rows = rows.filter(pk__gt=after)
    rows = (
        rows.exclude(**{f"{field.attname}__isnull": True})
        .annotate(_stored=_raw(field))
        .exclude(_stored="")
        .order_by("pk")
        .values_list("pk", "_stored")[:limit]
    )
    return list(rows)


def _batches(model, field, batch_size):
    """The stored ``(pk, token)`` pairs of ``field``, in primary-key order, a batch at a time."""
    last = None
    while rows := _tokens(model, field, after=last, limit=batch_size):
        yield rows
        last = rows[-1][0]


def personal_data_report(*, batch_size=1000):
    """How many values of each encrypted field are under the newest key, older keys, or none."""
    states = []
    for model, field in encrypted_fields():
        state = FieldState(label=f"{model._meta.label}.{field.name}")
        for rows in _batches(model, field, batch_size):
            for _pk, stored in rows:
                state.total += 1
                token = stored.removeprefix(_PREFIX)
                if crypto.is_current(token):
                    state.current += 1
                else:
                    try:
                        crypto.decrypt(token)
                    except crypto.DecryptionFailed:
                        state.unreadable += 1
                    else:
                        state.older += 1
        states.append(state)
    return states


def personal_data_rotate(*, batch_size=500, progress=None):
    """Re-encrypt every value not under the newest key; returns one ``FieldState`` per field.

    A value no configured key decrypts stops the run (``DecryptionFailed``): the
    keys are incomplete and the operator must look before anything else changes.
    """
    states = []
    for model, field in encrypted_fields():
        state = FieldState(label=f"{model._meta.label}.{field.name}")
        for rows in _batches(model, field, batch_size):
            with transaction.atomic():
                for pk, stored in rows:
                    state.total += 1
                    token = stored.removeprefix(_PREFIX)
                    if crypto.is_current(token):
                        state.current += 1
                        continue
                    fresh = _PREFIX + crypto.rotate(token)
                    state.rotated += model._base_manager.filter(
                        Exact(_raw(field), models.Value(stored)), pk=pk
                    ).update(
                        **{field.attname: models.Value(fresh, output_field=models.TextField())}
                    )
            if progress:
                progress(state)
        states.append(state)
    return states
