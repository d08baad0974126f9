"""Pairwise similarity: symmetric, bounded, self nearest, and known pairs on real speeches."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hedgewatch.errors import InsufficientDataError, ParameterError
from hedgewatch.rhetoric import nearest_neighbours, similarity, similarity_matrix

WORDS = [
    "sovereignty",
    "sanctions",
    "peace",
    "nuclear",
    "climate",
    "trade",
    "hostile",
    "policy",
    "development",
    "women",
    "ocean",
    "debt",
    "imperialism",
    "security",
]


@pytest.mark.parametrize("year", [2017, 2021, 2023])
def test_matrix_symmetric_bounded_self_nearest(extract, year):
    m = similarity_matrix(extract, year).to_numpy()
    assert m.shape == (26, 26)
    np.testing.assert_allclose(m, m.T, atol=1e-6)
    assert (m >= 0).all() and (m <= 1 + 1e-6).all()
    np.testing.assert_allclose(np.diag(m), 1, atol=1e-5)
    assert (m.argmax(axis=1) == np.arange(len(m))).all()  # each speech is its own nearest


def test_long_form_both_orders(extract):
    s = similarity(extract, countries=["PRK", "RUS", "CHN"])
    assert len(s) == 3 * 6  # 3 years x 6 ordered pairs
    ab = s.set_index(["year", "country_a", "country_b"])["similarity"]
    for (y, a, b), v in ab.items():
        assert ab[(y, b, a)] == pytest.approx(v)


def test_known_pairs_on_extract(extract):
    s = similarity(extract).set_index(["year", "country_a", "country_b"])["similarity"]
    for y in (2017, 2021, 2023):
        assert s[(y, "CUB", "VEN")] > s[(y, "CUB", "USA")]
        assert s[(y, "NIC", "VEN")] > s[(y, "NIC", "GBR")]
        assert s[(y, "PRK", "RUS")] > s[(y, "PRK", "GBR")]


@pytest.mark.slow
def test_known_pairs_on_full_corpus(full_corpus):
    """Whole 2023 debate (193 speeches): the ALBA states speak alike."""
    nn = nearest_neighbours(full_corpus, "CUB", 2023, n=3)
    assert nn["country"].iloc[0] == "VEN"
    assert nn["similarity"].iloc[0] == pytest.approx(0.177, abs=0.002)
    assert set(nearest_neighbours(full_corpus, "VEN", 2023, n=3)["country"]) == {
        "NIC",
        "BOL",
        "CUB",
    }
    m = similarity_matrix(full_corpus, 2023)
    assert m.loc["PRK", "RUS"] == pytest.approx(0.157, abs=0.002)
    assert m.loc["PRK", "RUS"] > m.loc["PRK", "GBR"] + 0.05


def test_nearest_neighbours_excludes_self_and_sorted(extract):
    nn = nearest_neighbours(extract, "PRK", 2023, n=5)
    assert list(nn.columns) == ["rank", "country", "name", "similarity"]
    assert "PRK" not in set(nn["country"]) and len(nn) == 5
    assert nn["similarity"].is_monotonic_decreasing
    assert nn["name"].iloc[0] != ""


def test_errors(extract):
    with pytest.raises(InsufficientDataError, match="no General Debate speech in 2023"):
        nearest_neighbours(extract, "MEX", 2023)
    with pytest.raises(InsufficientDataError, match="No General Debate speeches in 1999"):
        similarity_matrix(extract, 1999)
    with pytest.raises(ParameterError, match="'backend' parameter"):
        similarity(extract, backend="bert")
    with pytest.raises(ParameterError, match="one speech per country and year"):
        similarity(pd.concat([extract, extract.head(1)]))
    with pytest.raises(ParameterError, match="'speeches' parameter"):
        similarity(extract.drop(columns="text"))


@settings(max_examples=20, deadline=None)
@given(st.lists(st.lists(st.sampled_from(WORDS), min_size=3, max_size=30), min_size=3, max_size=7))
def test_similarity_properties_random_corpora(docs):
    texts = [" ".join(d) + "." for d in docs]
    df = pd.DataFrame(
        {"country": [f"C{i:02d}" for i in range(len(texts))], "year": 2000, "text": texts}
    )
    try:
        m = similarity_matrix(df, 2000).to_numpy()
    except InsufficientDataError:
        return  # no term shared by two speeches: nothing to compare
    np.testing.assert_allclose(m, m.T, atol=1e-6)
    assert (m >= -1e-6).all() and (m <= 1 + 1e-6).all()
