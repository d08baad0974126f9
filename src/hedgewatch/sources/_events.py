"""What every event reader returns: :class:`EventFile`, the normalised event schema, and the
CAMEO quad classes.

Event-level layouts (raw GDELT exports, generic event CSV) are normalised to one row per
event (:data:`EVENT_SCHEMA`): ``date, country_a, country_b, quad_class, goldstein, mentions,
sources, articles, tone``. ``country_a`` is the actor (GDELT's Actor1, the source), ``country_b``
the target (Actor2); both are ISO3 codes, null when the actor is not a state. The daily dyad
layout is normalised to ``date, country_a, country_b, weight`` (:data:`DYAD_SCHEMA`), with the
two countries in alphabetical order (the layout is undirected).

Readers never raise on the first bad row: they collect every problem (line, column, value,
reason). With ``errors="raise"`` (the default) they raise one
:class:`~hedgewatch.errors.DataFormatError` listing them; with ``errors="collect"`` they drop
the bad rows and return them in :attr:`EventFile.rejected`, for an importer to report or to
write to a quarantine file.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa

from hedgewatch.errors import DataFormatError, Problem
from hedgewatch.sources._io import MAX_PROBLEMS

#: CAMEO quad classes (GDELT's ``QuadClass``), in code order 1..4.
QUAD_CLASSES: tuple[str, ...] = (
    "verbal_coop",
    "material_coop",
    "verbal_conflict",
    "material_conflict",
)

#: Country columns of events: ISO3 codes, dictionary-encoded (few distinct values per file).
COUNTRY = pa.dictionary(pa.int32(), pa.string())

#: One row per event (event-level layouts).
EVENT_SCHEMA = pa.schema(
    [
        ("date", pa.date32()),
        ("country_a", COUNTRY),
        ("country_b", COUNTRY),
        ("quad_class", pa.int8()),
        ("goldstein", pa.float64()),
        ("mentions", pa.int64()),
        ("sources", pa.int64()),
        ("articles", pa.int64()),
        ("tone", pa.float64()),
    ]
)

#: One row per day and unordered pair (the daily dyad layout).
DYAD_SCHEMA = pa.schema(
    [
        ("date", pa.date32()),
        ("country_a", pa.string()),
        ("country_b", pa.string()),
        ("weight", pa.float64()),
    ]
)

#: Columns of :attr:`EventFile.rejected`.
REJECTED_COLUMNS = ["file", "line", "column", "value", "reason"]

#: The (shared, read-only) empty table of rejected rows.
_NO_ROWS = pd.DataFrame(columns=REJECTED_COLUMNS)

#: The layouts hedgewatch reads.
LAYOUTS = ("gdelt", "dyad", "csv")


def quad_class_of_root(root: np.ndarray) -> np.ndarray:
    """CAMEO quad class (1..4) of CAMEO root codes 1..20; 0 where the root is out of range.

    Verbal cooperation: roots 01-05 (statements, appeals, intent to cooperate, consultation,
    diplomatic cooperation); material cooperation: 06-09 (material cooperation, aid,
    yielding, investigation); verbal conflict: 10-14 (demands, disapproval, rejection,
    threats, protest); material conflict: 15-20 (force posture, reducing relations, coercion,
    assault, fighting, mass violence). This is GDELT's own ``QuadClass`` rule (Leetaru and
    Schrodt 2013), checked against every row of the staged export in the tests.
    """
    root = np.asarray(root)
    out = np.zeros(root.shape, dtype=np.int8)
    out[(root >= 1) & (root <= 5)] = 1
    out[(root >= 6) & (root <= 9)] = 2
    out[(root >= 10) & (root <= 14)] = 3
    out[(root >= 15) & (root <= 20)] = 4
    return out


@dataclass(frozen=True)
class EventFile:
    """One event file, read and normalised.

    Attributes
    ----------
    path
        The file read.
    layout
        ``"gdelt"`` (raw GDELT 2.0 export), ``"dyad"`` (daily dyad aggregate) or ``"csv"``
        (generic event CSV).
    md5, size
        MD5 checksum (hex) and size in bytes of the file as read, for provenance and for
        recognising a file imported before.
    events
        The normalised rows (:data:`EVENT_SCHEMA`, or :data:`DYAD_SCHEMA` for ``dyad``); rows
        with a problem are left out.
    rows
        Data rows in the file (good and bad).
    unmapped
        Actor country codes that are not a state: ``{code: (kind, actor slots)}`` with kind
        ``"region"`` (a CAMEO region such as ``EUR``) or ``"unknown"`` (with ``errors="collect"``
        only; by default an unknown code is a problem).
    problems
        The first problems found (at most :data:`~hedgewatch.sources._io.MAX_PROBLEMS`).
    n_problems
        How many problems there were in all.
    rejected
        One row per rejected row and reason (:data:`REJECTED_COLUMNS`).
    """

    path: str
    layout: str
    md5: str
    size: int
    events: pa.Table
    rows: int
    unmapped: Mapping[str, tuple[str, int]] = field(default_factory=dict)
    problems: tuple[Problem, ...] = ()
    n_problems: int = 0
    rejected: pd.DataFrame = field(default_factory=lambda: _NO_ROWS)

    @property
    def name(self) -> str:
        """The file's name (no folder)."""
        return Path(self.path).name

    def to_frame(self) -> pd.DataFrame:
        """The normalised rows as a DataFrame."""
        return self.events.to_pandas()


class ProblemRows:
    """Collects located problems for an event file: the first few in full, all rows' numbers.

    ``line`` numbers are 1-based physical lines of the file (of the text inside the zip for
    GDELT exports, which have no header).
    """

    def __init__(self, path: str | Path) -> None:
        self.path = str(path)
        self.problems: list[Problem] = []
        self.total = 0
        self.bad_lines: set[int] = set()
        self.records: list[tuple[str, int | None, str | None, object, str]] = []

    def add(self, line: int | None, column: str | None, value: object, reason: str) -> None:
        self.total += 1
        if line is not None:
            self.bad_lines.add(line)
        if len(self.problems) < MAX_PROBLEMS:
            self.problems.append(Problem(reason, line, column, value))
        self.records.append((Path(self.path).name, line, column, _short(value), reason))

    def add_mask(
        self, mask: np.ndarray, lines: np.ndarray, column: str, values: np.ndarray, reason: str
    ) -> None:
        """Every row where ``mask`` holds: one problem each."""
        for pos in np.flatnonzero(mask):
            self.add(int(lines[pos]), column, values[pos], reason)

    def rejected(self) -> pd.DataFrame:
        if not self.records:
            return _NO_ROWS
        return pd.DataFrame(self.records, columns=REJECTED_COLUMNS)

    def raise_if_any(self, errors: str, hint: str) -> None:
        if self.total and errors == "raise":
            raise DataFormatError(self.path, self.problems, hint=hint, total=self.total)


def _short(value: object) -> object:
    if isinstance(value, str) and len(value) > 80:
        return value[:77] + "..."
    if isinstance(value, bytes) and len(value) > 80:
        return value[:77] + b"..."
    return value


def file_digest(data: bytes) -> str:
    """MD5 of a file's bytes (the checksum GDELT publishes in its file list)."""
    return hashlib.md5(data, usedforsecurity=False).hexdigest()


def check_errors(errors: str) -> str:
    """``errors`` must be ``"raise"`` or ``"collect"``."""
    from hedgewatch._validation import check_choice

    return check_choice(errors, "errors", ("raise", "collect"))
