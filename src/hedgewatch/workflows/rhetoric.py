"""One-call rhetoric workflow: compare states' General Debate speeches, cached in the store.

``hedgewatch rhetoric PRK RUS CHN --from 2000`` compares three pairs over 25 debates (each a
TF-IDF fit of ~190 speeches), the nearest neighbours of the first state and the narratives it
shares with the second. :func:`compare_rhetoric` computes the pairs with the years as the outer
loop (each debate represented once, not once per pair) and caches every part in the store,
keyed by the data version: a second run with the same arguments reads the cache, and an
import of speeches makes the old entries unreachable.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import pandas as pd

from hedgewatch import countries as _countries
from hedgewatch._validation import check_choice, check_param, validated
from hedgewatch.errors import InsufficientDataError
from hedgewatch.store import Store, get_store, speeches


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

    def conv() -> pd.DataFrame:
        sp = corpus()
        out = rh.convergence_pairs(
            sp,
            pairs,
            backend=backend,
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
        )

    parts = ("rhetoric-v1", codes, start, end, backend, n_boot, n_terms, seed)
    try:
        conv_frame = st.cached("rhetoric:convergence", parts, conv)
        nn = st.cached("rhetoric:neighbours", parts, neighbours)
        nar = st.cached("rhetoric:narratives", parts, narratives)
    finally:
        if "corpus" in memo:  # the yearly fits of a long corpus are large: free them
            rh.clear_cache()
    year = int(nn["year"].iloc[0]) if len(nn) else latest()
    return RhetoricResult(codes, conv_frame, nn.drop(columns="year"), year, nar, backend)
