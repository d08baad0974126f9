"""The Security Council tables: bundled, queried like votes(), imported atomically."""

from __future__ import annotations

import pandas as pd

from hedgewatch import store as hw_store
from hedgewatch import workflows

from ..conftest import DATA


def test_bundled_council_tables(session_store):
    res = hw_store.council_resolutions(store=session_store)
    assert len(res) == 2661
    assert set(res["year"]) >= {1946, 2021, 2025} and not set(res["year"]) & {2022, 2023, 2024}
    v = hw_store.council_votes(["CHN", "RUS"], start=2017, end=2017, store=session_store)
    r2397 = v[v["resolution"] == "S/RES/2397(2017)"].set_index("country")["vote"]
    assert r2397.to_dict() == {"CHN": "yes", "RUS": "yes"}
    assert list(v["vote"].cat.categories) == ["yes", "abstain", "no"]


def test_vetoes_query(session_store):
    v = hw_store.vetoes(["China"], start=2022, store=session_store)
    assert v["draft"].tolist() == ["S/2022/431"]
    rus = hw_store.vetoes("RUS", store=session_store)
    assert {"SUN", "RUS"} == set(rus["state"])  # the USSR's vetoes are Russia's country's
    assert pd.Timestamp("2022-05-26") in set(rus["date"])


def test_import_council_from_a_library_file(hw_home):
    before = hw_store.council_info()
    counts = workflows.import_file(str(DATA / "unga" / "undl_wide_sample.csv"))
    assert counts["council_resolutions"] == 5
    # the sample's Council resolutions are the bundled ones: replaced, not added
    assert hw_store.council_info()["resolutions"] == before["resolutions"]
