"""Recall per class and ordinary text kept on the generated corpus (issue 18).

The corpus (corpus_generator.py) is several hundred invented case texts in
the registers caseworkers write in, with every identifier marked. The
targets are the issue's floor: every identifier of the household removed,
nine in ten names mentioned in passing, and at least 95 % of the ordinary
text a perfect redaction would keep.
"""

import pytest
from corpus_generator import (
    HOUSEHOLD_CLASSES,
    PASSING_CLASSES,
    REGISTERS,
    count_by_class,
    evaluate,
    generate,
)

from matching.deidentify import deidentify


@pytest.fixture(scope="module")
def corpus():
    return generate()


@pytest.fixture(scope="module")
def evaluation(corpus):
    return evaluate(corpus, deidentify)


def test_the_corpus_is_deterministic_large_and_covers_every_class_and_register(corpus):
    assert [t.text for t in generate()[:20]] == [t.text for t in corpus[:20]]
    assert len(corpus) >= 400
    assert {t.register for t in corpus} == set(REGISTERS)
    counts = count_by_class(corpus)
    for cls in (*HOUSEHOLD_CLASSES, *PASSING_CLASSES):
        assert counts[cls] >= 30, cls


@pytest.mark.parametrize("cls", HOUSEHOLD_CLASSES)
def test_every_identifier_of_the_household_is_removed(evaluation, cls):
    found, total = evaluation.recall[cls]
    misses = [m for m in evaluation.misses if m[0] == cls]
    assert found == total, misses[:10]


def test_nine_in_ten_names_in_passing_are_removed(evaluation):
    assert evaluation.recall_of(PASSING_CLASSES) >= 0.90


def test_ordinary_text_is_kept(evaluation):
    assert evaluation.kept_share >= 0.95, evaluation.over[:20]
