"""Issue 18 through the interchange contract: ``manage.py deidentify``.

Each identifier class in each written form the issue lists: the identifier
is gone from the output and the sentence around it reads as before; the
finding points at the identifier in the text as given.
"""

import io
import json

import pytest
from django.core.management import call_command
from issue18_forms import FORMS, KEEP


def _deidentify(monkeypatch, requests):
    stdin = "\n".join(json.dumps(request, ensure_ascii=False) for request in requests) + "\n"
    monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    out = io.StringIO()
    call_command("deidentify", stdout=out, stderr=io.StringIO())
    return [json.loads(line) for line in out.getvalue().splitlines()]


@pytest.mark.parametrize(
    ("text", "names", "identifier", "published"),
    [form[1:] for form in FORMS],
    ids=[form[0] for form in FORMS],
)
def test_the_identifier_is_gone_and_the_sentence_reads(
    monkeypatch, text, names, identifier, published
):
    [result] = _deidentify(monkeypatch, [{"text": text, "names": names}])
    assert result["text"] == published
    assert identifier not in result["text"]
    start = text.index(identifier)
    spans = {(f["start"], f["end"]) for f in result["findings"]}
    assert (start, start + len(identifier)) in spans, result["findings"]


def test_ordinary_words_next_to_place_words_and_relatives_stay(monkeypatch):
    results = _deidentify(monkeypatch, [{"text": text} for text in KEEP])
    assert [r["text"] for r in results] == KEEP
    assert all(r["findings"] == [] for r in results)


def test_a_word_containing_old_plus_surname_stays(monkeypatch):
    # 金 is the household's surname: 老金 is how neighbours call him, 养老金 is a pension.
    [result] = _deidentify(
        monkeypatch,
        [{"text": "邻里都叫他老金，他已领取养老金。", "names": ["金文博"]}],
    )
    assert result["text"] == "邻里都叫他某某，他已领取养老金。"
