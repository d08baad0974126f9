"""Speech-based positions: place speeches on the dimension of vote-based ideal points.

A supervised projection. The speeches are TF-IDF vectors over one vocabulary for the whole
period (unigrams and bigrams, procedural words removed, terms used in at least ``min_df``
speeches); a ridge regression maps them to the vote-based position of the same state in the
same year. Every speech is placed by a model fitted *without any speech of its own state*
(grouped K-fold over states), so the placement reflects what the words say, not who the
speaker is. The agreement of speech-based and vote-based positions is reported per year as
Pearson's r and Spearman's rho.

The vote-based positions are an input (``country, year, position``), so any estimator's
output can be used: ``hedgewatch.idealpoints``, or the published estimates of Bailey,
Strezhnev and Voeten.

References
----------
Bailey, M. A., Strezhnev, A. and Voeten, E. (2017) "Estimating dynamic state preferences from
United Nations voting data", Journal of Conflict Resolution 61(2).
Laver, M., Benoit, K. and Garry, J. (2003) "Extracting policy positions from political texts
using words as data", American Political Science Review 97(2).
Hoerl, A. E. and Kennard, R. W. (1970) "Ridge regression: Biased estimation for nonorthogonal
problems", Technometrics 12(1).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import cast

import numpy as np
import pandas as pd

from hedgewatch._validation import check_param, validated
from hedgewatch.errors import InsufficientDataError
from hedgewatch.rhetoric._similarity import check_speeches
from hedgewatch.rhetoric.preprocess import STOP_WORDS, TOKEN_PATTERN, clean_paragraphs

_MIN_PER_YEAR = 5


@dataclass(frozen=True)
class SpeechPositionResult:
    """Speech-based positions and their agreement with vote-based positions.

    Attributes
    ----------
    positions
        ``country, year, position, speech_position`` (out-of-fold placement).
    by_year
        ``year, n, pearson_r, spearman_rho`` (years with at least 5 speeches).
    r, rho
        Pearson and Spearman correlation over all speeches pooled.
    terms
        ``term, coefficient`` of the model fitted on all speeches: the 15 most negative and
        the 15 most positive.
    """

    positions: pd.DataFrame
    by_year: pd.DataFrame
    r: float
    rho: float
    terms: pd.DataFrame

    def to_frame(self) -> pd.DataFrame:
        """The per-speech positions."""
        return self.positions.copy()


@validated
def speech_positions(
    speeches: pd.DataFrame,
    positions: pd.DataFrame,
    *,
    start: int | None = None,
    end: int | None = None,
    alpha: float = 1.0,
    min_df: int = 5,
    max_features: int | None = 50_000,
    n_folds: int = 5,
) -> SpeechPositionResult:
    """Project speeches onto vote-based positions and measure the agreement by year.

    Parameters
    ----------
    speeches
        Speeches with ``country, year, text``.
    positions
        Vote-based positions with ``country, year, position`` (e.g. ideal points).
    start, end
        First and last year, inclusive.
    alpha
        Ridge penalty.
    min_df
        Minimum number of speeches a term must occur in.
    max_features
        Keep the most frequent terms only (None for all).
    n_folds
        Folds of the grouped (by state) cross-validation.

    Returns
    -------
    :class:`SpeechPositionResult`.

    References
    ----------
    Laver, M., Benoit, K. and Garry, J. (2003) "Extracting policy positions from political
    texts using words as data", American Political Science Review 97(2).
    """
    check_speeches(speeches)
    needed = {"country", "year", "position"}
    check_param(
        isinstance(positions, pd.DataFrame) and needed <= set(positions.columns),
        "positions",
        "a DataFrame with columns country, year, position",
        list(getattr(positions, "columns", [])),
    )
    check_param(alpha > 0, "alpha", "a positive number", alpha)
    check_param(
        isinstance(n_folds, int) and n_folds >= 2,
        "n_folds",
        "an integer of at least 2",
        n_folds,
    )
    data = _joined(speeches, positions, start, end, n_folds)
    texts = ["\n".join(p) for p in clean_paragraphs(list(data["text"]))]
    # imported here, not with the package: the report's rhetoric section never needs them
    from scipy import stats
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import Ridge
    from sklearn.model_selection import GroupKFold

    vec = TfidfVectorizer(
        lowercase=False,
        token_pattern=TOKEN_PATTERN,
        stop_words=sorted(STOP_WORDS),
        ngram_range=(1, 2),
        min_df=min_df,
        max_features=max_features,
        sublinear_tf=True,
        dtype=np.float32,
    )
    x = vec.fit_transform(texts)
    y = data["position"].to_numpy(float)
    pred = np.empty_like(y)
    for train, test in GroupKFold(n_splits=n_folds).split(x, y, groups=data["country"]):
        pred[test] = Ridge(alpha=alpha).fit(x[train], y[train]).predict(x[test])
    out = data[["country", "year", "position"]].assign(speech_position=pred)
    full = Ridge(alpha=alpha).fit(x, y)
    return SpeechPositionResult(
        positions=out.reset_index(drop=True),
        by_year=_by_year(out),
        r=float(stats.pearsonr(y, pred).statistic),
        rho=float(stats.spearmanr(y, pred).statistic),
        terms=_top_terms(full.coef_, vec.get_feature_names_out()),
    )


def _joined(
    speeches: pd.DataFrame,
    positions: pd.DataFrame,
    start: int | None,
    end: int | None,
    n_folds: int,
) -> pd.DataFrame:
    pos = positions[["country", "year", "position"]].dropna()
    pos = pos.astype({"year": "int64"}).drop_duplicates(["country", "year"])
    data = speeches[["country", "year", "text"]].merge(pos, on=["country", "year"])
    if start is not None:
        data = data[data["year"] >= start]
    if end is not None:
        data = data[data["year"] <= end]
    if data["country"].nunique() < max(n_folds, _MIN_PER_YEAR):
        raise InsufficientDataError(
            f"Only {data['country'].nunique()} states have both a speech and a vote-based "
            f"position in the years given ({len(data)} speeches); speech_positions() needs "
            "at least 5 and one per fold. Check that the codes and years of 'positions' "
            "match the speeches."
        )
    return data.sort_values(["year", "country"]).reset_index(drop=True)


def _by_year(out: pd.DataFrame) -> pd.DataFrame:
    from scipy import stats

    rows = []
    for year, g in out.groupby("year"):
        if len(g) < _MIN_PER_YEAR:
            continue
        rows.append(
            (
                int(cast(int, year)),
                len(g),
                float(stats.pearsonr(g["position"], g["speech_position"]).statistic),
                float(stats.spearmanr(g["position"], g["speech_position"]).statistic),
            )
        )
    return pd.DataFrame(rows, columns=["year", "n", "pearson_r", "spearman_rho"])


def _top_terms(coef: np.ndarray, names: np.ndarray, k: int = 15) -> pd.DataFrame:
    order = np.argsort(coef)
    idx = np.concatenate([order[:k], order[-k:]])
    return pd.DataFrame({"term": names[idx], "coefficient": coef[idx]})
