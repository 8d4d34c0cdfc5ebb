"""Money at the edges: yuan strings in, yuan strings out, integer fen inside.

Decimal is used only to parse and display; nothing here (or anywhere in the
ledger) touches float.
"""

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation, localcontext

FEN_PER_YUAN = 100
# No amount of money the platform handles has more than 16 digits of yuan.
MAX_YUAN_DIGITS = 15


def yuan_to_minor(value):
    """Parse a yuan amount ("5000", "12.34", Decimal) into integer fen.

    Refuses more than two decimal places instead of rounding silently: a
    donor's amount must be exactly what they typed.
    """
    try:
        amount = Decimal(str(value).strip().replace(",", ""))
    except InvalidOperation as error:
        raise ValueError(f"not an amount: {value!r}") from error
    if not amount.is_finite():  # "NaN", "Infinity" parse as Decimals
        raise ValueError(f"not an amount: {value!r}")
    if amount.adjusted() > MAX_YUAN_DIGITS:  # "1e999999999" would build a huge int
        raise ValueError(f"too large: {value!r}")
    with localcontext(prec=max(28, len(amount.as_tuple().digits) + 4)):
        # Exact: the default 28 digits would round a long input silently.
        fen = amount * FEN_PER_YUAN
    if fen != fen.to_integral_value():
        raise ValueError(f"more than two decimal places: {value!r}")
    return int(fen)


def minor_to_yuan(minor):
    """Integer fen as a Decimal of yuan with exactly two places."""
    return (Decimal(int(minor)) / FEN_PER_YUAN).quantize(Decimal("0.01"), ROUND_HALF_UP)


def format_yuan(minor):
    """For display: 123456 -> "¥1,234.56"."""
    return f"¥{minor_to_yuan(minor):,}"
