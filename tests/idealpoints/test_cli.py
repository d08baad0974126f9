"""`hedgewatch idealpoints fit | show | wildcard` against the bundled store (sessions 46-50)."""

from __future__ import annotations

import pandas as pd
import pytest
from typer.testing import CliRunner

from hedgewatch.cli import app

from .conftest import DATA

runner = CliRunner()
BRIDGES = str(DATA / "bsv_matches_s44_50.csv")


def test_fit_show_wildcard(hw_home, tmp_path):
    out = tmp_path / "fit.parquet"
    res = runner.invoke(
        app, ["idealpoints", "fit", "--sessions", "46-50", "--bridges", BRIDGES, "--out", str(out)]
    )
    assert res.exit_code == 0, res.output
    assert "converged=True" in res.output and "APRE" in res.output
    assert out.exists() and len(pd.read_parquet(out)) > 500

    png = tmp_path / "ip.png"
    res = runner.invoke(
        app,
        [
            "idealpoints",
            "show",
            "PRK",
            "CHN",
            "RUS",
            "USA",
            "--result",
            str(out),
            "--plot",
            str(png),
        ],
    )
    assert res.exit_code == 0, res.output
    assert "PRK" in res.output and "1995" in res.output
    assert png.exists() and png.stat().st_size > 10_000

    res = runner.invoke(
        app,
        [
            "idealpoints",
            "wildcard",
            "PRK",
            "--result",
            str(out),
            "--sessions",
            "46-50",
            "--top",
            "3",
        ],
    )
    assert res.exit_code == 0, res.output
    assert "1 = least predictable" in res.output and "least expected" in res.output
    # The old flag still works for a release, with a note.
    res = runner.invoke(
        app,
        ["idealpoints", "wildcard", "PRK", "--result", str(out), "--sessions", "46-50", "--n", "3"],
    )
    assert res.exit_code == 0, res.output
    assert "--n is deprecated" in res.output


def test_unknown_country_is_one_clear_error(hw_home, tmp_path, real_fit):
    out = tmp_path / "fit.parquet"
    real_fit.to_table().to_parquet(out)
    res = runner.invoke(app, ["idealpoints", "show", "SSD", "--result", str(out)])
    assert res.exit_code != 0
    assert "'COUNTRIES' argument must be countries in the fit (" in str(res.exception)
    res = runner.invoke(app, ["idealpoints", "show", "XXX", "--result", str(out)])
    assert res.exit_code != 0 and "unknown country 'XXX'" in str(res.exception)


def test_bad_sessions_option(hw_home):
    res = runner.invoke(app, ["idealpoints", "fit", "--sessions", "one-five"])
    assert res.exit_code != 0 and "'--sessions' option" in str(res.exception)


def test_forecast_ranks_plots_and_writes_csv(hw_home, tmp_path):
    """`idealpoints forecast`: session 47 (1992) forecast from the two sessions before it."""
    csv, png = tmp_path / "rank.csv", tmp_path / "calib.png"
    args = ["idealpoints", "forecast", "PRK", "--from", "1992", "--to", "1992"]
    res = runner.invoke(app, [*args, "--history", "2", "--csv", str(csv), "--plot", str(png)])
    assert res.exit_code == 0, res.output
    assert "forecast out of sample" in res.output and "skill" in res.output
    ranks = pd.read_csv(csv)
    me = ranks[ranks["country"] == "PRK"].iloc[0]
    assert me["n_votes"] > 0 and 0 < me["log_loss"] < 9.3
    assert me["skill"] == pytest.approx(1 - me["log_loss"] / me[f"log_loss_{me['best_baseline']}"])
    assert png.stat().st_size > 1000
    # a second run reads the summary cached in the store
    again = runner.invoke(app, [*args, "--history", "2"])
    assert again.exit_code == 0 and f"log-loss {me['log_loss']:.3f}" in again.output
