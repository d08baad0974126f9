"""What the atlas pages show, as JSON-ready dicts (no web framework needed here).

The atlas page gets one payload per pair of powers: every state's series (position, its
interval, agreement with each power, free agency, side-taking for the vote measures; the
normalised net cooperation and share of volume with each power and the share with neither
for the events measure) aligned on the years, the movers of every year, and the map's
feature ids mapped to ISO3 codes. ``count`` names the series that counts the evidence
(``n_votes`` or ``n_days``). The server sends it
from ``/api/atlas``; ``hedgewatch atlas --out`` inlines it in one HTML file.
"""

from __future__ import annotations

import functools
import json
import math
from collections.abc import Sequence
from importlib import resources
from typing import Any

import numpy as np
import pandas as pd

from hedgewatch import countries as _countries
from hedgewatch.alignment import count_column

#: The columns each state's series carries with a vote measure (A and B: the two powers).
SERIES = (
    "position",
    "position_lo",
    "position_hi",
    "agree_A",
    "agree_A_lo",
    "agree_A_hi",
    "agree_B",
    "agree_B_lo",
    "agree_B_hi",
    "free_agency",
    "free_agency_lo",
    "free_agency_hi",
    "side_A",
    "side_B",
    "side_neither",
    "n_divided",
    "n_votes",
)
#: The columns each state's series carries with the events measure.
EVENT_SERIES = (
    "position",
    "position_lo",
    "position_hi",
    "value_A",
    "value_B",
    "share_A",
    "share_B",
    "other_share",
    "other_share_lo",
    "other_share_hi",
    "n_days",
)
#: Periods with fewer common roll calls (or days with an event with either power) are left
#: off the map (too noisy to colour).
MIN_VOTES = 10


def json_script(obj: Any) -> Any:
    """JSON for a ``<script type="application/json">`` block: ``<``, ``>`` and ``&`` escaped
    as ``\\u`` sequences, so no text from data can close the element."""
    from markupsafe import Markup

    text = json.dumps(obj, separators=(",", ":"), allow_nan=False)
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return Markup(text)  # noqa: S704 - escaped above


def asset(name: str) -> bytes:
    """The bytes of a packaged static file (``vendor/d3.min.js``, ``atlas.js``...)."""
    return resources.files("hedgewatch.web").joinpath("static", *name.split("/")).read_bytes()


@functools.lru_cache(maxsize=1)
def map_ids() -> dict[str, str]:
    """ISO 3166 numeric id of each map feature -> ISO3 code."""
    table = _countries._coco_table()
    num = dict(zip(table["ISOnumeric"].astype("Int64"), table["ISO3"], strict=True))
    topo = json.loads(asset("vendor/countries-110m.json"))
    out = {}
    for g in topo["objects"]["countries"]["geometries"]:
        gid = g.get("id")
        if gid is not None and int(gid) in num:
            out[str(gid)] = str(num[int(gid)])
    return out


def _clean(values: np.ndarray, digits: int = 4) -> list[Any]:
    return [None if not math.isfinite(x) else round(float(x), digits) for x in values]


def atlas_payload(
    world: pd.DataFrame, moved: pd.DataFrame, powers: Sequence[str], measure: str
) -> dict[str, Any]:
    """The atlas page's data for one pair of powers.

    ``world`` is an atlas frame (:func:`hedgewatch.atlas`), ``moved`` its movers over every
    period (:func:`hedgewatch.movers` with ``top=None``).
    """
    a, b = powers
    count = count_column(world)
    rename = {}
    for p, role in ((a, "A"), (b, "B")):
        for end in ("", "_lo", "_hi"):
            rename[f"agree_{p}{end}"] = f"agree_{role}{end}"
        for prefix in ("side", "value", "share"):
            rename[f"{prefix}_{p}"] = f"{prefix}_{role}"
    w = world.rename(columns=rename)
    w = w[w[count] >= MIN_VOTES]
    columns = SERIES if count == "n_votes" else EVENT_SERIES
    years = sorted(int(y) for y in w["period"].unique())
    col = {y: i for i, y in enumerate(years)}
    series: dict[str, dict[str, list[Any]]] = {}
    for state, g in w.groupby("country", sort=True):
        idx = np.array([col[int(p)] for p in g["period"]])
        entry = {}
        for c in columns:
            full = np.full(len(years), np.nan)
            full[idx] = g[c].to_numpy(dtype=float)
            entry[c] = _clean(full, 0 if c.startswith("n_") else 4)
        series[str(state)] = entry
    names = {s: _countries.name(s) for s in [*series, a, b]}
    movers = [
        {
            "country": str(r["country"]),
            "period": int(r["period"]),
            "earliest": int(r["earliest"]),
            "before": round(float(r["before"]), 4),
            "after": round(float(r["after"]), 4),
            "size": round(float(r["size"]), 4),
            "direction": str(r["direction"]),
            "stability": round(float(r["stability"]), 3),
            "group": int(r["group"]),
        }
        for r in moved.to_dict("records")
    ]
    return {
        "powers": [{"code": p, "name": names[p]} for p in (a, b)],
        "measure": measure,
        "count": count,
        "years": years,
        "names": names,
        "ids": map_ids(),
        "series": series,
        "movers": movers,
    }


def year_rows(payload: dict[str, Any], year: int) -> list[dict[str, Any]]:
    """The payload's values for one year, one dict per state (for the JSON API)."""
    i = payload["years"].index(year)
    a, b = (p["code"] for p in payload["powers"])
    count = payload.get("count", "n_votes")
    columns = SERIES if count == "n_votes" else EVENT_SERIES
    out = []
    for state, s in payload["series"].items():
        if s[count][i] is None:
            continue
        row = {"country": state, "name": payload["names"][state], "year": year}
        for c in columns:
            row[c.replace("_A", f"_{a}").replace("_B", f"_{b}")] = s[c][i]
        out.append(row)
    return out


def _svg_uri(svg: str) -> str:
    """A figure's SVG as a data URI for an ``<img>``: rendered as an image, it can run
    nothing, and its inline styles need no exception in the page's CSP."""
    import base64

    # The report strips the namespaces (inline SVG in HTML needs none); a standalone SVG
    # image does, or the browser shows nothing.
    if "xmlns=" not in svg[: svg.find(">")]:
        svg = svg.replace(
            "<svg ",
            '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" ',
            1,
        )
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode("utf-8")).decode("ascii")


def _table(frame: pd.DataFrame, limit: int = 200) -> dict[str, Any]:
    from hedgewatch.report._render import cell

    return {
        "columns": [str(c) for c in frame.columns],
        "rows": [[cell(v) for v in r] for r in frame.head(limit).itertuples(index=False)],
    }


def report_payload(report: Any) -> dict[str, Any]:
    """A computed :class:`~hedgewatch.report.Report` as plain data (text, tables, figures as
    image data URIs); the page inserts every string as text."""
    sections = []
    for s in report.sections:
        sections.append(
            {
                "key": s.key,
                "title": s.title,
                "status": s.status,
                "reason": s.reason,
                "paragraphs": list(s.paragraphs),
                "figures": [
                    {"key": f.key, "title": f.title, "caption": f.caption, "src": _svg_uri(f.svg)}
                    for f in s.figures
                ],
                "tables": [{"title": t.title, **_table(t.frame)} for t in s.tables],
                "references": list(s.references),
            }
        )
    claims = report.claims
    keep = [c for c in ("claim", "source", "value", "verdict", "reason") if c in claims]
    return {
        "state": report.state,
        "name": _countries.name(report.state),
        "powers": [{"code": p, "name": _countries.name(p)} for p in report.powers],
        "sections": sections,
        "claims": _table(claims[keep]),
    }
