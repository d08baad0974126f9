"""Yearly TF-IDF vocabularies of the stored General Debate corpus, built once and cached.

A TF-IDF representation of a speech depends on the whole debate of its year (the
vocabulary, the document frequencies). :func:`speech_vocabularies` returns, per year, what
:class:`~hedgewatch.rhetoric.backends.FittedTfidf` needs to represent any speech of that
year from its own text: shipped precomputed for the bundled corpus, taken from the store's
cache, or built from the year's speeches (the years missing are built in parallel, one
process per core) and cached.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable

import pandas as pd

from hedgewatch._validation import validated
from hedgewatch.rhetoric.backends import TfidfBackend, year_vocabulary
from hedgewatch.rhetoric.preprocess import clean_paragraphs
from hedgewatch.store import Store, get_store, speeches

KIND = "speech-vocabulary"
INPUTS = ("speeches",)
#: Years read from the store at once when vocabularies must be built (memory).
_CHUNK = 8


def _parts(year: int, backend: TfidfBackend) -> tuple[object, ...]:
    return ("v1", int(year), backend.cache_key())


@validated
def speech_vocabularies(
    years: Iterable[int],
    *,
    store: Store | str | None = None,
    n_jobs: int | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> dict[int, pd.DataFrame]:
    """Each year's vocabulary and document frequencies (:func:`year_vocabulary`).

    Parameters
    ----------
    years
        Debate years (those without speeches in the store are left out of the result).
    store
        A :class:`~hedgewatch.store.Store` or path; default the user store.
    n_jobs
        Processes building the missing years (default: the cores available).
    progress
        ``progress(done, total)`` while building missing years.

    Returns
    -------
    Dict year -> DataFrame ``term, df, n_docs``.
    """
    st = get_store(store)
    be = TfidfBackend()
    wanted = sorted({int(y) for y in years})
    found = st.lookup_many(KIND, [_parts(y, be) for y in wanted], INPUTS)
    out = {y: df for y, df in zip(wanted, found, strict=True) if df is not None}
    missing = [y for y in wanted if y not in out]
    for i in range(0, len(missing), _CHUNK):
        chunk = missing[i : i + _CHUNK]
        sp = speeches(start=chunk[0], end=chunk[-1], store=st)
        texts = {y: list(sp.loc[sp["year"] == y, "text"]) for y in chunk}
        todo = [y for y in chunk if texts[y]]
        built = _build(todo, texts, n_jobs)
        for y, df in zip(todo, built, strict=True):
            st.keep(KIND, _parts(y, be), df, INPUTS)
            out[y] = df
        if progress is not None:
            progress(min(i + _CHUNK, len(missing)), len(missing))
    return out


def _vocabulary(texts: list[str]) -> pd.DataFrame:
    return year_vocabulary(clean_paragraphs(texts))


def _build(years: list[int], texts: dict[int, list[str]], n_jobs: int | None) -> list[pd.DataFrame]:
    jobs = n_jobs or _cores()
    if jobs == 1 or len(years) <= 1:
        return [_vocabulary(texts[y]) for y in years]
    from joblib import Parallel, delayed

    return list(
        Parallel(n_jobs=min(jobs, len(years)))(delayed(_vocabulary)(texts[y]) for y in years)
    )


def _cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        return os.cpu_count() or 1
