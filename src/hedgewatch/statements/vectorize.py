"""Turn statement texts into sparse matrices (the vectorising stage).

Every function here takes a plain sequence of strings and returns a SciPy CSR matrix plus the
names of its columns, with no DataFrame, store or file in sight, so the stage can be mapped
over partitions of a corpus by a distributed engine and the matrices stacked afterwards.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np
import pandas as pd
import scipy.sparse as sp
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS, CountVectorizer, TfidfVectorizer

from hedgewatch.statements.lexicon import CONCEPTS, Concept

# A short Russian stop list (the most frequent function words); enough for TF-IDF labels.
_RU_STOP = (
    "и в во не что он на я с со как а то все она так его но да ты к у же вы за бы по только "
    "ее мне было вот от меня еще нет о из ему теперь когда даже ну вдруг ли если уже или ни "
    "быть был него до вас нибудь опять уж вам ведь там потом себя ничего ей может они тут где "
    "есть надо ней для мы тебя их чем была сам чтоб без будто чего раз тоже себе под будет ж "
    "тогда кто этот того потому этого какой совсем ним здесь этом один почти мой тем чтобы нее "
    "сейчас были куда зачем всех никогда можно при наконец два об другой хоть после над больше "
    "тот через эти нас про всего них какая много разве три эту моя впрочем хорошо свою этой "
    "перед иногда лучше чуть том нельзя такой им более всегда конечно всю между также это "
    "года году который которые которых также заявил сообщил"
)
RUSSIAN_STOP_WORDS = frozenset(_RU_STOP.split())
STOP_WORDS = (
    frozenset(ENGLISH_STOP_WORDS)
    | RUSSIAN_STOP_WORDS
    | {"said", "says", "also", "would", "kcna", "pyongyang", "dprk"}
)
_TOKEN = r"(?u)\b[^\W\d_][\w\-]+\b"  # words of 2+ characters starting with a letter


def tfidf_matrix(
    texts: Sequence[str],
    *,
    max_features: int = 50_000,
    min_df: int | float = 2,
    max_df: float = 0.5,
    ngram_range: tuple[int, int] = (1, 1),
) -> tuple[sp.csr_matrix, np.ndarray]:
    """Sublinear TF-IDF vectors (L2-normalised rows) and their terms.

    Parameters
    ----------
    texts
        One string per statement (``None`` is read as empty).
    max_features, min_df, max_df, ngram_range
        As in :class:`sklearn.feature_extraction.text.TfidfVectorizer`; English and Russian
        stop words are removed.

    Returns
    -------
    (X, terms): CSR matrix ``len(texts) x n_terms`` and the array of terms.

    References
    ----------
    Salton, G. & Buckley, C. (1988). Term-weighting approaches in automatic text retrieval.
    Information Processing & Management 24(5), 513-523.
    """
    vec = TfidfVectorizer(
        max_features=max_features,
        min_df=min_df,
        max_df=max_df,
        ngram_range=ngram_range,
        sublinear_tf=True,
        stop_words=list(STOP_WORDS),
        token_pattern=_TOKEN,
        dtype=np.float32,
    )
    docs = ["" if t is None else str(t) for t in texts]
    X = vec.fit_transform(docs)
    return X.tocsr(), vec.get_feature_names_out()


_META = re.compile(r"[\\.^$*+?{}\[\]|()]")


def _word_hits(X: sp.csc_matrix, vocab: np.ndarray | pd.Series, pattern: str) -> np.ndarray:
    """Statements containing a word that fully matches ``pattern``.

    ``vocab`` is sorted, so only the words starting with the pattern's literal prefix (e.g.
    ``биологическ`` in ``биологическ\\w*``) are tested with the regular expression.
    """
    m = _META.search(pattern)
    end = m.start() if m else len(pattern)
    if m and pattern[end] in "?*{":  # the character before an optional quantifier may be absent
        end -= 1
    prefix = pattern[:end]
    lo = np.searchsorted(vocab, prefix, side="left")
    hi = np.searchsorted(vocab, prefix + "\U0010ffff", side="left") if prefix else len(vocab)
    cand = pd.Series(vocab[lo:hi], dtype="object")
    cols = lo + np.flatnonzero(cand.str.fullmatch(pattern).to_numpy())
    if len(cols) == 0:
        return np.zeros(X.shape[0], dtype=bool)
    return np.asarray(X[:, cols].sum(axis=1)).ravel() > 0


def _concept_hits(
    X: sp.csr_matrix, vocab: pd.Series, low: pd.Series, patterns: Sequence[str]
) -> np.ndarray:
    """Statements matching any pattern: words via the vocabulary; word pairs via the
    vocabulary (both words present) and then a regex on those candidate texts only."""
    hit = np.zeros(X.shape[0], dtype=bool)
    for pat in patterns:
        parts = pat.split(" ", 1)
        if len(parts) == 1:
            hit |= _word_hits(X, vocab, pat)
            continue
        cand = _word_hits(X, vocab, parts[0]) & _word_hits(X, vocab, parts[1]) & ~hit
        if cand.any():
            rx = rf"(?<![\w-])(?:{parts[0]})[^\w-]+(?:{parts[1]})(?![\w-])"
            idx = np.flatnonzero(cand)
            hit[idx[low.iloc[idx].str.contains(rx, regex=True).to_numpy()]] = True
    return hit


def concept_matrix(texts: Sequence[str], concepts: Sequence[Concept] = CONCEPTS) -> sp.csr_matrix:
    """Binary statement x concept matrix from the bilingual lexicon.

    Words are matched against each concept's English and Russian patterns through the
    vocabulary (not statement by statement); a two-word pattern is checked with a regular
    expression only in the statements that contain both words. Chinese patterns are
    searched as substrings in texts containing CJK characters.

    Parameters
    ----------
    texts
        One string per statement.
    concepts
        The concept space (default :data:`hedgewatch.statements.lexicon.CONCEPTS`).

    Returns
    -------
    CSR matrix ``len(texts) x len(concepts)`` of 0/1.
    """
    docs = ["" if t is None else str(t) for t in texts]
    vec = CountVectorizer(binary=True, token_pattern=_TOKEN, dtype=np.int8)
    try:
        X = vec.fit_transform(docs).tocsc()
        vocab = vec.get_feature_names_out().astype(str)  # sorted, as CountVectorizer keeps it
    except ValueError:  # no words at all
        X, vocab = sp.csc_matrix((len(docs), 0), dtype=np.int8), np.array([], dtype=str)
    low = pd.Series(docs, dtype="object").str.lower()
    hits = (
        np.column_stack([_concept_hits(X, vocab, low, c.en + c.ru) for c in concepts])
        if len(concepts)
        else np.zeros((len(docs), 0), dtype=bool)
    )
    C = sp.csr_matrix(hits.astype(np.int8))
    s = pd.Series(["" if t is None else str(t) for t in texts], dtype="object")
    cjk = s.str.contains(r"[\u4E00-\u9FFF]", regex=True).to_numpy()
    if cjk.any():
        zh = s[cjk]
        cols = [
            zh.str.contains("|".join(map(re.escape, c.zh))).to_numpy()
            if c.zh
            else np.zeros(len(zh), dtype=bool)
            for c in concepts
        ]
        Z = sp.lil_matrix((len(s), len(concepts)), dtype=np.int8)
        Z[np.flatnonzero(cjk)] = np.column_stack(cols).astype(np.int8)
        C = ((C + Z.tocsr()) > 0).astype(np.int8).tocsr()
    return C.astype(np.int8)


def phrase_matrix(
    texts: Sequence[str],
    *,
    ngram_range: tuple[int, int] = (2, 3),
    min_df: int = 3,
    max_df: float = 0.05,
    max_phrases: int | None = 20_000,
) -> tuple[sp.csr_matrix, np.ndarray]:
    """Binary statement x key-phrase matrix (word n-grams without stop words).

    Phrases seen in fewer than ``min_df`` statements or in more than a ``max_df`` share of
    them are dropped (too rare to recur, too common to distinguish); of the rest the
    ``max_phrases`` most frequent are kept.
    """
    docs = ["" if t is None else str(t) for t in texts]
    vec = CountVectorizer(
        binary=True,
        ngram_range=ngram_range,
        stop_words=list(STOP_WORDS),
        token_pattern=_TOKEN,
        min_df=min(min_df, max(1, len(docs))),
        max_df=max_df if len(docs) * max_df >= min_df else 1.0,
        max_features=max_phrases,
        dtype=np.int32,
    )
    try:
        X = vec.fit_transform(docs)
    except ValueError:  # no phrase passes the thresholds
        return sp.csr_matrix((len(docs), 0), dtype=np.int32), np.array([], dtype=object)
    return X.tocsr(), vec.get_feature_names_out()
