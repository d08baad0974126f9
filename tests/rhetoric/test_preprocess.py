"""Boilerplate removal: ritual sentences go, politics stays."""

from __future__ import annotations

import re

import pytest

from hedgewatch.rhetoric.preprocess import (
    PROCEDURAL_KEYWORDS,
    PROCEDURAL_SENTENCE,
    PROCEDURAL_WORDS,
    STOP_WORDS,
    _blocks,
    clean,
    clean_paragraphs,
    is_procedural,
)

OPENING = (
    "First of all, allow me to congratulate His Excellency Mr. Miroslav Lajcak on his "
    "election as the President of the General Assembly. I also pay tribute to the outgoing "
    "President for his work. The hostile policy of the United States must end."
)


def test_ritual_sentences_removed_politics_kept():
    out = clean(OPENING)
    assert "congratulate" not in out and "outgoing" not in out
    assert "the hostile policy of the united states must end." in out


def test_many_and_one_filters_agree():
    texts = [
        OPENING + "\n" + "Sanctions are illegal.\n" * 9,
        "We thank the Secretary-General "
        "for his report.\nUnilateral sanctions violate sovereignty.\n" * 5,
    ]
    many = clean_paragraphs(texts)
    assert ["\n".join(p) for p in many] == [clean(t) for t in texts]


HOSTILE = (
    "We congratulate you\r\non your election as President! Peace... "
    "Thanks to the President?? Predecessor"  # a trigger in a piece without an end
    "\n\u00e9lection to the presidency. Tribute\u00e9 to the President. "
    "Our gratitude, which is long, goes to " + "x" * 130 + " the Secretary-General. End"
)


def _check_piecewise_filter(texts):
    # The filter cuts the text into pieces and drops those holding a trigger; it must give
    # the text that the one pattern PROCEDURAL_SENTENCE removes (RE2 and ASCII word
    # boundaries, as DuckDB applied it to the whole corpus): checked on real speeches and
    # on pieces ending without a full stop, carriage returns, repeated stops, non-ASCII
    # letters beside a trigger and a trigger's long gap.
    one = re.compile(PROCEDURAL_SENTENCE, re.ASCII)
    texts = [*texts, HOSTILE]
    got = clean_paragraphs(texts)
    removed = 0
    for text, paras in zip(texts, got, strict=True):
        expect = _blocks(one.sub("", text.lower()))
        assert paras == expect
        removed += len(text) - sum(len(p) for p in paras)
    assert removed > 0
    assert "thanks to the president" not in "\n".join(got[-1])
    assert "peace..." in "\n".join(got[-1])


def test_piecewise_filter_equals_the_one_pattern_substitution(extract):
    # six real speeches (the one pattern takes ~0.15 s a speech in Python)
    _check_piecewise_filter(list(extract.loc[extract["country"].isin(["PRK", "RUS"]), "text"]))


@pytest.mark.slow
def test_piecewise_filter_equals_the_one_pattern_substitution_on_all_78(extract):
    _check_piecewise_filter(list(extract["text"]))


def test_is_procedural():
    assert is_procedural("We congratulate you, Sir, on your unanimous election.")
    assert is_procedural("My delegation expresses its gratitude to the Secretary-General.")
    assert not is_procedural("Encirclement by military blocs threatens our sovereignty.")


def test_speech_without_line_breaks_cut_into_blocks():
    text = " ".join(f"Sentence number {i} is here." for i in range(23))
    paras = clean_paragraphs([text])[0]
    assert len(paras) == 5  # 23 sentences in blocks of 5
    assert paras[0].startswith("sentence number 0") and paras[-1].endswith("22 is here.")


def test_stop_words_include_procedural_words():
    assert {"president", "excellency", "delegation", "secretary-general"} <= PROCEDURAL_WORDS
    assert PROCEDURAL_WORDS <= STOP_WORDS and "the" in STOP_WORDS
    assert "sovereignty" not in STOP_WORDS and "sanctions" not in STOP_WORDS


def test_is_procedural_is_the_one_pattern_search(extract):
    one = re.compile(PROCEDURAL_SENTENCE)
    every = [s for t in [*extract["text"], HOSTILE] for s in re.split(r"(?<=[.!?])\s+", t)]
    # the sentences with a keyword of a trigger, and some without (the one pattern is slow)
    keyword = re.compile("|".join(PROCEDURAL_KEYWORDS))
    pieces = [s for s in every if keyword.search(s.lower())] + every[:300]
    flags = [is_procedural(s) for s in pieces]
    assert flags == [one.search(s.lower()) is not None for s in pieces]
    assert 0 < sum(flags) < len(flags)
