"""The bridges reader and title-derived bridges."""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from hedgewatch.errors import DataFormatError
from hedgewatch.idealpoints import title_bridges
from hedgewatch.sources.bridges import normalise_bridges, read_bridges

from .conftest import DATA

SHARED = DATA.parents[2].parent / "shared" / "data" / "unga" / "bsv_matches.csv"


def test_reads_the_published_list():
    if not SHARED.exists():
        pytest.skip("../shared/data is not available")
    b = read_bridges(SHARED)
    assert len(b) == 955 and list(b.columns) == ["rcid1", "rcid2"]
    assert b.iloc[0].tolist() == [299, 331]
    assert (b["rcid1"] < b["rcid2"]).all()


def test_bad_rows_are_all_reported_with_lines(tmp_path):
    p = tmp_path / "m.csv"
    p.write_text("v1,rcid1,rcid2\n1,299,331\n2,x,423\n3,5,-1\n")
    with pytest.raises(DataFormatError, match=r"line 3, column 'rcid1'.*'x'.*1 more"):
        read_bridges(p)
    p.write_text("a,b\n1,2\n")
    with pytest.raises(DataFormatError, match="missing column"):
        read_bridges(p)


@given(st.lists(st.tuples(st.integers(1, 50), st.integers(1, 50)), max_size=30))
def test_normalise_is_ordered_and_idempotent(pairs):
    df = pd.DataFrame(pairs, columns=["rcid1", "rcid2"], dtype="int64")
    once = normalise_bridges(df)
    assert (once["rcid1"] < once["rcid2"]).all()
    pd.testing.assert_frame_equal(normalise_bridges(once), once)


def test_title_bridges_link_consecutive_sessions_only_for_specific_titles(real_roll_calls):
    tb = title_bridges(real_roll_calls)
    rc = real_roll_calls.set_index("rcid")
    assert len(tb) > 0
    s1 = rc.loc[tb["rcid1"], "session"].to_numpy()
    s2 = rc.loc[tb["rcid2"], "session"].to_numpy()
    assert (s2 > s1).all()

    def norm(s):
        return s.str.lower().str.replace(r"[^a-z0-9]+", " ", regex=True).str.strip().to_numpy()

    assert (norm(rc.loc[tb["rcid1"], "title"]) == norm(rc.loc[tb["rcid2"], "title"])).all()
    assert not rc.loc[tb["rcid1"], "is_amendment"].any()


def test_library_titles_bridge_to_earlier_sessions():
    """Session 75+ (the UN Digital Library's titles) bridge to the same resolutions of session
    74 (unvotes' titles carry the catalogue's ': resolution / adopted by ...')."""
    rc = pd.DataFrame(
        {
            "rcid": [1, 2, 3, 4, 5],
            "session": [74, 75, 74, 76, 80],
            "title": [
                "Situation of human rights in the Islamic Republic of Iran : resolution / "
                "adopted by the General Assembly",
                "Situation of human rights in the Islamic Republic of Iran",
                "Prohibition of the development and manufacture of new types of weapons of "
                "mass destruction and new systems of such weapons : report of the Conference "
                "on Disarmament",
                # a title the scrape cut: it takes the one full title that starts with it
                "Prohibition of the development and manufacture of new types of weapons of "
                "mass destruction and new systems of such weapons : report of the Conference [...]",
                "Situation of human rights in the Islamic Republic of Iran",
            ],
        }
    )
    pairs = set(map(tuple, title_bridges(rc).to_numpy().tolist()))
    assert pairs == {(1, 2), (2, 5), (3, 4)}
