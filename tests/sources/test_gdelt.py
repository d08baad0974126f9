"""Raw GDELT 2.0 export reader: the real 15-minute file, and every kind of bad input."""

from __future__ import annotations

import collections
import zipfile

import numpy as np
import pandas as pd
import pytest

from hedgewatch import countries
from hedgewatch.errors import DataFormatError
from hedgewatch.sources._events import quad_class_of_root
from hedgewatch.sources.gdelt import COLUMNS, read_gdelt_export

from ..events.conftest import RAW, event_row, raw_lines, write_export


def test_real_file_quad_class_counts_match_a_direct_count():
    rows = raw_lines()
    direct = collections.Counter(int(r[29]) for r in rows)
    f = read_gdelt_export(RAW)
    got = f.to_frame()["quad_class"].value_counts().to_dict()
    assert f.rows == len(rows) == 1340
    assert got == dict(direct)
    assert direct == {1: 863, 2: 149, 3: 184, 4: 144}  # staged sample, counted with pandas
    assert f.n_problems == 0


def test_real_file_matches_the_staged_csv(shared_data):
    staged = pd.read_csv(
        shared_data / "gdelt" / "gdelt2_events_sample_20170312T2345.csv.gz",
        dtype=str,
        keep_default_na=False,
    )
    ev = read_gdelt_export(RAW).to_frame()
    assert len(ev) == len(staged)
    assert (ev["goldstein"].to_numpy() == staged["GoldsteinScale"].astype(float).to_numpy()).all()
    assert (ev["date"].astype(str).to_numpy() == staged["SQLDATE"].to_numpy()).all()
    np.testing.assert_allclose(ev["tone"], staged["AvgTone"].astype(float))


def test_countries_are_mapped_and_regions_reported():
    rows = raw_lines()
    f = read_gdelt_export(RAW)
    ev = f.to_frame()
    # direct count of events whose two actors are states (ISO3 or CAMEO state codes)
    state = {c for r in rows for c in (r[7], r[17]) if c} - set(countries.CAMEO_REGIONS)
    both = sum(1 for r in rows if r[7] in state and r[17] in state)
    assert ev[["country_a", "country_b"]].notna().all(axis=1).sum() == both == 471
    regions = collections.Counter(
        c for r in rows for c in (r[7], r[17]) if c in countries.CAMEO_REGIONS
    )
    assert {k: v[1] for k, v in f.unmapped.items()} == dict(regions)
    assert {v[0] for v in f.unmapped.values()} == {"region"}


def test_quad_class_rule_matches_gdelt_on_every_real_row():
    rows = raw_lines()
    root = np.array([int(r[28]) for r in rows])
    quad = np.array([int(r[29]) for r in rows])
    assert (quad_class_of_root(root) == quad).all()


def test_truncated_zip_is_one_clear_error(tmp_path):
    bad = tmp_path / "20240101000000.export.CSV.zip"
    bad.write_bytes(RAW.read_bytes()[:30_000])
    with pytest.raises(DataFormatError, match="truncated or corrupt") as err:
        read_gdelt_export(bad)
    assert str(bad) in str(err.value)


def test_corrupt_deflate_stream_is_caught(tmp_path):
    data = bytearray(RAW.read_bytes())
    data[5000:5100] = b"\x00" * 100  # inside the compressed data
    bad = tmp_path / "20240101000000.export.CSV.zip"
    bad.write_bytes(bytes(data))
    with pytest.raises(DataFormatError, match="truncated or corrupt"):
        read_gdelt_export(bad)


def test_wrong_column_count_names_the_line(tmp_path):
    rows = raw_lines()[:5]
    rows[2] = rows[2][:60]
    with pytest.raises(DataFormatError) as err:
        read_gdelt_export(write_export(tmp_path / "x.export.CSV.zip", rows))
    msg = str(err.value)
    assert "line 3" in msg and "60 tab-separated fields" in msg and "61" in msg


def test_non_numeric_goldstein_names_line_column_value(tmp_path):
    rows = raw_lines()[:5]
    rows[3][30] = "strong"
    with pytest.raises(DataFormatError) as err:
        read_gdelt_export(write_export(tmp_path / "x.export.CSV.zip", rows))
    msg = str(err.value)
    assert "line 4" in msg and "'GoldsteinScale'" in msg and "'strong'" in msg


def test_every_bad_row_is_listed_and_collect_keeps_the_good_ones(tmp_path):
    rows = raw_lines()[:10]
    rows[0][30] = "11.5"  # out of the Goldstein range
    rows[4][29] = "7"  # no such quad class
    rows[6][7] = "XQZ"  # neither a state nor a CAMEO region
    rows[8][1] = "20241345"  # no such day
    path = write_export(tmp_path / "x.export.CSV.zip", rows)
    with pytest.raises(DataFormatError) as err:
        read_gdelt_export(path)
    assert err.value.total == 4
    assert sorted(p.line for p in err.value.problems) == [1, 5, 7, 9]
    assert "'XQZ'" in str(err.value)
    got = read_gdelt_export(path, errors="collect")
    assert got.events.num_rows == 6
    assert sorted(got.rejected["line"]) == [1, 5, 7, 9]
    assert got.rejected["reason"].str.startswith("unknown CAMEO country code").sum() == 1
    assert got.unmapped["XQZ"] == ("unknown", 1)


def test_archive_with_two_members_is_refused(tmp_path):
    path = tmp_path / "two.zip"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("a.CSV", "x")
        zf.writestr("b.CSV", "y")
    with pytest.raises(DataFormatError, match="holds 2 files"):
        read_gdelt_export(path)


def test_hand_built_rows_are_read_as_written(tmp_path):
    t = raw_lines()[0]
    rows = [
        event_row(t, date="20240102", a="PRK", b="RUS", quad=1, goldstein=3.4, tone=-1.25),
        event_row(t, date="20240103", a="ROM", b="PRK", quad=4, goldstein=-10.0),
        event_row(t, date="20240103", a="EUR", b="PRK", quad=3, goldstein=-2.0),
    ]
    ev = read_gdelt_export(write_export(tmp_path / "h.export.CSV.zip", rows)).to_frame()
    assert ev["country_a"].tolist()[:2] == ["PRK", "ROU"]
    assert pd.isna(ev["country_a"].iloc[2])
    assert ev["goldstein"].tolist() == [3.4, -10.0, -2.0]
    assert ev["quad_class"].tolist() == [1, 4, 3]
    assert ev["date"].astype(str).tolist() == ["2024-01-02", "2024-01-03", "2024-01-03"]
    assert ev["tone"].iloc[0] == -1.25


def test_plain_csv_inside_is_read_too(tmp_path):
    with zipfile.ZipFile(RAW) as zf:
        text = zf.read(zf.namelist()[0])
    plain = tmp_path / "20170312234500.export.CSV"
    plain.write_bytes(text)
    assert read_gdelt_export(plain).events.num_rows == 1340
    assert len(COLUMNS) == 61
