"""Holes in yearly series: NaN rows break plotted lines; ranges name what is covered."""

from __future__ import annotations

import numpy as np
import pandas as pd

from hedgewatch._periods import earliest, missing, ranges, with_gaps


def test_ranges_and_missing():
    assert ranges([2025, 1946, 1947, 1948, 2021]) == "1946-1948, 2021, 2025"
    assert ranges([]) == "none"
    assert missing([2019, 2020, 2021, 2025]) == [2022, 2023, 2024]
    assert missing(["a", "b"]) == []


def test_with_gaps_inserts_nan_rows():
    f = pd.DataFrame({"period": [2020, 2021, 2025], "v": [1.0, 2.0, 3.0]})
    g = with_gaps(f)
    assert g["period"].tolist() == [2020, 2021, 2022, 2023, 2024, 2025]
    assert g["v"].isna().tolist() == [False, False, True, True, True, False]
    # not whole-number periods: unchanged
    s = pd.DataFrame({"period": ["all"], "v": [1.0]})
    assert with_gaps(s).equals(s)


def test_earliest():
    idx = pd.Index([2019, 2020, 2021, 2025, 2026])
    assert earliest(idx, [3, 1]) == [2022, 2020]


def test_hedging_plot_breaks_its_lines():
    from hedgewatch.alignment.plot import plot_hedging

    years = [2019, 2020, 2021, 2025]
    idx = pd.DataFrame(
        {
            "period": years,
            "agree_CHN": [0.8, 0.82, 0.84, 0.86],
            "agree_RUS": [0.7, 0.72, 0.74, 0.9],
            "position": [-0.5, -0.4, -0.3, 0.3],
            "free_agency": [0.1] * 4,
        }
    )
    fig = plot_hedging(idx)
    line = fig.axes[0].lines[0]
    x, y = np.asarray(line.get_xdata(), float), np.asarray(line.get_ydata(), float)
    assert list(x) == [2019, 2020, 2021, 2022, 2023, 2024, 2025]
    assert np.isnan(y[3:6]).all() and not np.isnan(y[[0, 1, 2, 6]]).any()
