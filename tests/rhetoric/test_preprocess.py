"""Boilerplate removal: ritual sentences go, politics stays."""

from __future__ import annotations

from hedgewatch.rhetoric.preprocess import (
    PROCEDURAL_WORDS,
    STOP_WORDS,
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


def test_duckdb_and_python_filters_agree():
    texts = [
        OPENING + "\n" + "Sanctions are illegal.\n" * 9,
        "We thank the Secretary-General "
        "for his report.\nUnilateral sanctions violate sovereignty.\n" * 5,
    ]
    many = clean_paragraphs(texts)
    assert ["\n".join(p) for p in many] == [clean(t) for t in texts]


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
