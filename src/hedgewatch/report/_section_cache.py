"""Computed sections kept in the store's cache, so a second report reads them back.

A section is stored as one small DataFrame: a JSON row with its text, figures (sanitised
SVG) and measurements, and one row per table holding the table as Parquet bytes (no pickle:
a store file read back never runs code). The key holds the state, the powers, the first year,
the settings, the successor rules (when given), a fingerprint of the installed code (the
modules' sizes and modification times) and the store's data version: an import, new settings
or a code change computes the section again. A section not measurable on the data is kept too (its reason is the
answer until the data change); one missing an installed module is not.
"""

from __future__ import annotations

import io
import json
import math
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path

import pandas as pd

from hedgewatch.report.model import Figure, Measurement, Section, Table
from hedgewatch.report.sections._context import Context

KIND = "report:section"
#: How an unmeasurable section for want of an installed module starts its reason (not kept:
#: installing the module changes the answer, not the data).
UNAVAILABLE = "the analysis module is not available"
VERSION = "v1"


@lru_cache(maxsize=1)
def code_fingerprint() -> str:
    """Sizes and modification times of the package's modules and data files (cheap: no
    file is read)."""
    import hashlib

    root = Path(__file__).resolve().parents[1]
    digest = hashlib.sha256()
    for p in sorted(root.rglob("*")):
        if p.suffix in (".py", ".yaml", ".yml", ".j2", ".html", ".css", ".js", ".json"):
            st = p.stat()
            digest.update(f"{p.relative_to(root)}:{st.st_size}:{st.st_mtime_ns};".encode())
    return digest.hexdigest()[:16]


_MISS = object()


def is_cached(key: str, ctx: Context) -> bool:
    """Whether the section ``key`` would be read back from the cache (nothing computed)."""
    return ctx.cache is not None and _lookup(key, ctx) is not _MISS


def cached_section(key: str, ctx: Context, compute: Callable[[], Section | None]) -> Section | None:
    """``compute()`` the section, or read it back from the store's cache (None, nothing to
    show on these data, is kept as such)."""
    if ctx.cache is None:
        return compute()
    hit = _lookup(key, ctx)
    if hit is not _MISS:
        return hit  # type: ignore[return-value]
    parts = _parts(key, ctx)
    st = ctx.store
    section = compute()
    if section is None:  # nothing to show on these data (no event data loaded): kept too
        st.cache_put(KIND, st.cache_key(*parts), pd.DataFrame({"part": ["none"], "text": [""]}))
        return None
    if section.ok or not section.reason.startswith(UNAVAILABLE):
        try:
            frame = to_frame(section)
        except (ValueError, TypeError):  # a table Parquet cannot hold: not kept
            return section
        st.cache_put(KIND, st.cache_key(*parts), frame)
    return section


def _lookup(key: str, ctx: Context) -> Section | None | object:
    """The cached section, None when "nothing to show" was cached, ``_MISS`` otherwise."""
    st = ctx.store
    hit = st.cache_get(KIND, st.cache_key(*_parts(key, ctx)))
    if hit is None:
        return _MISS
    if len(hit) and (hit["part"] == "none").all():
        return None
    try:
        return from_frame(hit)
    except (KeyError, ValueError, TypeError):  # written by another layout: compute
        return _MISS


def _parts(key: str, ctx: Context) -> tuple[object, ...]:
    parts: tuple[object, ...] = (
        VERSION,
        key,
        ctx.state,
        tuple(ctx.powers),
        ctx.start,
        repr(sorted((k, repr(v)) for k, v in ctx.settings.items())),
        code_fingerprint(),
    )
    if ctx.successors is not None:  # they change the votes and speeches the section reads
        parts = (*parts, ("successors", tuple(sorted(ctx.successors.items(), key=str))))
    return parts


def to_frame(section: Section) -> pd.DataFrame:
    """One DataFrame holding the whole section (see the module's docstring)."""
    head = {
        "key": section.key,
        "title": section.title,
        "status": section.status,
        "reason": section.reason,
        "paragraphs": list(section.paragraphs),
        "figures": [[f.key, f.title, f.svg, f.caption] for f in section.figures],
        "measurements": [
            [m.key, _num(m.value), m.label, m.figure, _num(m.lo), _num(m.hi)]
            for m in section.measurements
        ],
        "references": list(section.references),
        "tables": [[t.title, t.caption] for t in section.tables],
    }
    rows = [{"part": "head", "text": json.dumps(head), "payload": b""}]
    for t in section.tables:
        buf = io.BytesIO()
        t.frame.to_parquet(buf)
        rows.append({"part": "table", "text": "", "payload": buf.getvalue()})
    return pd.DataFrame(rows)


def from_frame(frame: pd.DataFrame) -> Section:
    """The section :func:`to_frame` wrote."""
    head = json.loads(frame.loc[frame["part"] == "head", "text"].iloc[0])
    payloads = frame.loc[frame["part"] == "table", "payload"].tolist()
    tables = tuple(
        Table(title, pd.read_parquet(io.BytesIO(p)), caption)
        for (title, caption), p in zip(head["tables"], payloads, strict=True)
    )
    return Section(
        head["key"],
        head["title"],
        head["status"],
        head["reason"],
        tuple(head["paragraphs"]),
        tuple(Figure(*f) for f in head["figures"]),
        tables,
        tuple(
            Measurement(k, _float(v), label, fig, _float(lo), _float(hi))
            for k, v, label, fig, lo, hi in head["measurements"]
        ),
        tuple(head["references"]),
    )


def _num(x: float) -> float | str:
    x = float(x)
    return x if math.isfinite(x) else repr(x)


def _float(x: float | str) -> float:
    return float(x)
