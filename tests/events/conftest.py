"""Event fixtures: the real 15-minute GDELT export, and files built from its rows."""

from __future__ import annotations

import zipfile
from pathlib import Path

import numpy as np
import pytest

from ..conftest import DATA

RAW = DATA / "events" / "20170312234500.export.CSV.zip"


def raw_lines() -> list[list[str]]:
    """The real export's rows, split into their 61 fields."""
    with zipfile.ZipFile(RAW) as zf:
        text = zf.read(zf.namelist()[0]).decode("utf-8")
    return [line.split("\t") for line in text.splitlines() if line]


def write_export(path: Path, rows: list[list[str]]) -> Path:
    """Write rows (61 fields each) as a GDELT export zip named after ``path``."""
    text = "".join("\t".join(r) + "\n" for r in rows)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr(path.name.removesuffix(".zip"), text)
    return path


def event_row(
    template: list[str],
    *,
    date: str = "20240102",
    a: str = "PRK",
    b: str = "RUS",
    quad: int = 1,
    goldstein: float = 1.0,
    mentions: int = 2,
    sources: int = 1,
    articles: int = 2,
    tone: float = 0.5,
) -> list[str]:
    """A copy of a real row with the fields the measures read set as given."""
    r = list(template)
    r[1], r[7], r[17], r[29] = date, a, b, str(quad)
    r[30], r[31], r[32], r[33], r[34] = (
        str(goldstein),
        str(mentions),
        str(sources),
        str(articles),
        str(tone),
    )
    return r


def synthetic_exports(folder: Path, n_files: int, per_file: int, seed: int = 0) -> list[Path]:
    """``n_files`` exports of rows resampled from the real file (dates spread over days)."""
    rows = raw_lines()
    rng = np.random.default_rng(seed)
    folder.mkdir(parents=True, exist_ok=True)
    out = []
    for i in range(n_files):
        pick = rng.integers(0, len(rows), per_file)
        day = rng.integers(1, 28, per_file)
        chosen = []
        for k, j in zip(pick, day, strict=True):
            r = list(rows[k])
            r[1] = f"201703{j:02d}"
            chosen.append(r)
        stamp = f"20170313{i // 4:02d}{(i % 4) * 15:02d}00"
        out.append(write_export(folder / f"{stamp}.export.CSV.zip", chosen))
    return out


@pytest.fixture(scope="session")
def exports(tmp_path_factory) -> list[Path]:
    """Six small synthetic exports (400 events each)."""
    return synthetic_exports(tmp_path_factory.mktemp("exports"), 6, 400)
