"""``hedgewatch report``: the command writes the file; bad input is one clear error."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from hedgewatch.cli import app
from hedgewatch.errors import DataFormatError, ParameterError

FAST_CLAIMS = """\
source: test claims
settings: {n_boot: 40, ideal_from: 2014, rhetoric_from: 2016, recent_from: 2012}
claims:
  - id: balancing
    claim: balances
    rule:
      - {measure: position_lo, op: ">=", value: -0.5}
      - {measure: position_hi, op: "<=", value: 0.5}
"""


@pytest.fixture
def env(home, store, prk_report, monkeypatch):
    """The session's store, its cache warmed by the library's report with the same settings
    (conftest.FAST, as in FAST_CLAIMS): the command computes little and renders everything."""
    monkeypatch.setenv("HEDGEWATCH_HOME", str(home))
    return home


def test_report_command_writes_html(env, tmp_path):
    claims = tmp_path / "claims.yaml"
    claims.write_text(FAST_CLAIMS, encoding="utf-8")
    out = tmp_path / "r.html"
    res = CliRunner().invoke(
        app,
        ["report", "PRK", "--between", "CHN", "RUS", "--out", str(out), "--claims", str(claims)],
    )
    assert res.exit_code == 0, res.output
    assert "Wrote" in res.output and out.exists()
    html = out.read_text(encoding="utf-8")
    assert "North Korea" in html and "Russia" in html and "balances" in html


def test_one_power_is_refused(env, tmp_path):
    res = CliRunner().invoke(
        app, ["report", "PRK", "--between", "CHN", "--out", str(tmp_path / "x.html")]
    )
    assert isinstance(res.exception, ParameterError)
    assert "The '--between' option must be at least 2 countries" in str(res.exception)


def test_powers_are_required_and_output_folders_created(env, tmp_path):
    res = CliRunner().invoke(app, ["report", "PRK"])
    assert res.exit_code == 2 and "--between" in res.output  # Click's usage error
    res = CliRunner().invoke(app, ["report", "PRK", "--between", "CHN", "PRK"])
    assert "powers other than the state PRK" in str(res.exception)
    res = CliRunner().invoke(
        app, ["report", "PRK", "-b", "CHN", "-b", "RUS", "--out", str(tmp_path)]
    )
    assert "The '--out' option must be a file name, not a folder" in str(res.exception)


def test_invalid_claims_file(env, tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("claims: [\n", encoding="utf-8")
    res = CliRunner().invoke(
        app, ["report", "PRK", "--between", "CHN", "RUS", "--claims", str(bad)]
    )
    assert isinstance(res.exception, DataFormatError)
    assert "bad.yaml" in str(res.exception) and "line" in str(res.exception)
