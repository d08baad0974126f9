"""Reader for daily dyad aggregates of event data: ``date, iso3_a, iso3_b, edge_weight``.

One row per day and unordered pair of countries, with a score summed over the day's events
between them. The layout is that of the daily country networks of *gdelt-graph-data*
(``gdelt_dyad_daily_2018_2024.csv.gz`` in the staged data), whose score adds, for each event,
its Goldstein score plus small terms for its sources, articles and tone, with the sign of the
Goldstein score (see :mod:`hedgewatch.events._aggregate`). It therefore mixes *how much*
happens between two states with *how cooperative* it is: read it through
:func:`hedgewatch.events._aggregate.aggregate`, which divides by the state's total volume.

Accepted headers: ``date``; ``iso3_a`` or ``country_a``; ``iso3_b`` or ``country_b``;
``edge_weight`` or ``weight`` (CSV, optionally gzip-compressed). Countries are resolved by
:func:`hedgewatch.countries.resolve` (ISO3, ISO2, names). The pair is stored in alphabetical
order; two rows for the same day and pair are added. Rows with ``iso3_a == iso3_b`` are
domestic events and kept as such.
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from hedgewatch import countries as _countries
from hedgewatch.errors import DataFormatError, UnknownCountryError
from hedgewatch.sources._events import (
    DYAD_SCHEMA,
    EventFile,
    ProblemRows,
    check_errors,
    file_digest,
)

_ALIASES = {
    "date": "date",
    "iso3_a": "country_a",
    "country_a": "country_a",
    "iso3_b": "country_b",
    "country_b": "country_b",
    "edge_weight": "weight",
    "weight": "weight",
}
_HINT = "Nothing was imported. Fix the rows listed, or pass --quarantine FILE to set them aside."


def read_event_dyads(path: str | os.PathLike[str], *, errors: str = "raise") -> EventFile:
    """Read a daily dyad file (``date, iso3_a, iso3_b, edge_weight``).

    Parameters
    ----------
    path
        CSV file, optionally ``.gz``.
    errors
        ``"raise"`` (one error listing every bad row) or ``"collect"`` (bad rows left out and
        returned in :attr:`EventFile.rejected`).

    Returns
    -------
    :class:`~hedgewatch.sources._events.EventFile` of layout ``"dyad"``
    (:data:`~hedgewatch.sources._events.DYAD_SCHEMA`).
    """
    check_errors(errors)
    p = Path(path)
    try:
        raw = p.read_bytes()
    except OSError as exc:
        raise DataFormatError(
            p, f"cannot read the file ({exc.strerror})", "Check the path."
        ) from exc
    table = _read(p)
    n = table.num_rows
    lines = np.arange(2, n + 2, dtype=np.int64)  # the header is line 1
    rows = ProblemRows(p)
    bad = np.zeros(n, dtype=bool)
    date = pc.strptime(table["date"], format="%Y-%m-%d", unit="s", error_is_null=True)
    bad |= _flag(rows, date.is_null().to_numpy(zero_copy_only=False), lines, table, "date",
                 "not a date written YYYY-MM-DD")  # fmt: skip
    codes = {}
    for col in ("country_a", "country_b"):
        iso, unknown = _resolve(table[col])
        bad |= _flag(rows, unknown, lines, table, col, "unknown country code")
        codes[col] = iso
    wnum = _numbers(table["weight"])
    bad |= _flag(rows, ~np.isfinite(wnum), lines, table, "weight", "not a number")
    rows.raise_if_any(errors, _HINT)
    a, b = codes["country_a"], codes["country_b"]
    swap = a > b
    lo, hi = np.where(swap, b, a), np.where(swap, a, b)
    events = pa.table(
        {
            "date": pc.cast(date, pa.date32()),
            "country_a": pa.array(lo, type=pa.string()),
            "country_b": pa.array(hi, type=pa.string()),
            "weight": pa.array(np.where(np.isfinite(wnum), wnum, 0.0)),
        },
        schema=DYAD_SCHEMA,
    )
    if bad.any():
        events = events.filter(pa.array(~bad))
    return EventFile(
        str(p),
        "dyad",
        file_digest(raw),
        len(raw),
        events,
        rows=n,
        problems=tuple(rows.problems),
        n_problems=rows.total,
        rejected=rows.rejected(),
    )


def _read(p: Path) -> pa.Table:
    """Every column as text, renamed to the normalised names."""
    try:
        table = pacsv.read_csv(
            p,
            convert_options=pacsv.ConvertOptions(
                column_types={k: pa.string() for k in _ALIASES}, strings_can_be_null=False
            ),
        )
    except (pa.ArrowInvalid, OSError, EOFError) as exc:
        raise DataFormatError(
            p,
            f"not a well-formed CSV file ({str(exc).splitlines()[0]})",
            hint="Check the file is complete (gzip not truncated) and has four columns.",
        ) from exc
    names = [_ALIASES.get(c.strip().lower(), c) for c in table.column_names]
    missing = [c for c in ("date", "country_a", "country_b", "weight") if c not in names]
    if missing:
        raise DataFormatError(
            p,
            f"missing column(s) {', '.join(missing)} for the daily dyad layout; the header "
            f"found is: {','.join(table.column_names)}",
            hint="Expected columns: date,iso3_a,iso3_b,edge_weight. Pass --format to choose "
            "another layout.",
        )
    return table.rename_columns(names)


def _numbers(column: pa.ChunkedArray) -> np.ndarray:
    s = pd.to_numeric(pd.Series(column.to_numpy(zero_copy_only=False)), errors="coerce")
    return s.to_numpy(dtype=np.float64)


def _resolve(column: pa.ChunkedArray) -> tuple[np.ndarray, np.ndarray]:
    enc = pc.dictionary_encode(column.combine_chunks())
    labels = enc.dictionary.to_pylist()
    mapped: list[str] = []
    bad_idx: list[int] = []
    for i, label in enumerate(labels):
        try:
            mapped.append(_countries.resolve(label))
        except UnknownCountryError:
            mapped.append("")
            bad_idx.append(i)
    idx = enc.indices.to_numpy()
    return np.asarray(mapped, dtype=object)[idx], np.isin(idx, bad_idx)


def _flag(rows, mask, lines, table, column, reason) -> np.ndarray:
    if mask.any():
        values = np.asarray(table[column].to_pylist(), dtype=object)
        rows.add_mask(mask, lines, column, values, reason)
    return mask
