"""The in-process backend as it was before its cache (issue 22's first step,
2026-12-06, docs/performance.md), kept callable as the embedded matcher's
baseline: every match reads and prepares, in one walk, every offer row that
shares a category or a form of help with the need.
"""

from functools import lru_cache

from search import registry
from search.constraints import first_violation
from search.matcher import NEAR_MISSES, InProcessBackend
from search.scoring import bigrams


class WalkBackend(InProcessBackend):
    name = "inprocess-walk"

    def both(self, profile, ctx, size=None, excluded=NEAR_MISSES):
        candidates, close = [], []
        for doc, off_category in self._close_documents(profile):
            if off_category:  # shares a form only: violates check_category (or an earlier check)
                if excluded:
                    close.append(doc)
            elif first_violation(profile, doc, ctx) is None:
                candidates.append(doc)
            elif excluded and _shares_something(profile, doc):
                close.append(doc)
        return candidates, _closest(profile, close, excluded) if excluded else []

    def _close_documents(self, profile):
        """(document, whether it is an offer with categories sharing none of the
        need's), for every row that could be a candidate or a close exclusion."""
        categories, forms = set(profile.categories), set(profile.forms)
        for source in registry.spec("offers").sources:
            codes = _ROW_CODES.get(source.model._meta.label_lower)
            for row in source.queryset().iterator(chunk_size=2000):
                if codes is None:
                    yield source.prepare(row), False
                    continue
                offer_categories, offer_forms, volunteer = codes(row)
                if volunteer:
                    if not forms or not forms.isdisjoint(offer_forms):
                        yield source.prepare(row), False
                elif not categories.isdisjoint(offer_categories):
                    yield source.prepare(row), False
                elif not forms.isdisjoint(offer_forms):
                    yield source.prepare(row), True


# What a source's raw row (before search.documents prepares it) offers:
# (categories, forms, is a volunteer), as the prepared document will list them.
_ROW_CODES = {
    "offers.project": lambda row: (row["categories"], row["forms"], False),
    "offers.volunteer": lambda row: ((), row["forms"], True),
    "offers.fund": lambda row: (row["categories"], ("material",), False),
}


def _closest(profile, docs, size):
    """The close exclusions most relevant by title, then by ref."""
    grams = bigrams(profile.text)
    docs.sort(key=lambda doc: (-len(_title_grams(doc["title"]) & grams), doc["ref"]))
    return docs[:size]


@lru_cache(maxsize=8192)
def _title_grams(title):
    return frozenset(bigrams(title))


def _shares_something(profile, doc):
    return bool(
        set(doc["categories"]) & set(profile.categories) or set(doc["forms"]) & set(profile.forms)
    )
