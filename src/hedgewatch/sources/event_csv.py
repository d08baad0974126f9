"""Reader for a generic event CSV: one event a row, from any event coder.

Columns (header names matched case-insensitively; aliases in :data:`COLUMN_ALIASES`):

``date``
    The day of the event (``YYYY-MM-DD``, or anything pandas parses unambiguously).
``source``, ``target``
    The acting and the target country: ISO3 or ISO2 codes, names, or CAMEO country codes.
``cameo``
    The CAMEO event code (``"042"``, ``"1711"``); its two-digit root gives the quad class
    (roots 01-05 verbal cooperation, 06-09 material cooperation, 10-14 verbal conflict,
    15-20 material conflict, GDELT's rule).
``goldstein``
    The Goldstein score of the event, in [-10, 10] (Goldstein 1992).
``mentions`` (optional)
    How often the event was reported.

Rows are normalised to :data:`~hedgewatch.sources._events.EVENT_SCHEMA` (sources, articles
and tone are not in this layout: null). Every bad row is reported with its line (the header
is line 1), column and value.

References
----------
Goldstein, J. S. (1992). A conflict-cooperation scale for WEIS events data. *Journal of
Conflict Resolution* 36(2): 369-385.
Schrodt, P. A. (2012). CAMEO Conflict and Mediation Event Observations: Event and Actor
Codebook, version 1.1b3. Pennsylvania State University.
"""

from __future__ import annotations

import io
import os
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa

from hedgewatch import countries as _countries
from hedgewatch.errors import DataFormatError, UnknownCountryError
from hedgewatch.sources._events import (
    EVENT_SCHEMA,
    EventFile,
    ProblemRows,
    check_errors,
    file_digest,
    quad_class_of_root,
)
from hedgewatch.sources._io import read_text

#: Input column name (lower case) -> normalised name.
COLUMN_ALIASES: dict[str, str] = {
    "date": "date",
    "day": "date",
    "event_date": "date",
    "source": "source",
    "source_country": "source",
    "actor": "source",
    "country_a": "source",
    "target": "target",
    "target_country": "target",
    "country_b": "target",
    "cameo": "cameo",
    "cameo_code": "cameo",
    "event_code": "cameo",
    "eventcode": "cameo",
    "goldstein": "goldstein",
    "goldstein_scale": "goldstein",
    "goldsteinscale": "goldstein",
    "mentions": "mentions",
    "num_mentions": "mentions",
    "nummentions": "mentions",
}
REQUIRED = ("date", "source", "target", "cameo", "goldstein")
_HINT = "Nothing was imported. Fix the rows listed, or pass --quarantine FILE to set them aside."


def read_event_csv(path: str | os.PathLike[str], *, errors: str = "raise") -> EventFile:
    """Read a generic event CSV (``date, source, target, cameo, goldstein[, mentions]``).

    Parameters
    ----------
    path
        CSV file, optionally ``.gz``.
    errors
        ``"raise"`` (one error listing every bad row) or ``"collect"`` (bad rows left out and
        returned in :attr:`EventFile.rejected`).

    Returns
    -------
    :class:`~hedgewatch.sources._events.EventFile` of layout ``"csv"``, one row per event.
    """
    check_errors(errors)
    p = Path(path)
    text = read_text(p)
    raw = p.read_bytes()
    try:
        df = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)
    except (pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
        raise DataFormatError(p, f"not a well-formed CSV file ({exc})") from exc
    df = df.rename(columns=lambda c: COLUMN_ALIASES.get(str(c).strip().lower(), c))
    missing = [c for c in REQUIRED if c not in df.columns]
    if missing:
        raise DataFormatError(
            p,
            f"missing column(s) {', '.join(missing)} for the event CSV layout; the header "
            f"found is: {','.join(map(str, df.columns))}",
            hint="Expected columns: date,source,target,cameo,goldstein[,mentions].",
        )
    rows = ProblemRows(p)
    lines = np.arange(2, len(df) + 2, dtype=np.int64)
    bad = np.zeros(len(df), dtype=bool)
    date = pd.to_datetime(df["date"].str.strip(), errors="coerce")
    bad |= _flag(rows, date.isna().to_numpy(), lines, df, "date", "not a date")
    codes = {}
    for col in ("source", "target"):
        iso, unknown = _countries_of(df[col])
        bad |= _flag(rows, unknown, lines, df, col, "unknown country")
        codes[col] = iso
    cameo = df["cameo"].str.strip()
    digits = cameo.str.fullmatch(r"\d{2,4}").to_numpy()
    root = np.where(digits, pd.to_numeric(cameo.str[:2], errors="coerce").fillna(0), 0)
    quad = quad_class_of_root(root.astype(int))
    bad |= _flag(rows, quad == 0, lines, df, "cameo", "not a CAMEO event code (root 01-20)")
    gold = pd.to_numeric(df["goldstein"].str.strip(), errors="coerce").to_numpy()
    with np.errstate(invalid="ignore"):
        gbad = ~((gold >= -10) & (gold <= 10))
    bad |= _flag(rows, gbad, lines, df, "goldstein", "not a Goldstein score in [-10, 10]")
    mentions = None
    if "mentions" in df.columns:
        m = pd.to_numeric(df["mentions"].str.strip(), errors="coerce")
        mbad = (m.isna() | (m < 0) | (m % 1 != 0)).to_numpy()
        bad |= _flag(rows, mbad, lines, df, "mentions", "not a count (integer >= 0)")
        mentions = m.fillna(0).astype("int64").to_numpy()
    rows.raise_if_any(errors, _HINT)
    good = ~bad
    n = int(good.sum())
    events = pa.table(
        {
            "date": pa.array(date[good].dt.date.to_numpy(), type=pa.date32()),
            "country_a": pa.array(codes["source"][good], type=pa.string()).dictionary_encode(),
            "country_b": pa.array(codes["target"][good], type=pa.string()).dictionary_encode(),
            "quad_class": pa.array(quad[good].astype(np.int8)),
            "goldstein": pa.array(gold[good].astype(np.float64)),
            "mentions": pa.array(mentions[good])
            if mentions is not None
            else pa.nulls(n, pa.int64()),
            "sources": pa.nulls(n, pa.int64()),
            "articles": pa.nulls(n, pa.int64()),
            "tone": pa.nulls(n, pa.float64()),
        },
        schema=EVENT_SCHEMA,
    )
    return EventFile(
        str(p),
        "csv",
        file_digest(raw),
        len(raw),
        events,
        rows=len(df),
        problems=tuple(rows.problems),
        n_problems=rows.total,
        rejected=rows.rejected(),
    )


def _countries_of(col: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """ISO3 of each value (ISO3/ISO2/name, else a CAMEO country code), and unknown rows."""
    table: dict[str, str | None] = {}
    for value in pd.unique(col):
        text = str(value).strip()
        try:
            table[value] = _countries.resolve(text)
        except UnknownCountryError:
            table[value] = _countries.cameo_to_iso3([text])[text] if text else None
    iso = col.map(table).to_numpy(dtype=object)
    return iso, np.array([v is None for v in iso], dtype=bool)


def _flag(rows, mask, lines, df, column, reason) -> np.ndarray:
    mask = np.asarray(mask, dtype=bool)
    if mask.any():
        rows.add_mask(mask, lines, column, df[column].to_numpy(dtype=object), reason)
    return mask
