"""speech_vocabularies: each year's TF-IDF vocabulary of the stored debate, built once (in
parallel) and then read from the store's cache; gone stale with the speeches."""

from __future__ import annotations

import pandas as pd

from hedgewatch.rhetoric.backends import year_vocabulary
from hedgewatch.rhetoric.preprocess import clean_paragraphs
from hedgewatch.store import Store
from hedgewatch.workflows import speech_vocabularies


def _store(tmp_path, speeches: pd.DataFrame) -> Store:
    st = Store(tmp_path / "s.duckdb")
    sp = speeches.assign(state=speeches["country"], code=speeches["country"], name="", post="")
    st.write_tables({"speeches": sp})
    return st


def test_built_in_parallel_cached_and_equal_to_the_year_fit(extract, tmp_path):
    years = sorted(int(y) for y in extract["year"].unique())[-2:]
    st = _store(tmp_path, extract[extract["year"].isin(years)])
    ticks = []
    first = speech_vocabularies(
        [*years, 1900], store=st, n_jobs=2, progress=lambda d, t: ticks.append(d)
    )
    assert sorted(first) == years and ticks  # 1900: no speeches, left out
    for y in years:
        texts = list(extract.loc[extract["year"] == y, "text"])
        pd.testing.assert_frame_equal(first[y], year_vocabulary(clean_paragraphs(texts)))
    ticks.clear()
    again = speech_vocabularies(years, store=st)
    assert not ticks  # nothing built: read from the cache
    for y in years:
        pd.testing.assert_frame_equal(again[y], first[y])
    # new speeches: the cached vocabularies are not used any more
    fewer = extract[extract["year"] == years[-1]].head(10)
    st.write_tables(
        {"speeches": fewer.assign(state=fewer["country"], code=fewer["country"], name="", post="")}
    )
    fresh = speech_vocabularies(
        years[-1:], store=st, n_jobs=1, progress=lambda d, t: ticks.append(d)
    )
    assert ticks and fresh[years[-1]]["n_docs"].iloc[0] < first[years[-1]]["n_docs"].iloc[0]
