"""The hedging plot and the align/hedge commands."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import pandas as pd
from typer.testing import CliRunner

from hedgewatch.alignment import hedging_index, pivots, plot_hedging
from hedgewatch.cli import app

runner = CliRunner()


def test_plot_hedging(prk_votes, tmp_path):
    idx = hedging_index(prk_votes, "PRK", ("CHN", "RUS"), n_boot=20)
    fig = plot_hedging(idx, pivots(idx, column="position", n_boot=10), state="PRK")
    assert len(fig.axes) == 2
    assert "PRK" in fig._suptitle.get_text()
    fig.savefig(tmp_path / "h.png")
    assert (tmp_path / "h.png").stat().st_size > 10_000


def test_cli_align(hw_home, tmp_path):
    out = tmp_path / "a.csv"
    res = runner.invoke(
        app,
        [
            "align",
            "PRK",
            "CHN",
            "RUS",
            "USA",
            "--issue",
            "nuclear",
            "--from",
            "1991",
            "--measure",
            "s-score",
            "--csv",
            str(out),
        ],
    )
    assert res.exit_code == 0, res.output
    assert "CHN" in res.output and "s-score" in res.output
    frame = pd.read_csv(out)
    assert set(frame.country_b) == {"CHN", "RUS", "USA"} and frame.period.min() == 1991
    assert frame.value.between(-1, 1).all()


def test_cli_hedge(hw_home, tmp_path):
    png, csv = tmp_path / "h.png", tmp_path / "h.csv"
    res = runner.invoke(
        app,
        [
            "hedge",
            "PRK",
            "--between",
            "CHN",
            "RUS",
            "--n-boot",
            "30",
            "--plot",
            str(png),
            "--csv",
            str(csv),
        ],
    )
    assert res.exit_code == 0, res.output
    assert "Pivots in position" in res.output or "No pivot" in res.output
    assert png.stat().st_size > 10_000
    assert "position" in pd.read_csv(csv).columns


def test_cli_errors_are_one_line(hw_home):
    res = runner.invoke(app, ["align", "PRK"])
    assert res.exit_code != 0
    res = runner.invoke(app, ["align", "XQZ", "CHN"])
    assert res.exit_code != 0 and "XQZ" in str(res.exception)


def test_align_per_issue(session_store):
    from hedgewatch.workflows import align

    out = align("PRK", ["CHN", "USA"], start=1991, by=None, per_issue=True, store=session_store)
    assert list(out.columns[:2]) == ["issue", "period"]
    assert set(out.issue) == {"me", "nu", "di", "hr", "co", "ec"}
    # nuclear votes are where PRK parts most from China
    chn = out[out.country_b == "CHN"].set_index("issue").value
    assert chn.idxmin() == "nu" and chn["me"] > 0.95


def test_cli_align_per_issue(hw_home):
    res = runner.invoke(
        app,
        [
            "align",
            "PRK",
            "CHN",
            "--from",
            "2015",
            "--by",
            "all",
            "--per-issue",
            "-i",
            "nuclear",
            "-i",
            "hr",
        ],
    )
    assert res.exit_code == 0, res.output
    assert "nu" in res.output and "hr" in res.output
