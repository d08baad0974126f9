"""The atlas page as one self-contained offline HTML file (``hedgewatch atlas --out``).

The same page as the server's, with everything inline: the vendored d3, topojson-client and
map geometry, the page's own scripts and styles, and the atlas of every pair among the
powers given (a pair's reverse is its mirror image, drawn by the page). Nothing is fetched:
the Content-Security-Policy in the file allows no connection at all, and scripts and the
style sheet only by their SHA-256 hashes (no ``'unsafe-inline'``).
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
from collections.abc import Callable, Sequence
from itertools import combinations
from pathlib import Path

import jinja2
from markupsafe import Markup

import hedgewatch
from hedgewatch import countries as _countries
from hedgewatch._validation import caller, check_param, validated
from hedgewatch.store import Store, get_store
from hedgewatch.web import _data

_SCRIPTS = ("vendor/d3.min.js", "vendor/topojson-client.min.js", "charts.js", "atlas.js")

_env = jinja2.Environment(
    loader=jinja2.PackageLoader("hedgewatch.web", "templates"),
    autoescape=True,
    undefined=jinja2.StrictUndefined,
)


def _sha256(text: str) -> str:
    return (
        "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode() + "'"
    )


def _inline_js(name: str) -> str:
    text = _data.asset(name).decode("utf-8")
    # inside a <script> element, "</script" would end it early (none occurs in these files)
    return re.sub(r"</(script)", r"<\\/\1", text, flags=re.I)


@validated
def export_atlas(
    powers: Sequence[str],
    *,
    out: str | Path | None = None,
    measure: str = "agreement",
    year: int | None = None,
    n_boot: int = 200,
    store: Store | str | None = None,
    progress: Callable[[str, int, int], None] | None = None,
) -> str:
    """Write the atlas page, with its data, as one offline HTML file.

    Parameters
    ----------
    powers
        Two or more powers; the file holds the atlas of every pair among them (choose any two
        in the page).
    out
        The file to write (None: only return the HTML).
    measure, n_boot
        As in :func:`hedgewatch.atlas`.
    year
        The year shown first (default the last).
    store
        A :class:`~hedgewatch.store.Store` or path; default the user store.
    progress
        Called as ``progress(step, done, total)``.

    Returns
    -------
    The HTML document.
    """
    from hedgewatch.alignment import movers
    from hedgewatch.workflows._atlas import atlas

    check_param(
        not isinstance(powers, str) and len(powers) >= 2,
        "powers",
        "two or more countries, e.g. ('CHN', 'USA')",
        powers,
    )
    codes = list(dict.fromkeys(_countries.resolve(p, where=f"{caller()}() powers") for p in powers))
    check_param(len(codes) >= 2, "powers", "at least two distinct countries", powers)
    st = get_store(store)
    say = progress or (lambda step, done, total: None)
    pairs = list(combinations(codes, 2))
    data = {}
    for k, (a, b) in enumerate(pairs):
        say(f"atlas {a}-{b}", k, len(pairs))
        world = atlas((a, b), measure=measure, n_boot=n_boot, store=st)
        moved = movers(world, top=None, one_per_state=False)
        data[f"{a}|{b}|{measure}"] = _data.atlas_payload(world, moved, (a, b), measure)
    say("writing", len(pairs), len(pairs))
    first = data[f"{codes[0]}|{codes[1]}|{measure}"]
    if year is not None:
        check_param(
            year in first["years"],
            "year",
            f"a year the atlas holds ({first['years'][0]} to {first['years'][-1]})",
            year,
        )
    scripts = [_inline_js(n) for n in _SCRIPTS]
    css = _data.asset("style.css").decode("utf-8")
    csp = (
        "default-src 'none'; script-src "
        + " ".join(_sha256(s) for s in scripts)
        + "; style-src "
        + _sha256(css)
        + "; img-src data:; connect-src 'none'; base-uri 'none'; form-action 'none'"
    )
    config = {"mode": "offline", "a": codes[0], "b": codes[1], "measure": measure, "year": year}
    geometry = json.loads(_data.asset("vendor/countries-110m.json"))
    html = _env.get_template("atlas.html.j2").render(
        offline=True,
        csp=csp,
        title=f"Atlas {codes[0]}-{codes[1]}",
        inline_css=Markup(css),  # noqa: S704 - our stylesheet, hashed in the CSP
        inline_js=[Markup(s) for s in scripts],  # noqa: S704 - packaged scripts, hashed
        config=_data.json_script(config),
        data=_data.json_script(data),
        geometry=_data.json_script(geometry),
        countries=[{"code": c, "name": _countries.name(c)} for c in codes],
        measures=[{"name": measure, "description": measure}],
        version=hedgewatch.__version__,
    )
    if out is not None:
        path = Path(out)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(html, encoding="utf-8")
    return html
