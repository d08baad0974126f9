"""Shared reading helpers for the readers: decoding, gzip checks, collecting bad rows."""

from __future__ import annotations

import gzip
import io
import zlib
from pathlib import Path

import numpy as np
import pandas as pd

from hedgewatch.errors import DataFormatError, Problem

#: How many bad rows a reader lists before it stops collecting.
MAX_PROBLEMS = 20
#: Earliest date a record may carry (votes start in 1946; statements may be older).
FIRST_DATE = pd.Timestamp("1900-01-01")


def latest_date() -> pd.Timestamp:
    """The latest date a record may carry: tomorrow (UTC), so that a statement published
    today in a time zone ahead of UTC is accepted. A later date is a typo or a misparsed
    date (``2099``), and the record is refused rather than shown as the latest one."""
    return pd.Timestamp.now(tz="UTC").tz_localize(None).normalize() + pd.Timedelta(days=1)


def out_of_range(dates: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Masks of dates before :data:`FIRST_DATE` and after :func:`latest_date`."""
    return dates < FIRST_DATE, dates > latest_date()


def read_text(path: str | Path) -> str:
    """Read a (possibly gzip-compressed) UTF-8 text file, with located errors.

    A truncated or corrupt gzip stream and bytes that are not UTF-8 each raise
    :class:`DataFormatError` naming the file, and for bad bytes the line and column.
    """
    path = Path(path)
    if not path.exists():
        raise DataFormatError(path, "file not found", hint="Check the path.")
    raw = path.read_bytes()
    if raw[:2] == b"\x1f\x8b":
        try:
            raw = gzip.decompress(raw)
        except (EOFError, gzip.BadGzipFile, zlib.error, OSError) as exc:
            raise DataFormatError(
                path,
                f"the gzip stream is truncated or corrupt ({exc})",
                hint="Download the file again; nothing was imported.",
            ) from exc
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        col = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        raise DataFormatError(
            path,
            [
                Problem(
                    f"bytes that are not UTF-8 at column {col}",
                    line=line,
                    value=raw[exc.start : exc.end + 8],
                )
            ],
            hint="Re-save the file as UTF-8; nothing was imported.",
        ) from exc


def read_csv_strings(path: str | Path) -> pd.DataFrame:
    """Read a CSV file with every column as a string (empty string for missing)."""
    text = read_text(path)
    try:
        return pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)
    except pd.errors.ParserError as exc:
        raise DataFormatError(path, f"not a well-formed CSV file ({exc})") from exc
    except pd.errors.EmptyDataError as exc:
        raise DataFormatError(path, "the file is empty") from exc


def require_rows(path: str | Path, df: pd.DataFrame, what: str) -> None:
    """Refuse a table with a header and no rows: an import of nothing is a mistake."""
    if df.empty:
        raise DataFormatError(
            path,
            f"the file holds no {what} (a header only)",
            hint="Check that this is the file you meant; nothing was imported.",
        )


def require_columns(path: str | Path, df: pd.DataFrame, required: list[str], what: str) -> None:
    """Refuse a table whose header lacks required columns, printing the header found."""
    missing = [c for c in required if c not in df.columns]
    if missing:
        raise DataFormatError(
            path,
            f"missing column(s) {', '.join(missing)} for the {what} layout; "
            f"the header found is: {','.join(map(str, df.columns))}",
            hint=f"Expected columns: {','.join(required)}. Pass --format to choose another layout.",
        )


class ProblemCollector:
    """Collects located problems across columns, then raises them together."""

    def __init__(self, path: str | Path, line_offset: int = 2) -> None:
        self.path = path
        self.line_offset = line_offset  # header is line 1, first data row line 2
        self.problems: list[Problem] = []
        self.total = 0

    def add_mask(
        self,
        df: pd.DataFrame,
        mask: pd.Series | np.ndarray,
        column: str,
        reason: str,
        lines: np.ndarray | None = None,
    ) -> None:
        """Record the rows of ``df`` where ``mask`` holds; ``lines`` gives each row's line
        when ``df`` is a subset of the file (default: position + ``line_offset``)."""
        mask = np.asarray(mask, dtype=bool)
        n = int(mask.sum())
        if not n:
            return
        self.total += n
        room = MAX_PROBLEMS - len(self.problems)
        for pos in np.flatnonzero(mask)[: max(room, 0)]:
            value = df[column].iloc[pos] if column in df.columns else None
            line = int(lines[pos]) if lines is not None else int(pos) + self.line_offset
            self.problems.append(Problem(reason, line=line, column=column, value=value))

    def raise_if_any(self, hint: str) -> None:
        if self.total:
            raise DataFormatError(self.path, self.problems, hint=hint, total=self.total)


def to_int(s: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Parse integers written as '12' or '12.0'; returns (values, bad-mask)."""
    num = pd.to_numeric(s.str.strip(), errors="coerce")
    bad = num.isna() | (num % 1 != 0)
    return num.fillna(-1).astype("int64"), bad


def read_parquet(path: str | Path, what: str) -> pd.DataFrame:
    """A Parquet file as a DataFrame; a missing, unreadable or non-Parquet file raises
    :class:`DataFormatError` naming the file and ``what`` it should be."""
    import pyarrow as pa

    p = Path(path)
    if not p.is_file():
        reason = "it is a folder" if p.is_dir() else "no such file"
        raise DataFormatError(p, f"cannot read {what}: {reason}", hint="Check the path.")
    try:
        return pd.read_parquet(p)
    except (pa.ArrowException, ValueError, OSError) as exc:
        raise DataFormatError(
            p,
            f"not a readable Parquet file ({str(exc).splitlines()[0]})",
            hint=f"Give {what} (a .parquet file)",
        ) from exc
