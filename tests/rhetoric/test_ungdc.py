"""The UNGDC reader: both layouts, the speakers sheet, identity rules, located errors."""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hedgewatch.errors import DataFormatError, UnknownCountryError
from hedgewatch.sources.ungdc import (
    SPEECH_COLUMNS,
    load_ungdc,
    normalise_speeches,
    read_speakers,
    read_ungdc,
)

from .conftest import HERE

TXT = HERE / "ungdc_txt"
SPEAKERS = HERE / "speakers_extract.csv"


def test_folder_layout_and_identity_rules():
    df = load_ungdc(TXT, SPEAKERS)
    assert list(df.columns) == SPEECH_COLUMNS
    assert len(df) == 6
    got = {(r.code, r.year): (r.state, r.country) for r in df.itertuples()}
    assert got[("RUS", 1991)] == ("SUN", "RUS")  # the USSR still spoke in September 1991
    assert got[("RUS", 2017)] == ("RUS", "RUS")
    assert got[("CHN", 1971)] == ("TWN", "TWN")  # Republic of China's seat until Oct 1971
    assert got[("YUG", 1991)] == ("YUG", "SRB")
    assert got[("EU", 2011)] == ("EU", "EU")  # kept, documented non-state code
    prk = df[df["code"] == "PRK"].iloc[0]
    assert not prk["text"].startswith("\ufeff")  # byte-order mark removed
    assert prk["text"].startswith("First of all")


def test_speakers_joined_and_codes_normalised():
    sp = read_speakers(SPEAKERS)
    assert {"EU", "YMD"} <= set(sp["code"])  # 'EC' -> EU, 'YDYE ' -> YMD
    df = load_ungdc(TXT, SPEAKERS)
    rus = df[(df["code"] == "RUS") & (df["year"] == 2017)].iloc[0]
    assert rus["name"] == "Mr. Sergey Lavrov"
    assert rus["post"] == "Minister for Foreign Affairs"
    assert df.loc[df["code"] == "EU", "post"].iloc[0] == "President"


def test_parquet_layout_matches(extract):
    assert len(extract) == 78
    assert extract.groupby("year").size().to_dict() == {2017: 26, 2021: 26, 2023: 26}
    assert (extract["year"] - extract["session"] == 1945).all()
    assert set(extract.loc[extract["code"] == "EU", "country"]) == {"EU"}


@pytest.mark.slow
def test_full_corpus_counts(full_corpus):
    assert len(full_corpus) == 10952
    rus = full_corpus[full_corpus["code"] == "RUS"]
    assert rus.loc[rus["year"] <= 1991, "state"].eq("SUN").all()
    assert rus.loc[rus["year"] >= 1992, "state"].eq("RUS").all()
    twn = full_corpus[full_corpus["state"] == "TWN"]
    assert twn["year"].max() == 1971 and len(twn) == 25
    assert full_corpus.loc[full_corpus["country"] == "CHN", "year"].min() == 1972
    assert (full_corpus["country"] == "EU").sum() == 14


def test_bad_file_names_listed_together(tmp_path):
    (tmp_path / "PRK_72_2017.txt").write_text("Peace.", encoding="utf-8")
    (tmp_path / "notes.txt").write_text("x", encoding="utf-8")
    (tmp_path / "RUS-72-2017.txt").write_text("x", encoding="utf-8")
    with pytest.raises(DataFormatError) as err:
        read_ungdc(tmp_path)
    msg = str(err.value)
    assert "notes.txt" in msg and "RUS-72-2017.txt" in msg and "ISO3_SESSION_YEAR" in msg


def test_non_utf8_located(tmp_path):
    (tmp_path / "PRK_72_2017.txt").write_bytes(b"line one\nbad \xff byte\n")
    with pytest.raises(DataFormatError, match=r"line 2.*not UTF-8"):
        read_ungdc(tmp_path)


def test_session_year_mismatch_and_empty_text(tmp_path):
    path = tmp_path / "c.parquet"
    pd.DataFrame(
        {
            "country": ["PRK", "RUS"],
            "session": [72, 72],
            "year": [2017, 2018],
            "text": ["", "Peace."],
        }
    ).to_parquet(path)
    with pytest.raises(DataFormatError) as err:
        read_ungdc(path)
    assert err.value.total == 2
    assert "empty speech text" in str(err.value) and "session does not match" in str(err.value)


def test_missing_column_prints_header(tmp_path):
    path = tmp_path / "c.parquet"
    pd.DataFrame({"iso": ["PRK"], "session": [72], "year": [2017], "speech": ["x"]}).to_parquet(
        path
    )
    with pytest.raises(DataFormatError, match=r"missing column\(s\) country, text.*iso, session"):
        read_ungdc(path)


def test_unknown_code_is_an_error():
    df = pd.DataFrame({"code": ["XXQ"], "session": [72], "year": [2017], "text": ["Peace."]})
    with pytest.raises(UnknownCountryError, match="XXQ"):
        normalise_speeches(df)


@settings(max_examples=25, deadline=None)
@given(
    text=st.text(
        alphabet=st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=200
    ).filter(lambda t: t.strip() and not t.startswith("\ufeff")),
    year=st.integers(1946, 2030),
)
def test_folder_round_trip(tmp_path_factory, text, year):
    folder = tmp_path_factory.mktemp("ungdc")
    (folder / f"PRK_{year - 1945}_{year}.txt").write_bytes(text.encode("utf-8"))
    df = read_ungdc(folder)
    assert df.loc[0, "text"] == text
    assert (df.loc[0, "code"], df.loc[0, "session"], df.loc[0, "year"]) == (
        "PRK",
        year - 1945,
        year,
    )
