"""Reader for raw GDELT 2.0 event exports (``YYYYMMDDHHMMSS.export.CSV.zip``).

GDELT 2.0 publishes every 15 minutes a zip archive holding one tab-separated file with no
header and 61 columns (:data:`COLUMNS`; the codebook is staged as
``gdelt/gdelt2_events_codebook_columns.csv.gz``). One row is one event: actor 1 did something
(a CAMEO event code, its quad class and Goldstein score) to actor 2, as first seen in the news
in that quarter hour, with the number of mentions, sources and articles and their average tone.

The reader keeps the fields the event measures need and normalises them
(:data:`~hedgewatch.sources._events.EVENT_SCHEMA`): ``date`` (``SQLDATE``, the day the event
took place), ``country_a``/``country_b`` (``Actor1CountryCode``/``Actor2CountryCode`` mapped from
CAMEO to ISO3 by :func:`hedgewatch.countries.cameo_to_iso3`; null when the actor is not a state),
``quad_class``, ``goldstein``, ``mentions``, ``sources``, ``articles``, ``tone``. CAMEO region
codes (``EUR``, ``AFR``, ``WST``...) are counted in :attr:`EventFile.unmapped`; a country code
that is neither a state nor a region is a bad row.

Bad input is located: a truncated or corrupt archive names the file; a row with the wrong
number of fields, a date that is not a day, a quad class outside 1-4, a Goldstein score that
is not a number in [-10, 10], a negative count or an unknown country code names the line
(physical line of the CSV inside the archive), column and value. Parsing uses Apache Arrow's
CSV reader; a file it cannot parse is scanned line by line to find every bad row.

References
----------
Leetaru, K. and Schrodt, P. A. (2013). GDELT: Global data on events, location and tone,
1979-2012. ISA Annual Convention, San Francisco.
GDELT Project (2015). The GDELT Event Database Data Format Codebook V2.0.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import zipfile
import zlib
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from hedgewatch import countries as _countries
from hedgewatch.errors import DataFormatError
from hedgewatch.sources._events import (
    EVENT_SCHEMA,
    EventFile,
    ProblemRows,
    check_errors,
    file_digest,
)

_fast: Any
try:  # ISA-L inflate: optional, same results as zlib
    from isal import isal_zlib as _fast
except ImportError:  # pragma: no cover - depends on the environment
    _fast = None
_INFLATE_ERRORS: tuple[type[Exception], ...] = (
    (zlib.error,) if _fast is None else (zlib.error, _fast.error)
)
_ZIP_ERRORS: tuple[type[Exception], ...] = (
    zipfile.BadZipFile,
    EOFError,
    NotImplementedError,
    ValueError,
    *_INFLATE_ERRORS,
)

#: The 61 columns of a GDELT 2.0 events export, in file order.
COLUMNS: tuple[str, ...] = (
    "GLOBALEVENTID", "SQLDATE", "MonthYear", "Year", "FractionDate",
    "Actor1Code", "Actor1Name", "Actor1CountryCode", "Actor1KnownGroupCode", "Actor1EthnicCode",
    "Actor1Religion1Code", "Actor1Religion2Code", "Actor1Type1Code", "Actor1Type2Code",
    "Actor1Type3Code",
    "Actor2Code", "Actor2Name", "Actor2CountryCode", "Actor2KnownGroupCode", "Actor2EthnicCode",
    "Actor2Religion1Code", "Actor2Religion2Code", "Actor2Type1Code", "Actor2Type2Code",
    "Actor2Type3Code",
    "IsRootEvent", "EventCode", "EventBaseCode", "EventRootCode", "QuadClass", "GoldsteinScale",
    "NumMentions", "NumSources", "NumArticles", "AvgTone",
    "Actor1Geo_Type", "Actor1Geo_FullName", "Actor1Geo_CountryCode", "Actor1Geo_ADM1Code",
    "Actor1Geo_ADM2Code", "Actor1Geo_Lat", "Actor1Geo_Long", "Actor1Geo_FeatureID",
    "Actor2Geo_Type", "Actor2Geo_FullName", "Actor2Geo_CountryCode", "Actor2Geo_ADM1Code",
    "Actor2Geo_ADM2Code", "Actor2Geo_Lat", "Actor2Geo_Long", "Actor2Geo_FeatureID",
    "ActionGeo_Type", "ActionGeo_FullName", "ActionGeo_CountryCode", "ActionGeo_ADM1Code",
    "ActionGeo_ADM2Code", "ActionGeo_Lat", "ActionGeo_Long", "ActionGeo_FeatureID",
    "DATEADDED", "SOURCEURL",
)  # fmt: skip

#: The columns read, with their types. Country codes are read dictionary-encoded (a few
#: hundred distinct codes per file): no string per row is built, and the mapping to ISO3 runs
#: on the dictionary.
_CODE = pa.dictionary(pa.int32(), pa.string())
_TYPES: dict[str, pa.DataType] = {
    "SQLDATE": pa.int64(),
    "Actor1CountryCode": _CODE,
    "Actor2CountryCode": _CODE,
    "QuadClass": pa.int64(),
    "GoldsteinScale": pa.float64(),
    "NumMentions": pa.int64(),
    "NumSources": pa.int64(),
    "NumArticles": pa.int64(),
    "AvgTone": pa.float64(),
}
_INTEGERS = ("SQLDATE", "QuadClass", "NumMentions", "NumSources", "NumArticles")
_FLOATS = ("GoldsteinScale", "AvgTone")
_INDEX = {name: i for i, name in enumerate(COLUMNS)}
_HINT = (
    "Nothing was imported. Download the file again (hedgewatch events fetch verifies "
    "checksums), or pass --quarantine FILE to import the good rows and set the bad ones aside."
)


def read_gdelt_export(path: str | os.PathLike[str], *, errors: str = "raise") -> EventFile:
    """Read one GDELT 2.0 events export (zip archive or plain tab-separated file).

    Parameters
    ----------
    path
        A ``*.export.CSV.zip`` archive (or the ``*.export.CSV`` inside one).
    errors
        ``"raise"``: any bad row raises one :class:`~hedgewatch.errors.DataFormatError`
        listing every problem (line, column, value). ``"collect"``: bad rows are left out and
        returned in :attr:`EventFile.rejected`. A file that cannot be read at all (not a zip,
        truncated, wrong checksum inside the archive) raises in both modes.

    Returns
    -------
    :class:`~hedgewatch.sources._events.EventFile` with one row per event.

    References
    ----------
    Leetaru and Schrodt (2013); the GDELT 2.0 Event Codebook.
    """
    check_errors(errors)
    p = Path(path)
    raw, text = _unzip(p)
    rows = ProblemRows(p)
    table, lines = _parse(p, text, rows)
    events, unmapped = _normalise(table, lines, rows)
    rows.raise_if_any(errors, _HINT)
    return EventFile(
        str(p),
        "gdelt",
        file_digest(raw),
        len(raw),
        events,
        rows=_row_count(lines, rows),
        unmapped=unmapped,
        problems=tuple(rows.problems),
        n_problems=rows.total,
        rejected=rows.rejected(),
    )


def _row_count(lines: np.ndarray, rows: ProblemRows) -> int:
    """Data rows in the file: those parsed, and those set aside before parsing."""
    if not rows.bad_lines:
        return len(lines)
    return len(lines) + len(rows.bad_lines - set(lines.tolist()))


def _unzip(p: Path) -> tuple[bytes, bytes]:
    """(bytes of the file, bytes of the CSV inside)."""
    try:
        raw = p.read_bytes()
    except OSError as exc:
        raise DataFormatError(
            p, f"cannot read the file ({exc.strerror})", "Check the path."
        ) from exc
    if not raw.startswith(b"PK"):
        return raw, raw  # a plain export CSV
    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as zf:
            members = [m for m in zf.infolist() if not m.is_dir()]
            if len(members) != 1:
                raise DataFormatError(
                    p,
                    f"the archive holds {len(members)} files; a GDELT export holds one CSV",
                    hint="Pass the .export.CSV.zip files themselves.",
                )
            return raw, _inflate(raw, members[0], zf)
    except _ZIP_ERRORS as exc:
        raise DataFormatError(
            p,
            f"not a complete zip archive: it is truncated or corrupt ({exc})",
            hint="Download the file again; nothing was imported.",
        ) from exc


def _inflate(raw: bytes, info: zipfile.ZipInfo, zf: zipfile.ZipFile) -> bytes:
    """The member's bytes, CRC-checked. Deflated members are inflated with ISA-L when the
    ``isal`` package is installed (about twice as fast as zlib), else with zlib."""
    if info.compress_type != zipfile.ZIP_DEFLATED or _fast is None:
        return zf.read(info)
    off = info.header_offset
    if raw[off : off + 4] != b"PK\x03\x04":
        raise zipfile.BadZipFile("bad local file header")
    start = off + 30 + int.from_bytes(raw[off + 26 : off + 28], "little")
    start += int.from_bytes(raw[off + 28 : off + 30], "little")
    data = _fast.decompress(raw[start : start + info.compress_size], -15)
    if len(data) != info.file_size or _fast.crc32(data) != info.CRC:
        raise zipfile.BadZipFile(f"bad CRC-32 or size of {info.filename!r}")
    return data


def _parse(p: Path, text: bytes, rows: ProblemRows) -> tuple[pa.Table, np.ndarray]:
    """The needed columns of every well-formed row, and each row's line number."""
    try:
        table = _arrow_read(text)
        return table, np.arange(1, table.num_rows + 1, dtype=np.int64)
    except pa.ArrowInvalid:
        if not text.strip():  # Arrow refuses an empty file; it is an export without events
            return _empty_raw(), np.zeros(0, dtype=np.int64)
    good, lines = _scan(text, rows)
    if not len(lines):
        return _empty_raw(), lines
    try:
        return _arrow_read(good), lines
    except pa.ArrowInvalid as exc:  # pragma: no cover - the scan checks what Arrow does
        raise DataFormatError(p, f"cannot parse the export ({exc})", hint=_HINT) from exc


def _arrow_read(text: bytes) -> pa.Table:
    return pacsv.read_csv(
        pa.py_buffer(text),
        read_options=pacsv.ReadOptions(column_names=list(COLUMNS), use_threads=False),
        parse_options=pacsv.ParseOptions(
            delimiter="\t", quote_char=False, escape_char=False, ignore_empty_lines=True
        ),
        convert_options=pacsv.ConvertOptions(
            include_columns=list(_TYPES), column_types=_TYPES, strings_can_be_null=True
        ),
    )


def _empty_raw() -> pa.Table:
    return pa.table({k: pa.array([], type=t) for k, t in _TYPES.items()})


def _scan(text: bytes, rows: ProblemRows) -> tuple[bytes, np.ndarray]:
    """Line-by-line check of field counts and numbers; the good lines and their numbers."""
    keep: list[int] = []
    out: list[bytes] = []
    for i, raw in enumerate(text.split(b"\n"), start=1):
        line = raw.rstrip(b"\r")
        if not line.strip():
            continue
        fields = line.split(b"\t")
        if len(fields) != len(COLUMNS):
            rows.add(
                i,
                None,
                None,
                f"{len(fields)} tab-separated fields; a GDELT 2.0 export row has {len(COLUMNS)}",
            )
            continue
        ok = True
        for name in (*_INTEGERS, *_FLOATS):
            value = fields[_INDEX[name]]
            if value and not _number(value, name in _INTEGERS):
                kind = "an integer" if name in _INTEGERS else "a number"
                rows.add(i, name, value.decode("utf-8", "replace"), f"not {kind}")
                ok = False
        for name in ("Actor1CountryCode", "Actor2CountryCode"):
            try:
                fields[_INDEX[name]].decode("utf-8")
            except UnicodeDecodeError:
                rows.add(i, name, fields[_INDEX[name]], "bytes that are not UTF-8")
                ok = False
        if ok:
            keep.append(i)
            out.append(line)
    return b"\n".join(out) + b"\n", np.asarray(keep, dtype=np.int64)


def _number(value: bytes, integer: bool) -> bool:
    try:
        int(value) if integer else float(value)
    except ValueError:
        return False
    return True


def _normalise(
    table: pa.Table, lines: np.ndarray, rows: ProblemRows
) -> tuple[pa.Table, dict[str, tuple[str, int]]]:
    """Check values, map countries, and build the normalised events of the good rows."""
    n = table.num_rows
    bad = np.zeros(n, dtype=bool)
    date, date_bad = _dates(table["SQLDATE"])
    bad |= _flag(rows, date_bad, lines, table, "SQLDATE", "not a date written YYYYMMDD")
    quad = _np(table["QuadClass"], np.int64, -1)
    bad |= _flag(rows, (quad < 1) | (quad > 4), lines, table, "QuadClass", "not a quad class 1-4")
    gold = _np(table["GoldsteinScale"], np.float64, np.nan)
    with np.errstate(invalid="ignore"):
        gold_bad = ~((gold >= -10) & (gold <= 10))
    bad |= _flag(
        rows, gold_bad, lines, table, "GoldsteinScale", "not a Goldstein score in [-10, 10]"
    )
    for name in ("NumMentions", "NumSources", "NumArticles"):
        count = _np(table[name], np.int64, -1)
        bad |= _flag(rows, count < 0, lines, table, name, "not a count (integer >= 0)")
    tone = _np(table["AvgTone"], np.float64, np.nan)
    bad |= _flag(rows, ~np.isfinite(tone), lines, table, "AvgTone", "not a number")
    unmapped: dict[str, tuple[str, int]] = {}
    mapped = []
    for name in ("Actor1CountryCode", "Actor2CountryCode"):
        iso, unknown = _map_codes(table[name], unmapped)
        bad |= _flag(
            rows,
            unknown,
            lines,
            table,
            name,
            "unknown CAMEO country code (neither a state nor a CAMEO region)",
        )
        mapped.append(iso)
    keep = pa.array(~bad)
    events = pa.table(
        [
            pa.array(date, type=pa.date32()),
            mapped[0],
            mapped[1],
            pa.array(quad.astype(np.int8)),
            pa.array(gold),
            table["NumMentions"],
            table["NumSources"],
            table["NumArticles"],
            pa.array(tone),
        ],
        schema=EVENT_SCHEMA,
    )
    return (events.filter(keep) if bad.any() else events), unmapped


def _np(column: pa.ChunkedArray | pa.Array, dtype: type, fill: object) -> np.ndarray:
    """The column as numpy, nulls replaced by ``fill``."""
    if column.null_count:
        column = column.fill_null(fill)
    return np.asarray(column.to_numpy(), dtype=dtype)


def _flag(
    rows: ProblemRows,
    mask: np.ndarray,
    lines: np.ndarray,
    table: pa.Table,
    column: str,
    reason: str,
) -> np.ndarray:
    if mask.any():
        values = np.asarray(table[column].to_pylist(), dtype=object)
        values = np.where(values == None, "", values)  # noqa: E711 - elementwise
        rows.add_mask(mask, lines, column, values, reason)
    return mask


def _dates(column: pa.ChunkedArray) -> tuple[np.ndarray, np.ndarray]:
    """Days since 1970-01-01 of YYYYMMDD integers (few distinct values per file)."""
    enc = pc.dictionary_encode(column.fill_null(-1).combine_chunks())  # hashing, not sorting
    uniq = enc.dictionary.to_numpy()
    inverse = enc.indices.to_numpy()
    epoch = dt.date(1970, 1, 1)
    days = np.zeros(len(uniq), dtype=np.int32)
    ok = np.zeros(len(uniq), dtype=bool)
    for i, v in enumerate(uniq.tolist()):
        if 19000101 <= v <= 21001231:
            try:
                days[i] = (dt.date(v // 10000, v // 100 % 100, v % 100) - epoch).days
                ok[i] = True
            except ValueError:
                pass
    return days[inverse], ~ok[inverse]


#: CAMEO code -> (ISO3 or None, kind); filled as codes are met (a few hundred at most).
_CODES: dict[str, tuple[str | None, str | None]] = {}


def _lookup(labels: list[str]) -> list[tuple[str | None, str | None]]:
    new = [c for c in labels if c not in _CODES]
    if new:
        iso, kinds = _countries.cameo_to_iso3(new), _countries.cameo_kinds(new)
        _CODES.update({c: (iso[c], kinds[c]) for c in new})
    return [_CODES[c] for c in labels]


def _map_codes(
    column: pa.ChunkedArray, unmapped: dict[str, tuple[str, int]]
) -> tuple[pa.DictionaryArray, np.ndarray]:
    """ISO3 codes (dictionary-encoded; null if not a state) of a CAMEO country code column,
    and the mask of rows with an unknown code."""
    enc = _one_dictionary(column)
    labels = enc.dictionary.to_pylist()
    found = _lookup(labels)
    states = sorted({iso for iso, _ in found if iso is not None})
    pos = {c: i for i, c in enumerate(states)}
    remap = pa.array([None if iso is None else pos[iso] for iso, _ in found], type=pa.int32())
    out = pa.DictionaryArray.from_arrays(pc.take(remap, enc.indices), pa.array(states, pa.string()))
    odd = [
        i
        for i, (_, kind) in enumerate(found)
        if kind in (_countries.CAMEO_REGION, _countries.CAMEO_UNKNOWN)
    ]
    if not odd:
        return out, np.zeros(len(enc), dtype=bool)
    idx = _np(enc.indices, np.int64, -1)
    counts = np.bincount(idx[idx >= 0], minlength=len(labels))
    unknown = [i for i in odd if found[i][1] == _countries.CAMEO_UNKNOWN]
    for i in odd:
        _count(unmapped, labels[i], str(found[i][1]), int(counts[i]))
    mask = np.isin(idx, unknown) if unknown else np.zeros(len(idx), dtype=bool)
    return out, mask


def _one_dictionary(column: pa.ChunkedArray) -> pa.DictionaryArray:
    """The column as one dictionary array (Arrow's reader encodes each block on its own)."""
    if not pa.types.is_dictionary(column.type):
        return pc.dictionary_encode(column.combine_chunks())
    if column.num_chunks == 1:
        return column.chunk(0)
    if column.num_chunks == 0:
        return pa.DictionaryArray.from_arrays(pa.array([], pa.int32()), pa.array([], pa.string()))
    return column.unify_dictionaries().combine_chunks()


def _count(unmapped: dict[str, tuple[str, int]], code: str, kind: str, n: int) -> None:
    old = unmapped.get(code, (kind, 0))[1]
    unmapped[code] = (kind, old + n)
