"""Readers for the three UNGA layouts, on small real extracts and on bad input."""

from __future__ import annotations

import gzip
import shutil

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hedgewatch.errors import DataFormatError
from hedgewatch.sources.unga import (
    detect_format,
    merge_records,
    read_undl,
    read_unvotes,
    read_voeten,
)

from ..conftest import DATA

UNGA = DATA / "unga"


def test_voeten_small_extract():
    rec = read_voeten(UNGA / "voeten_small.csv")
    raw = pd.read_csv(UNGA / "voeten_small.csv")
    # non-members (9) are not votes; members' absences (8) are kept as 'absent'
    assert len(rec.votes) == int((raw["vote"] != 9).sum())
    assert (rec.votes["vote"] == "absent").sum() == int((raw["vote"] == 8).sum())
    assert set(rec.votes["vote"]) <= {"yes", "no", "abstain", "absent"}
    assert sorted(rec.roll_calls["rcid"]) == [3, 4, 4660, 4661, 4662]
    # COW 365 is the USSR in 1946 (state SUN) and Russia in 2005, one continuing country
    rus = rec.votes[rec.votes["country"] == "RUS"].merge(rec.roll_calls, on="rcid")
    assert set(rus.loc[rus["year"] == 1946, "state"]) == {"SUN"}
    assert set(rus.loc[rus["year"] == 2005, "state"]) == {"RUS"}
    # PRK votes in session 60 as COW 731
    assert (rec.votes["country"] == "PRK").sum() == 3
    # Voeten's flags become the issue list, in his order
    tags = rec.roll_calls.set_index("rcid")["issues"]
    first = raw.drop_duplicates("rcid").set_index("rcid")
    for rcid in tags.index:
        want = [c for c in ("me", "nu", "di", "hr", "co", "ec") if first.loc[rcid, c] == 1]
        assert tags[rcid] == want
    assert tags[4661] == ["me"]


def test_unvotes_small_extract_and_merge():
    u = read_unvotes(UNGA)
    v = read_voeten(UNGA / "voeten_small.csv")
    assert set(u.votes["vote"]) <= {"yes", "no", "abstain"}
    merged = merge_records(v, u)
    assert len(merged.roll_calls) == 5  # same roll calls: no duplicates
    assert not merged.votes.duplicated(["rcid", "country"]).any()
    assert len(merged.conflicts) == 0
    # every unvotes vote is kept; Voeten adds only the absences
    assert (merged.votes["vote"] != "absent").sum() == len(u.votes)
    assert merged.roll_calls["title"].notna().all()


def test_undl_layout():
    rec = read_undl(UNGA / "2025_undl_ga_voting.csv")
    assert len(rec.roll_calls) == 3
    rc = rec.roll_calls.set_index("resolution")
    # emergency special session symbol keeps its resolution, session from the date
    assert rc.loc["A/RES/ES-11/7", "session"] == 79
    # the catalogue's statement of responsibility is not part of the title
    assert rc.loc["A/RES/ES-11/7", "title"] == (
        "Advancing a comprehensive, just and lasting peace in Ukraine"
    )
    # Library ids become rcids in their own range (10^9 + record number)
    counts = rec.votes[rec.votes["rcid"] == 1_004_076_672]["vote"].value_counts()
    assert counts["yes"] == 93 and counts["no"] == 18 and counts["abstain"] == 65


def test_detect_format():
    assert detect_format(UNGA / "voeten_small.csv") == "voeten"
    assert detect_format(UNGA / "2025_undl_ga_voting.csv") == "undl"
    assert detect_format(UNGA) == "unvotes"


def _write(tmp_path, name, text, mode="w"):
    p = tmp_path / name
    if mode == "wb":
        p.write_bytes(text)
    else:
        p.write_text(text)
    return p


def _voeten_lines():
    return (UNGA / "voeten_small.csv").read_text().splitlines()


def test_wrong_columns(tmp_path):
    lines = _voeten_lines()
    lines[0] = lines[0].replace("ccode", "country")
    p = _write(tmp_path, "bad.csv", "\n".join(lines))
    with pytest.raises(DataFormatError, match=r"missing column\(s\) ccode.*header found"):
        read_voeten(p)


def test_unknown_vote_code_located(tmp_path):
    lines = _voeten_lines()
    cols = lines[0].split(",")
    row = lines[5].split(",")
    row[cols.index("vote")] = "7"
    lines[5] = ",".join(row)
    p = _write(tmp_path, "bad.csv", "\n".join(lines))
    with pytest.raises(DataFormatError) as exc:
        read_voeten(p)
    assert "line 6" in str(exc.value) and "'vote'" in str(exc.value) and "'7'" in str(exc.value)


def test_bad_date_and_duplicate_collected_together(tmp_path):
    lines = _voeten_lines()
    cols = lines[0].split(",")
    row = lines[3].split(",")
    row[cols.index("date")] = "31/31/1946"
    lines[3] = ",".join(row)
    lines.append(lines[10])  # duplicate (rcid, ccode)
    p = _write(tmp_path, "bad.csv", "\n".join(lines))
    with pytest.raises(DataFormatError) as exc:
        read_voeten(p)
    msg = str(exc.value)
    assert "line 4" in msg and "m/d/Y" in msg
    assert "duplicate (rcid, ccode)" in msg and exc.value.total == 2


def test_non_utf8_bytes_located(tmp_path):
    raw = (UNGA / "voeten_small.csv").read_bytes().split(b"\n")
    raw[7] = raw[7] + b"\xff\xfe"
    p = _write(tmp_path, "bad.csv", b"\n".join(raw), mode="wb")
    with pytest.raises(DataFormatError, match=r"line 8.*not UTF-8"):
        read_voeten(p)


def test_truncated_gzip(tmp_path):
    gz = tmp_path / "v.csv.gz"
    with open(UNGA / "voeten_small.csv", "rb") as src, gzip.open(gz, "wb") as dst:
        shutil.copyfileobj(src, dst)
    data = gz.read_bytes()
    gz.write_bytes(data[: len(data) // 2])
    with pytest.raises(DataFormatError, match="truncated or corrupt"):
        read_voeten(gz)


def test_undl_unknown_header_printed(tmp_path):
    p = _write(tmp_path, "u.csv", "id,code,vote\n1,AFG,Y\n")
    with pytest.raises(DataFormatError, match="header found is: id,code,vote"):
        read_undl(p)


def test_undl_bad_vote_and_country(tmp_path):
    df = pd.read_csv(UNGA / "2025_undl_ga_voting.csv", dtype=str, keep_default_na=False)
    df.loc[2, "ms_vote"] = "MAYBE"
    df.loc[4, "ms_code"] = "XXX"
    p = tmp_path / "u.csv"
    df.to_csv(p, index=False)
    with pytest.raises(DataFormatError) as exc:
        read_undl(p)
    msg = str(exc.value)
    assert "line 4" in msg and "MAYBE" in msg and "XXX" in msg


_HEADER = "rcid,session,vote,ccode,member,importantvote,date,unres,me,nu,di,hr,co,ec,year"
_CCODES = [2, 20, 200, 365, 710, 731, 732, 740]


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    rows=st.lists(
        st.tuples(st.integers(1, 30), st.sampled_from(_CCODES), st.sampled_from([1, 2, 3, 8, 9])),
        min_size=1,
        max_size=60,
        unique_by=lambda r: (r[0], r[1]),
    )
)
def test_voeten_reader_roundtrip_property(tmp_path, rows):
    """Any valid file: every member row becomes exactly one vote with the right value."""
    lines = [_HEADER]
    for rcid, cc, vote in rows:
        lines.append(f"{rcid},40,{vote},{cc},1,0,10/2/1985,R/40/{rcid},0,0,0,0,0,0,1985")
    p = tmp_path / "prop.csv"
    p.write_text("\n".join(lines) + "\n")
    rec = read_voeten(p)
    expected = sum(1 for r in rows if r[2] != 9)
    assert len(rec.votes) == expected
    names = {1: "yes", 2: "abstain", 3: "no", 8: "absent"}
    assert sorted(rec.votes["vote"]) == sorted(names[r[2]] for r in rows if r[2] != 9)
    assert rec.roll_calls["rcid"].is_unique


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    bad=st.text(min_size=1, max_size=4).filter(
        lambda s: (
            s.strip() not in {"1", "2", "3", "8", "9", "1.0", "2.0", "3.0", "8.0", "9.0"}
            and "," not in s
            and "\n" not in s
            and "\r" not in s
            and '"' not in s
        )
    )
)
def test_voeten_reader_rejects_any_unknown_vote(tmp_path, bad):
    p = tmp_path / "prop.csv"
    p.write_text(_HEADER + f"\n1,40,{bad},2,1,0,10/2/1985,R/40/1,0,0,0,0,0,0,1985\n")
    with pytest.raises(DataFormatError, match="line 2"):
        read_voeten(p)


@pytest.mark.slow
def test_full_merge_figures(shared_data):
    """The merged 1946-2020 record: figures stated in the issue note."""
    unga = shared_data / "unga"
    rec = merge_records(read_voeten(unga / "UNVotesPublished.csv.gz"), read_unvotes(unga))
    s = rec.summary()
    assert s["roll_calls"] == 6203
    assert s["votes"] == 870109
    assert s["sessions"] == 74
    assert str(s["first_date"].date()) == "1946-01-01"
    assert str(s["last_date"].date()) == "2020-01-14"
    prk = rec.votes[rec.votes["country"] == "PRK"].merge(rec.roll_calls, on="rcid")
    assert prk["date"].min().year == 1991
    # the one disagreement between the sources: Voeten's rcid 4592 lacks date and symbol
    assert rec.conflicts["rcid"].tolist() == [4592]
    assert not rec.votes.duplicated(["rcid", "country"]).any()
