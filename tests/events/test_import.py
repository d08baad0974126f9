"""Importing event files: totals, atomicity, quarantine, re-imports, layouts, engines."""

from __future__ import annotations

import sys

import pandas as pd
import pytest

from hedgewatch import countries
from hedgewatch.errors import DataFormatError, MissingExtraError, ParameterError, StoreError
from hedgewatch.store import Store, event_datasets, event_days, event_files, event_unmapped
from hedgewatch.workflows import event_hedge, import_events

from .conftest import RAW, raw_lines, synthetic_exports, write_export


def dyadic_count(paths) -> int:
    """Events whose two actors are states, counted straight from the files."""
    import zipfile

    n = 0
    for p in paths:
        with zipfile.ZipFile(p) as zf:
            rows = [line.split("\t") for line in zf.read(zf.namelist()[0]).decode().splitlines()]
        m = countries.cameo_to_iso3({c for f in rows for c in (f[7], f[17])})
        n += sum(m[f[7]] is not None and m[f[17]] is not None for f in rows)
    return n


def test_import_totals_match_a_direct_count(tmp_path, exports):
    store = Store(tmp_path / "s.duckdb")
    rep = import_events([str(p) for p in exports], store=store)
    assert rep.files == 6 and rep.rows == 2400 and rep.layout == "gdelt"
    days = event_days(store=store)
    assert days["events"].sum() == rep.dyadic == dyadic_count(exports)
    quad = days[["verbal_coop", "material_coop", "verbal_conflict", "material_conflict"]]
    assert (quad.sum(axis=1) == days["events"]).all()
    assert set(event_files(store=store)["file"]) == {p.name for p in exports}
    um = event_unmapped(store=store).set_index("code")
    assert um.loc["EUR", "kind"] == "region" and um.loc["EUR", "slots"] > 0
    assert days.attrs["directed"] is True


def test_reimport_is_skipped_and_changes_nothing(tmp_path, exports):
    store = Store(tmp_path / "s.duckdb")
    import_events([str(p) for p in exports[:4]], store=store)
    before = event_days(store=store)
    rep = import_events([str(p) for p in exports], store=store)  # two new, four known
    assert rep.skipped == 4 and rep.files == 2
    after = event_days(store=store)
    assert after["events"].sum() == before["events"].sum() + dyadic_count(exports[4:])
    again = import_events([str(p) for p in exports], store=store)
    assert again.files == 0 and again.skipped == 6
    pd.testing.assert_frame_equal(event_days(store=store), after)


def test_a_bad_file_imports_nothing(tmp_path, exports):
    store = Store(tmp_path / "s.duckdb")
    import_events([str(exports[0])], store=store)
    before = store.path.read_bytes()
    broken = tmp_path / "20170314000000.export.CSV.zip"
    broken.write_bytes(RAW.read_bytes()[:20_000])
    with pytest.raises(DataFormatError) as err:
        import_events([*map(str, exports[1:]), str(broken)], store=store)
    assert "truncated or corrupt" in str(err.value) and "Nothing was imported" in str(err.value)
    assert store.path.read_bytes() == before
    assert list(event_files(store=store)["file"]) == [exports[0].name]


def test_bad_rows_across_files_are_listed_together(tmp_path, exports):
    rows = raw_lines()[:20]
    rows[3][30] = "n/a"
    rows[9] = rows[9][:59]
    bad = write_export(tmp_path / "20170315000000.export.CSV.zip", rows)
    store = Store(tmp_path / "s.duckdb")
    with pytest.raises(DataFormatError) as err:
        import_events([str(exports[0]), str(bad)], store=store)
    msg = str(err.value)
    assert bad.name in msg and "line 4" in msg and "'GoldsteinScale'" in msg and "'n/a'" in msg
    assert "line 10" in msg and err.value.total == 2
    assert not event_datasets(store=store).shape[0]


def test_quarantine_imports_the_good_rows_and_keeps_the_reasons(tmp_path, exports):
    rows = raw_lines()[:20]
    rows[3][30] = "n/a"
    rows[5][17] = "QQQ"
    bad = write_export(tmp_path / "20170315000000.export.CSV.zip", rows)
    broken = tmp_path / "20170316000000.export.CSV.zip"
    broken.write_bytes(b"PK\x03\x04 not really a zip")
    store = Store(tmp_path / "s.duckdb")
    q = tmp_path / "q.csv"
    rep = import_events([str(exports[0]), str(bad), str(broken)], store=store, quarantine=q)
    assert rep.files == 2 and rep.rejected == 3
    got = pd.read_csv(q)
    assert list(got.columns) == ["file", "line", "column", "value", "reason"]
    assert set(got["file"]) == {bad.name, broken.name}
    assert got.loc[got["column"] == "GoldsteinScale", "line"].tolist() == [4]
    assert got["reason"].str.contains("unknown CAMEO").sum() == 1
    assert broken.name not in set(event_files(store=store)["file"])  # can be retried


def test_dyad_layout_and_event_hedge(tmp_path):
    lines = ["date,iso3_a,iso3_b,edge_weight"]
    for day in pd.date_range("2019-01-01", "2020-12-31", freq="D"):
        russia = 5.0 if day.year == 2020 else 1.0
        lines += [f"{day:%Y-%m-%d},PRK,CHN,3.0", f"{day:%Y-%m-%d},RUS,PRK,{russia}"]
        lines += [f"{day:%Y-%m-%d},PRK,USA,-2.0"]
    path = tmp_path / "dyads.csv"
    path.write_text("\n".join(lines) + "\n")
    store = Store(tmp_path / "s.duckdb")
    rep = import_events(str(path), store=store)
    assert rep.layout == "dyad" and rep.dataset == "dyad" and rep.rows == len(lines) - 1
    res = event_hedge("PRK", ["CHN", "RUS"], by="quarter", n_boot=20, store=store)
    assert res.dataset == "dyad"
    pos = res.index.set_index("period")["position"]
    assert pos["2019Q1"] == pytest.approx((1 - 3) / 4)
    assert pos["2020Q3"] == pytest.approx((5 - 3) / 8)
    assert list(res.pivots["period"]) == ["2020Q1"] and res.pivots["size"].iloc[0] > 0
    with pytest.raises(StoreError, match="layout"):  # another layout into the same dataset
        import_events([str(RAW)], dataset="dyad", store=store)


def test_one_layout_per_import_and_engine_options(tmp_path, exports):
    path = tmp_path / "d.csv"
    path.write_text("date,iso3_a,iso3_b,edge_weight\n2019-01-01,PRK,CHN,1\n")
    store = Store(tmp_path / "s.duckdb")
    with pytest.raises(ParameterError, match="one layout"):
        import_events([str(exports[0]), str(path)], store=store)
    with pytest.raises(ParameterError, match="'scheduler' parameter of import_events"):
        import_events([str(exports[0])], scheduler="tcp://127.0.0.1:1", store=store)
    with pytest.raises(DataFormatError, match="no file matches"):
        import_events(str(tmp_path / "nothing" / "*.zip"), store=store)


def test_dask_engine_without_the_extra_names_it(tmp_path, exports, monkeypatch):
    monkeypatch.setitem(sys.modules, "distributed", None)
    with pytest.raises(MissingExtraError, match=r"hedgewatch\[distributed\]"):
        import_events([str(exports[0])], engine="dask", store=Store(tmp_path / "s.duckdb"))


def test_import_is_bounded_by_files_not_rows(tmp_path):
    # 30 files through a 2-thread engine: every file once, totals exact.
    files = synthetic_exports(tmp_path / "many", 30, 120, seed=5)
    store = Store(tmp_path / "s.duckdb")
    rep = import_events([str(p) for p in files], workers=2, store=store)
    assert rep.files == 30 and rep.rows == 3600
    assert event_days(store=store)["events"].sum() == dyadic_count(files)


def test_hedgewatch_imports_without_dask():
    import subprocess

    code = (
        "import sys; sys.modules['dask'] = None; sys.modules['distributed'] = None; "
        "import hedgewatch, hedgewatch.events, hedgewatch.workflows, hedgewatch._cli.events; "
        "print('ok')"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert out.returncode == 0 and out.stdout.strip() == "ok", out.stderr
