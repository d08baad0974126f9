"""Pairwise similarity of General Debate speeches within each year.

Each year's debate is represented on its own (see :mod:`hedgewatch.rhetoric.backends`): the
speeches of that year are the documents, and the similarity of two states in that year is the
cosine of their speech vectors, one sparse matrix product per year. Similarities therefore
compare like with like (the same debate, the same agenda) and are bounded by 0 and 1 for
TF-IDF (non-negative weights), by -1 and 1 for embeddings.

The year's whole set of speeches is the reference for inverse document frequencies, so pass
the full corpus of the years you study, not only the states you compare.

References
----------
Baturo, A., Dasandi, N. and Mikhaylov, S. (2017) "Understanding state preferences with text
as data: Introducing the UN General Debate corpus", Research & Politics 4(2).
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from hedgewatch import countries as _countries
from hedgewatch._deprecation import deprecated_args
from hedgewatch._validation import check_columns, check_param, fail, validated
from hedgewatch.errors import InsufficientDataError
from hedgewatch.rhetoric.backends import Backend, UnitVectors, get_backend
from hedgewatch.rhetoric.preprocess import clean_paragraphs

_REQUIRED = ("country", "year", "text")
_CACHE: OrderedDict[tuple[object, ...], YearVectors] = OrderedDict()
# A fitted TF-IDF year holds its vocabulary and paragraphs (~20 MB for a recent debate):
# 16 years is the last decade and a half (what shared_narratives reads after convergence_many)
# in ~0.3 GB. Call clear_cache() to release them.
_CACHE_SIZE = 16


# What shared_narratives reads (vectors and terms, ~3 MB a year), kept apart: a pass over
# the years in order leaves the last 16 (the report reads those since 2012).
_TERMS: OrderedDict[tuple[object, ...], YearTerms] = OrderedDict()
_TERMS_SIZE = 16


def clear_cache() -> None:
    """Forget the cached year representations (frees their memory)."""
    _CACHE.clear()
    _TERMS.clear()


@dataclass(frozen=True)
class YearVectors:
    """The speeches of one year as vectors.

    Attributes
    ----------
    year
        The debate's year.
    countries
        Country code of each row.
    units
        The speech vectors and paragraph units (see
        :class:`~hedgewatch.rhetoric.backends.UnitVectors`).
    paragraphs
        The cleaned paragraphs of each speech.
    """

    year: int
    countries: np.ndarray
    units: UnitVectors
    paragraphs: list[list[str]]

    def matrix(self) -> np.ndarray:
        """Cosine similarity of every pair of speeches (dense, symmetric, diagonal 1)."""
        x = self.units.vectors
        s = x @ x.T
        s = s.toarray() if hasattr(s, "toarray") else np.asarray(s)
        return np.clip(s, -1.0, 1.0)

    def row(self, country: str) -> int:
        """Row of a country, or InsufficientDataError if it did not speak that year."""
        hit = np.flatnonzero(self.countries == country)
        if len(hit) == 0:
            raise InsufficientDataError(
                f"{_countries.name(country)} ({country}) has no General Debate speech in "
                f"{self.year} in the speeches given. Choose another year or check the corpus "
                "(hedgewatch.speeches([...]))."
            )
        return int(hit[0])


@dataclass(frozen=True)
class YearTerms:
    """One year's TF-IDF speech vectors and the terms of their columns (no paragraphs).

    Attributes
    ----------
    year, countries
        As in :class:`YearVectors`.
    vectors
        One L2-normalised TF-IDF row per speech.
    terms
        The term of each column.
    """

    year: int
    countries: np.ndarray
    vectors: Any
    terms: np.ndarray

    def row(self, country: str) -> int:
        """Row of a country, or InsufficientDataError if it did not speak that year."""
        return YearVectors.row(self, country)  # type: ignore[arg-type]


def check_speeches(speeches: pd.DataFrame) -> None:
    """Refuse a speeches frame without the needed columns or with two speeches a year."""
    check_columns(speeches, "speeches", _REQUIRED, source="hedgewatch.speeches()")
    dup = speeches.duplicated(["country", "year"])
    if dup.any():
        row = speeches[dup].iloc[0]
        raise fail(
            "speeches",
            "one speech per country and year",
            speeches,
            got=f"two for {row['country']} in {row['year']}. Drop the duplicates first",
        )


@validated
def year_vectors(
    speeches: pd.DataFrame, year: int, backend: str | Backend = "tfidf", *, keep: bool = True
) -> YearVectors:
    """Represent the speeches of one year (cached per backend, year and content).

    Parameters
    ----------
    speeches
        Speeches with ``country, year, text`` (e.g. from :func:`hedgewatch.speeches`).
    year
        The debate year.
    backend
        ``"tfidf"`` (default), ``"embeddings"`` or a backend object.
    keep
        Keep the result in the year cache (~15 MB a recent debate). With False only its
        vectors and terms are kept (for :func:`year_terms`).

    Returns
    -------
    :class:`YearVectors`.
    """
    be = get_backend(backend)
    sub, key = _year_key(speeches, year, be)
    hit = _CACHE.get(key)
    if hit is not None:
        _CACHE.move_to_end(key)
        return hit
    out = _fit_year(sub, int(year), be)
    terms = out.units.terms
    if terms is not None:
        _put(_TERMS, key, YearTerms(out.year, out.countries, out.units.vectors, terms))
    if keep:
        _put(_CACHE, key, out)
    return out


@validated
def year_terms(speeches: pd.DataFrame, year: int, *, backend: str | Backend = "tfidf") -> YearTerms:
    """TF-IDF vectors and terms of one year (default :class:`TfidfBackend`), cached.

    The same vectors as :func:`year_vectors`; the cache of these small parts outlives the
    full representations, so a pass of :func:`convergence_many` over many years leaves what
    :func:`~hedgewatch.rhetoric.shared_narratives` needs.

    Parameters
    ----------
    speeches
        Speeches with ``country, year, text``.
    year
        The debate year.
    backend
        ``"tfidf"`` (default) or a TF-IDF backend object
        (:class:`~hedgewatch.rhetoric.backends.FittedTfidf`).

    Returns
    -------
    :class:`YearTerms`.
    """
    be = get_backend(backend)
    _, key = _year_key(speeches, year, be)
    hit = _TERMS.get(key)
    if hit is not None:
        _TERMS.move_to_end(key)
        return hit
    year_vectors(speeches, year, be)
    return _TERMS[key]


def _put(cache: OrderedDict, key: tuple[object, ...], value: object) -> None:
    cache[key] = value
    cache.move_to_end(key)
    limit = _CACHE_SIZE if cache is _CACHE else _TERMS_SIZE
    while len(cache) > limit:
        cache.popitem(last=False)


def _year_key(
    speeches: pd.DataFrame, year: int, be: Backend
) -> tuple[pd.DataFrame, tuple[object, ...]]:
    sub = speeches[speeches["year"] == year]
    if len(sub) == 0:
        raise InsufficientDataError(
            f"No General Debate speeches in {year} in the speeches given; the years present "
            f"are {int(speeches['year'].min())}-{int(speeches['year'].max())}."
            if len(speeches)
            else "The speeches given are empty."
        )
    return sub, (be.cache_key(), int(year), _fingerprint(sub))


def _fingerprint(sub: pd.DataFrame) -> int:
    # The set of (country, text) rows, so row order does not matter. Python caches a
    # string's hash on the string, so the same speeches asked for again (each year is asked
    # for by the bootstrap, then by the narratives) cost nothing to hash a second time.
    return hash(frozenset(zip(sub["country"], sub["text"], strict=True)))


def _fit_year(sub: pd.DataFrame, year: int, backend: Backend) -> YearVectors:
    paras = clean_paragraphs(list(sub["text"]))
    empty = [c for c, p in zip(sub["country"], paras, strict=True) if not p]
    if empty:
        raise InsufficientDataError(
            f"The {year} speech of {empty[0]} has no text left once procedural sentences are "
            "removed; drop it from the speeches given."
        )
    fit_year = getattr(backend, "fit_year", None)
    units = fit_year(paras, year) if fit_year is not None else backend.fit_units(paras)
    return YearVectors(year, sub["country"].to_numpy(dtype=object), units, paras)


def _years(speeches: pd.DataFrame, start: int | None, end: int | None) -> list[int]:
    years = np.unique(speeches["year"].to_numpy())
    lo = -np.inf if start is None else start
    hi = np.inf if end is None else end
    return [int(y) for y in years if lo <= y <= hi]


@validated
def similarity_matrix(
    speeches: pd.DataFrame, year: int, *, backend: str | Backend = "tfidf"
) -> pd.DataFrame:
    """Speech similarity of every pair of states in one year, as a square table.

    Parameters
    ----------
    speeches
        Speeches with ``country, year, text``; all states of the year should be present
        (they define the inverse document frequencies).
    year
        The debate year.
    backend
        ``"tfidf"`` (default) or ``"embeddings"`` (needs ``hedgewatch[embeddings]``).

    Returns
    -------
    DataFrame indexed and columned by country code; symmetric, 1 on the diagonal.
    """
    check_speeches(speeches)
    yv = year_vectors(speeches, year, backend)
    return pd.DataFrame(
        yv.matrix(),
        index=pd.Index(yv.countries, name="country"),
        columns=pd.Index(yv.countries, name="other"),
    )


@validated
def similarity(
    speeches: pd.DataFrame,
    *,
    countries: list[str] | None = None,
    start: int | None = None,
    end: int | None = None,
    backend: str | Backend = "tfidf",
    n_jobs: int = 1,
) -> pd.DataFrame:
    """Pairwise speech similarity within each year, in long form.

    Parameters
    ----------
    speeches
        Speeches with ``country, year, text`` (e.g. from :func:`hedgewatch.speeches`).
    countries
        Keep only pairs where both states are among these (ISO3 codes or names); the other
        speeches still inform the weighting. Default: all pairs.
    start, end
        First and last year, inclusive.
    backend
        ``"tfidf"`` (default) or ``"embeddings"`` (needs ``hedgewatch[embeddings]``).
    n_jobs
        Years processed in parallel (joblib processes; TF-IDF only, -1 for all cores).

    Returns
    -------
    DataFrame with ``year, country_a, country_b, similarity``, one row per ordered pair of
    different states (both ``A, B`` and ``B, A``), sorted by year, country_a, country_b.

    References
    ----------
    Salton, G. and Buckley, C. (1988) "Term-weighting approaches in automatic text
    retrieval", Information Processing & Management 24(5).
    """
    check_speeches(speeches)
    check_param(
        isinstance(n_jobs, int) and n_jobs != 0,
        "n_jobs",
        "a non-zero integer",
        n_jobs,
    )
    keep = None if countries is None else {_countries.resolve(c) for c in countries}
    years = _years(speeches, start, end)
    if n_jobs == 1 or get_backend(backend).name != "tfidf":
        frames = [_long(year_vectors(speeches, y, backend), keep) for y in years]
    else:
        from joblib import Parallel, delayed

        be = get_backend(backend)
        subs = [speeches.loc[speeches["year"] == y, ["country", "text"]] for y in years]
        frames = Parallel(n_jobs=n_jobs)(
            delayed(_year_long)(sub, y, be, keep) for sub, y in zip(subs, years, strict=True)
        )
    if not frames:
        return pd.DataFrame({"year": [], "country_a": [], "country_b": [], "similarity": []})
    return pd.concat(frames, ignore_index=True)


def _year_long(
    sub: pd.DataFrame, year: int, backend: Backend, keep: set[str] | None
) -> pd.DataFrame:
    return _long(_fit_year(sub, year, backend), keep)


def _long(yv: YearVectors, keep: set[str] | None) -> pd.DataFrame:
    s = yv.matrix()
    idx = (
        np.arange(len(yv.countries))
        if keep is None
        else np.flatnonzero(np.isin(yv.countries, list(keep)))
    )
    i, j = np.meshgrid(idx, idx, indexing="ij")
    off = i != j
    i, j = i[off], j[off]
    return pd.DataFrame(
        {
            "year": yv.year,
            "country_a": yv.countries[i],
            "country_b": yv.countries[j],
            "similarity": s[i, j],
        }
    )


@deprecated_args(renamed={"country": "state"}, keyword_only=True)
@validated
def nearest_neighbours(
    speeches: pd.DataFrame,
    state: str,
    year: int,
    *,
    n: int = 10,
    backend: str | Backend = "tfidf",
) -> pd.DataFrame:
    """The states whose speeches were closest to a state's speech in one year.

    Parameters
    ----------
    speeches
        Speeches with ``country, year, text`` (all states of that year).
    state
        The state (ISO3 code or name; ``country=`` is the deprecated keyword).
    year
        The debate year.
    n
        How many neighbours.
    backend
        ``"tfidf"`` (default) or ``"embeddings"``.

    Returns
    -------
    DataFrame with ``rank, country, name, similarity`` (the state itself excluded), most
    similar first.
    """
    check_speeches(speeches)
    check_param(
        isinstance(n, int | np.integer) and n >= 1,
        "n",
        "a positive integer",
        n,
    )
    code = _countries.resolve(state)
    yv = year_vectors(speeches, year, backend)
    r = yv.row(code)
    sims = yv.matrix()[r]
    order = [i for i in np.argsort(-sims, kind="stable") if i != r][:n]
    others = yv.countries[order]
    return pd.DataFrame(
        {
            "rank": np.arange(1, len(order) + 1),
            "country": others,
            "name": [_countries.name(c) for c in others],
            "similarity": sims[order],
        }
    )
