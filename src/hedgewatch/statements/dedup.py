"""Near-duplicate statements: reposts and translations of the same text.

Two statements of the same actor are near-duplicates when they are dated at most ``window``
days apart and either

* their word TF-IDF vectors have cosine similarity >= ``threshold`` (reposts, lightly edited
  copies, the same text with scraping artefacts), or
* they are in different languages and their idf-weighted *anchor* vectors (numbers and
  capitalised words: names, places, dates, which survive translation between Latin-script
  languages) have cosine >= ``anchor_threshold`` with at least ``min_anchors`` anchors each (translations).

Comparisons are blocked by actor and day: each day's statements are compared only with those
of the next ``window`` days, so the cost grows with n x (statements per day), not n².
Duplicate groups are the connected components of the similarity graph; the earliest statement
(then the longest) represents the group.

Limits: translations between scripts (Russian <-> English) are found only through shared
numbers and Latin-script names, which are rare; use the concept space for such corpora.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import scipy.sparse as sp
from scipy.sparse.csgraph import connected_components
from sklearn.feature_extraction.text import TfidfVectorizer

from hedgewatch._validation import check_param, validated

_ANCHOR = r"\b(?:[A-Z][a-z]{2,}|\d{2,})\b"


def _similar_pairs(
    X: sp.csr_matrix,
    day: np.ndarray,
    group: np.ndarray,
    window: int,
    threshold: float,
    allowed: np.ndarray | None = None,
) -> np.ndarray:
    """Pairs (i, j), i < j in sort order, same group, |day_i - day_j| <= window, cos >= thr.

    Rows must be sorted by (group, day). Loops over blocks (group, day), never statements.
    """
    key = group.astype(np.int64) * (1 << 32) + day.astype(np.int64)
    starts = np.flatnonzero(np.r_[True, key[1:] != key[:-1]])
    ends = np.r_[starts[1:], len(key)]
    hi = np.searchsorted(key, key[starts] + window, side="right")
    out = []
    for s, e, h in zip(starts, ends, hi, strict=True):
        S = (X[s:e] @ X[s:h].T).tocoo()
        i, j = S.row + s, S.col + s
        keep = (S.data >= threshold) & (j > i)
        if allowed is not None:
            keep &= allowed[i] != allowed[j]
        out.append(np.column_stack([i[keep], j[keep]]))
    return np.vstack(out) if out else np.empty((0, 2), dtype=int)


@validated
def mark_duplicates(
    statements: pd.DataFrame,
    *,
    window: int = 1,
    threshold: float = 0.9,
    anchor_threshold: float = 0.5,
    min_anchors: int = 5,
    translations: bool = True,
) -> pd.DataFrame:
    """Flag near-duplicate statements, keeping every row.

    Parameters
    ----------
    statements
        Normalised statements (``statement_id, actor, date, title, text, language``...).
    window
        Largest date gap, in days, between two copies of one statement.
    threshold
        Cosine similarity of word TF-IDF vectors at or above which two texts are copies.
    anchor_threshold, min_anchors
        Cosine of anchor (number and name) vectors, and the fewest anchors a text must have,
        for two texts in different languages to count as translations.
    translations
        Whether to look for translations at all.

    Returns
    -------
    A copy with ``duplicate_of`` (the representative's ``statement_id``, missing for
    representatives) and ``dup_count`` (size of the group, on every member).

    References
    ----------
    Broder, A. Z. (1997). On the resemblance and containment of documents. Proceedings of
    Compression and Complexity of Sequences, 21-29 (near-duplicate detection by similarity
    within candidate blocks).
    """
    check_param(
        isinstance(window, int | np.integer) and window >= 0,
        "window",
        "a non-negative number of days",
        window,
    )
    check_param(0 < threshold <= 1, "threshold", "in (0, 1]", threshold)
    df = statements.copy()
    if df.empty:
        return df.assign(duplicate_of=pd.Series(dtype=object), dup_count=pd.Series(dtype=int))
    body = (df["title"].fillna("") + " " + df["text"].fillna("")).str.strip()
    order = np.lexsort(
        (body.str.len().to_numpy() * -1, df["date"].to_numpy(), df["actor"].astype(str).to_numpy())
    )
    df, body = df.iloc[order].reset_index(drop=True), body.iloc[order].reset_index(drop=True)
    day = df["date"].to_numpy().astype("datetime64[D]").astype(np.int64)
    group = pd.factorize(df["actor"])[0]
    pairs = [_similar_pairs(_word_vectors(body), day, group, window, threshold)]
    if translations:
        A = _anchor_vectors(body, min_anchors)
        lang = pd.factorize(df["detected_language"].fillna(df["language"]).fillna("?"))[0]
        pairs.append(_similar_pairs(A, day, group, window, anchor_threshold, allowed=lang))
    p = np.vstack(pairs)
    n = len(df)
    G = sp.csr_matrix((np.ones(len(p)), (p[:, 0], p[:, 1])), shape=(n, n))
    _, comp = connected_components(G, directed=False)
    first = pd.Series(np.arange(n)).groupby(comp).transform("min").to_numpy()
    ids = df["statement_id"].to_numpy()
    df["duplicate_of"] = np.where(first == np.arange(n), None, ids[first])  # type: ignore[assignment]
    df["dup_count"] = np.bincount(comp)[comp]
    return df.sort_values(["date", "actor"], kind="stable").reset_index(drop=True)


@validated
def collapse_duplicates(statements: pd.DataFrame, **kwargs: object) -> pd.DataFrame:
    """One row per group of near-duplicates (the representative) with its ``dup_count``.

    Takes the parameters of :func:`mark_duplicates`.
    """
    marked = mark_duplicates(statements, **kwargs)  # type: ignore[arg-type]
    return marked[marked["duplicate_of"].isna()].reset_index(drop=True)


def _word_vectors(body: pd.Series) -> sp.csr_matrix:
    vec = TfidfVectorizer(sublinear_tf=True, dtype=np.float32, min_df=1)
    try:
        return vec.fit_transform(body.tolist()).tocsr()
    except ValueError:  # no words at all
        return sp.csr_matrix((len(body), 1), dtype=np.float32)


def _anchor_vectors(body: pd.Series, min_anchors: int) -> sp.csr_matrix:
    # idf weighting: a shared rare name ("Henoko") says more than a shared "Korea"
    vec = TfidfVectorizer(token_pattern=_ANCHOR, lowercase=False, binary=True, dtype=np.float32)
    try:
        A = vec.fit_transform(body.tolist()).tocsr()
    except ValueError:
        return sp.csr_matrix((len(body), 1), dtype=np.float32)
    few = np.diff(A.indptr) < min_anchors  # distinct anchors per text
    return (sp.diags((~few).astype(np.float32)) @ A).tocsr()  # too few anchors: no match
