"""Text from data is shown as text: no markup, no scripts, no external URLs in the report."""

from __future__ import annotations

import re

import matplotlib.pyplot as plt
from markupsafe import escape

from hedgewatch.report import figures
from hedgewatch.report._render import CSP, render
from hedgewatch.report.model import Figure, Section, Table


def test_statement_markup_is_escaped_in_the_report(prk_report, malicious_title):
    html = prk_report[0].html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; KCNA title" in html
    assert "<script" not in html.lower()
    assert malicious_title not in html


def test_no_event_handler_or_external_url(prk_report):
    html = prk_report[0].html
    assert not re.search(r"<[^>]+\son\w+\s*=", html, re.I)
    assert not re.search(r"(src|href)\s*=\s*[\"']?(https?:|//|javascript:)", html, re.I)
    assert "http://" not in html and "https://" not in html
    assert f'content="{escape(CSP)}"' in html
    assert "default-src 'none'" in CSP


def test_every_string_field_is_escaped():
    evil = '<img src=x onerror=alert(1)>"'
    import pandas as pd

    sec = Section(
        evil,
        evil,
        "not measurable",
        reason=evil,
        paragraphs=(evil,),
        tables=(Table(evil, pd.DataFrame({evil: [evil]}), evil),),
        references=(evil,),
    )
    claims = pd.DataFrame(
        [
            {
                c: evil
                for c in (
                    "id",
                    "claim",
                    "quote",
                    "measurement",
                    "rule",
                    "value",
                    "figure",
                    "verdict",
                    "reason",
                )
            }
        ]
    )
    html = render(
        state=evil,
        state_name=evil,
        powers=[(evil, evil)],
        sections=[sec],
        claims=claims,
        claims_source=evil,
        provenance={evil: evil},
        references=[evil],
        generated=evil,
        version=evil,
    )
    assert "<img" not in html
    assert html.count("&lt;img src=x onerror=alert(1)&gt;") >= 10


def test_figure_svg_carries_no_data_text_or_links():
    fig, ax = plt.subplots()
    ax.plot([1, 2], [1, 2], label="<script>alert(1)</script> --> x")
    ax.set_title("<img src=x onerror=alert(1)>")
    ax.legend()
    svg = figures.to_svg(fig, "t")
    assert svg.startswith("<svg")
    for bad in ("<script", "onerror", "alert", "<!--", "http", "<metadata", "<?xml"):
        assert bad not in svg
    ids = re.findall(r'\bid="([^"]+)"', svg)
    assert ids and all(i.startswith("t-") for i in ids)


def test_unexpected_svg_markup_is_refused(monkeypatch):
    fig, _ = plt.subplots()
    monkeypatch.setattr(figures, "_STRIP", [])  # keep the http namespace URLs in
    try:
        figures.to_svg(fig, "t")
    except figures.FigureError as exc:
        assert "http" in str(exc)
    else:
        raise AssertionError("an SVG with URLs must be refused")


def test_figure_model_is_plain_data():
    f = Figure("k", "title", "<svg></svg>")
    assert f.caption == ""


def test_cells_render_missing_values_plainly():
    import numpy as np
    import pandas as pd

    from hedgewatch.report._render import cell

    assert cell(pd.NA) == "" and cell(None) == "" and cell(pd.NaT) == ""
    assert cell(np.nan) == "n/a"
    assert cell(0.123456) == "0.123"
    assert cell(pd.Timestamp("2015-06-11")) == "2015-06-11"
