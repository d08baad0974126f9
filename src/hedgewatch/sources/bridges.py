"""Reader for the bridging list of Bailey, Strezhnev & Voeten (``Matches.csv``).

Each row pairs two roll calls (``rcid1``, ``rcid2``) that are the same resolution voted in
different sessions; the dynamic ideal-point model gives them one set of roll-call
parameters. The published file has an unnamed row-number column first (``v1`` or empty).

References
----------
Bailey, M. A., Strezhnev, A. & Voeten, E. (2017). Estimating dynamic state preferences from
United Nations voting data. *Journal of Conflict Resolution* 61(2), 430-456.
"""

from __future__ import annotations

import io
import re
from pathlib import Path

import numpy as np
import pandas as pd

from hedgewatch.errors import DataFormatError, Problem
from hedgewatch.sources._io import MAX_PROBLEMS, read_text, require_rows

#: Columns of the normalised bridges table.
BRIDGE_COLUMNS = ("rcid1", "rcid2")


def read_bridges(path: str | Path) -> pd.DataFrame:
    """Read a bridges CSV into a table ``rcid1, rcid2`` (int64, one row per pair).

    Parameters
    ----------
    path
        A CSV (optionally gzip-compressed) with columns ``rcid1`` and ``rcid2``; other
        columns (the row number) are ignored.

    Returns
    -------
    DataFrame with ``rcid1 < rcid2`` in each row, duplicates and self-pairs removed, sorted.

    Raises
    ------
    DataFormatError
        A missing column, or values that are not positive whole numbers (every bad row is
        listed, up to a cap, with its line number counting the header as line 1).
    """
    text = read_text(path)
    try:
        raw = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)
    except (pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
        raise DataFormatError(path, f"not a CSV file ({exc})") from exc
    missing = [c for c in BRIDGE_COLUMNS if c not in raw.columns]
    if missing:
        raise DataFormatError(
            path,
            f"missing column(s) {', '.join(missing)}; found header {list(raw.columns)}",
            hint="A bridges file needs columns rcid1 and rcid2",
        )
    require_rows(path, raw, "pairs of roll calls")
    problems: list[Problem] = []
    total = 0
    for col in BRIDGE_COLUMNS:
        vals = raw[col].str.strip()
        bad = ~vals.map(lambda s: bool(re.fullmatch(r"\d+", s)) and int(s) > 0)
        total += int(bad.sum())
        for i in raw.index[bad][: MAX_PROBLEMS - len(problems)]:
            problems.append(Problem("not a positive roll-call id", int(i) + 2, col, vals[i]))
    if problems:
        raise DataFormatError(path, problems, total=total, hint="Fix or delete those rows")
    return normalise_bridges(raw[list(BRIDGE_COLUMNS)].astype("int64"))


def normalise_bridges(pairs: pd.DataFrame) -> pd.DataFrame:
    """Order each pair, drop self-pairs and duplicates, sort (rows of ``rcid1, rcid2``)."""
    a = pairs["rcid1"].astype("int64").to_numpy()
    b = pairs["rcid2"].astype("int64").to_numpy()
    out = pd.DataFrame({"rcid1": np.minimum(a, b), "rcid2": np.maximum(a, b)})
    out = out[out["rcid1"] != out["rcid2"]].drop_duplicates()
    return out.sort_values(["rcid1", "rcid2"], ignore_index=True)
