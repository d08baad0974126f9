"""The ``hedgewatch strategy`` commands."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from hedgewatch.cli import app
from hedgewatch.errors import ScenarioError

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "eu_emissions.yaml"
runner = CliRunner()


def test_forecast_prints_baselines_and_path(tmp_path):
    out_csv, out_png = tmp_path / "path.csv", tmp_path / "fig.png"
    result = runner.invoke(
        app,
        [
            "strategy",
            "forecast",
            str(EXAMPLE),
            "--rounds",
            "3",
            "--csv",
            str(out_csv),
            "--plot",
            str(out_png),
            "--positions",
        ],
    )
    assert result.exit_code == 0, result.output
    assert "Median voter (round 0): 7" in result.output
    assert "Mean voter (round 0):   7.39" in result.output
    assert out_csv.stat().st_size > 0 and out_png.stat().st_size > 1000


def test_forecast_bad_scenario_is_one_line_exit_3(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        "actors:\n  - {name: A, capability: -1, position: 5, salience: 10}\n"
        "  - {name: B, capability: 1, position: 500, salience: 10}\n"
    )
    result = runner.invoke(app, ["strategy", "forecast", str(bad)])
    assert isinstance(result.exception, ScenarioError)
    proc = subprocess.run(
        [sys.executable, "-m", "hedgewatch.cli", "strategy", "forecast", str(bad)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 3  # a file's layout or values (hedgewatch.cli.EXIT_CODES)
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and "line 2: actor 'A'" in lines[0] and "line 3: actor 'B'" in lines[0]
    assert "Traceback" not in proc.stderr


def test_outbidding_without_data():
    result = runner.invoke(
        app,
        [
            "strategy",
            "outbidding",
            "PRK",
            "--between",
            "CHN",
            "RUS",
            "--guarantee",
            "0.8",
            "--united-front",
            "0.5",
            "--statics",
            "guarantee",
        ],
    )
    assert result.exit_code == 0, result.output
    assert "provocation" in result.output and "PRK" in result.output


def test_outbidding_old_flags_still_work_with_a_note():
    old = runner.invoke(
        app, ["strategy", "outbidding", "--client", "PRK", "--patrons", "CHN", "RUS"]
    )
    new = runner.invoke(app, ["strategy", "outbidding", "PRK", "--between", "CHN", "RUS"])
    assert old.exit_code == 0 and new.exit_code == 0, old.output
    assert "--client is deprecated" in old.output and "--patrons is deprecated" in old.output
    assert new.output in old.output  # the same tables after the notes
    bare = runner.invoke(app, ["strategy", "outbidding"])
    assert bare.exit_code != 0 and "'STATE' argument is missing" in str(bare.exception)


def test_outbidding_calibrated_from_votes(hw_home):
    result = runner.invoke(
        app,
        [
            "strategy",
            "outbidding",
            "PRK",
            "--between",
            "CHN",
            "RUS",
            "--year",
            "2015",
            "--guarantee",
            "0.8",
        ],
    )
    if result.exit_code != 0 and "store" in str(result.exception).lower():
        pytest.skip(f"no store: {result.exception}")
    assert result.exit_code == 0, result.output
    assert "Calibrated from" in result.output and "2015" in result.output


def test_outbidding_measure_choice(hw_home):
    args = ["strategy", "outbidding", "PRK", "-b", "CHN", "-b", "RUS", "--year", "2015"]
    result = runner.invoke(app, [*args, "--measure", "agreement"])
    if result.exit_code != 0 and "store" in str(result.exception).lower():
        pytest.skip(f"no store: {result.exception}")
    assert result.exit_code == 0, result.output
    assert "Calibrated from agreement shares, 2015" in result.output
    bad = runner.invoke(app, [*args, "--measure", "vibes"])
    assert bad.exit_code != 0
    assert "The '--measure' option must be one of auto, hedging" in str(bad.exception)
