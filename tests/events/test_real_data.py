"""North Korea between China and Russia in the staged daily dyad file (GDELT, 2018-2024).

The figures of docs/events.md: China's side through 2019, a change point toward Russia from
2022Q3 (+1.31, stable), Russia's share of North Korea's event volume at its peak in 2023Q3.
"""

from __future__ import annotations

import pyarrow.compute as pc
import pytest

from hedgewatch.alignment import pivots
from hedgewatch.events import event_position
from hedgewatch.sources.event_dyads import read_event_dyads

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def prk(shared_data):
    f = read_event_dyads(shared_data / "events" / "gdelt_dyad_daily_2018_2024.csv.gz")
    ev = f.events
    mine = pc.or_(pc.equal(ev["country_a"], "PRK"), pc.equal(ev["country_b"], "PRK"))
    daily = ev.filter(mine).to_pandas()
    daily["date"] = daily["date"].astype("datetime64[ns]")
    return daily


def test_prk_moves_toward_russia_from_2022q3(prk):
    idx = event_position(prk, "PRK", ["CHN", "RUS"], by="quarter", n_boot=100, seed=0)
    pos = idx.set_index("period")["position"]
    assert len(idx) == 25 and idx["period"].iloc[0] == "2018Q1"
    assert pos["2018Q1"] == pytest.approx(-0.777, abs=1e-3)
    assert (pos[[f"{y}Q{q}" for y in (2018, 2019) for q in (1, 3, 4)]] < 0).all()
    assert pos["2023Q3"] == pytest.approx(0.651, abs=1e-3)
    share = idx.set_index("period")["share_RUS"]
    assert share.idxmax() == "2023Q3" and share["2023Q3"] == pytest.approx(0.402, abs=1e-3)
    found = pivots(idx, column="position", n_boot=200, seed=0)
    up = found[found["period"] == "2022Q3"].iloc[0]
    assert up["size"] == pytest.approx(1.310, abs=1e-3) and up["stability"] >= 0.9
    stable = found[found["stability"] >= 0.9]
    assert list(stable["period"]) == ["2022Q3"]
