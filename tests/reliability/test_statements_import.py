"""Statements import: broken and empty files are located errors that leave the store as it
was; quarantine files never overwrite an input and are named when written."""

from __future__ import annotations

import gzip
import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from hedgewatch.errors import DataFormatError
from hedgewatch.workflows import import_statements


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def store(seeded, tmp_path) -> Path:
    home = tmp_path / "home"
    home.mkdir()
    return Path(shutil.copyfile(seeded, home / "hedgewatch.duckdb"))


def _truncated_gz(src: Path, dest: Path, keep: float = 0.5) -> Path:
    data = gzip.compress(src.read_bytes())
    dest.write_bytes(data[: int(len(data) * keep)])
    return dest


@pytest.mark.parametrize("kind", ["jsonl", "csv"])
def test_truncated_gzip_names_file_and_offset(store, corpora, tmp_path, kind):
    src = corpora[1] if kind == "jsonl" else corpora[0]
    bad = _truncated_gz(src, tmp_path / f"cut.{kind}.gz")
    before = _digest(store)
    with pytest.raises(DataFormatError) as err:
        import_statements([bad], store=store)
    msg = str(err.value)
    assert str(bad) in msg and "truncated or corrupt" in msg
    assert f"{bad.stat().st_size:,}" in msg  # where the stream ends
    if kind == "jsonl":
        assert "line " in msg and "were read" in msg
    assert _digest(store) == before


@pytest.mark.slow
def test_truncated_real_corpus_via_the_cli(shared_data, tmp_path):
    """The staged KCNA file cut at 100 kB: one line naming the file and the byte offset
    (the command used to print only 'Aborted.')."""
    src = shared_data / "statements" / "kcna_articles_2011_2012.jsonl.gz"
    bad = tmp_path / "kcna_cut.jsonl.gz"
    with src.open("rb") as fh:
        bad.write_bytes(fh.read(100_000))
    proc = subprocess.run(
        [sys.executable, "-m", "hedgewatch.cli", "statements", "import", str(bad)],
        capture_output=True,
        text=True,
        env={**os.environ, "HEDGEWATCH_HOME": str(tmp_path / "home")},
        timeout=300,
    )
    lines = [line for line in proc.stderr.splitlines() if line.strip()]
    assert proc.returncode != 0 and len(lines) == 1, proc.stderr
    assert "kcna_cut.jsonl.gz" in lines[0] and "at byte 100,000" in lines[0]
    assert "Aborted" not in proc.stderr


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("empty.csv", b""),
        ("header.csv", b"actor,date,text\n"),
        ("empty.jsonl", b"\n\n"),
        ("empty.tsv", b"actor\tdate\ttext\n"),
    ],
)
def test_empty_files_are_errors_and_leave_the_store(store, tmp_path, name, content):
    f = tmp_path / name
    f.write_bytes(content)
    before = _digest(store)
    with pytest.raises(DataFormatError, match="holds no statements"):
        import_statements([f], store=store)
    assert _digest(store) == before


def test_empty_parquet_and_garbage_parquet(store, tmp_path):
    empty = tmp_path / "empty.parquet"
    pd.DataFrame({"actor": pd.Series(dtype=str), "date": [], "text": []}).to_parquet(empty)
    garbage = tmp_path / "garbage.parquet"
    garbage.write_bytes(b"PAR1 but not really" * 10)
    before = _digest(store)
    with pytest.raises(DataFormatError, match="holds no statements"):
        import_statements([empty], store=store)
    with pytest.raises(DataFormatError, match="not a readable Parquet file"):
        import_statements([garbage], store=store)
    assert _digest(store) == before


def _with_bad_rows(src: Path, dest: Path) -> Path:
    df = pd.read_csv(src, dtype=str)
    df.loc[0, "date"] = "not a date"
    df.loc[1, "actor"] = "Atlantis"
    df.to_csv(dest, index=False)
    return dest


def test_quarantine_never_overwrites_an_input(store, corpora, tmp_path):
    bad = _with_bad_rows(corpora[0], tmp_path / "bad.csv")
    before = bad.read_bytes()
    with pytest.raises(DataFormatError, match="would overwrite an input"):
        import_statements([bad], quarantine=bad, store=store)
    assert bad.read_bytes() == before
    # several inputs: the numbered targets are checked too
    other = _with_bad_rows(corpora[0], tmp_path / "q.2.csv")
    with pytest.raises(DataFormatError, match="would overwrite an input"):
        import_statements([bad, other], quarantine=tmp_path / "q.csv", store=store)
    assert other.read_bytes() == before


def test_quarantine_message_names_the_files_written(store, corpora, tmp_path):
    bad = _with_bad_rows(corpora[0], tmp_path / "bad.csv")
    good = corpora[3]
    rep = import_statements([good, bad], quarantine=tmp_path / "rejected.csv", store=store)
    assert rep.rejected == 2
    assert rep.quarantined == (str(tmp_path / "rejected.2.csv"),)
    assert not (tmp_path / "rejected.1.csv").exists()
    assert len(pd.read_csv(rep.quarantined[0])) == 2
    home = store.parent
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "hedgewatch.cli",
            "statements",
            "import",
            str(bad),
            "--quarantine",
            str(tmp_path / "again.csv"),
        ],
        capture_output=True,
        text=True,
        env={**os.environ, "HEDGEWATCH_HOME": str(home)},
        timeout=300,
    )
    assert proc.returncode == 0, proc.stderr
    assert f"written to {tmp_path / 'again.csv'}" in proc.stdout


def test_reimporting_the_same_file_leaves_the_store_file(store, corpora):
    import_statements([corpora[0]], store=store)
    before = _digest(store)
    rep = import_statements([corpora[0]], store=store)
    assert rep.new == 0 and rep.total == rep.read
    assert _digest(store) == before
