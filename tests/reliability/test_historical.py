"""Historical states: reports on them work, or say exactly why not and where their votes are."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

import hedgewatch as hw
from hedgewatch.errors import InsufficientDataError
from hedgewatch.report import build_report
from hedgewatch.report.claims import NOT_MEASURABLE, NOT_SUPPORTED
from hedgewatch.store import speeches

QUICK = {"settings": {"n_boot": 20}, "sections": ["alignment", "hedging"]}


@pytest.fixture(scope="module")
def store(seeded):
    return seeded


def test_gdr_report_measures_its_own_years_and_says_why_not_the_recent_ones(store):
    rep = build_report("DDR", ("USA", "RUS"), store=store, **QUICK)
    assert rep.section("alignment").ok and rep.section("hedging").ok
    claims = rep.claims.set_index("id")
    for cid in ("balancing", "pivot_A", "pivot_B"):
        assert claims.loc[cid, "verdict"] == NOT_MEASURABLE  # never "not supported" on 0.000
        assert "cast no vote from 20" in claims.loc[cid, "reason"]
        assert "1973 to 1989" in claims.loc[cid, "reason"]
    assert NOT_SUPPORTED not in set(claims["verdict"])


def test_gdr_claims_are_judged_when_the_windows_fit_its_years(store, tmp_path):
    claims = tmp_path / "gdr.yaml"
    claims.write_text(
        "settings: {recent_from: 1980, pivot_from: 1975}\n"
        "claims:\n"
        "  - id: balancing\n    claim: balances\n    rule:\n"
        "      - {measure: position_lo, op: '>=', value: -0.5}\n"
        "      - {measure: position_hi, op: '<=', value: 0.5}\n",
        encoding="utf-8",
    )
    rep = build_report("DDR", ("USA", "RUS"), store=store, claims=claims, **QUICK)
    row = rep.claims.iloc[0]
    assert row["verdict"] != NOT_MEASURABLE, row["reason"]
    assert "position_lo = " in row["value"] and "n/a" not in row["value"]
    # the GDR voted with the USSR: its position sits at the Soviet end of the axis
    assert rep.measurements()["position"].value > 0.8


@pytest.mark.parametrize(("code", "into"), [("SUN", "RUS"), ("YUG", "SRB"), ("CSK", "CZE")])
def test_merged_states_say_where_their_votes_are(store, code, into):
    with pytest.raises(
        InsufficientDataError, match=f"{code} .* is counted as {into}.*--historical"
    ):
        build_report(code, ("USA", "CHN"), store=store, **QUICK)
    with pytest.raises(InsufficientDataError, match=f"counted as {into}"):
        hw.align([code, "USA"], store=store)


@pytest.mark.slow
def test_historical_states_kept_apart_on_request(store):
    rep = build_report("SUN", ("USA", "CHN"), store=store, successors={}, **QUICK)
    assert rep.section("alignment").ok
    assert "1946 to 1991" in rep.claims.set_index("id").loc["balancing", "reason"]
    apart = hw.align(["SUN", "USA"], successors={}, by=None, store=store)
    merged = hw.align(["RUS", "USA"], end=1991, by=None, store=store)
    assert apart["value"].iloc[0] == pytest.approx(merged["value"].iloc[0])
    sp = speeches(["SUN"], successors={}, store=store)
    assert len(sp) == 45 and sp["year"].max() == 1991 and set(sp["country"]) == {"SUN"}


def test_cli_historical_flag_and_one_line_error(store, tmp_path):
    env = {**os.environ, "HEDGEWATCH_HOME": str(store.parent)}
    out = tmp_path / "sun.html"
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "hedgewatch.cli",
            "report",
            "SUN",
            "--between",
            "USA",
            "CHN",
            "--out",
            str(out),
        ],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )
    assert proc.returncode != 0 and "Traceback" not in proc.stderr
    lines = [line for line in proc.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and "counted as RUS" in lines[0] and "--historical" in lines[0]
