"""`hedgewatch events ...` from the command line."""

from __future__ import annotations

import subprocess
import sys

import pandas as pd
from typer.testing import CliRunner

from hedgewatch.cli import app

from .conftest import RAW

runner = CliRunner()


def dyad_file(tmp_path):
    lines = ["date,iso3_a,iso3_b,edge_weight"]
    for day in pd.date_range("2021-01-01", "2022-12-31", freq="D"):
        russia = 6.0 if day >= pd.Timestamp("2022-07-01") else 1.0
        lines += [f"{day:%Y-%m-%d},PRK,CHN,3.0", f"{day:%Y-%m-%d},PRK,RUS,{russia}"]
    path = tmp_path / "dyads.csv"
    path.write_text("\n".join(lines) + "\n")
    return path


def test_import_info_hedge_align(hw_home, tmp_path):
    result = runner.invoke(app, ["events", "info"])
    assert result.exit_code == 0 and "No event data imported yet" in result.output
    result = runner.invoke(app, ["events", "import", str(dyad_file(tmp_path))])
    assert result.exit_code == 0, result.output
    assert "dyad (dyad, engine duckdb): 1 file(s) imported" in result.output
    result = runner.invoke(app, ["events", "import", str(RAW)])
    assert result.exit_code == 0, result.output
    assert "EUR (region) 33" in result.output  # codes that are not a state are reported
    result = runner.invoke(app, ["events", "info"])
    assert "gdelt" in result.output and "dyad" in result.output
    csv = tmp_path / "idx.csv"
    args = ["events", "hedge", "PRK", "--between", "CHN", "RUS", "--by", "quarter"]
    result = runner.invoke(app, [*args, "--dataset", "dyad", "--n-boot", "20", "--csv", str(csv)])
    assert result.exit_code == 0, result.output
    assert "2022Q3" in result.output and "Change points" in result.output
    idx = pd.read_csv(csv)
    assert idx.loc[idx["period"] == "2021Q1", "position"].iloc[0] == -0.5
    result = runner.invoke(app, ["events", "align", "PRK", "CHN", "RUS", "--dataset", "dyad"])
    assert result.exit_code == 0, result.output
    assert "2021" in result.output and "0.750" in result.output


def test_errors_are_one_line_with_their_exit_status(hw_home, tmp_path):
    bad = tmp_path / "20240101000000.export.CSV.zip"
    bad.write_bytes(RAW.read_bytes()[:5000])
    proc = subprocess.run(
        [sys.executable, "-m", "hedgewatch.cli", "events", "import", str(bad)],
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 3  # a bad input file (hedgewatch.cli.EXIT_CODES)
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: ") and bad.name in lines[0]
    assert "truncated or corrupt" in lines[0] and "Traceback" not in proc.stderr
    proc = subprocess.run(
        [sys.executable, "-m", "hedgewatch.cli", "events", "hedge", "PRK", "-b", "CHN", "RUS"],
        capture_output=True,
        text=True,
    )
    # nothing imported yet: thin data (status 5), not a fault of the store
    assert proc.returncode == 5 and "no event data imported yet" in proc.stderr
