"""Sections kept in the store's cache: read back equal, recomputed when the key changes."""

from __future__ import annotations

import math

import pandas as pd

from hedgewatch.report._section_cache import cached_section, from_frame, to_frame
from hedgewatch.report.model import Figure, Measurement, Section, Table
from hedgewatch.report.sections._context import DEFAULT_SETTINGS, Context

SECTION = Section(
    "demo",
    "Demo <b>title</b>",
    paragraphs=("one", 'two "quoted" <script>'),
    figures=(Figure("f", "F", "<svg></svg>", "cap"),),
    tables=(
        Table("t1", pd.DataFrame({"country": ["PRK", "CHN"], "x": [1.5, math.nan]}), "c"),
        Table("t2", pd.DataFrame({"n": pd.array([1, None], dtype="Int64")})),
    ),
    measurements=(Measurement("m", 0.25, "label", "f", lo=0.1), Measurement("u", math.nan, "l")),
    references=("Ref 2020.",),
)


def _same(a: Section, b: Section) -> None:
    assert (a.key, a.title, a.status, a.paragraphs, a.figures) == (
        b.key,
        b.title,
        b.status,
        b.paragraphs,
        b.figures,
    )
    assert a.references == b.references
    for x, y in zip(a.measurements, b.measurements, strict=True):
        assert (x.key, x.label, x.figure) == (y.key, y.label, y.figure)
        for v, w in ((x.value, y.value), (x.lo, y.lo), (x.hi, y.hi)):
            assert v == w or (math.isnan(v) and math.isnan(w))
    for x, y in zip(a.tables, b.tables, strict=True):
        assert (x.title, x.caption) == (y.title, y.caption)
        pd.testing.assert_frame_equal(x.frame, y.frame)


def test_a_section_round_trips():
    _same(from_frame(to_frame(SECTION)), SECTION)


def test_second_call_reads_the_cache_until_the_settings_or_data_change(tmp_path):
    from hedgewatch.store import Store

    st = Store(tmp_path / "s.duckdb")
    calls = []

    def compute() -> Section:
        calls.append(1)
        return SECTION

    ctx = Context("PRK", ("CHN", "RUS"), st, pd.DataFrame(), cache=st.cached)
    _same(cached_section("demo", ctx, compute), SECTION)
    _same(cached_section("demo", ctx, compute), SECTION)
    assert len(calls) == 1
    other = Context(
        "PRK", ("CHN", "RUS"), st, pd.DataFrame(), {**DEFAULT_SETTINGS, "n_boot": 7}, st.cached
    )
    cached_section("demo", other, compute)
    assert len(calls) == 2
    st.write_tables({"statements": pd.DataFrame({"a": [1]})})  # new data version
    cached_section("demo", ctx, compute)
    assert len(calls) == 3


def test_nothing_to_show_is_kept_as_such(tmp_path):
    from hedgewatch.store import Store

    st = Store(tmp_path / "s.duckdb")
    calls = []

    def compute() -> None:
        calls.append(1)

    ctx = Context("PRK", ("CHN", "RUS"), st, pd.DataFrame(), cache=st.cached)
    assert cached_section("events", ctx, compute) is None
    assert cached_section("events", ctx, compute) is None
    assert len(calls) == 1
