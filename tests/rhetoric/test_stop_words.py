"""The stop words held in hedgewatch are scikit-learn's, and the row normalisation is its."""

from __future__ import annotations

import numpy as np
from scipy import sparse
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS
from sklearn.preprocessing import normalize

from hedgewatch.rhetoric._stop_words import ENGLISH_STOP_WORDS as OURS
from hedgewatch.rhetoric.backends import l2_normalise_rows


def test_the_stop_words_are_scikit_learns():
    assert frozenset(ENGLISH_STOP_WORDS) == OURS


def test_rows_normalised_as_scikit_learn_does():
    rng = np.random.default_rng(0)
    x = sparse.random(50, 400, density=0.05, format="csr", random_state=1, dtype=np.float32)
    keep = np.ones(50, dtype=np.float32)
    keep[3] = 0  # an empty row stays empty
    x = sparse.diags(keep).tocsr() @ x
    x.eliminate_zeros()
    x.data *= rng.uniform(0.1, 50, x.nnz).astype(np.float32)
    ours = x.copy()
    l2_normalise_rows(ours)
    theirs = normalize(x, norm="l2")
    assert ours.dtype == np.float32
    # bit for bit: the report's similarities are those scikit-learn's normalisation gave
    np.testing.assert_array_equal(ours.toarray(), theirs.toarray())
    lengths = np.sqrt(np.asarray(ours.multiply(ours).sum(axis=1)).ravel())
    np.testing.assert_allclose(np.delete(lengths, 3), 1.0, rtol=1e-6)
    assert lengths[3] == 0.0


def test_the_tokenizer_is_scikit_learns():
    from hedgewatch.rhetoric.backends import TfidfBackend

    text = "The DPRK's self-defence, U.N. 2019 resolutions; nuclear-weapon-free zone — état 42a!"
    theirs = TfidfBackend()._vectorizer(1).build_tokenizer()
    assert TfidfBackend().tokenizer()(text) == theirs(text)
