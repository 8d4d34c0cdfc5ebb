"""Names the case file did not list, found next to kinship and role words.

A case text often names relatives the intake form did not record: 其丈夫王建军…,
女儿刘欣怡在读初二. Patterns alone cannot tell where such a name ends, and a
general person-name tagger run over the whole text misfires on ordinary
words (jieba tags 高中生 and 段时间 as person names). So the *primary* signal
is structural: a kinship or role word (丈夫, 女儿, 户主 …) immediately
followed by a known surname. jieba is the *secondary* signal: its dictionary
rejects candidates that are really common words (丈夫车祸…, 儿子高中毕业),
and its segmentation says whether the given name has one character or two.
A name found this way is then treated like a listed one, so its variants
(王某, 建军, 老王) are removed everywhere in the text.

jieba loads its 20 MB dictionary on first use (about two seconds), so it is
initialised lazily, once, quietly, and only when a text has a candidate.
"""

from __future__ import annotations

import logging
import re
import threading
from collections.abc import Iterator
from functools import lru_cache

from .vocabulary import (
    AMBIGUOUS_SURNAMES,
    COMMON_SURNAMES,
    COMPOUND_SURNAMES,
    HONORIFICS,
    KINSHIP_WORDS,
    NOT_NAMES,
    PASSING_WORDS,
    ROLE_WORDS,
    SPEECH_VERBS,
    STOP_CHARS,
    STOP_FLAGS,
    TIME_CHARS,
    alternation,
)

# A lookahead finds triggers that overlap (其妻子孙丽娟: 其妻 and 妻子).
_TRIGGER = re.compile(
    "(?=((?:"
    + alternation(KINSHIP_WORDS, ROLE_WORDS, PASSING_WORDS)
    + ")(?:名叫|叫做|叫|是|为)?[:： ]?))"
)
# A name mentioned in passing at the start of a clause, followed by a verb of
# saying: 陈艳珍说…, …，刘红反映….
_SPEAKER = re.compile(
    "(?:^|(?<=[，。；：！？,.;:!?\\s]))(?=[\u4e00-\u9fff]{2,3}(?:"
    + alternation(SPEECH_VERBS)
    + "))"
)
_DISCOVERABLE_SURNAMES = COMMON_SURNAMES - AMBIGUOUS_SURNAMES
HONORIFIC_CHARS = frozenset("姐哥叔婶姨伯爷奶妈嫂")
# Flags of two-character words that cannot be a given name: numerals,
# measure words, pronouns, prepositions, conjunctions, particles, punctuation.
GIVEN_NAME_STOP_FLAGS = frozenset({"m", "q", "r", "p", "c", "u", "uj", "ul", "uz", "x"})
_HAN = re.compile(r"[\u4e00-\u9fff]+")
# Characters from the surname on that jieba sees: a name (up to four) and what follows it.
_WINDOW = 6

# A dictionary word this frequent starting at the surname is a word, not a name
# (车祸, 高中, 白血病, 申请), unless jieba itself tags it as a name (白雪, 许诺).
_COMMON_WORD_FREQUENCY = 50

_jieba_lock = threading.Lock()
_jieba = None


def discover_names(text: str) -> Iterator[str]:
    """Full names introduced by a kinship or role word in ``text``."""
    starts = [trigger.end(1) for trigger in _TRIGGER.finditer(text)]
    starts += [speaker.start() for speaker in _SPEAKER.finditer(text)]
    for start in starts:
        surname = _surname_at(text, start)
        if surname:
            name = _name_at(text, start, surname)
            if name and not _is_form_of_address(name, surname):
                yield name
    # Weakest cue: a verb that takes a person (找, 跟, 向 …). Here jieba must
    # itself read a person's name (flag nr) starting at the surname.
    for cue in _PERSON_VERB.finditer(text):
        start = cue.end()
        if not _surname_at(text, start):
            continue
        run = _HAN.match(text, start)
        word, flag = _tokens(run.group()[:_WINDOW]).get(0, ("", ""))
        if flag == "nr" and 2 <= len(word) <= 3 and not _is_form_of_address(word, word[0]):
            yield word


_PERSON_VERB = re.compile("[找跟与向给请托让替帮问陪]")


def _is_form_of_address(name: str, surname: str) -> bool:
    """王大妈, 李师傅, 张某: a surname with a word of address, not a full name."""
    given = name[len(surname) :]
    return "某" in given or given in HONORIFICS or given[-1:] in HONORIFIC_CHARS


def _surname_at(text: str, start: int) -> str | None:
    if text[start : start + 2] in COMPOUND_SURNAMES:
        return text[start : start + 2]
    if text[start : start + 1] in _DISCOVERABLE_SURNAMES:
        return text[start]
    return None


def _name_at(text: str, start: int, surname: str) -> str | None:
    run = _HAN.match(text, start)
    window = run.group()[:_WINDOW] if run else ""
    if len(window) <= len(surname) or _starts_with_common_word(window):
        return None
    tokens = _tokens(window)
    given_one = len(surname) + 1
    # Given names are often ordinary words (建华, 明亮), so right after the
    # surname only function words stop; after one given character a common
    # word does too (李明电话).
    if _stops_at(tokens, len(surname), words_stop=False):
        return None
    word = tokens.get(len(surname), ("", ""))[0]
    if len(word) == 2 and word[1] in STOP_CHARS:
        return window[:given_one]  # 李|明说: jieba joined the given name to the verb
    if len(window) == given_one or _stops_at(tokens, given_one, words_stop=True):
        return window[:given_one]
    return window[: given_one + 1]


# Windows repeat (the same relative is named again and again); jieba is slow.
@lru_cache(maxsize=4096)
def _starts_with_common_word(window: str) -> bool:
    jieba = _load_jieba()
    for length in (4, 3, 2):
        word = window[:length]
        if len(word) < length:
            continue
        if word in NOT_NAMES:
            return True
        frequency = jieba.dt.FREQ.get(word) or 0
        tag = jieba.posseg.dt.word_tag_tab.get(word, "")
        if frequency >= _COMMON_WORD_FREQUENCY and not tag.startswith(("nr", "ns")):
            return True
    return False


def is_common_word(word: str) -> bool:
    """A frequent dictionary word of two or more characters (电话, 工作)."""
    return len(word) >= 2 and (_load_jieba().dt.FREQ.get(word) or 0) >= _COMMON_WORD_FREQUENCY


@lru_cache(maxsize=4096)
def _tokens(window: str) -> dict[int, tuple[str, str]]:
    """jieba's segmentation of ``window``: start offset → (word, flag).

    The plain segmenter (jieba.cut, with its HMM for words not in the
    dictionary) is about ten times faster than the part-of-speech tagger and
    splits the same way here; flags come from the tagger's dictionary. A word
    the HMM found (not in the dictionary) is tagged ``nr`` when it starts with
    a surname — that is how it finds 何雨桐 or 陈艳珍 — and ``un`` otherwise.
    """
    jieba = _load_jieba()
    tags = jieba.posseg.dt.word_tag_tab
    tokens, offset = {}, 0
    for word in jieba.cut(window, HMM=True):
        flag = tags.get(word)
        if flag is None:
            flag = "nr" if len(word) >= 2 and _surname_at(word, 0) else "un"
        tokens[offset] = (word, flag)
        offset += len(word)
    return tokens


def _stops_at(tokens: dict[int, tuple[str, str]], offset: int, *, words_stop: bool) -> bool:
    """True when a word that cannot be part of a name starts at ``offset``."""
    if offset not in tokens:
        return False  # jieba reads the name on across this point
    word, flag = tokens[offset]
    if not words_stop and len(word) >= 2 and word not in KINSHIP_WORDS | ROLE_WORDS:
        # Right after the surname a two-character word is usually the given
        # name, whatever jieba calls it (立新 'd', 建国 'v', 国庆 't').
        return word[0] in STOP_CHARS or flag in GIVEN_NAME_STOP_FLAGS
    return (
        (words_stop and is_common_word(word))
        or word[0] in STOP_CHARS
        or flag in STOP_FLAGS
        or (flag == "t" and not TIME_CHARS.isdisjoint(word))
        or word in KINSHIP_WORDS
        or word in ROLE_WORDS
    )


def _load_jieba():
    global _jieba
    with _jieba_lock:
        if _jieba is None:
            import jieba
            import jieba.posseg

            # jieba logs the dictionary build at DEBUG on its own handler.
            jieba.setLogLevel(logging.WARNING)
            jieba.initialize()
            _jieba = jieba
    return _jieba
