"""Character folding used for detection only.

Case texts arrive typed on phones and office PCs: full-width digits
(１３９…), full-width X in ID numbers, ideographic spaces, and half a dozen
dash characters. Detection runs on a folded copy of the text. Every
character is folded to exactly one character, so an offset into the folded
copy is the same offset into the original text and findings can point at
the original.
"""

# Full-width ASCII block U+FF01..U+FF5E maps onto U+0021..U+007E.
_FULL_WIDTH_OFFSET = 0xFF01 - 0x21
_DASHES = "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d\u30fc"
_SPACES = "\u3000\u00a0\u2002\u2003\u2009\u200a\u202f\t"

_FOLD = {code: code - _FULL_WIDTH_OFFSET for code in range(0xFF01, 0xFF5F)}
_FOLD.update({ord(ch): "-" for ch in _DASHES})
_FOLD.update({ord(ch): " " for ch in _SPACES})


def fold(text: str) -> str:
    """Return ``text`` with full-width ASCII, dashes and spaces folded, same length."""
    # Every entry of the table maps one code point to one code point, which
    # is what keeps offsets aligned; never add a multi-character replacement.
    return text.translate(_FOLD)
