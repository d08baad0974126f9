"""Results shipped precomputed with the package, for the bundled snapshot only.

Some results every first report needs take minutes on two cores and depend on nothing but
the bundled tables: the ideal-point fits, the rolling out-of-sample forecasts, the yearly
TF-IDF vocabularies of the General Debate. ``tools/build_precomputed.py`` computes them on a
fresh store through the same :meth:`Store.cached <hedgewatch.store.Store.cached>` calls the
report makes, and writes them to ``hedgewatch/data/precomputed/``:

* ``<kind>.parquet``: the results of one kind, one row group per result, its rows tagged
  with the result's key (:func:`~hedgewatch.store._database.parts_key` of its settings) in
  the column ``_key``;
* ``manifest.json``: for each kind, the input tables and the source each had when the
  results were computed (``"bundle:<sha256 prefix>"`` of the shipped Parquet file).

A store uses a shipped result only while every input table still has that source: loaded
from the same file and not written to since. An import (``hedgewatch data import``, a new
General Debate corpus) changes the source, so the result is computed again from the data
actually held. Results are read by key with Parquet row-group statistics, so only the
groups asked for are decoded.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

import pandas as pd

from hedgewatch.paths import bundled_path

FOLDER = "precomputed"
MANIFEST = "manifest.json"
KEY = "_key"


def folder() -> Path:
    return bundled_path(FOLDER)


@lru_cache(maxsize=1)
def manifest() -> dict[str, Any]:
    path = folder() / MANIFEST
    if not path.exists():
        return {}
    return dict(json.loads(path.read_text(encoding="utf-8")))


def lookup(kind: str, key: str, sources: Mapping[str, str | None]) -> pd.DataFrame | None:
    """The shipped result ``(kind, key)``, or None when there is none or when an input
    table's source differs from the one it was computed from."""
    entry = manifest().get(kind)
    if entry is None or key not in set(entry.get("keys", ())):
        return None
    wanted = entry.get("inputs", {})
    if set(wanted) != set(sources) or any(sources[t] != wanted[t] for t in wanted):
        return None
    import pyarrow.parquet as pq

    table = pq.read_table(folder() / entry["file"], filters=[(KEY, "=", key)])
    frame = table.to_pandas().drop(columns=[KEY])
    return _restore(frame, entry.get("index", {}).get(key), entry.get("columns", {}).get(key))


def lookup_many(
    kind: str, keys: Sequence[str], sources: Mapping[str, str | None]
) -> dict[str, pd.DataFrame]:
    """The shipped results among ``keys`` (all or none: the inputs are checked once)."""
    entry = manifest().get(kind)
    if entry is None:
        return {}
    wanted = entry.get("inputs", {})
    if set(wanted) != set(sources) or any(sources[t] != wanted[t] for t in wanted):
        return {}
    have = [k for k in keys if k in set(entry.get("keys", ()))]
    if not have:
        return {}
    index, columns = entry.get("index", {}), entry.get("columns", {})
    groups = _row_groups(entry["file"])
    if groups is not None and all(k in groups for k in have):
        # one row group per result: read just those, without the key column
        frames = _read_groups(entry["file"], [groups[k] for k in have])
        return {
            k: _restore(frame.reset_index(drop=True), index.get(k), columns.get(k))
            for k, frame in zip(have, frames, strict=True)
        }
    import pyarrow.parquet as pq

    table = pq.read_table(folder() / entry["file"], filters=[(KEY, "in", have)])
    frame = table.to_pandas()
    return {
        k: _restore(g.drop(columns=[KEY]).reset_index(drop=True), index.get(k), columns.get(k))
        for k, g in frame.groupby(KEY, sort=False)
    }


@lru_cache(maxsize=8)
def _row_groups(file: str) -> dict[str, int] | None:
    """Key -> row group of a shipped file, from the key column's statistics (None when a
    group holds several keys or has no statistics)."""
    import pyarrow.parquet as pq

    meta = pq.ParquetFile(folder() / file).metadata
    col = meta.schema.to_arrow_schema().get_field_index(KEY)
    out: dict[str, int] = {}
    for i in range(meta.num_row_groups):
        stats = meta.row_group(i).column(col).statistics
        if stats is None or not stats.has_min_max or stats.min != stats.max:
            return None
        out[str(stats.min)] = i
    return out


def _read_groups(file: str, groups: Sequence[int]) -> list[pd.DataFrame]:
    """The given row groups of a shipped file as frames, in that order, the key dropped."""
    import numpy as np
    import pyarrow.parquet as pq

    pf = pq.ParquetFile(folder() / file)
    names = [n for n in pf.schema_arrow.names if n != KEY]
    # strings not deduplicated: a vocabulary's terms are distinct, and looking each up in a
    # hash table costs twice the conversion
    table = pf.read_row_groups(list(groups), columns=names)
    frame = table.to_pandas(deduplicate_objects=False)
    ends = np.cumsum([pf.metadata.row_group(g).num_rows for g in groups])
    return [frame.iloc[a:b] for a, b in zip([0, *ends[:-1]], ends, strict=True)]


def _restore(
    frame: pd.DataFrame, index: Sequence[str] | None, columns: Sequence[str] | None
) -> pd.DataFrame:
    if columns is not None:  # results of one kind may differ in columns (1-D and 2-D fits)
        frame = frame[list(columns)]
    if index:
        frame = frame.set_index(list(index))
    return frame.reset_index(drop=True) if not index else frame


def write(
    kind: str,
    results: Sequence[tuple[str, pd.DataFrame]],
    inputs: Mapping[str, str],
    out: Path,
) -> dict[str, Any]:
    """Write the results of one kind to ``out/<kind>.parquet``; return its manifest entry."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    out.mkdir(parents=True, exist_ok=True)
    name = kind.replace(":", "-") + ".parquet"
    tables, index, columns = [], {}, {}
    for key, frame in results:
        named = [n for n in frame.index.names if n is not None]
        if named:
            index[key] = named
            frame = frame.reset_index()
        else:
            frame = frame.reset_index(drop=True)
        columns[key] = [str(c) for c in frame.columns]
        tables.append(pa.Table.from_pandas(frame.assign(**{KEY: key}), preserve_index=False))
    # one file, the union of the results' columns (each result's own are in the manifest)
    schema = pa.unify_schemas([t.schema for t in tables], promote_options="permissive")
    writer = pq.ParquetWriter(out / name, schema, compression="zstd", compression_level=19)
    try:
        for t in tables:
            for f in schema:
                if f.name not in t.column_names:
                    t = t.append_column(f.name, pa.nulls(len(t), f.type))
            t = t.select(schema.names).cast(schema)
            writer.write_table(t, row_group_size=max(len(t), 1))
    finally:
        writer.close()
    entry = {
        "file": name,
        "inputs": dict(inputs),
        "keys": [k for k, _ in results],
        "columns": columns,
    }
    if index:
        entry["index"] = index
    return entry


def write_manifest(entries: Mapping[str, Any], out: Path) -> None:
    (out / MANIFEST).write_text(json.dumps(entries, indent=1, sort_keys=True) + "\n", "utf-8")
    manifest.cache_clear()
