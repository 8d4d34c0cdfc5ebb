"""De-identification of case texts and quasi-identifiers for publication.

Pure Python (python-stdnum, jieba): no Django models, so the same code runs
in publication, in ``manage.py deidentify`` and in tests without a database.
See docs/deidentification.md.
"""

from .generalize import (
    age_band,
    household_size_band,
    month_of,
    widen_age_band,
    widen_household_size_band,
)
from .kanon import Outcome, Step, equivalence_classes, k_anonymize
from .pipeline import INSTITUTION_REPLACEMENTS, REPLACEMENTS, deidentify
from .spans import KINDS, Finding, Result

__all__ = [
    "INSTITUTION_REPLACEMENTS",
    "KINDS",
    "REPLACEMENTS",
    "Finding",
    "Outcome",
    "Result",
    "Step",
    "age_band",
    "deidentify",
    "equivalence_classes",
    "household_size_band",
    "k_anonymize",
    "month_of",
    "widen_age_band",
    "widen_household_size_band",
]
