"""One-call data workflow: read a vote file in any supported layout and import it."""

from __future__ import annotations

from hedgewatch._validation import validated
from hedgewatch.errors import ParameterError
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
