"""One-call statements workflow: read corpora, mark near-duplicates, add them to the store."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass

import pandas as pd

from hedgewatch._validation import validated
from hedgewatch.sources.statements import read_many
from hedgewatch.statements.dedup import mark_duplicates
from hedgewatch.store import Store, add_statements


@dataclass(frozen=True)
class ImportReport:
    """What an import did: records read, new, rejected (quarantined), duplicates, total,
    and the quarantine files written."""

    read: int
    new: int
    rejected: int
    duplicates: int
    total: int
    quarantined: tuple[str, ...] = ()

    def to_frame(self) -> pd.DataFrame:
        """One-row table of the counts."""
        return pd.DataFrame([self.__dict__])


@validated
def import_statements(
    paths: Iterable[str | os.PathLike[str]],
    *,
    actor: str | None = None,
    source: str | None = None,
    language: str | None = None,
    quarantine: str | os.PathLike[str] | None = None,
    store: Store | str | os.PathLike[str] | None = None,
    progress: Callable[[str, int, int], None] | None = None,
) -> ImportReport:
    """Read corpora, mark near-duplicates over old and new records, write the table at once.

    Parameters
    ----------
    paths
        Files or manifest directories (see :mod:`hedgewatch.sources.statements`).
    actor, source, language
        Defaults for records that lack these fields.
    quarantine
        Write rejected records there instead of failing (see the reader).
    store
        The store (default: the user's).
    progress
        Called as ``progress(step, done, total)`` before each file is read and before the
        near-duplicates are marked and the store written.

    Returns
    -------
    ImportReport
    """
    paths = list(paths)
    say = progress or (lambda step, done, total: None)
    total = len(paths) + 1

    def reading(i: int, path: object) -> None:
        say(f"reading {path}", i, total)

    new = read_many(
        paths,
        actor=actor,
        source=source,
        language=language,
        quarantine=quarantine,
        on_file=reading,
    )
    say(f"marking near-duplicates and writing {len(new):,} records", len(paths), total)
    added, marked = add_statements(
        new, mark_duplicates, provenance=",".join(str(p) for p in paths), store=store
    )
    say("done", total, total)
    return ImportReport(
        read=len(new),
        new=added,
        rejected=int(new.attrs.get("rejected", 0)),
        duplicates=int(marked["duplicate_of"].notna().sum()),
        total=len(marked),
        quarantined=tuple(new.attrs.get("quarantined", ())),
    )
