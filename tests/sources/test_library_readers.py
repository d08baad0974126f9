"""The UN Digital Library layouts: scraped long (Parquet/CSV), wide, vetoes; format detection.

Fixtures are real rows of ../shared/data cut by tools/make_test_fixtures.py: the long sample
holds 19 Library records (GA 1985, 2018-2019, 2021, 2025, one undated; SC 1950, 2006, 2010,
2017, 2025), the wide sample the same records laid out one row per resolution.
"""

from __future__ import annotations

import pandas as pd
import pytest

from hedgewatch.errors import DataFormatError
from hedgewatch.sources._library import LIBRARY_RCID_OFFSET, clean_titles, sessions
from hedgewatch.sources.undl_long import read_undl_long
from hedgewatch.sources.undl_wide import read_undl_wide
from hedgewatch.sources.unga import detect_format
from hedgewatch.sources.vetoes import read_vetoes

from ..conftest import DATA

UNGA = DATA / "unga"
LONG = UNGA / "undl_long_sample.parquet"
WIDE = UNGA / "undl_wide_sample.csv"


@pytest.fixture(scope="module")
def long_record():
    return read_undl_long(LONG)


def _long_csv(tmp_path, edit=None, drop=None):
    df = pd.read_parquet(LONG)
    df = df.astype({c: object for c in df.columns if isinstance(df[c].dtype, pd.CategoricalDtype)})
    df["date"] = df["date"].dt.strftime("%Y-%m-%d")
    if edit:
        edit(df)
    if drop:
        df = df.drop(columns=drop)
    p = tmp_path / "long.csv"
    df.to_csv(p, index=False)
    return p


def _wide(tmp_path, edit):
    df = pd.read_csv(WIDE, dtype=str, keep_default_na=False)
    df = edit(df) if edit else df
    p = tmp_path / "wide.csv"
    df.to_csv(p, index=False)
    return p


def test_detect_every_layout(tmp_path, shared_data):
    assert detect_format(UNGA / "voeten_small.csv") == "voeten"
    assert detect_format(UNGA) == "unvotes"
    assert detect_format(UNGA / "2025_undl_ga_voting.csv") == "undl"
    assert detect_format(LONG) == "undl-long"  # Parquet: binary, recognised by its magic
    assert detect_format(_long_csv(tmp_path)) == "undl-long"
    assert detect_format(WIDE) == "undl-wide"
    # the real staged files
    assert detect_format(shared_data / "unga" / "undl_votes_scraped_1946_2021_2025.parquet") == (
        "undl-long"
    )
    assert detect_format(shared_data / "unsc" / "unsc_votes_scraped_1946_2021_2025.parquet") == (
        "undl-long"
    )
    assert detect_format(shared_data / "unsc" / "unsc_vetoes_1946_sept2022.csv") == "vetoes"
    assert detect_format(shared_data / "unga" / "UNVotesPublished.csv.gz") == "voeten"
    assert detect_format(shared_data / "unga" / "bsv_matches.csv") == "bridges"


def test_long_layout(long_record):
    rec = long_record
    rc = rec.assembly.roll_calls.set_index("resolution")
    assert len(rc) == 12 and len(rec.council.resolutions) == 5
    assert (rc["rcid"] > LIBRARY_RCID_OFFSET).all()
    assert rc.loc["A/RES/ES-11/7", "rcid"] == LIBRARY_RCID_OFFSET + 4076672
    # sessions from the symbol, or (emergency special session) from the date
    assert rc.loc["A/RES/40/5", "session"] == 40 and rc.loc["A/RES/ES-11/7", "session"] == 79
    # a year-only date: no date, the year kept
    assert pd.isna(rc.loc["A/RES/66/230", "date"]) and rc.loc["A/RES/66/230", "year"] == 2011
    assert rc.loc["A/RES/74/167", "title"] == (
        "Situation of human rights in the Islamic Republic of Iran"
    )
    v = rec.assembly.votes.merge(rec.assembly.roll_calls[["rcid", "resolution"]], on="rcid")
    s85 = v[v["resolution"] == "A/RES/40/5"]
    assert {"SUN", "DDR", "YMD"} <= set(s85["state"])
    assert set(s85.loc[s85["state"] == "SUN", "country"]) == {"RUS"}
    # China's seat before 25 October 1971 is the Republic of China's
    sc = rec.council.votes.merge(rec.council.resolutions[["undl_id", "resolution"]])
    assert "TWN" in set(sc.loc[sc["resolution"] == "S/RES/82(1950)", "state"])
    prk = sc[sc["resolution"] == "S/RES/2397(2017)"].set_index("country")["vote"]
    assert prk["CHN"] == "yes" and prk["RUS"] == "yes" and len(prk) == 15
    # what the reader set aside, said
    assert any("DONOTKNOW" in n for n in rec.notes)
    assert any("record 3949880 repeats record 3949879" in n for n in rec.notes)
    # the one row of the sample whose votes disagree with its totals
    assert rec.checks.rows[["resolution", "column"]].values.tolist() == [
        ["S/RES/1966(2010)", "total_yes"]
    ]


def test_long_csv_reads_like_parquet(tmp_path, long_record):
    rec = read_undl_long(_long_csv(tmp_path))
    pd.testing.assert_frame_equal(rec.assembly.votes, long_record.assembly.votes)
    pd.testing.assert_frame_equal(
        rec.assembly.roll_calls.drop(columns="date"),
        long_record.assembly.roll_calls.drop(columns="date"),
    )
    pd.testing.assert_frame_equal(rec.council.votes, long_record.council.votes)


def test_wide_layout_holds_the_same_votes(long_record):
    wide = read_undl_wide(WIDE)
    cast = ["yes", "no", "abstain"]
    members = set(pd.read_csv(WIDE, nrows=0).columns[17:])
    a = long_record.assembly.votes
    a = a[a["vote"].isin(cast) & a["state"].isin(members)]
    b = wide.assembly.votes
    key = ["rcid", "state", "vote"]
    dated = long_record.assembly.roll_calls.dropna(subset=["date"])["rcid"]
    pd.testing.assert_frame_equal(
        a[a["rcid"].isin(dated)][key].reset_index(drop=True), b[key].reset_index(drop=True)
    )
    assert len(wide.council.resolutions) == 5


def test_wide_row_check_reports_a_corrupted_cell(tmp_path):
    clean = read_undl_wide(WIDE).checks.rows
    # rows that count a vote no column holds (the USSR's and Byelorussia's in 1985, ...)
    assert set(clean["resolution"]) == {
        "S/RES/82(1950)",
        "A/RES/40/5",
        "A/RES/40/6",
        "S/RES/1966(2010)",
    }

    def corrupt(df):
        row = df.index[df["Resolution"] == "A/RES/76/11"][0]
        assert df.loc[row, "PRK"] == "YES"
        df.loc[row, "PRK"] = "NO"
        return df

    got = read_undl_wide(_wide(tmp_path, corrupt)).checks
    new = got.rows[got.rows["resolution"] == "A/RES/76/11"]
    assert set(new["column"]) == {"total_yes", "total_no"}
    line = int(pd.read_csv(WIDE).index[pd.read_csv(WIDE)["Resolution"] == "A/RES/76/11"][0]) + 2
    assert set(new["line"]) == {line} and str(tmp_path / "wide.csv") in got.summary()


# --- bad input: one clear error each --------------------------------------------------------
def test_unknown_vote_strings(tmp_path):
    def long_edit(df):
        df.loc[7, "ms_vote"] = "MAYBE"

    with pytest.raises(DataFormatError, match=r"line 9, column 'ms_vote'.*MAYBE"):
        read_undl_long(_long_csv(tmp_path, long_edit))

    def wide_edit(df):
        df.loc[2, "PRK"] = "PERHAPS"
        return df

    with pytest.raises(DataFormatError, match=r"line 4, column 'PRK'.*unknown vote.*PERHAPS"):
        read_undl_wide(_wide(tmp_path, wide_edit))


def test_unknown_member_codes(tmp_path):
    def long_edit(df):
        df["ms_code"] = df["ms_code"].astype(object)
        df.loc[3, "ms_code"] = "XXX"

    with pytest.raises(DataFormatError, match=r"line 5, column 'ms_code'.*unknown member.*XXX"):
        read_undl_long(_long_csv(tmp_path, long_edit))
    with pytest.raises(DataFormatError, match=r"column 'XYZ': unknown member-state code"):
        read_undl_wide(_wide(tmp_path, lambda df: df.rename(columns={"PRK": "XYZ"})))


def test_duplicated_resolutions(tmp_path):
    df = pd.read_parquet(LONG)
    df = pd.concat([df, df.iloc[[20]]], ignore_index=True).astype({"ms_vote": object})
    p = tmp_path / "dup.parquet"
    df.to_parquet(p)
    with pytest.raises(DataFormatError, match="second vote of .* duplicated resolution row"):
        read_undl_long(p)
    with pytest.raises(DataFormatError, match=r"a second row for this record \(duplicated"):
        read_undl_wide(_wide(tmp_path, lambda d: pd.concat([d, d.iloc[[3]]], ignore_index=True)))

    # one resolution under two record ids with *different* votes: which is it? refused
    def differ(d):
        rows = d.index[(d["undl_id"] == 3949880) & (d["ms_code"] == "FRA")]
        d.loc[rows, "ms_vote"] = "N"

    with pytest.raises(DataFormatError, match="A/76/L.14 .* recorded twice .* different votes"):
        read_undl_long(_long_csv(tmp_path, differ))


def test_wide_header_without_member_columns(tmp_path):
    def strip(df):
        return df[list(df.columns[:17])]

    with pytest.raises(DataFormatError, match="header has no member-state columns"):
        read_undl_wide(_wide(tmp_path, strip))


def test_mixed_bodies_without_body_column(tmp_path):
    with pytest.raises(DataFormatError, match="mixed and the file has no 'body' column"):
        read_undl_long(_long_csv(tmp_path, drop=["body"]))
    # GA rows alone need no body column
    only_ga = pd.read_parquet(LONG)
    only_ga = only_ga[only_ga["body"] == "GA"].drop(columns="body")
    p = tmp_path / "ga.parquet"
    only_ga.to_parquet(p)
    assert len(read_undl_long(p).assembly.roll_calls) == 12


def test_sessions_and_titles():
    sym = pd.Series(["A/RES/2507(XXIV)", "A/RES/76/11", "A/76/L.14", "A/RES/ES-10/21", None])
    dates = pd.to_datetime(["1969-11-21", "2021-12-06", "2021-12-01", "2023-10-27", "2025-03-04"])
    assert sessions(sym, pd.Series(dates)).tolist() == [24, 76, 76, 78, 79]
    titles = clean_titles(
        pd.Series(
            [
                "Question of Palestine : resolution / adopted by the General Assembly",
                "Item 39 - DR A/76/L.14 Peaceful settlement of the question of Palestine",
                "Transparency in armaments : resolultion / adopted by the General Assembly",
                "A very long title that the scraper cut : resolution / adopted by the Genera[...]",
            ]
        )
    )
    assert titles.tolist() == [
        "Question of Palestine",
        "Peaceful settlement of the question of Palestine",
        "Transparency in armaments",
        "A very long title that the scraper cut [...]",
    ]


def test_vetoes_real_file(shared_data):
    rec = read_vetoes(shared_data / "unsc" / "unsc_vetoes_1946_sept2022.csv")
    v = rec.vetoes
    assert v["item"].nunique() == 214 and len(v) == 265
    prk = v[v["draft"] == "S/2022/431"]
    assert sorted(prk["country"]) == ["CHN", "RUS"]
    assert str(prk["date"].iloc[0].date()) == "2022-05-26"
    assert "Democratic People's Republic of Korea" in prk["agenda_item"].iloc[0]
    # the USSR's vetoes continue as Russia's country
    assert set(v.loc[v["state"] == "SUN", "country"]) == {"RUS"}


def test_vetoes_bad_member(tmp_path, shared_data):
    df = pd.read_csv(
        shared_data / "unsc" / "unsc_vetoes_1946_sept2022.csv", dtype=str, keep_default_na=False
    )
    df.loc[5, "member_veto1"] = "Atlantis"
    p = tmp_path / "v.csv"
    df.to_csv(p, index=False)
    with pytest.raises(DataFormatError, match=r"line 7, column 'member_veto1'.*Atlantis"):
        read_vetoes(p)
