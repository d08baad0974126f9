"""Shared narratives: exact decomposition of the cosine, contrast, examples."""

from __future__ import annotations

import numpy as np
import pytest

from hedgewatch.errors import InsufficientDataError, ParameterError
from hedgewatch.rhetoric import shared_narratives, similarity


def test_contributions_sum_to_the_cosine(extract):
    nar = shared_narratives(extract, "PRK", "RUS", start=2023, n_terms=100_000)
    s = similarity(extract, countries=["PRK", "RUS"], start=2023)
    mean_cos = s[s["country_a"] == "PRK"]["similarity"].mean()
    assert nar["shared_ab"].sum() == pytest.approx(mean_cos, rel=1e-4)
    assert nar["score"].is_monotonic_decreasing and (nar["score"] > 0).all()
    assert nar["shared_ac"].isna().all()


def test_contrast_with_china(extract):
    nar = shared_narratives(extract, "PRK", "RUS", contrast="CHN", n_terms=25)
    np.testing.assert_allclose(nar["score"], nar["shared_ab"] - nar["shared_ac"], atol=1e-9)
    terms = set(nar["term"])
    assert {"military", "sanctions"} <= terms  # PRK-RUS share these; PRK-CHN hardly
    top = nar.iloc[0]
    assert top["example_a"] and top["example_b"]
    assert top["term"] in top["example_a"].lower() and top["term"] in top["example_b"].lower()
    assert top["example_a_year"] in (2017, 2021, 2023)


def test_errors(extract):
    with pytest.raises(ParameterError, match="'contrast' parameter"):
        shared_narratives(extract, "PRK", "RUS", contrast="RUS")
    with pytest.raises(InsufficientDataError, match="No year"):
        shared_narratives(extract, "PRK", "RUS", start=2024)
    with pytest.raises(ParameterError, match="'n_terms'"):
        shared_narratives(extract, "PRK", "RUS", n_terms=0)
