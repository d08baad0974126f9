"""FittedTfidf: a year's vocabulary and document frequencies given, only some speeches
represented; the vectors equal TfidfBackend's on the whole debate."""

from __future__ import annotations

import numpy as np
import pandas as pd
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


@pytest.mark.parametrize("ngram_range", [(1, 1), (1, 2), (2, 2), (1, 3), (2, 3)])
def test_counts_equal_count_vectorizer_on_speeches_and_paragraphs(extract, ngram_range):
    from sklearn.feature_extraction.text import CountVectorizer

    from hedgewatch.rhetoric.backends import TfidfBackend, _count_speeches
    from hedgewatch.rhetoric.preprocess import STOP_WORDS, TOKEN_PATTERN

    year = int(extract["year"].min())
    whole = extract[extract["year"] == year]
    base = TfidfBackend(ngram_range=ngram_range)
    vocab = year_vocabulary(clean_paragraphs(list(whole["text"])), base)
    paras = clean_paragraphs(list(whole["text"].head(4)))
    # a paragraph of stop words only: n-grams straddle it, from the one before to the next
    paras.append(["sovereignty of the peninsula", "the and of", "nuclear weapons", "peace"])
    counts, units, offsets = _count_speeches(paras, vocab["term"], base)
    cv = CountVectorizer(
        lowercase=False,
        token_pattern=TOKEN_PATTERN,
        stop_words=sorted(STOP_WORDS),
        ngram_range=ngram_range,
        vocabulary=list(vocab["term"]),
        dtype=np.float32,
    )
    expect = cv.transform(["\n".join(p) for p in paras])
    assert (counts != expect).nnz == 0 and counts.has_sorted_indices
    assert counts.sum() > 0
    for i, p in enumerate(paras):
        got = units[offsets[i] : offsets[i + 1]]
        assert (got != cv.transform(p)).nnz == 0


def test_bigram_across_a_paragraph_of_stop_words():
    from hedgewatch.rhetoric.backends import TfidfBackend, _count_speeches

    terms = ["nuclear", "peninsula", "peninsula nuclear", "weapons", "nuclear weapons"]
    paras = [["the peninsula", "of the and", "nuclear weapons"]]
    counts, units, _ = _count_speeches(paras, pd.Series(terms), TfidfBackend())
    # the speech holds "peninsula nuclear" across two line breaks; no paragraph does
    assert counts.toarray().tolist() == [[1, 1, 1, 1, 1]]
    assert units.toarray()[:, 2].tolist() == [0, 0, 0]
