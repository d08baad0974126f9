"""FittedTfidf: a year's vocabulary and document frequencies given, only some speeches
represented; the vectors equal TfidfBackend's on the whole debate."""

from __future__ import annotations

import numpy as np
import pytest

from hedgewatch.errors import InsufficientDataError
from hedgewatch.rhetoric._similarity import year_vectors
from hedgewatch.rhetoric.backends import FittedTfidf, year_vocabulary
from hedgewatch.rhetoric.preprocess import clean_paragraphs


def test_vectors_of_a_few_speeches_equal_the_whole_debate_fit(extract):
    year = int(extract["year"].max())
    whole = extract[extract["year"] == year].reset_index(drop=True)
    vocab = year_vocabulary(clean_paragraphs(list(whole["text"])))
    assert vocab["n_docs"].iloc[0] == len(whole)
    assert (vocab["df"] >= 1).all() and (vocab["df"] <= len(whole)).all()
    full = year_vectors(whole, year, keep=False)
    few = whole.iloc[[0, 2, 3]].reset_index(drop=True)
    fitted = year_vectors(few, year, FittedTfidf({year: vocab}), keep=False)
    rows = [list(full.countries).index(c) for c in few["country"]]
    expect = full.units.vectors[rows].toarray()
    got = fitted.units.vectors.toarray()
    np.testing.assert_allclose(got, expect, atol=1e-6)
    # the vocabulary of the whole debate, not of the three speeches
    assert len(fitted.units.terms) == len(vocab)


def test_a_year_without_its_vocabulary_is_refused(extract):
    year = int(extract["year"].max())
    few = extract[extract["year"] == year].head(2)
    with pytest.raises(InsufficientDataError, match="No TF-IDF vocabulary"):
        year_vectors(few, year, FittedTfidf({}), keep=False)
