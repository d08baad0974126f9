"""Per-file partials (exact, summable in any order) and period aggregation (normalised)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hedgewatch.events import aggregate, partial_aggregate, sum_partials
from hedgewatch.events._aggregate import period_labels
from hedgewatch.sources._events import EVENT_SCHEMA
from hedgewatch.sources.gdelt import read_gdelt_export

from .conftest import RAW


def events_table(rows: list[tuple]) -> pa.Table:
    cols = list(zip(*rows, strict=True)) if rows else [[] for _ in EVENT_SCHEMA]
    arrays = [
        pa.array([pd.Timestamp(d).date() for d in cols[0]], pa.date32()),
        pa.array(cols[1], pa.string()).dictionary_encode(),
        pa.array(cols[2], pa.string()).dictionary_encode(),
        *(pa.array(c, f.type) for c, f in zip(cols[3:], list(EVENT_SCHEMA)[3:], strict=True)),
    ]
    return pa.Table.from_arrays(arrays, schema=EVENT_SCHEMA)


def test_partial_sums_are_hand_computed():
    t = events_table(
        [
            ("2024-01-02", "PRK", "RUS", 1, 3.4, 2, 1, 2, -1.5),
            ("2024-01-02", "PRK", "RUS", 4, -10.0, 5, 2, 4, 2.0),
            ("2024-01-02", "RUS", "PRK", 2, 7.4, 1, 1, 1, 0.0),
            ("2024-01-02", None, "PRK", 3, -2.0, 1, 1, 1, 0.0),  # not a state: left out
        ]
    )
    p = partial_aggregate(t).to_pandas().set_index(["country_a", "country_b"])
    row = p.loc[("PRK", "RUS")]
    assert row["events"] == 2 and row["verbal_coop"] == 1 and row["material_conflict"] == 1
    assert row["goldstein_x10"] == 34 - 100
    assert row["tone_e6"] == -1_500_000 + 2_000_000
    # weight = g + sign(g) * (0.025 sources + 0.01 articles + 0.01 |tone|)
    w1 = 3.4 + (0.025 * 1 + 0.01 * 2 + 0.01 * 1.5)
    w2 = -10.0 - (0.025 * 2 + 0.01 * 4 + 0.01 * 2.0)
    assert row["weight_e6"] == round((w1 + w2) * 1e6)
    assert p.loc[("RUS", "PRK"), "material_coop"] == 1
    assert len(p) == 2


@settings(max_examples=25, deadline=None)
@given(st.lists(st.integers(0, 5), min_size=1, max_size=6), st.randoms(use_true_random=False))
def test_partials_add_up_the_same_in_any_split_and_order(cuts, rnd):
    ev = read_gdelt_export(RAW).events
    n = ev.num_rows
    edges = sorted({0, n, *(int(c * n / 6) for c in cuts)})
    parts = [
        partial_aggregate(ev.slice(a, b - a)) for a, b in zip(edges[:-1], edges[1:], strict=True)
    ]
    rnd.shuffle(parts)
    whole = partial_aggregate(ev).to_pandas().sort_values(["date", "country_a", "country_b"])
    summed = sum_partials(parts).to_pandas().sort_values(["date", "country_a", "country_b"])
    pd.testing.assert_frame_equal(whole.reset_index(drop=True), summed.reset_index(drop=True))


def daily(rows: list[tuple]) -> pd.DataFrame:
    df = pd.DataFrame(
        rows, columns=["date", "country_a", "country_b", "events", "goldstein_sum", "weight"]
    )
    df["date"] = pd.to_datetime(df["date"])
    for q in ("verbal_coop", "material_coop", "verbal_conflict", "material_conflict"):
        df[q] = 0.0
    df["verbal_coop"] = df["events"]
    return df


def test_aggregate_normalises_by_the_states_volume():
    d = daily(
        [
            ("2024-01-02", "PRK", "RUS", 3, 3.0, 6.0),
            ("2024-01-03", "RUS", "PRK", 1, 1.0, 2.0),
            ("2024-01-03", "PRK", "CHN", 4, -4.0, -4.0),
            ("2024-02-01", "PRK", "PRK", 9, 9.0, 9.0),  # domestic: not in the totals
        ]
    )
    out = aggregate(d, by="month").set_index(["period", "country_a", "country_b"])
    jan = out.loc["2024-01"]
    assert jan.loc[("PRK", "RUS"), "events"] == 4
    assert jan.loc[("PRK", "RUS"), "intensity"] == pytest.approx(4 / 8)
    assert jan.loc[("PRK", "CHN"), "intensity"] == pytest.approx(4 / 8)
    assert jan.loc[("PRK", "RUS"), "weight_share"] == pytest.approx(8 / 12)
    assert jan.loc[("PRK", "CHN"), "weight_share"] == pytest.approx(-4 / 12)
    assert jan.loc[("RUS", "PRK"), "intensity"] == 1.0  # all of Russia's events in the data
    assert jan.loc[("PRK", "RUS"), "goldstein_mean"] == 1.0
    assert ("2024-02", "PRK", "PRK") not in out.index


def test_doubling_the_news_volume_does_not_read_as_warmth():
    d = daily(
        [
            ("2024-01-02", "PRK", "RUS", 3, 3.0, 6.0),
            ("2024-01-03", "PRK", "CHN", 4, -4.0, -4.0),
            ("2024-01-04", "PRK", "USA", 2, -6.0, -6.0),
        ]
    )
    loud = d.copy()
    for c in ("events", "goldstein_sum", "weight", "verbal_coop"):
        loud[c] = loud[c] * 2
    a, b = aggregate(d, by="year"), aggregate(loud, by="year")
    for c in ("intensity", "weight_share", "goldstein_mean"):
        np.testing.assert_allclose(a[c], b[c])
    assert (b["events"] == 2 * a["events"]).all()


def test_period_labels_sort_in_time():
    dates = pd.Series(pd.to_datetime(["2023-12-31", "2024-01-01", "2024-09-13"]))
    assert period_labels(dates, "quarter").tolist() == ["2023Q4", "2024Q1", "2024Q3"]
    assert period_labels(dates, "week").tolist() == ["2023-W52", "2024-W01", "2024-W37"]
    assert period_labels(dates, "month").tolist() == ["2023-12", "2024-01", "2024-09"]
    assert period_labels(dates, "year").tolist() == [2023, 2024, 2024]


def test_aggregate_refuses_an_unknown_period():
    with pytest.raises(ValueError, match="'by' parameter of aggregate"):
        aggregate(daily([("2024-01-02", "PRK", "RUS", 1, 1.0, 1.0)]), by="fortnight")
