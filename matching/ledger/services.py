"""Writes for the ledger: opening accounts, posting balanced transactions,
earmarking money to a capped account without ever over-funding it."""

import functools
from collections import defaultdict
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models.signals import post_save, pre_save
from django.utils.translation import gettext as _

from .models import Account, Entry, Transaction
from .selectors import _NOT_EARMARKING, allocation_plan


def account_open(*, code, kind, name="", category="", earmark_cap_minor=None):
    """Create the account, or return the existing one with that code."""
    account = Account.objects.filter(code=code).first()
    if account is not None:
        return account
    account = Account(
        code=code, kind=kind, name=name, category=category, earmark_cap_minor=earmark_cap_minor
    )
    # Uniqueness is the database's to decide: a racing opener may commit the
    # same code between our read and our insert (caught below).
    account.full_clean(validate_unique=False)
    try:
        # A savepoint, so that losing a race to open the same account does
        # not poison the caller's transaction.
        with transaction.atomic():
            account.save()
    except IntegrityError:
        return Account.objects.get(code=code)
    return account


def account_cap_set(*, account, earmark_cap_minor):
    """Change how much may ever be earmarked here (e.g. a need's budget grew)."""
    with transaction.atomic():
        account = Account.objects.select_for_update().get(pk=account.pk)
        account.earmark_cap_minor = earmark_cap_minor
        account.full_clean()
        account.save(update_fields=["earmark_cap_minor"])
    return account


def _merged_lines(lines):
    """Sum lines per account and drop zeros, refusing anything but integers."""
    merged = defaultdict(int)
    accounts = {}
    for account, amount in lines:
        # bool is an int subclass; Decimal and float are refused outright.
        if type(amount) is not int:
            raise ValidationError(_("金额必须是以分为单位的整数。"))
        merged[account.pk] += amount
        accounts[account.pk] = account
    return [(accounts[pk], amount) for pk, amount in merged.items() if amount]


def _validate_balanced(lines):
    if len(lines) < 2:
        raise ValidationError(_("一笔交易至少需要两条分录。"))
    if sum(amount for _account, amount in lines) != 0:
        raise ValidationError(_("交易分录合计必须为零。"))


def transaction_post(*, kind, idempotency_key, lines, memo="", created_by=None):
    """Post one balanced transaction from (account, amount_minor) lines.

    Returns (transaction, created). Posting again with the same key returns
    the existing transaction and posts nothing: callers derive keys from
    what happened (a donation, a Stripe refund) so retries converge.
    """
    lines = _merged_lines(lines)
    _validate_balanced(lines)
    with transaction.atomic():
        existing = Transaction.objects.filter(idempotency_key=idempotency_key).first()
        if existing is not None:
            return existing, False
        return _insert(
            kind=kind,
            idempotency_key=idempotency_key,
            lines=lines,
            memo=memo,
            created_by=created_by,
        ), True


def _insert(*, kind, idempotency_key, lines, memo, created_by):
    """Insert one validated transaction; the caller holds the atomic block."""
    (posted,) = _insert_many(
        [
            _Posting(
                kind=kind,
                idempotency_key=idempotency_key,
                lines=lines,
                memo=memo,
                created_by=created_by,
            )
        ]
    )
    return posted


@dataclass(frozen=True)
class _Posting:
    kind: str
    idempotency_key: str
    lines: list
    memo: str = ""
    created_by: object = None


def _insert_many(postings):
    """Insert validated transactions with their entries; returns them in order.

    Uniqueness and check constraints are left to the database here: they
    hold there regardless, and validating them in Python would cost a
    query each on the hottest path (every webhook).
    """
    rows = []
    for posting in postings:
        posted = Transaction(
            kind=posting.kind,
            idempotency_key=posting.idempotency_key,
            memo=posting.memo[:255],
            created_by=posting.created_by,
        )
        posted.full_clean(validate_unique=False, validate_constraints=False)
        entries = [
            Entry(transaction=posted, account=account, amount_minor=amount)
            for account, amount in posting.lines
        ]
        for entry in entries:
            # Foreign keys are objects we already hold; skip their lookups too.
            entry.full_clean(exclude=["transaction", "account"], validate_constraints=False)
        rows.append((posted, entries))
    if connection.vendor == "postgresql":
        _insert_in_one_statement(rows)
    else:
        for posted, _entries in rows:
            posted.save()
        Entry.objects.bulk_create([entry for _posted, entries in rows for entry in entries])
    return [posted for posted, _entries in rows]


def _transaction_fields():
    return [field for field in Transaction._meta.concrete_fields if not field.primary_key]


@functools.cache
def _insert_sql():
    """Transactions and their entries from parallel arrays, in one statement.

    A data-modifying CTE: ``posted`` inserts the transactions in the order
    given and returns their ids by key; ``lines`` inserts the entries
    joined to them. Identifiers come from the models' metadata; every value
    is a parameter.
    """
    quote = connection.ops.quote_name
    fields = _transaction_fields()
    columns = ", ".join(quote(field.column) for field in fields)
    arrays = ", ".join(f"%s::{field.db_type(connection)}[]" for field in fields)
    names = ", ".join(f"c{n}" for n in range(len(fields)))
    return (
        f"WITH posted AS (INSERT INTO {quote(Transaction._meta.db_table)} ({columns}) "  # noqa: S608
        f"SELECT {names} FROM UNNEST({arrays}) WITH ORDINALITY AS row({names}, n) ORDER BY n "
        f"RETURNING id, {quote('idempotency_key')} AS key), "
        f"lines AS (INSERT INTO {quote(Entry._meta.db_table)} "
        "(transaction_id, account_id, amount_minor) "
        "SELECT posted.id, line.account_id, line.amount_minor "
        "FROM UNNEST(%s::varchar[], %s::bigint[], %s::bigint[]) "
        "WITH ORDINALITY AS line(key, account_id, amount_minor, n) "
        "JOIN posted ON posted.key = line.key ORDER BY line.n RETURNING 1) "
        f"SELECT key, id FROM posted"
    )


def _insert_in_one_statement(rows):
    """PostgreSQL: every transaction and entry of ``rows`` in one round trip.

    Same rows as ``save()`` + ``bulk_create``; the deferred balance triggers
    still check them at COMMIT, and ``pre_save``/``post_save`` are sent as
    ``save()`` sends them (other apps follow postings through them).
    """
    fields = _transaction_fields()
    columns = [[] for _field in fields]
    line_keys, line_accounts, line_amounts = [], [], []
    for posted, entries in rows:
        signal = {"sender": Transaction, "instance": posted, "using": connection.alias}
        pre_save.send(**signal, raw=False, update_fields=None)
        for column, field in zip(columns, fields, strict=True):
            column.append(field.get_db_prep_save(field.pre_save(posted, add=True), connection))
        for entry in entries:
            line_keys.append(posted.idempotency_key)
            line_accounts.append(entry.account_id)
            line_amounts.append(entry.amount_minor)
    with connection.cursor() as cursor:
        cursor.execute(_insert_sql(), [*columns, line_keys, line_accounts, line_amounts])
        ids = dict(cursor.fetchall())
    for posted, _entries in rows:
        posted.pk = ids[posted.idempotency_key]
        posted._state.adding = False
        posted._state.db = connection.alias
        post_save.send(
            sender=Transaction,
            instance=posted,
            created=True,
            raw=False,
            using=connection.alias,
            update_fields=None,
        )


@dataclass(frozen=True)
class Earmark:
    """One amount to move from ``source`` to a capped ``target`` (see funds_earmark)."""

    source: Account
    target: Account
    amount_minor: int
    idempotency_key: str
    memo: str = ""
    kind: str = Transaction.Kind.DONATION
    created_by: object = None


def funds_earmark(
    *,
    source,
    target,
    amount_minor,
    idempotency_key,
    memo="",
    kind=Transaction.Kind.DONATION,
    created_by=None,
):
    """Move money from ``source`` to ``target``, never past the target's cap.

    The target's row is locked first, so concurrent donations to the same
    need are serialized and each sees the others' committed earmarks; what
    does not fit goes to the overflow account the displayed policy names.
    Returns (transaction, created).
    """
    (result,) = funds_earmark_many(
        [
            Earmark(
                source=source,
                target=target,
                amount_minor=amount_minor,
                idempotency_key=idempotency_key,
                memo=memo,
                kind=kind,
                created_by=created_by,
            )
        ]
    )
    return result


def funds_earmark_many(earmarks):
    """``funds_earmark`` for many amounts at once: [(transaction, created)] in order.

    One lock statement for every target (in id order, so two batches never
    deadlock), one statement for the keys already posted and the room left,
    one for every new transaction and entry. Within the batch the amounts
    are earmarked in the order given, each seeing the ones before it: the
    same end state as calling ``funds_earmark`` for each in turn.
    """
    keys = [earmark.idempotency_key for earmark in earmarks]
    if len(set(keys)) != len(keys):
        raise ValueError("funds_earmark_many: idempotency keys must be distinct")
    for earmark in earmarks:
        if earmark.amount_minor <= 0:
            raise ValidationError(_("捐赠金额必须大于零。"))
    # No caller recovers from a failure in here, so a savepoint would only
    # add two round trips to every webhook; the enclosing block rolls back.
    with transaction.atomic(savepoint=False):
        target_ids = sorted({earmark.target.pk for earmark in earmarks})
        targets = Account.objects.select_for_update().filter(pk__in=target_ids).order_by("pk")
        targets = {account.pk: account for account in targets}
        capped = [pk for pk, account in targets.items() if account.earmark_cap_minor is not None]
        posted_ids, earmarked = _posted_and_earmarked(keys=keys, capped_ids=capped)
        overflow_accounts, new = {}, []
        for earmark in earmarks:
            if earmark.idempotency_key in posted_ids:
                continue
            target = targets[earmark.target.pk]
            room = None
            if target.earmark_cap_minor is not None:
                room = max(target.earmark_cap_minor - earmarked[target.pk], 0)
            plan = allocation_plan(account=target, amount_minor=earmark.amount_minor, room=room)
            earmarked[target.pk] += plan.to_target_minor
            lines = [(earmark.source, -earmark.amount_minor), (target, plan.to_target_minor)]
            if plan.to_overflow_minor:
                if plan.overflow_code not in overflow_accounts:
                    overflow_accounts[plan.overflow_code] = account_open(
                        code=plan.overflow_code,
                        kind=Account.Kind.GENERAL,
                        category=target.category,
                    )
                lines.append((overflow_accounts[plan.overflow_code], plan.to_overflow_minor))
            lines = _merged_lines(lines)
            _validate_balanced(lines)
            new.append(
                _Posting(
                    kind=earmark.kind,
                    idempotency_key=earmark.idempotency_key,
                    lines=lines,
                    memo=earmark.memo,
                    created_by=earmark.created_by,
                )
            )
        inserted = {posted.idempotency_key: posted for posted in _insert_many(new)}
        existing = Transaction.objects.in_bulk(posted_ids.values()) if posted_ids else {}
        return [
            (inserted[key], True) if key in inserted else (existing[posted_ids[key]], False)
            for key in keys
        ]


def _posted_and_earmarked(*, keys, capped_ids):
    """({key: id of the transaction already posted under it}, {capped account id:
    fen earmarked to it}), in one round trip.

    Run after the targets' row locks, as its own statement: under READ
    COMMITTED it then sees every earmark committed before the locks were
    granted. The earmarked total is ``selectors.account_earmarked_total``'s
    rule (disbursements do not reopen room); uncapped targets (general
    funds, with many entries) are not summed at all. Plain SQL: compiling
    the same query through the ORM cost more CPU than the rest of the webhook.
    """
    quote = connection.ops.quote_name
    transactions, entries = quote(Transaction._meta.db_table), quote(Entry._meta.db_table)
    sql = (
        f"SELECT idempotency_key, id, NULL FROM {transactions} "  # noqa: S608
        f"WHERE idempotency_key IN ({', '.join(['%s'] * len(keys))})"
    )
    params = [*keys]
    if capped_ids:
        sql += (
            f" UNION ALL SELECT NULL, e.account_id, SUM(e.amount_minor) FROM {entries} e "  # noqa: S608
            f"JOIN {transactions} t ON t.id = e.transaction_id "
            f"WHERE e.account_id IN ({', '.join(['%s'] * len(capped_ids))}) "
            f"AND t.kind NOT IN ({', '.join(['%s'] * len(_NOT_EARMARKING))}) "
            "GROUP BY e.account_id"
        )
        params += [*capped_ids, *_NOT_EARMARKING]
    posted, earmarked = {}, defaultdict(int)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        for key, number, total in cursor.fetchall():
            if key is None:
                earmarked[number] = int(total or 0)
            else:
                posted[key] = number
    return posted, earmarked


def transaction_reverse(
    *, original, idempotency_key, kind=Transaction.Kind.REVERSAL, memo="", created_by=None
):
    """Post the exact opposite of ``original``: the append-only way to undo."""
    lines = [
        (entry.account, -entry.amount_minor) for entry in original.entries.select_related("account")
    ]
    return transaction_post(
        kind=kind,
        idempotency_key=idempotency_key,
        lines=lines,
        memo=memo or original.memo,
        created_by=created_by,
    )
