"""Readers of the daily dyad layout and of the generic event CSV."""

from __future__ import annotations

import gzip

import numpy as np
import pytest

from hedgewatch.countries import CAMEO_REGIONS
from hedgewatch.errors import DataFormatError
from hedgewatch.sources.event_csv import read_event_csv
from hedgewatch.sources.event_dyads import read_event_dyads

from ..events.conftest import raw_lines

DYADS = """date,iso3_a,iso3_b,edge_weight
2018-01-01,RUS,PRK,12.5
2018-01-01,CHN,PRK,-3.25
2018-01-02,PRK,PRK,4.0
2018-01-02,KOR,PRK,-1.0
"""


def test_dyad_file_is_read_and_pairs_sorted(tmp_path):
    path = tmp_path / "d.csv.gz"
    path.write_bytes(gzip.compress(DYADS.encode()))
    f = read_event_dyads(path)
    df = f.to_frame()
    assert f.layout == "dyad" and f.rows == 4
    assert list(zip(df["country_a"], df["country_b"], strict=True)) == [
        ("PRK", "RUS"),
        ("CHN", "PRK"),
        ("PRK", "PRK"),
        ("KOR", "PRK"),
    ]
    assert df["weight"].tolist() == [12.5, -3.25, 4.0, -1.0]


def test_dyad_file_bad_rows_are_located(tmp_path):
    path = tmp_path / "d.csv"
    path.write_text(
        DYADS + "2018-13-01,PRK,CHN,1\n2018-01-03,PRK,ATLANTIS,1\n2018-01-03,PRK,CHN,lots\n"
    )
    with pytest.raises(DataFormatError) as err:
        read_event_dyads(path)
    assert err.value.total == 3
    assert sorted(p.line for p in err.value.problems) == [6, 7, 8]
    assert "'ATLANTIS'" in str(err.value) and "'lots'" in str(err.value)
    got = read_event_dyads(path, errors="collect")
    assert got.events.num_rows == 4 and len(got.rejected) == 3


def test_dyad_file_without_its_columns_says_what_it_expects(tmp_path):
    path = tmp_path / "d.csv"
    path.write_text("day,a,b,w\n2018-01-01,PRK,CHN,1\n")
    with pytest.raises(DataFormatError, match="iso3_a"):
        read_event_dyads(path)


@pytest.mark.slow
def test_staged_dyad_file_reads_whole(shared_data):
    f = read_event_dyads(shared_data / "events" / "gdelt_dyad_daily_2018_2024.csv.gz")
    df = f.to_frame()
    assert f.n_problems == 0
    assert f.rows == len(df) == 2_706_067
    assert (df["country_a"] <= df["country_b"]).all()
    assert str(df["date"].min()) == "2018-01-01" and str(df["date"].max()) == "2024-02-23"


def test_event_csv_quad_class_follows_the_cameo_root(tmp_path):
    # Every real event of the staged export, written in the generic layout: the quad class
    # derived from the CAMEO code must equal GDELT's own.
    rows = raw_lines()
    lines = ["date,source,target,cameo,goldstein,mentions"]
    keep = [r for r in rows if r[7] and r[17] and not {r[7], r[17]} & set(CAMEO_REGIONS)]
    for r in keep:
        lines.append(f"{r[1][:4]}-{r[1][4:6]}-{r[1][6:]},{r[7]},{r[17]},{r[26]},{r[30]},{r[31]}")
    path = tmp_path / "ev.csv"
    path.write_text("\n".join(lines) + "\n")
    ev = read_event_csv(path).to_frame()
    assert len(ev) == len(keep)
    assert (ev["quad_class"].to_numpy() == np.array([int(r[29]) for r in keep])).all()
    assert (ev["mentions"].to_numpy() == np.array([int(r[31]) for r in keep])).all()


def test_event_csv_accepts_names_and_reports_bad_rows(tmp_path):
    path = tmp_path / "ev.csv"
    path.write_text(
        "Date,Source,Target,EventCode,GoldsteinScale\n"
        "2024-06-19,Russia,North Korea,057,8.0\n"
        "2024-06-19,RUS,PRK,999,1.0\n"
        "2024-06-20,RUS,Narnia,042,1.9\n"
        "2024-06-20,RUS,PRK,042,high\n"
    )
    with pytest.raises(DataFormatError) as err:
        read_event_csv(path)
    assert err.value.total == 3
    assert sorted(p.line for p in err.value.problems) == [3, 4, 5]
    ok = read_event_csv(path, errors="collect").to_frame()
    assert ok[["country_a", "country_b"]].astype(str).values.tolist() == [["RUS", "PRK"]]
    assert ok["quad_class"].tolist() == [1] and ok["goldstein"].tolist() == [8.0]
    assert ok["mentions"].isna().all()
