"""`hedgewatch council` from the command line."""

from __future__ import annotations

import subprocess
import sys

from typer.testing import CliRunner

from hedgewatch.cli import app

runner = CliRunner()


def test_council_prk(hw_home, tmp_path):
    out = tmp_path / "texts.csv"
    result = runner.invoke(
        app,
        [
            "council",
            "PRK",
            "--between",
            "CHN",
            "RUS",
            "--from",
            "2012",
            "--texts",
            "--csv",
            str(out),
        ],
        env={"COLUMNS": "160"},
    )
    assert result.exit_code == 0, result.output
    text = " ".join(result.output.split())
    assert "2022 │ 1 │ 1/1 (vetoed 1) │ 1/1 (vetoed 1)" in text
    assert "CHN: shielded 1 of 18" in text and "S/2022/431" in text
    assert "Adopted resolutions only" in text
    assert "S/2022/431" in out.read_text()


def test_council_powers_are_required_and_checked(hw_home, tmp_path):
    res = runner.invoke(app, ["council", "PRK"])
    assert res.exit_code == 2 and "--between" in res.output  # Click's usage error
    res = runner.invoke(app, ["council", "PRK", "--between", "CHN", "PRK"])
    assert "powers other than the state PRK" in str(res.exception)
    res = runner.invoke(app, ["council", "PRK", "-b", "CHN", "--from", "2025", "--to", "2012"])
    assert "The '--to' option must be on or after --from" in str(res.exception)


def test_council_bad_year_is_one_line_error(hw_home):
    proc = subprocess.run(
        [sys.executable, "-m", "hedgewatch.cli", "council", "PRK", "-b", "CHN", "--from", "x"],
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 2  # a bad value on the command line (EXIT_CODES)
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and "The '--from' option must be a year" in lines[0]
