"""Bounded input: YAML alias bombs, sizes, encodings and non-finite thresholds are refused."""

from __future__ import annotations

import resource
import time
import tracemalloc
from pathlib import Path

import pytest

from hedgewatch._safe_yaml import MAX_BYTES
from hedgewatch.errors import DataFormatError, ParameterError, ScenarioError
from hedgewatch.report.claims import load_claims
from hedgewatch.strategy.scenario import read_scenario


def _bomb() -> str:
    """A 1.4 KB claims file whose rule, once its aliases are expanded, holds 10^10 conditions
    (the "billion laughs" pattern)."""
    lines = [
        "state: PRK",
        "powers: [CHN, RUS]",
        'l0: &l0 {measure: position, op: ">=", value: 0}',
    ]
    for i in range(1, 11):
        lines.append(f"l{i}: &l{i} [" + ", ".join([f"*l{i - 1}"] * 10) + "]")
    lines += ["claims:", "  - id: boom", "    claim: alias bomb", "    rule: *l10"]
    text = "\n".join(lines) + "\n"
    return text + "#" * (1400 - len(text)) + "\n"


@pytest.mark.parametrize("reader", [load_claims, read_scenario], ids=["claims", "scenario"])
def test_alias_bomb_refused_fast_and_small(tmp_path, reader):
    p = tmp_path / "bomb.yaml"
    p.write_text(_bomb(), encoding="utf-8")
    assert 1300 < p.stat().st_size < 1500
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux
    tracemalloc.start()
    t0 = time.perf_counter()
    with pytest.raises(
        (DataFormatError, ScenarioError), match=r"aliases expand to 1\.5e\+11 values"
    ):
        reader(p)
    seconds = time.perf_counter() - t0
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    rss_growth = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - rss_before
    assert seconds < 1.0
    assert peak < 100 * 2**20 and rss_growth < 100 * 2**10


@pytest.mark.parametrize(
    ("text", "match"),
    [
        ("a: &a [*a]\nclaims: []\n", "refers to the node that contains it"),
        ("claims: " + "[" * 60 + "]" * 60 + "\n", "nested more than 50 levels"),
        ("claims: []\n---\nclaims: []\n", "invalid YAML"),
    ],
    ids=["recursive-alias", "deep", "two-documents"],
)
def test_malformed_structures_are_refused(tmp_path, text, match):
    p = tmp_path / "c.yaml"
    p.write_text(text, encoding="utf-8")
    with pytest.raises(DataFormatError, match=match):
        load_claims(p)


def test_oversized_and_non_utf8_files_are_refused(tmp_path):
    big = tmp_path / "big.yaml"
    big.write_text("claims: []\n" + "#" * MAX_BYTES, encoding="utf-8")
    with pytest.raises(DataFormatError, match="limited to 1,048,576 bytes"):
        load_claims(big)
    latin = tmp_path / "latin.yaml"
    latin.write_bytes("claims:\n  - id: caf\xe9\n".encode("latin-1"))
    with pytest.raises(DataFormatError, match=r"line 2.*not UTF-8 at column 12"):
        load_claims(latin)
    with pytest.raises(ScenarioError, match="not UTF-8"):
        read_scenario(latin)
    with pytest.raises(DataFormatError, match="a folder"):
        load_claims(tmp_path)


@pytest.mark.parametrize("value", [".nan", ".inf", "-.inf"])
def test_non_finite_thresholds_are_refused(tmp_path, value):
    p = tmp_path / "c.yaml"
    p.write_text(
        "claims:\n  - id: a\n    claim: x\n    rule:\n"
        f"      - {{measure: position, op: '>=', value: {value}}}\n",
        encoding="utf-8",
    )
    with pytest.raises(
        DataFormatError, match="line 5, column 'value': the threshold must be a finite"
    ):
        load_claims(p)


@pytest.mark.parametrize(
    ("setting", "match"),
    [
        ("recent_from: 2099", r"settings.recent_from.*must be a year in \[1946, 20\d\d\]"),
        ("recent_from: .inf", "must be a year"),
        ("n_boot: 0", "must be a whole number"),
        ("reference: XXX", "unknown country"),
        ("colour: red", "unknown setting"),
    ],
)
def test_settings_out_of_range_are_refused(tmp_path, setting, match):
    p = tmp_path / "c.yaml"
    p.write_text(
        f"settings: {{{setting}}}\nclaims:\n  - id: a\n    claim: x\n    unmeasurable: why\n",
        encoding="utf-8",
    )
    with pytest.raises(DataFormatError, match=match):
        load_claims(p)


def test_report_settings_are_checked(tmp_path):
    from hedgewatch.report import build_report

    with pytest.raises(ParameterError, match="'n_boot' = -1"):
        build_report("PRK", ("CHN", "RUS"), store=tmp_path / "s.duckdb", settings={"n_boot": -1})
    assert not (tmp_path / "s.duckdb").exists() or Path(tmp_path / "s.duckdb").stat().st_size


def test_future_and_ancient_dates_are_refused(tmp_path):
    from hedgewatch.sources.statements import read_statements
    from hedgewatch.sources.unga import read_undl

    p = tmp_path / "s.csv"
    p.write_text(
        "actor,date,text\nPRK,2099-01-01,latest\nPRK,1850-06-01,oldest\nPRK,2024-08-01,fine\n",
        encoding="utf-8",
    )
    with pytest.raises(DataFormatError) as err:
        read_statements(p)
    msg = str(err.value)
    assert "line 2, column 'date': date in the future" in msg and "2099-01-01" in msg
    assert "line 3, column 'date': date before 1900-01-01" in msg
    kept = read_statements(p, quarantine=tmp_path / "q.csv")
    assert kept["text"].tolist() == ["fine"]

    undl = Path(__file__).parents[1] / "data" / "unga" / "2025_undl_ga_voting.csv"
    text = undl.read_text(encoding="utf-8").splitlines()
    bad = tmp_path / "undl.csv"
    bad.write_text("\n".join([text[0], text[1].replace("2025-", "2099-", 1), *text[2:]]) + "\n")
    with pytest.raises(DataFormatError, match="line 2, column 'date': date in the future"):
        read_undl(bad)
