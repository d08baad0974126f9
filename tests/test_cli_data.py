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
    out = " ".join(result.output.split())
    assert "6,581" in out and "936,393" in out
    assert "1946-01-01" in out and "2025-12-18" in out
    # coverage by session, the gap, and how to fill it
    assert "1946-1963, 1965-2021, 2025; missing 2022-2024" in out
    assert "hedgewatch data update" in out and "data import FILE" in out
    assert "2,661 adopted resolutions" in out and "214 drafts" in out


def test_data_info_by_session(hw_home):
    result = runner.invoke(app, ["data", "info", "--sessions"])
    assert result.exit_code == 0, result.output
    assert "Roll calls by session" in result.output and "2025-12-18" in result.output


def test_data_import(hw_home):
    result = runner.invoke(
        app, ["data", "import", str(DATA / "unga" / "undl_official_not_held.csv")]
    )
    assert result.exit_code == 0, result.output
    out = " ".join(result.output.split())
    assert "roll calls added 2" in out and "6,583" in out


def test_data_import_scraped_sample_reports_checks(hw_home):
    result = runner.invoke(app, ["data", "import", str(DATA / "unga" / "undl_wide_sample.csv")])
    assert result.exit_code == 0, result.output
    out = " ".join(result.output.split())
    assert "Row check: 4 row(s) disagree" in out and "undl_wide_sample.csv:3 A/RES/40/5" in out
    assert "record 3949880 repeats record 3949879" in out


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
