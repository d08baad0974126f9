"""Group statements into narratives, each with a readable label and a timeline per actor.

Three representations:

``"phrases"`` (one language; the default there)
    Key-phrase co-occurrence: word bigrams and trigrams that recur, are not common, and are
    used in bursts (weekly counts over-dispersed, :func:`bursty_phrases`) are linked when they occur in the same statements (Jaccard >= ``min_jaccard`` over at least
    ``min_cooc`` statements); each connected group of phrases (chains longer than 25 phrases
    are split at a higher threshold) is a narrative, labelled by its
    most frequent phrases. A statement carries a narrative when it uses at least two of its
    phrases (one for a one-phrase narrative); it can carry several.
``"tfidf"`` (one language)
    Sublinear TF-IDF vectors, reduced by truncated SVD (latent semantic analysis) and clustered
    with mini-batch k-means on the unit sphere; one narrative per statement. A narrative's label
    is the top terms of its members' mean TF-IDF vector. Statements whose cosine to their
    centroid is below ``min_similarity`` stay unassigned (narrative -1).
``"concepts"`` (several languages)
    The bilingual lexicon of :mod:`hedgewatch.statements.lexicon`: every concept is a narrative
    and a statement can carry several; labels are the concept labels.

``"auto"`` picks ``"concepts"`` when the statements are in more than one language, else
``"phrases"``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import cast

import numpy as np
import pandas as pd
import scipy.sparse as sp
from scipy.sparse.csgraph import connected_components
from sklearn.cluster import MiniBatchKMeans
from sklearn.decomposition import TruncatedSVD
from sklearn.preprocessing import normalize

from hedgewatch._validation import check_param, fail, validated
from hedgewatch.errors import InsufficientDataError
from hedgewatch.statements.lexicon import CONCEPTS
from hedgewatch.statements.vectorize import concept_matrix, phrase_matrix, tfidf_matrix

METHODS = ("auto", "phrases", "tfidf", "concepts")


@dataclass(frozen=True)
class NarrativeResult:
    """Narratives found in a set of statements.

    Attributes
    ----------
    method
        ``"tfidf"`` or ``"concepts"``.
    narratives
        One row per narrative: ``narrative, label, size, actors``.
    membership
        One row per (statement, narrative): ``statement_id, actor, date, narrative``.
    """

    method: str
    narratives: pd.DataFrame
    membership: pd.DataFrame

    def timeline(self, freq: str = "D") -> pd.DataFrame:
        """Statements per narrative, actor and period (``freq``: 'D', 'W', 'M', ...)."""
        m = self.membership.assign(period=self.membership["date"].dt.to_period(freq))
        out = m.groupby(["narrative", "actor", "period"]).size().rename("n").reset_index()
        return out.merge(self.narratives[["narrative", "label"]], on="narrative")

    def to_frame(self) -> pd.DataFrame:
        """The narratives table."""
        return self.narratives.copy()


def _body(df: pd.DataFrame) -> list[str]:
    title = df["title"] if "title" in df else pd.Series("", index=df.index)
    text = df["text"] if "text" in df else pd.Series("", index=df.index)
    return (title.fillna("").astype(str) + ". " + text.fillna("").astype(str)).tolist()


def prepare(statements: pd.DataFrame) -> pd.DataFrame:
    """Check the columns an analysis needs; add ``statement_id`` (row number) if absent."""
    if not isinstance(statements, pd.DataFrame) or not (
        {"actor", "date"} <= set(statements.columns) and {"text", "title"} & set(statements.columns)
    ):
        raise fail(
            "statements",
            "a DataFrame with columns actor, date and text (or title), as from "
            "hedgewatch.store.statements()",
            statements,
            got=f"columns {list(getattr(statements, 'columns', []))}",
        )
    out = statements
    if "statement_id" not in out:
        out = out.assign(statement_id=np.arange(len(out)).astype(str))
    if not pd.api.types.is_datetime64_any_dtype(out["date"]):
        out = out.assign(date=pd.to_datetime(out["date"]))
    return out


def choose_method(statements: pd.DataFrame, method: str = "auto") -> str:
    """Resolve ``"auto"``: concepts when statements span several languages, else TF-IDF."""
    check_param(method in METHODS, "method", f"one of {METHODS}", method)
    if method != "auto":
        return method
    empty = pd.Series(None, index=statements.index, dtype=object)
    lang = statements.get("detected_language", empty)
    lang = lang.where(lang.notna(), statements.get("language", empty))
    return "concepts" if lang.dropna().nunique() > 1 else "phrases"


def cluster_vectors(
    X: sp.csr_matrix,
    n_narratives: int,
    *,
    n_components: int = 100,
    min_similarity: float = 0.0,
    seed: int = 0,
) -> tuple[np.ndarray, np.ndarray]:
    """Cluster L2-normalised sparse vectors: LSA then spherical mini-batch k-means.

    Plain arrays in and out (the stage a distributed engine would run).

    Returns
    -------
    (labels, similarity): cluster per row (-1 when cosine to the centroid < min_similarity)
    and that cosine.

    References
    ----------
    Deerwester, S. et al. (1990). Indexing by latent semantic analysis. Journal of the American
    Society for Information Science 41(6), 391-407. Sculley, D. (2010). Web-scale k-means
    clustering. Proceedings of WWW 2010, 1177-1178.
    """
    k = min(n_narratives, X.shape[0])
    dims = max(1, min(n_components, X.shape[1] - 1, X.shape[0] - 1))
    Z = TruncatedSVD(dims, random_state=seed, algorithm="randomized", n_iter=4).fit_transform(X)
    Z = normalize(Z)
    km = MiniBatchKMeans(k, random_state=seed, n_init=3, batch_size=4096).fit(Z)
    centres = normalize(km.cluster_centers_)
    labels = km.labels_.astype(np.int64)
    sim = np.einsum("ij,ij->i", Z, centres[labels])
    labels[sim < min_similarity] = -1
    return labels, sim


def bursty_phrases(
    X: sp.csr_matrix, week: np.ndarray, *, max_phrases: int = 20_000, min_dispersion: float = 1.5
) -> np.ndarray:
    """Indices of phrases whose weekly counts are over-dispersed (used in bursts).

    A narrative is taken up at some times and not others; a phrase used at an even rate
    (boilerplate) has a variance-to-mean ratio of weekly counts near 1 (Poisson) and can
    yield no onsets. Keeps phrases with ratio >= ``min_dispersion``, the ``max_phrases``
    most dispersed first. Plain arrays in and out.

    References
    ----------
    Kleinberg, J. (2003). Bursty and hierarchical structure in streams. Data Mining and
    Knowledge Discovery 7(4), 373-397.
    """
    n_weeks = int(week.max()) + 1 if len(week) else 1
    E = sp.csr_matrix(
        (np.ones(len(week)), (week, np.arange(len(week)))), shape=(n_weeks, X.shape[0])
    )
    W = (E @ (X > 0).astype(np.float64)).tocsc()
    mean = np.asarray(W.sum(axis=0)).ravel() / n_weeks
    sq = np.asarray(W.multiply(W).sum(axis=0)).ravel() / n_weeks
    with np.errstate(divide="ignore", invalid="ignore"):
        disp = np.where(mean > 0, (sq - mean**2) / mean, 0.0)
    order = np.argsort(-disp, kind="stable")
    order = order[disp[order] >= min_dispersion]
    return np.sort(order[:max_phrases])


def phrase_clusters(
    X: sp.csr_matrix, *, min_cooc: int = 3, min_jaccard: float = 0.4, max_size: int = 25
) -> np.ndarray:
    """Group phrases that occur together: connected components of the Jaccard graph.

    A component with more than ``max_size`` phrases (a chain through common phrases) is
    split again with a Jaccard threshold raised by 0.1, until it is small enough. Plain arrays
    in and out. Returns a group per phrase, -1 for phrases linked to none.

    References
    ----------
    Rose, S., Engel, D., Cramer, N. & Cowley, W. (2010). Automatic keyword extraction from
    individual documents. In Text Mining: Applications and Theory, Wiley, 1-20 (key phrases
    from co-occurrence).
    """
    B = (X > 0).astype(np.int32)
    C = sp.triu(B.T @ B, k=1).tocoo()
    df = np.asarray(B.sum(axis=0)).ravel()
    jac = C.data / (df[C.row] + df[C.col] - C.data)
    keep = (C.data >= min_cooc) & (jac >= min_jaccard)
    r, c, j = C.row[keep], C.col[keep], jac[keep]
    P = X.shape[1]
    if P == 0:
        return np.empty(0, dtype=np.int64)
    comp = _components(r, c, P)
    thr = min_jaccard
    while thr < 0.95:
        size = np.bincount(comp, minlength=comp.max() + 1)
        big = size[comp] > max_size
        if not big.any():
            break
        thr += 0.1
        inside = big[r] & big[c] & (j >= thr)
        sub = _components(r[inside], c[inside], P)
        comp = np.where(big, comp.max() + 1 + sub, comp)
    linked = np.bincount(comp)[comp] > 1
    labels = np.full(P, -1, dtype=np.int64)
    labels[linked] = pd.factorize(comp[linked])[0]
    return labels


def _components(r: np.ndarray, c: np.ndarray, n: int) -> np.ndarray:
    G = sp.csr_matrix((np.ones(len(r)), (r, c)), shape=(n, n))
    return connected_components(G, directed=False)[1]


def phrase_membership(X: sp.csr_matrix, labels: np.ndarray, min_hits: int = 2) -> sp.coo_matrix:
    """Statements x narratives: uses at least ``min_hits`` of the narrative's phrases."""
    ok = labels >= 0
    G = int(labels.max()) + 1 if ok.any() else 0
    L = sp.csr_matrix((np.ones(ok.sum()), (np.flatnonzero(ok), labels[ok])), shape=(X.shape[1], G))
    hits = ((X > 0).astype(np.float64) @ L).tocoo()
    size = np.bincount(labels[ok], minlength=G)
    need = np.minimum(min_hits, size)
    keep = hits.data >= need[hits.col]
    return sp.coo_matrix((np.ones(keep.sum()), (hits.row[keep], hits.col[keep])), shape=hits.shape)


def _top_terms(X: sp.csr_matrix, labels: np.ndarray, terms: np.ndarray, n: int) -> list[str]:
    k = labels.max() + 1
    keep = labels >= 0
    M = sp.csr_matrix(
        (np.ones(keep.sum()), (labels[keep], np.flatnonzero(keep))), shape=(k, X.shape[0])
    )
    mean = np.asarray((M @ X).todense())
    top = np.argsort(-mean, axis=1)[:, :n]
    return [" / ".join(terms[row]) for row in top]


def _top_phrases(X: sp.csr_matrix, labels: np.ndarray, terms: np.ndarray, n: int) -> list[str]:
    df = np.asarray((X > 0).sum(axis=0)).ravel()
    order = np.lexsort((-df, labels))
    grouped = pd.Series(terms[order]).groupby(labels[order])
    return [" / ".join(g.head(n)) for k, g in grouped if cast(int, k) >= 0]


@validated
def narratives(
    statements: pd.DataFrame,
    *,
    method: str = "auto",
    n_narratives: int | None = None,
    min_similarity: float = 0.2,
    n_terms: int = 3,
    min_cooc: int = 3,
    min_jaccard: float = 0.4,
    max_phrases: int = 20_000,
    seed: int = 0,
) -> NarrativeResult:
    """Find narratives in statements.

    Parameters
    ----------
    statements
        Normalised statements (``statement_id, actor, date, title, text, language``).
    method
        ``"auto"`` (default), ``"phrases"``, ``"tfidf"`` or ``"concepts"`` (module docstring).
    n_narratives
        Clusters for ``"tfidf"``; default ``clip(sqrt(n / 2), 10, 200)``.
    min_similarity
        Cosine to the centroid below which a statement joins no narrative (``"tfidf"``).
    n_terms
        Terms in each label.
    min_cooc, min_jaccard
        Phrase links for ``"phrases"``: statements in common, and Jaccard similarity.
    max_phrases
        Most phrases kept for ``"phrases"``, the most bursty first (:func:`bursty_phrases`).
    seed
        Random seed of the SVD and k-means.

    Returns
    -------
    NarrativeResult

    References
    ----------
    Grimmer, J. & Stewart, B. M. (2013). Text as data: the promise and pitfalls of automatic
    content analysis methods for political texts. Political Analysis 21(3), 267-297.
    """
    statements = prepare(statements)
    method = choose_method(statements, method)
    if len(statements) == 0:
        raise InsufficientDataError("narratives() got no statements; widen the selection.")
    base = statements[["statement_id", "actor", "date"]].reset_index(drop=True)
    if method == "phrases":
        X, terms = phrase_matrix(_body(statements), min_df=min_cooc, max_phrases=None)
        week = statements["date"].to_numpy().astype("datetime64[D]").astype(np.int64) // 7
        keep = bursty_phrases(X, week - week.min(), max_phrases=max_phrases)
        X, terms = X[:, keep], terms[keep]
        if X.shape[1] == 0:
            raise InsufficientDataError(
                f"narratives() found no phrase used in bursts in {len(statements)} statements "
                "(too few, or all alike); add statements or use method='concepts'."
            )
        labels = phrase_clusters(X, min_cooc=min_cooc, min_jaccard=min_jaccard)
        M = phrase_membership(X, labels)
        member = base.iloc[M.row].assign(narrative=M.col.astype(np.int64))
        table = pd.DataFrame(
            {"narrative": np.arange(M.shape[1]), "label": _top_phrases(X, labels, terms, n_terms)}
        )
    elif method == "concepts":
        C = concept_matrix(_body(statements)).tocoo()
        member = base.iloc[C.row].assign(narrative=C.col.astype(np.int64))
        table = pd.DataFrame(
            {
                "narrative": np.arange(len(CONCEPTS)),
                "concept": [c.id for c in CONCEPTS],
                "label": [c.label for c in CONCEPTS],
            }
        )
    else:
        n = len(statements)
        k = n_narratives or int(np.clip(np.sqrt(n / 2), 10, 200))
        check_param(k >= 1, "n_narratives", "a positive integer", n_narratives)
        X, terms = tfidf_matrix(_body(statements), min_df=2 if n > 50 else 1)
        labels, _ = cluster_vectors(X, k, min_similarity=min_similarity, seed=seed)
        member = base.assign(narrative=labels)[labels >= 0]
        table = pd.DataFrame(
            {
                "narrative": np.arange(labels.max() + 1),
                "label": _top_terms(X, labels, terms, n_terms),
            }
        )
    member = member.reset_index(drop=True)
    sizes = member.groupby("narrative").agg(
        size=("statement_id", "size"), actors=("actor", lambda s: ",".join(sorted(set(s))))
    )
    table = table.merge(sizes, left_on="narrative", right_index=True, how="left")
    table["size"] = table["size"].fillna(0).astype(np.int64)
    return NarrativeResult(method, table, member)
