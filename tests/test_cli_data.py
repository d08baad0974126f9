"""`hedgewatch data ...` from the command line."""

from __future__ import annotations

import subprocess
import sys

from typer.testing import CliRunner

from hedgewatch.cli import app

from .conftest import DATA

runner = CliRunner()


def test_data_info(hw_home):
    result = runner.invoke(app, ["data", "info"])
    assert result.exit_code == 0, result.output
    assert "6,203" in result.output and "870,109" in result.output
    assert "1946-01-01" in result.output and "2020-01-14" in result.output


def test_data_import(hw_home):
    result = runner.invoke(app, ["data", "import", str(DATA / "unga" / "2025_undl_ga_voting.csv")])
    assert result.exit_code == 0, result.output
    assert "6,206" in result.output


def test_errors_are_one_line_exit_3(hw_home, tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("a,b\n1,2\n")
    proc = subprocess.run(
        [sys.executable, "-m", "hedgewatch.cli", "data", "import", str(bad)],
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 3  # a file's layout or values (hedgewatch.cli.EXIT_CODES)
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: ") and "bad.csv" in lines[0]
    assert "Traceback" not in proc.stderr
