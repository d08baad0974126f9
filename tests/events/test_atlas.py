"""The event atlas: every state's event position between two powers, from the store.

Checked against the events package itself (the atlas must place each state exactly where
``event_positions`` and ``event_position`` do), on the real 15-minute GDELT export and on a
small multi-year file with a planted shift (tests/events/synthetic.py).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

import hedgewatch as hw
from hedgewatch.alignment import atlas as core_atlas
from hedgewatch.alignment import movers
from hedgewatch.cli import app
from hedgewatch.errors import ParameterError
from hedgewatch.events import event_position, event_positions
from hedgewatch.store import Store, event_days
from hedgewatch.workflows import import_events

from .conftest import RAW
from .synthetic import SHIFT_YEAR, write_dyad_csv

N_BOOT = 60


@pytest.fixture(scope="module")
def dyad_store(tmp_path_factory) -> Store:
    """A store holding the synthetic 2015-2024 dyad file (and the bundled votes)."""
    home = tmp_path_factory.mktemp("event_atlas")
    st = Store(home / "hedgewatch.duckdb")
    import_events([str(write_dyad_csv(home / "dyads.csv"))], format="dyad", store=st)
    return st


@pytest.fixture(scope="module")
def raw_store(tmp_path_factory) -> Store:
    """A store holding the real 15-minute GDELT export."""
    st = Store(tmp_path_factory.mktemp("event_atlas_raw") / "hedgewatch.duckdb")
    import_events([str(RAW)], store=st)
    return st


@pytest.fixture(scope="module")
def world(dyad_store) -> pd.DataFrame:
    return hw.atlas(("CHN", "RUS"), measure="events", n_boot=N_BOOT, store=dyad_store)


def test_layout_and_count_column(world):
    assert list(world.columns[:5]) == ["period", "country", "n_days", "days", "events"]
    assert {"value_CHN", "value_RUS", "share_CHN", "share_RUS"} <= set(world.columns)
    assert {"position_lo", "position_hi", "other_share_lo", "other_share_hi"} <= set(world.columns)
    assert "n_votes" not in world and "agree_CHN" not in world
    assert not world["country"].isin(["CHN", "RUS"]).any()
    assert sorted(world["period"].unique()) == list(range(2015, 2025))
    assert world["events"].isna().all()  # the dyad layout has weights, no event counts
    assert (world["n_days"] <= world["days"]).all() and (world["n_days"] > 0).all()
    ok = world["position"].notna()
    assert (world.loc[ok, "position_lo"] <= world.loc[ok, "position"] + 1e-12).all()
    assert (world.loc[ok, "position"] <= world.loc[ok, "position_hi"] + 1e-12).all()


def test_values_equal_event_positions(world, dyad_store):
    daily = event_days(store=dyad_store)
    ref = event_positions(daily, ("CHN", "RUS"), by="year")
    both = ref.merge(world, left_on=["state", "period"], right_on=["country", "period"])
    assert len(both) == len(ref) == len(world)
    np.testing.assert_allclose(both["position_x"], both["position_y"], atol=1e-12)


@pytest.mark.parametrize("state", ["PRK", "JPN", "USA"])
def test_rows_equal_event_position_with_intervals(world, dyad_store, state):
    """A state's rows are event_position's on its own rows: same bootstrap, same draws."""
    daily = event_days([state], store=dyad_store)
    ref = event_position(daily, state, ("CHN", "RUS"), n_boot=N_BOOT)
    mine = world[world["country"] == state].reset_index(drop=True)
    assert list(mine["period"]) == list(ref["period"])
    for c in ("position", "position_lo", "position_hi", "other_share", "other_share_lo",
              "value_CHN", "value_RUS", "share_CHN", "share_RUS"):  # fmt: skip
        np.testing.assert_allclose(mine[c], ref[c], atol=1e-12, err_msg=c)
    assert list(mine["days"]) == list(ref["days"])


def test_real_export_equals_event_positions(raw_store):
    """On the real GDELT export (event-level, directed): counts present, values equal."""
    w = hw.atlas(("CHN", "USA"), measure="events", n_boot=0, store=raw_store)
    daily = event_days(store=raw_store)
    ref = event_positions(daily, ("CHN", "USA"), by="year")
    both = ref.merge(w, left_on=["state", "period"], right_on=["country", "period"])
    assert len(both) == len(ref) >= 5
    np.testing.assert_allclose(both["position_x"], both["position_y"], atol=1e-12)
    assert w["events"].notna().all() and (w["events"] > 0).all()
    coop = core_atlas(daily, ("CHN", "USA"), measure="events", n_boot=0)
    pd.testing.assert_frame_equal(coop, w)


def test_movers_find_the_planted_shift(world):
    toward = movers(world, toward="RUS")
    assert "n_days" in toward and "n_votes" not in toward
    prk = toward[toward["country"] == "PRK"].iloc[0]
    assert prk["period"] == SHIFT_YEAR and prk["size"] > 0.5 and prk["stability"] >= 0.9
    assert prk["direction"] == "toward RUS"
    assert toward.iloc[0]["country"] == "PRK"  # the only planted shift is the largest
    away = movers(world, toward="CHN")
    assert "PRK" not in set(away["country"])


def test_swapping_the_powers_mirrors_the_atlas(world, dyad_store):
    back = hw.atlas(("RUS", "CHN"), measure="events", n_boot=0, store=dyad_store)
    m = world.merge(back, on=["period", "country"])
    np.testing.assert_allclose(m["position_x"], -m["position_y"], atol=1e-12)


def test_no_events_is_one_clear_error(tmp_path):
    st = Store(tmp_path / "hedgewatch.duckdb")
    with pytest.raises(ParameterError, match=r"'measure' parameter of atlas\(\)") as err:
        hw.atlas(("CHN", "USA"), measure="events", store=st)
    assert "hedgewatch events import" in str(err.value) and "\n" not in str(err.value)


def test_bad_parameters(dyad_store):
    with pytest.raises(ParameterError, match="'by' parameter of atlas"):
        hw.atlas(("CHN", "RUS"), measure="events", by="session", store=dyad_store)
    with pytest.raises(ParameterError, match="'issues'"):
        hw.atlas(("CHN", "RUS"), measure="events", issues="me", store=dyad_store)
    with pytest.raises(ParameterError, match="'dataset'"):
        hw.atlas(("CHN", "RUS"), dataset="dyad", store=dyad_store)


def test_window_and_whole_window(dyad_store):
    w = hw.atlas(("CHN", "RUS"), measure="events", start=2019, end=2020, n_boot=0,
                 store=dyad_store)  # fmt: skip
    assert set(w["period"]) == {2019, 2020}
    one = hw.atlas(("CHN", "RUS"), measure="events", by=None, n_boot=0, store=dyad_store)
    assert set(one["period"]) == {"all"} and one["country"].is_unique


def test_cli_atlas_with_events(dyad_store, tmp_path, monkeypatch):
    monkeypatch.setenv("HEDGEWATCH_HOME", str(dyad_store.path.parent))
    out = tmp_path / "atlas.html"
    args = ["atlas", "--between", "CHN", "RUS", "--measure", "events", "--n-boot", "20"]
    res = CliRunner().invoke(app, [*args, "--out", str(out)])
    assert res.exit_code == 0, res.output
    html = out.read_text()
    assert '"count":"n_days"' in html and '"measure":"events"' in html
    assert "Largest stable shifts toward Russia" in res.output
    assert "North Korea (PRK)" in res.output


def test_cli_without_events_says_which_command_imports_them(tmp_path, monkeypatch):
    monkeypatch.setenv("HEDGEWATCH_HOME", str(tmp_path))
    res = CliRunner().invoke(
        app,
        [
            "atlas",
            "--between",
            "CHN",
            "USA",
            "--measure",
            "events",
            "--out",
            str(tmp_path / "a.html"),
        ],  # fmt: skip
    )
    assert res.exit_code != 0
    text = str(res.exception) if res.exception else res.output
    assert "hedgewatch events import" in text and "Traceback" not in res.output


def test_event_days_columns_and_order(dyad_store):
    full = event_days(store=dyad_store)
    some = event_days(columns=["weight"], sort=False, store=dyad_store)
    assert list(some.columns) == ["date", "country_a", "country_b", "weight"]
    some = some.sort_values(["date", "country_a", "country_b"]).reset_index(drop=True)
    pd.testing.assert_frame_equal(some, full[list(some.columns)])
    with pytest.raises(ParameterError, match="'columns'"):
        event_days(columns=["weight", "nope"], store=dyad_store)
