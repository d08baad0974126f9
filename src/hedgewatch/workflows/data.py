"""One-call data workflows: import a vote file in any supported layout; fetch and import the
newest official file."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

from hedgewatch._validation import validated
from hedgewatch.errors import DataFormatError, ParameterError
from hedgewatch.store import Store, import_record, write_bridges


@validated
def import_file(
    path: str, *, format: str | None = None, store: Store | str | None = None
) -> dict[str, int]:
    """Read a vote file in any supported layout and import it atomically.

    ``format`` is 'voeten', 'unvotes', 'undl', or 'bridges' (a list of roll-call pairs
    ``rcid1, rcid2`` that are the same resolution, which replaces the stored list); default:
    detected from the header.
    A bad row raises :class:`~hedgewatch.errors.DataFormatError` before anything is written.
    """
    from hedgewatch.sources import unga as src

    fmt = format or src.detect_format(path)
    if fmt == "bridges":
        from hedgewatch.sources.bridges import read_bridges

        frame = read_bridges(path)
        write_bridges(frame, provenance=f"bridges:{path}", store=store)
        return {"bridges": len(frame)}
    if fmt not in src.READERS:
        raise ParameterError(
            f"The 'format' parameter of import_file() must be one of "
            f"{', '.join(src.READERS)}, bridges; got {fmt!r}."
        )
    record = src.READERS[fmt](path)
    return import_record(record, store=store, provenance=f"{fmt}:{path}")


@validated
def update_votes(
    record_url: str | None = None,
    *,
    dest: str | os.PathLike[str] | None = None,
    progress: Callable[[int, int | None], None] | None = None,
    store: Store | str | None = None,
) -> tuple[Path, dict[str, int]]:
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
