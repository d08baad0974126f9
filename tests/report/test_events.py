"""The report's Events section: left out without event data, computed with it."""

from __future__ import annotations

import shutil

import numpy as np
import pandas as pd
import pytest

from hedgewatch.events import event_position
from hedgewatch.paths import bundled_tables
from hedgewatch.report import build_report
from hedgewatch.report.claims import NOT_SUPPORTED, SUPPORTED
from hedgewatch.store import Store, event_days
from hedgewatch.workflows import import_events

EVIL = "<script>alert(1)</script>"
OTHERS = ["VNM", "CUB", "IRN", "SYR", "VEN", "BLR", "LAO", "MMR", "IND", "BRA", "ZAF", "EGY"]


def dyads(path):
    """2018-2019: PRK's net cooperation goes to China, then from 2019Q2 to Russia; a dozen
    other states lean one way or the other."""
    rng = np.random.default_rng(4)
    lines = ["date,iso3_a,iso3_b,edge_weight"]
    for day in pd.date_range("2018-01-01", "2019-12-31", freq="D"):
        late = day >= pd.Timestamp("2019-04-01")
        chn, rus = (1.0, 8.0) if late else (8.0, 1.0)
        lines += [f"{day:%Y-%m-%d},PRK,CHN,{chn + rng.normal(0, 0.5):.4f}"]
        lines += [f"{day:%Y-%m-%d},PRK,RUS,{rus + rng.normal(0, 0.5):.4f}"]
        lines += [f"{day:%Y-%m-%d},PRK,USA,{-3 + rng.normal(0, 0.5):.4f}"]
        for i, s in enumerate(OTHERS):
            lean = (i - len(OTHERS) / 2) / len(OTHERS)
            lines += [f"{day:%Y-%m-%d},{s},CHN,{2 - 2 * lean + rng.normal(0, 0.3):.4f}"]
            lines += [f"{day:%Y-%m-%d},{s},RUS,{2 + 2 * lean + rng.normal(0, 0.3):.4f}"]
    path.write_text("\n".join(lines) + "\n")
    return path


@pytest.fixture(scope="module")
def reports(tmp_path_factory, store):
    """The events-only report on a copy of the session's report store, before and after
    events are imported."""
    home = tmp_path_factory.mktemp("events-report")
    store.ensure(*bundled_tables())
    shutil.copyfile(store.path, home / "hedgewatch.duckdb")
    store = Store(home / "hedgewatch.duckdb")
    settings = {"n_boot": 40}
    before = build_report(
        "PRK", ("CHN", "RUS"), store=store, sections=["events"], settings=settings
    )
    import_events(str(dyads(home / "dyads.csv")), dataset=EVIL, store=store)
    after = build_report("PRK", ("CHN", "RUS"), store=store, sections=["events"], settings=settings)
    return before, after, store


@pytest.fixture(scope="module")
def with_events(reports):
    return reports[1], reports[2]


def test_without_events_the_section_is_left_out(reports):
    rep = reports[0]
    assert [s.key for s in rep.sections] == []
    assert 'id="events"' not in rep.html
    claims = rep.claims.set_index("id")
    assert "no event data loaded" in claims.loc["pivot_russia_events", "reason"]


def test_section_measures_what_the_analysis_gives(with_events):
    rep, store = with_events
    sec = rep.section("events")
    assert sec.ok and sec.figures and len(sec.tables) == 3
    m = rep.measurements()
    daily = event_days(["PRK"], dataset=EVIL, store=store)
    pooled = event_position(daily, "PRK", ["CHN", "RUS"], by=None, n_boot=40)
    assert m["events_position"].value == pytest.approx(pooled["position"].iloc[0])
    assert m["events_position_lo"].value == pytest.approx(pooled["position_lo"].iloc[0])
    # the designed shift: from China to Russia in 2019Q2
    assert m["events_pivot_B_period"].value == 2019.25
    assert m["events_pivot_B_size"].value > 1.0
    assert m["events_pivot_B_stability"].value >= 0.9
    assert m["events_pivot_A_size"].value == 0.0
    verdict = rep.claims.set_index("id")["verdict"]
    assert verdict["pivot_russia_events"] == SUPPORTED
    both = m["events_position_lo"].value >= -0.5 and m["events_position_hi"].value <= 0.5
    assert verdict["balancing_events"] == (SUPPORTED if both else NOT_SUPPORTED)


def test_votes_and_events_are_compared_over_shared_years(with_events):
    rep, _ = with_events
    sec = rep.section("events")
    overlap = sec.tables[2].frame
    assert set(overlap["year"]) == {"2018", "2019"} and (overlap["state"] == "PRK").all()
    assert any("correlate at r =" in p for p in sec.paragraphs)


def test_data_reaches_the_page_as_text(with_events):
    rep, _ = with_events
    assert EVIL not in rep.html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in rep.html
