"""One record, no double counting: Library roll calls already held are matched, not added."""

from __future__ import annotations

import pandas as pd
import pytest

from hedgewatch import store as hw_store
from hedgewatch import workflows
from hedgewatch.sources.undl_long import read_undl_long
from hedgewatch.store import Store
from hedgewatch.store._matching import match_roll_calls, resolution_key

from ..conftest import DATA

LONG = DATA / "unga" / "undl_long_sample.parquet"


def test_resolution_key_spellings():
    same = ["A/RES/45/59[D]", "R/45/59D", "R/45/59/D", "45/59 D", "a/res/45/59 d"]
    assert set(resolution_key(pd.Series(same))) == {"45/59D"}
    assert resolution_key(pd.Series(["A/RES/2507(XXIV)", "R/24/2507"])).nunique() == 1
    assert resolution_key(pd.Series(["A/RES/1006(ES-II)"])).iloc[0] == "ES-2/1006"
    assert resolution_key(pd.Series(["A/RES/37/237XI", "R/37/237/XI"])).nunique() == 1
    assert resolution_key(pd.Series(["A/RES/45/59[D]", "A/RES/45/59[E]"])).nunique() == 2


def _frames(rows):
    rc = pd.DataFrame(
        [r[:6] for r in rows],
        columns=["rcid", "session", "date", "resolution", "is_amendment", "is_paragraph"],
    )
    rc["date"] = pd.to_datetime(rc["date"])
    votes = pd.DataFrame(
        [(r[0], f"C{i:02d}", v) for r in rows for i, v in enumerate(r[6])],
        columns=["rcid", "country", "vote"],
    )
    return rc, votes


YES30 = ["yes"] * 30
SPLIT = ["yes"] * 15 + ["no"] * 15


def test_match_rules_on_hand_made_frames():
    held, hv = _frames(
        [
            (1, 40, "1985-12-02", "R/40/5", False, False, YES30),  # Voeten's date is off
            (2, 40, "1985-12-10", "R/40/9", True, False, SPLIT),  # an amendment ...
            (3, 40, "1985-12-10", "R/40/9", False, False, SPLIT),  # ... and the resolution
            (4, 40, "1985-12-12", "", None, None, ["no"] + YES30[1:]),  # no symbol
            (5, 40, "1985-12-13", "R/40/20", False, False, SPLIT),
        ]
    )
    new, nv = _frames(
        [
            (101, 40, "1985-12-16", "A/RES/40/5", False, False, YES30),
            (102, 40, "1985-12-10", "A/RES/40/9", False, False, SPLIT),
            (103, 40, "1985-12-20", "A/RES/40/11", False, False, ["no"] + YES30[1:]),
            # same symbol, but the votes are another vote's: not a match
            (104, 40, "1985-12-13", "A/RES/40/20", False, False, SPLIT[::-1]),
            (105, 41, "1986-12-13", "A/RES/41/1", False, False, SPLIT),  # nothing held
        ]
    )
    m = match_roll_calls(held, hv, new, nv)
    got = m.pairs.set_index("rcid")
    assert got.loc[101, "held_rcid"] == 1 and got.loc[101, "how"] == "symbol"
    assert got.loc[102, "held_rcid"] == 3  # the whole resolution, not the amendment
    assert got.loc[103, "held_rcid"] == 4 and got.loc[103, "how"] == "same_vote"
    assert 104 not in got.index and 105 not in got.index
    assert m.counts()["vote_disagreements"] == 0


def test_importing_the_sample_adds_only_what_is_not_held(hw_home):
    before = hw_store.info()["roll_calls"]
    counts = workflows.import_file(str(LONG))
    # 1985, 2019 and the undated 2011 record are held by Voeten's/unvotes record (matched);
    # 2021 and 2025 are bundled under the same Library ids (replaced); the two 2018 records
    # are not held (added)
    assert counts["roll_calls_matched"] == 5 and counts["matched_by_symbol"] == 5
    assert counts["roll_calls_replaced"] == 5 and counts["roll_calls_added"] == 2
    assert hw_store.info()["roll_calls"] == before + 2
    again = workflows.import_file(str(LONG))
    assert again["roll_calls_added"] == 0 and hw_store.info()["roll_calls"] == before + 2
    # no roll call twice: each sample resolution is held exactly once in its session
    rc = hw_store.roll_calls()
    whole = rc[~(rc["is_amendment"].fillna(False) | rc["is_paragraph"].fillna(False))]
    keys = whole.assign(key=resolution_key(whole["resolution"]))
    sample = read_undl_long(LONG).assembly.roll_calls
    for key, session in zip(resolution_key(sample["resolution"]), sample["session"], strict=True):
        if key != "76/L.14":  # a draft symbol: held under its resolution's symbol
            n = ((keys["key"] == key) & (keys["session"] == session)).sum()
            assert n == 1, (key, session, n)


@pytest.mark.slow
def test_full_scrape_overlap(library_scrape, tmp_path):
    """The whole scrape against the bundled record: figures of the overlap, and a second
    import adds nothing."""
    rec = library_scrape
    st = Store(tmp_path / "s.duckdb")
    counts = hw_store.import_library(rec, store=st)
    # 4,898 held by the researchers' record (4,354 by symbol, 544 by the same vote), 378 of
    # 2020-2025 bundled under their Library ids, 153 not held before 2020 (added)
    assert counts["roll_calls_matched"] == 4898 and counts["matched_by_symbol"] == 4354
    assert counts["roll_calls_replaced"] == 378 and counts["roll_calls_added"] == 153
    assert counts["vote_disagreements"] == 959  # of 723,417 votes cast in both
    again = hw_store.import_library(rec, store=st)
    assert again["roll_calls_added"] == 0 and again["roll_calls_matched"] == 4898
    assert hw_store.info(st)["roll_calls"] == 6581 + 153
