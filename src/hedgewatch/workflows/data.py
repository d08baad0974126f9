"""One-call data workflows: import a vote file in any supported layout; fetch and import the
newest official file."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

from hedgewatch._validation import check_choice, validated
from hedgewatch.errors import DataFormatError
from hedgewatch.store import (
    Store,
    import_council,
    import_library,
    import_record,
    write_bridges,
)


def _readers() -> dict[str, Callable[[str], Any]]:
    from hedgewatch.sources.bridges import read_bridges
    from hedgewatch.sources.undl_long import read_undl_long
    from hedgewatch.sources.undl_wide import read_undl_wide
    from hedgewatch.sources.unga import read_undl, read_unvotes, read_voeten
    from hedgewatch.sources.vetoes import read_vetoes

    return {
        "voeten": read_voeten,
        "unvotes": read_unvotes,
        "undl": read_undl,
        "undl-long": read_undl_long,
        "undl-wide": read_undl_wide,
        "vetoes": read_vetoes,
        "bridges": read_bridges,
    }


@validated
def import_file(
    path: str, *, format: str | None = None, store: Store | str | None = None
) -> dict[str, Any]:
    """Read a vote file in any supported layout and import it atomically.

    Parameters
    ----------
    path
        The file (or, for ``unvotes``, the folder of ``.rda`` files).
    format
        ``voeten``, ``unvotes``, ``undl`` (the Library's bulk GA CSV), ``undl-long`` (Library
        vote records scraped in the long layout, Parquet or CSV, GA and SC), ``undl-wide``
        (the wide layout: one row per resolution, one column per member), ``vetoes`` (the
        list of vetoed Council drafts, which replaces the stored list) or ``bridges`` (pairs
        ``rcid1, rcid2`` of roll calls that are the same resolution, which replace the stored
        list); default: detected from the header.
    store
        A :class:`~hedgewatch.store.Store` or path; default the user store.

    Returns
    -------
    dict
        What was written (see :func:`~hedgewatch.store.import_record` and
        :func:`~hedgewatch.store.import_library`); for the Library's scraped layouts also
        ``row_check`` (a one-line summary of rows whose votes disagree with their stated
        totals) and ``notes`` (rows the reader set aside, and why).

    A bad row raises :class:`~hedgewatch.errors.DataFormatError` before anything is written.
    """
    from hedgewatch.sources import unga as src

    readers = _readers()
    fmt = format if format is not None else src.detect_format(path)
    check_choice(fmt, "format", list(readers))
    provenance = f"{fmt}:{path}"
    record = readers[fmt](path)
    if fmt == "bridges":
        write_bridges(record, provenance=f"bridges:{path}", store=store)
        return {"bridges": len(record)}
    if fmt == "vetoes":
        return import_council(record, store=store, provenance=provenance)
    if fmt in ("undl-long", "undl-wide"):
        counts = import_library(record, store=store, provenance=provenance)
        return {**counts, "row_check": record.checks.summary(), "notes": list(record.notes)}
    return import_record(record, store=store, provenance=provenance)


@validated
def update_votes(
    record_url: str | None = None,
    *,
    dest: str | os.PathLike[str] | None = None,
    progress: Callable[[int, int | None], None] | None = None,
    store: Store | str | None = None,
) -> tuple[Path, dict[str, Any]]:
    """Download the newest UN Digital Library voting file (verified; see
    :mod:`hedgewatch.sources.download`) and import it.

    A file that downloads whole but does not import (a bad row) is deleted, so the next
    update downloads it again instead of reusing it.

    Returns
    -------
    ``(path of the kept download, import counts)``.
    """
    from hedgewatch.sources.download import discard, fetch_undl_votes

    path = fetch_undl_votes(record_url, dest, progress=progress)
    try:
        counts = import_file(str(path), format="undl", store=store)
    except DataFormatError:
        discard(path)
        raise
    return path, counts
