"""A read-only store serves reads with the verdicts of a writable one; faults are errors.

File permissions do not bind root, so when the tests run as root the read-only runs are made
by a root process that has given up the capabilities that bypass them (CAP_DAC_OVERRIDE,
CAP_DAC_READ_SEARCH, CAP_FOWNER): for it, as for any user, a 0555 folder cannot be written.
"""

from __future__ import annotations

import ctypes
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from hedgewatch.errors import StoreError
from hedgewatch.report import build_report

from ._worker import REPORT
from .conftest import WORKER

ROOT = hasattr(os, "geteuid") and os.geteuid() == 0
_PR_CAPBSET_DROP = 24
_DAC_CAPABILITIES = (1, 2, 3)  # CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH, CAP_FOWNER


def _drop_dac() -> None:  # runs in the child, before exec
    libc = ctypes.CDLL(None, use_errno=True)
    for cap in _DAC_CAPABILITIES:
        if libc.prctl(_PR_CAPBSET_DROP, cap, 0, 0, 0) != 0:
            raise OSError(ctypes.get_errno(), "prctl(PR_CAPBSET_DROP)")


def _as_reader(args: list[str], home: Path) -> subprocess.CompletedProcess[str]:
    """Run a command for which ``home`` is read-only (root without its DAC capabilities)."""
    return subprocess.run(
        args,
        capture_output=True,
        text=True,
        env={**os.environ, "HEDGEWATCH_HOME": str(home)},
        timeout=300,
        check=False,
        preexec_fn=_drop_dac if ROOT else None,
    )


def _freeze(home: Path) -> None:
    for p in home.iterdir():
        p.chmod(0o444 if p.is_file() else 0o555)
    home.chmod(0o555)


@pytest.mark.parametrize(
    "with_file",
    [True, pytest.param(False, marks=pytest.mark.slow)],
    ids=["store-file", "no-store-yet"],
)
def test_read_only_store_gives_the_claims_of_a_writable_one(seeded, tmp_path, with_file):
    writable = tmp_path / "writable"
    writable.mkdir()
    shutil.copyfile(seeded, writable / "hedgewatch.duckdb")
    expected = json.loads(
        build_report(
            "PRK", ("CHN", "RUS"), store=writable / "hedgewatch.duckdb", **REPORT
        ).claims.to_json(orient="records")
    )

    home = tmp_path / "frozen"
    home.mkdir()
    if with_file:
        shutil.copyfile(seeded, home / "hedgewatch.duckdb")
    _freeze(home)
    store = home / "hedgewatch.duckdb"
    proc = _as_reader([sys.executable, str(WORKER), "report", str(store)], home)
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout) == expected
    warnings = [line for line in proc.stderr.splitlines() if line.strip()]
    assert len(warnings) == 1 and "read-only" in warnings[0], proc.stderr
    assert sorted(p.name for p in home.iterdir()) == (["hedgewatch.duckdb"] if with_file else [])


def test_import_into_a_read_only_store_is_one_error(seeded, tmp_path, corpora):
    home = tmp_path / "frozen"
    home.mkdir()
    shutil.copyfile(seeded, home / "hedgewatch.duckdb")
    _freeze(home)
    proc = _as_reader(
        [sys.executable, "-m", "hedgewatch.cli", "statements", "import", str(corpora[0])],
        home,
    )
    assert proc.returncode != 0
    assert "Traceback" not in proc.stderr
    lines = [line for line in proc.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and "cannot write" in lines[0] and "read-only" in lines[0], lines


def test_a_damaged_store_stops_the_report(tmp_path):
    store = tmp_path / "hedgewatch.duckdb"
    store.write_bytes(b"this is not a database" * 100)
    with pytest.raises(StoreError, match="not a hedgewatch store or is damaged"):
        build_report("PRK", ("CHN", "RUS"), store=store, **REPORT)


def test_a_file_as_home_is_one_error(tmp_path):
    home = tmp_path / "home"
    home.write_text("a file, not a folder")
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "hedgewatch.cli",
            "report",
            "PRK",
            "--between",
            "CHN",
            "RUS",
            "--out",
            str(tmp_path / "r.html"),
        ],
        capture_output=True,
        text=True,
        env={**os.environ, "HEDGEWATCH_HOME": str(home)},
        timeout=300,
    )
    assert proc.returncode != 0 and "Traceback" not in proc.stderr
    lines = [line for line in proc.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and "is a file, not a folder" in lines[0], proc.stderr


def test_a_damaged_cache_entry_is_recomputed(seeded, tmp_path):
    store = tmp_path / "s.duckdb"
    shutil.copyfile(seeded, store)
    first = build_report("PRK", ("CHN", "RUS"), store=store, **REPORT).claims
    entries = list((tmp_path / "s.duckdb.cache").glob("*.parquet"))
    assert entries
    for e in entries:
        e.write_bytes(b"garbage")
    again = build_report("PRK", ("CHN", "RUS"), store=store, **REPORT).claims
    assert again.equals(first)
