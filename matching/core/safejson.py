"""JSON from outside (an import file's line, a webhook body) with a bound on nesting.

``json.loads`` recurses once per level: a line of 100,000 ``[`` raises
``RecursionError``, and a document a few hundred levels deep that it does
parse can still exhaust the stack of whatever walks it later (the
database's JSON encoder, a template). Nothing we accept is nested more
than a dozen levels, so anything deeper is refused as ``TooDeep``.
"""

import json

MAX_DEPTH = 64


class TooDeep(ValueError):
    """The document is nested deeper than allowed."""


class NotStandard(ValueError):
    """``NaN``, ``Infinity`` or ``-Infinity``: Python reads them, JSON has no such
    values (PostgreSQL's jsonb refuses them)."""


def _refuse_constant(name):
    raise NotStandard(name)


def _unstorable(text):
    """A NUL character, or a lone surrogate (JSON's ``"\\udae3"`` escape): neither
    can be stored by PostgreSQL in text or jsonb, nor encoded as UTF-8."""
    if "\x00" in text:
        return True
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def has_unstorable(value):
    """Whether any string (key or value) in parsed JSON holds a character
    PostgreSQL cannot store in text or jsonb (NUL, a lone surrogate)."""
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            if _unstorable(item):
                return True
        elif isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return False


def depth_exceeds(value, max_depth):
    """Whether ``value`` (parsed JSON) nests lists/objects deeper than ``max_depth``."""
    stack = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict):
            children = item.values()
        elif isinstance(item, list):
            children = item
        else:
            continue
        if depth > max_depth:
            return True
        stack.extend((child, depth + 1) for child in children)
    return False


def loads_bounded(text, *, max_depth=MAX_DEPTH):
    """``json.loads`` that raises ``TooDeep`` instead of ``RecursionError`` or a deep tree.

    A malformed document still raises ``json.JSONDecodeError``; ``NaN`` and
    ``Infinity`` raise ``NotStandard``; a number of more than 4,300 digits
    raises Python's ``ValueError``.
    """
    try:
        value = json.loads(text, parse_constant=_refuse_constant)
    except RecursionError:
        raise TooDeep(max_depth) from None
    if depth_exceeds(value, max_depth):
        raise TooDeep(max_depth)
    return value
