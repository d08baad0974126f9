"""Rhetoric: what states say in the UN General Debate, and who sounds like whom.

The functions take a speeches DataFrame, as returned by :func:`hedgewatch.speeches`.

* :func:`similarity`, :func:`similarity_matrix`, :func:`nearest_neighbours` - pairwise speech
  similarity within each year (TF-IDF by default; sentence embeddings with the
  ``[embeddings]`` extra).
* :func:`convergence`, :func:`convergence_trend` - two states over time with paragraph-
  bootstrap intervals, trend and change points; :func:`plot_convergence`;
  :func:`convergence_many`, :func:`convergence_pairs` - several pairs, each year once.
* :func:`shared_narratives` - the terms that make two states close (contrasted with a third).
* :func:`speech_positions` - speeches projected onto vote-based positions.
"""

from __future__ import annotations

from hedgewatch._deprecation import moved
from hedgewatch.rhetoric._convergence import (
    TrendResult,
    convergence,
    convergence_many,
    convergence_pairs,
    convergence_trend,
)
from hedgewatch.rhetoric._similarity import (
    clear_cache,
    nearest_neighbours,
    similarity,
    similarity_matrix,
)
from hedgewatch.rhetoric.backends import EmbeddingBackend, TfidfBackend
from hedgewatch.rhetoric.narratives import shared_narratives
from hedgewatch.rhetoric.plot import plot_convergence
from hedgewatch.rhetoric.positions import SpeechPositionResult, speech_positions

__getattr__ = moved("hedgewatch.rhetoric", {"speeches": "hedgewatch.store:speeches"})

__all__ = [
    "EmbeddingBackend",
    "SpeechPositionResult",
    "TfidfBackend",
    "TrendResult",
    "clear_cache",
    "convergence",
    "convergence_many",
    "convergence_pairs",
    "convergence_trend",
    "nearest_neighbours",
    "plot_convergence",
    "shared_narratives",
    "similarity",
    "similarity_matrix",
    "speech_positions",
]
