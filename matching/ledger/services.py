"""Writes for the ledger: opening accounts, posting balanced transactions,
earmarking money to a capped account without ever over-funding it."""

from collections import defaultdict

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
    """Insert a validated transaction; the caller holds the atomic block.

    Uniqueness and check constraints are left to the database here: they
    hold there regardless, and validating them in Python would cost a
    query each on the hottest path (every webhook).
    """
    posted = Transaction(
        kind=kind, idempotency_key=idempotency_key, memo=memo[:255], created_by=created_by
    )
    posted.full_clean(validate_unique=False, validate_constraints=False)
    entries = [
        Entry(transaction=posted, account=account, amount_minor=amount) for account, amount in lines
    ]
    for entry in entries:
        # Foreign keys are objects we already hold; skip their lookups too.
        entry.full_clean(exclude=["transaction", "account"], validate_constraints=False)
    if connection.vendor == "postgresql":
        _insert_in_one_statement(posted, entries)
    else:
        posted.save()
        Entry.objects.bulk_create(entries)
    return posted


def _insert_in_one_statement(posted, entries):
    """The transaction and its entries in one round trip (a data-modifying CTE).

    Same rows as ``save()`` + ``bulk_create``; the deferred balance triggers
    still check them at COMMIT, and ``pre_save``/``post_save`` are sent as
    ``save()`` sends them (other apps follow postings through them).
    """
    signal = {"sender": Transaction, "instance": posted, "raw": False, "using": connection.alias}
    pre_save.send(**signal, update_fields=None)
    fields = [field for field in Transaction._meta.concrete_fields if not field.primary_key]
    values = [
        field.get_db_prep_save(field.pre_save(posted, add=True), connection) for field in fields
    ]
    quote = connection.ops.quote_name
    columns = ", ".join(quote(field.column) for field in fields)
    placeholders = ", ".join(["%s"] * len(fields))
    # Identifiers come from the models' metadata; every value is a parameter.
    sql = (
        f"WITH posted AS (INSERT INTO {quote(Transaction._meta.db_table)} ({columns}) "  # noqa: S608
        f"VALUES ({placeholders}) RETURNING id) "
        f"INSERT INTO {quote(Entry._meta.db_table)} (transaction_id, account_id, amount_minor) "
        "SELECT posted.id, line.account_id, line.amount_minor FROM posted "
        "CROSS JOIN UNNEST(%s::bigint[], %s::bigint[]) AS line(account_id, amount_minor) "
        "RETURNING transaction_id"
    )
    accounts = [entry.account_id for entry in entries]
    amounts = [entry.amount_minor for entry in entries]
    with connection.cursor() as cursor:
        cursor.execute(sql, [*values, accounts, amounts])
        posted.pk = cursor.fetchone()[0]
    posted._state.adding = False
    posted._state.db = connection.alias
    post_save.send(**signal, created=True, update_fields=None)


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
    if amount_minor <= 0:
        raise ValidationError(_("捐赠金额必须大于零。"))
    # No caller recovers from a failure in here, so a savepoint would only
    # add two round trips to every webhook; the enclosing block rolls back.
    with transaction.atomic(savepoint=False):
        target = Account.objects.select_for_update().get(pk=target.pk)
        posted_pk, earmarked = _posted_and_earmarked(target=target, key=idempotency_key)
        if posted_pk is not None:
            return Transaction.objects.get(pk=posted_pk), False
        room = None
        if target.earmark_cap_minor is not None:
            room = max(target.earmark_cap_minor - earmarked, 0)
        plan = allocation_plan(account=target, amount_minor=amount_minor, room=room)
        lines = [(source, -amount_minor), (target, plan.to_target_minor)]
        if plan.to_overflow_minor:
            overflow = account_open(
                code=plan.overflow_code, kind=Account.Kind.GENERAL, category=target.category
            )
            lines.append((overflow, plan.to_overflow_minor))
        lines = _merged_lines(lines)
        _validate_balanced(lines)
        posted = _insert(
            kind=kind,
            idempotency_key=idempotency_key,
            lines=lines,
            memo=memo,
            created_by=created_by,
        )
        return posted, True


def _posted_and_earmarked(*, target, key):
    """(id of the transaction already posted under ``key`` or None, fen earmarked
    to ``target``), in one round trip.

    Run after the target's row lock, as its own statement: under READ
    COMMITTED it then sees every earmark committed before the lock was
    granted. The earmarked total is ``selectors.account_earmarked_total``'s
    rule (disbursements do not reopen room). Plain SQL: compiling the same
    query through the ORM cost more CPU than the rest of the webhook.
    """
    quote = connection.ops.quote_name
    transactions, entries = quote(Transaction._meta.db_table), quote(Entry._meta.db_table)
    kinds = ", ".join(["%s"] * len(_NOT_EARMARKING))
    sql = (
        f"SELECT (SELECT id FROM {transactions} WHERE idempotency_key = %s), "  # noqa: S608
        f"(SELECT SUM(e.amount_minor) FROM {entries} e JOIN {transactions} t "
        f"ON t.id = e.transaction_id WHERE e.account_id = %s AND t.kind NOT IN ({kinds}))"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [key, target.pk, *_NOT_EARMARKING])
        posted_pk, earmarked = cursor.fetchone()
    return posted_pk, int(earmarked or 0)


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
