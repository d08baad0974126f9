"""Group statements into narratives, each with a readable label and a timeline per actor.

Two representations:

``"tfidf"`` (one language)
    Sublinear TF-IDF vectors, reduced by truncated SVD (latent semantic analysis) and clustered
    with mini-batch k-means on the unit sphere; one narrative per statement. A narrative's label
    is the top terms of its members' mean TF-IDF vector. Statements whose cosine to their
    centroid is below ``min_similarity`` stay unassigned (narrative -1).
``"concepts"`` (several languages)
    The bilingual lexicon of :mod:`hedgewatch.statements.lexicon`: every concept is a narrative
    and a statement can carry several; labels are the concept labels.

``"auto"`` picks ``"concepts"`` when the statements are in more than one language.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
import scipy.sparse as sp
from sklearn.cluster import MiniBatchKMeans
from sklearn.decomposition import TruncatedSVD
from sklearn.preprocessing import normalize

from hedgewatch.errors import InsufficientDataError, check_param
from hedgewatch.statements.lexicon import CONCEPTS
from hedgewatch.statements.vectorize import concept_matrix, tfidf_matrix

METHODS = ("auto", "tfidf", "concepts")


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
    return (df["title"].fillna("") + ". " + df["text"].fillna("")).tolist()


def choose_method(statements: pd.DataFrame, method: str = "auto") -> str:
    """Resolve ``"auto"``: concepts when statements span several languages, else TF-IDF."""
    check_param(method in METHODS, "method", "narratives", f"one of {METHODS}", method)
    if method != "auto":
        return method
    lang = statements.get("detected_language", pd.Series(dtype=object))
    lang = lang.fillna(statements.get("language")) if "language" in statements else lang
    return "concepts" if lang.dropna().nunique() > 1 else "tfidf"


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


def _top_terms(X: sp.csr_matrix, labels: np.ndarray, terms: np.ndarray, n: int) -> list[str]:
    k = labels.max() + 1
    keep = labels >= 0
    M = sp.csr_matrix(
        (np.ones(keep.sum()), (labels[keep], np.flatnonzero(keep))), shape=(k, X.shape[0])
    )
    mean = np.asarray((M @ X).todense())
    top = np.argsort(-mean, axis=1)[:, :n]
    return [" / ".join(terms[row]) for row in top]


def narratives(
    statements: pd.DataFrame,
    *,
    method: str = "auto",
    n_narratives: int | None = None,
    min_similarity: float = 0.2,
    n_terms: int = 3,
    seed: int = 0,
) -> NarrativeResult:
    """Find narratives in statements.

    Parameters
    ----------
    statements
        Normalised statements (``statement_id, actor, date, title, text, language``).
    method
        ``"auto"`` (default), ``"tfidf"`` or ``"concepts"`` (see the module docstring).
    n_narratives
        Clusters for ``"tfidf"``; default ``clip(sqrt(n / 2), 10, 200)``.
    min_similarity
        Cosine to the centroid below which a statement joins no narrative (``"tfidf"``).
    n_terms
        Terms in each label.
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
    method = choose_method(statements, method)
    if len(statements) == 0:
        raise InsufficientDataError("narratives() got no statements; widen the selection.")
    base = statements[["statement_id", "actor", "date"]].reset_index(drop=True)
    if method == "concepts":
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
        check_param(k >= 1, "n_narratives", "narratives", "a positive integer", n_narratives)
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
