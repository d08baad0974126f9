"""Rhetoric workflows on the stored General Debate corpus, cached in the store.

:func:`speech_vocabularies` - the yearly TF-IDF vocabularies. A TF-IDF representation of a
speech depends on the whole debate of its year (the vocabulary, the document frequencies).
It returns, per year, what :class:`~hedgewatch.rhetoric.backends.FittedTfidf` needs to
represent any speech of that year from its own text: shipped precomputed for the bundled
corpus, taken from the store's cache, or built from the year's speeches (the years missing
are built in parallel, one process per core) and cached.

:func:`compare_rhetoric` - ``hedgewatch rhetoric PRK RUS CHN --from 2000`` compares three
pairs over 25 debates, the nearest neighbours of the first state and the narratives it shares
with the second. The pairs are computed with the years as the outer loop (each debate
represented once, not once per pair), with TF-IDF vectors from :func:`speech_vocabularies`
(the same cached vocabularies the report uses), and every part is cached in the store, keyed
by the data version: a second run with the same arguments reads the cache, and an import of
speeches makes the old entries unreachable.
"""

from __future__ import annotations

import itertools
import os
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import pandas as pd

from hedgewatch import countries as _countries
from hedgewatch._validation import check_choice, check_param, validated
from hedgewatch.errors import InsufficientDataError
from hedgewatch.rhetoric.backends import TfidfBackend, year_vocabulary
from hedgewatch.rhetoric.preprocess import clean_paragraphs
from hedgewatch.store import Store, get_store, speeches

if TYPE_CHECKING:
    from hedgewatch.rhetoric.backends import FittedTfidf

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


@dataclass(frozen=True)
class RhetoricResult:
    """Speech comparison of two or three states.

    Attributes
    ----------
    countries
        The states, the focal one first (ISO3).
    convergence
        One row per pair and year: ``year, country_a, country_b, similarity, lower, upper,
        n_paragraphs_a, n_paragraphs_b`` (see :func:`hedgewatch.rhetoric.convergence`).
    neighbours
        The focal state's nearest neighbours in its latest debate.
    neighbours_year
        That debate's year.
    narratives
        Terms the focal state shares with the second (and not the third, when given).
    backend
        ``"tfidf"`` or ``"embeddings"`` (neighbours and narratives are TF-IDF).
    """

    countries: tuple[str, ...]
    convergence: pd.DataFrame
    neighbours: pd.DataFrame
    neighbours_year: int
    narratives: pd.DataFrame
    backend: str

    def pairs(self) -> list[pd.DataFrame]:
        """The convergence frame of each pair, in the order of the pairs."""
        c = self.convergence
        return [
            c[(c["country_a"] == a) & (c["country_b"] == b)].reset_index(drop=True)
            for a, b in itertools.combinations(self.countries, 2)
        ]

    def to_frame(self) -> pd.DataFrame:
        """The yearly similarities of every pair."""
        return self.convergence.copy()


@validated
def compare_rhetoric(
    countries: Sequence[str],
    *,
    start: int | None = 2000,
    end: int | None = None,
    backend: str = "tfidf",
    n_boot: int = 200,
    n_terms: int = 10,
    seed: int = 0,
    store: Store | str | None = None,
    progress: Callable[[str, int, int], None] | None = None,
) -> RhetoricResult:
    """Convergence of every pair of two or three states, the first one's nearest neighbours
    and shared narratives, from the stored speeches (cached in the store).

    Parameters
    ----------
    countries
        Two or three states, the focal one first.
    start, end
        First and last debate year.
    backend
        ``"tfidf"`` or ``"embeddings"`` for the convergence.
    n_boot, seed
        Paragraph-bootstrap replicates per year and their seed.
    n_terms
        Shared-narrative terms.
    store
        A :class:`~hedgewatch.store.Store` or path; default the user store.
    progress
        Called as ``progress(step, done, total)``.

    Returns
    -------
    :class:`RhetoricResult`.
    """
    from hedgewatch import rhetoric as rh

    check_param(
        not isinstance(countries, str) and 2 <= len(countries) <= 3,
        "countries",
        "two or three states",
        countries,
    )
    check_choice(backend, "backend", ("tfidf", "embeddings"))
    codes = tuple(_countries.resolve(c, where="countries") for c in countries)
    check_param(len(set(codes)) == len(codes), "countries", "different states", countries)
    st = get_store(store)
    say = progress or (lambda step, done, total: None)
    memo: dict[str, object] = {}

    def corpus() -> pd.DataFrame:
        if "corpus" not in memo:
            say("loading speeches", 0, 0)
            sp = speeches(start=start, end=end, store=st)
            if sp.empty:
                raise InsufficientDataError(
                    f"No General Debate speeches between {start} and {end or 'now'}; the "
                    "bundled corpus covers 1946-2024."
                )
            memo["corpus"] = sp
        return memo["corpus"]  # type: ignore[return-value]

    pairs = list(itertools.combinations(codes, 2))

    def tfidf() -> FittedTfidf:
        """TF-IDF over the cached yearly vocabularies of the years two of the states spoke."""
        if "tfidf" not in memo:
            from hedgewatch.rhetoric.backends import FittedTfidf

            sp = corpus()
            spoke = sp.loc[sp["country"].isin(codes)].groupby("year")["country"].nunique()
            years = [int(y) for y in spoke.index[spoke >= 2]]
            vocab = speech_vocabularies(
                years,
                store=st,
                progress=lambda done, total: say("building yearly vocabularies", done, total),
            )
            memo["tfidf"] = FittedTfidf(vocab)
        return memo["tfidf"]  # type: ignore[return-value]

    def conv() -> pd.DataFrame:
        sp = corpus()
        out = rh.convergence_pairs(
            sp,
            pairs,
            backend=tfidf() if backend == "tfidf" else backend,
            n_boot=n_boot,
            seed=seed,
            cache=False,
            progress=lambda done, total: say("comparing speeches, year by year", done, total),
        )
        return pd.concat([out[p] for p in pairs], ignore_index=True)

    def latest() -> int:
        sp = corpus()
        own = sp.loc[sp["country"] == codes[0], "year"]
        if own.empty:
            raise InsufficientDataError(
                f"no General Debate speech of {codes[0]} between {start} and {end or 'now'}."
            )
        return int(own.max())

    def neighbours() -> pd.DataFrame:
        say("nearest neighbours", 0, 0)
        year = latest()
        return rh.nearest_neighbours(corpus(), codes[0], year).assign(year=year)

    def narratives() -> pd.DataFrame:
        say("shared narratives", 0, 0)
        return rh.shared_narratives(
            corpus(),
            codes[0],
            codes[1],
            contrast=codes[2] if len(codes) == 3 else None,
            n_terms=n_terms,
            backend=tfidf(),
        )

    parts = ("rhetoric-v2", codes, start, end, backend, n_boot, n_terms, seed)
    try:
        conv_frame = st.cached("rhetoric:convergence", parts, conv)
        nn = st.cached("rhetoric:neighbours", parts, neighbours)
        nar = st.cached("rhetoric:narratives", parts, narratives)
    finally:
        if "corpus" in memo:  # the yearly fits of a long corpus are large: free them
            rh.clear_cache()
    year = int(nn["year"].iloc[0]) if len(nn) else latest()
    return RhetoricResult(codes, conv_frame, nn.drop(columns="year"), year, nar, backend)
