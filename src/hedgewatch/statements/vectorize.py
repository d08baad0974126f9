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


def term_matrix(texts: Sequence[str]) -> tuple[sp.csr_matrix, np.ndarray]:
    """Binary statement x term matrix over lower-cased words and adjacent word pairs."""
    vec = CountVectorizer(binary=True, ngram_range=(1, 2), token_pattern=_TOKEN, dtype=np.int8)
    docs = ["" if t is None else str(t) for t in texts]
    try:
        X = vec.fit_transform(docs)
    except ValueError:  # every text empty
        return sp.csr_matrix((len(docs), 0), dtype=np.int8), np.array([], dtype=object)
    return X.tocsr(), vec.get_feature_names_out()


def _pattern_hits(first: pd.Series, second: pd.Series, patterns: Sequence[str]) -> np.ndarray:
    """Boolean mask over terms matching any of the patterns (whole-word match)."""
    hit = np.zeros(len(first), dtype=bool)
    is_uni = second.eq("").to_numpy()
    uni = first[is_uni]
    uni_idx = np.flatnonzero(is_uni)
    for pat in patterns:
        parts = pat.split(" ")
        if len(parts) == 1:
            hit[uni_idx[uni.str.fullmatch(pat).to_numpy()]] = True
        else:  # match each word among unigrams, then pick pairs made of matching words
            a = set(uni[uni.str.fullmatch(parts[0])])
            b = set(uni[uni.str.fullmatch(" ".join(parts[1:]))])
            hit |= (first.isin(a) & second.isin(b)).to_numpy()
    return hit


def concept_mapping(terms: np.ndarray, concepts: Sequence[Concept] = CONCEPTS) -> sp.csr_matrix:
    """Sparse ``n_terms x n_concepts`` 0/1 matrix: which term signals which concept."""
    t = pd.Series(terms, dtype="object").astype(str)
    split = t.str.partition(" ")
    first, second = split[0], split[2]
    rows, cols = [], []
    for j, c in enumerate(concepts):
        idx = np.flatnonzero(_pattern_hits(first, second, c.en + c.ru))
        rows.append(idx)
        cols.append(np.full(len(idx), j))
    r = np.concatenate(rows) if rows else np.array([], dtype=int)
    k = np.concatenate(cols) if cols else np.array([], dtype=int)
    return sp.csr_matrix((np.ones(len(r), dtype=np.int8), (r, k)), shape=(len(t), len(concepts)))


def concept_matrix(texts: Sequence[str], concepts: Sequence[Concept] = CONCEPTS) -> sp.csr_matrix:
    """Binary statement x concept matrix from the bilingual lexicon.

    Words and word pairs are matched against each concept's English and Russian patterns
    (one pass over the vocabulary, not over statements); Chinese patterns are searched as
    substrings in texts containing CJK characters.

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
    X, terms = term_matrix(texts)
    C = (X.astype(np.int32) @ concept_mapping(terms, concepts).astype(np.int32)).tocsr()
    C.data[:] = 1
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
