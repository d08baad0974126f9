"""Preprocessing of General Debate speeches: paragraphs, and boilerplate removed.

Almost every General Debate speech opens with the same ritual: congratulations to the new
President of the Assembly on their election, thanks to the outgoing President, tribute to the
Secretary-General, greetings to "distinguished delegates". Left in, this ritual makes every
speech look alike and hides the politics. Two filters remove it:

1. **Procedural sentences** (:data:`PROCEDURAL_SENTENCE`) are dropped whole: a sentence that
   congratulates, that mentions someone's election to the presidency, the outgoing President
   or a predecessor, or that thanks or pays tribute to the President or the
   Secretary-General. A trigger never spans a sentence end, so the text is cut at ``.``,
   ``!``, ``?`` and line breaks and a piece is dropped when it holds a trigger; only the
   pieces holding a keyword (:data:`PROCEDURAL_KEYWORDS`, one of which every trigger
   contains) are read (~1 ms a speech, the same text as the one-pattern substitution
   ``re.sub(PROCEDURAL_SENTENCE, "", text)`` with ASCII word boundaries).
2. **Procedural words** (:data:`PROCEDURAL_WORDS`) are stop words for the TF-IDF vocabulary,
   beside scikit-learn's English stop-word list: forms of address and the names of the
   setting (president, excellency, delegation, session, assembly, secretary-general, ...).
   Stop words are removed before n-grams are formed, so "Mr. President" yields no bigram.

Paragraphs are the corpus' line breaks. A speech transcribed without line breaks (a few of the
1940s-60s) is cut into blocks of :data:`SENTENCES_PER_BLOCK` sentences, so that the paragraph
bootstrap always has units to resample.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence

from hedgewatch.rhetoric._stop_words import ENGLISH_STOP_WORDS

#: What makes a sentence ritual rather than politics (matched on lower-cased text; ASCII
#: word boundaries, RE2 and Python ``re`` syntax alike).
PROCEDURAL_TRIGGER = (
    r"congratulat"
    r"|\b(?:your|his|her|their) (?:unanimous |well-deserved |recent )?election\b"
    r"|\belection (?:of [^.!?\r\n]{0,60})?(?:to|as) (?:the )?presiden"
    r"|\b(?:outgoing|previous|retiring) president\b|\bpredecessor\b"
    r"|\b(?:tribute|thanks|gratitude|appreciation)\b[^.!?\r\n]{0,120}"
    r"\b(?:secretary-general|president)\b"
)
#: A whole sentence (or line) holding a trigger.
PROCEDURAL_SENTENCE = r"[^.!?\r\n]*(?:" + PROCEDURAL_TRIGGER + r")[^.!?\r\n]*[.!?]?"
_PROCEDURAL = re.compile(PROCEDURAL_SENTENCE)
_TRIGGER = re.compile(PROCEDURAL_TRIGGER, re.ASCII)
_TRIGGER_ANY = re.compile(PROCEDURAL_TRIGGER)  # Unicode word boundaries, as _PROCEDURAL
#: Words one of which every trigger contains (a sentence without any is kept unread).
PROCEDURAL_KEYWORDS = (
    "congratulat",
    "election",
    "president",
    "predecessor",
    "tribute",
    "thanks",
    "gratitude",
    "appreciation",
)
_KEYWORD = re.compile("|".join(PROCEDURAL_KEYWORDS))
_END = re.compile(r"[.!?\r\n]")

#: Forms of address and words naming the setting; stop words for the TF-IDF backend.
PROCEDURAL_WORDS: frozenset[str] = frozenset(
    """
    mr mrs ms madam madame sir president presidency vice-president excellency excellencies
    distinguished delegates delegate delegation delegations ladies gentlemen colleagues
    session sessions assembly secretary-general general debate podium rostrum
    honour honor privilege pleased pleasure thank thanks congratulate congratulations
    united nations
    """.split()  # noqa: SIM905 (a word list reads better as text)
)

#: Stop words of the TF-IDF backend: scikit-learn's English list plus the procedural words.
STOP_WORDS: frozenset[str] = frozenset(ENGLISH_STOP_WORDS) | PROCEDURAL_WORDS

#: Tokens: runs of letters, hyphenated compounds kept ("self-determination").
TOKEN_PATTERN = r"(?u)\b[^\W\d_]{2,}(?:-[^\W\d_]+)*\b"

#: Block size for speeches without line breaks.
SENTENCES_PER_BLOCK = 5
_MIN_PARAGRAPHS = 8

_SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[\"'\u201c\u2018(\[]?[A-Z0-9])")
_SENTENCE_LOWER = re.compile(r"(?<=[.!?])\s+")


def sentences(text: str) -> list[str]:
    """Split a paragraph into sentences (after ``.``, ``!`` or ``?`` and a capital)."""
    return [s for s in _SENTENCE.split(text.strip()) if s]


def _blocks(text: str) -> list[str]:
    lines = [p for p in (x.strip() for x in text.splitlines()) if p]
    if len(lines) >= _MIN_PARAGRAPHS:
        return lines
    flat = [s for line in lines for s in _SENTENCE_LOWER.split(line) if s]
    n = SENTENCES_PER_BLOCK
    return [" ".join(flat[i : i + n]) for i in range(0, len(flat), n)]


def clean_paragraphs(texts: Sequence[str]) -> list[list[str]]:
    """Lower-cased paragraphs of many speeches, procedural sentences removed.

    Parameters
    ----------
    texts
        Speeches.

    Returns
    -------
    For each speech its non-empty paragraphs in order (lines of the transcript; a speech with
    fewer than eight lines is cut into blocks of :data:`SENTENCES_PER_BLOCK` sentences).
    """
    return [_blocks(_remove_procedural(t.lower())) for t in texts]


def _remove_procedural(text: str) -> str:
    # Equal to _PROCEDURAL.sub("", text): the pattern's leftmost match starts where a piece
    # (a run up to ``.``, ``!``, ``?``, kept with it, or a line break) starts and runs to its
    # end, as triggers hold no sentence end; a piece holding no trigger matches nowhere. So
    # only the pieces holding a keyword are read, found from the keywords' positions.
    checked = kept = 0
    out = []
    ends: list[int] | None = None
    for hit in _KEYWORD.finditer(text):
        at = hit.start()
        if at < checked:  # in a piece already read
            continue
        if ends is None:
            ends = [m.start() for m in _END.finditer(text)]
        k = bisect.bisect_right(ends, at)
        start = ends[k - 1] + 1 if k else 0
        stop = ends[k] if k < len(ends) else len(text)
        if stop < len(text) and text[stop] in ".!?":
            stop += 1
        checked = stop
        if _TRIGGER.search(text, start, stop):
            out.append(text[kept:start])
            kept = stop
    if not out:
        return text
    out.append(text[kept:])
    return "".join(out)


def clean(text: str) -> str:
    """One speech, lower-cased, procedural sentences removed, paragraphs on their own lines."""
    return "\n".join(_blocks(_remove_procedural(text.lower())))


def is_procedural(sentence: str) -> bool:
    """Whether a sentence is ritual (would be removed)."""
    # _PROCEDURAL.search(text) finds a match exactly when a trigger matches somewhere (the
    # text around a trigger may be empty): search for the trigger alone, which does not
    # backtrack over the sentence at every position, and only when a keyword is there.
    text = sentence.lower()
    return _KEYWORD.search(text) is not None and _TRIGGER_ANY.search(text) is not None
