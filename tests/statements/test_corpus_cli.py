"""The statements table in the store, and the CLI commands."""

from __future__ import annotations

import pandas as pd
import pytest
from typer.testing import CliRunner

from hedgewatch.cli import app
from hedgewatch.errors import DataFormatError, StoreError
from hedgewatch.store import Store, statements
from hedgewatch.workflows import import_statements

CSV = """actor,date,title,text,language
RUS,2015-06-11,Biolabs,МИД России: биологическое оружие и лаборатории США в Грузии.,ru
RUS,2015-06-11,Biolabs,МИД России: биологическое оружие и лаборатории США в Грузии.,ru
PRK,2015-06-12,Germ war,KCNA slams US biological weapons shipment to South Korea.,en
"""


def test_import_marks_duplicates_and_queries(tmp_path):
    store = Store(tmp_path / "hw.duckdb")
    p = tmp_path / "s.csv"
    p.write_text(CSV)
    rep = import_statements([p], store=store)
    assert (rep.read, rep.new, rep.rejected, rep.duplicates, rep.total) == (3, 3, 0, 1, 3)
    df = statements(store=store)
    assert len(df) == 2 and df["dup_count"].tolist() == [2, 1]
    assert len(statements(store=store, include_duplicates=True)) == 3
    assert statements("North Korea", store=store)["actor"].tolist() == ["PRK"]
    assert len(statements(start="2015-06-12", store=store)) == 1
    assert len(statements(end=2014, store=store)) == 0
    again = import_statements([p], store=store)  # re-import adds nothing
    assert again.new == 0 and again.total == 3


def test_bad_file_leaves_store_unchanged(tmp_path):
    store = Store(tmp_path / "hw.duckdb")
    good, bad = tmp_path / "g.csv", tmp_path / "b.csv"
    good.write_text(CSV)
    bad.write_text(CSV + "RUS,not a date,t,x,ru\n")
    import_statements([good], store=store)
    with pytest.raises(DataFormatError, match="line 5, column 'date'"):
        import_statements([bad], store=store)
    assert len(statements(store=store, include_duplicates=True)) == 3


def test_query_before_import_says_what_to_do(tmp_path):
    with pytest.raises(StoreError, match="hedgewatch statements import"):
        statements(store=Store(tmp_path / "empty.duckdb"))


def test_cli_import_and_sync(tmp_path, hw_home):
    rows = []
    days = pd.date_range("2015-01-01", "2015-12-31")
    for i, d in enumerate(days):
        rows.append(("RUS", d, f"Переговоры о торговле номер {i}.", "ru"))
        rows.append(("PRK", d, f"A meeting on farming number {i} was held.", "en"))
    for ra, pa in [
        ("2015-03-02", "2015-03-04"),
        ("2015-06-11", "2015-06-12"),
        ("2015-09-14", "2015-09-13"),
    ]:
        rows.append(("RUS", pd.Timestamp(ra), "МИД: биологическое оружие США.", "ru"))
        rows.append(("PRK", pd.Timestamp(pa), "US biological weapons in Korea.", "en"))
    p = tmp_path / "corpus.csv"
    pd.DataFrame(rows, columns=["actor", "date", "text", "language"]).to_csv(p, index=False)
    runner = CliRunner()
    out = runner.invoke(app, ["statements", "import", str(p)])
    assert out.exit_code == 0, out.output
    assert "read 736, new 736, rejected 0" in out.output
    csv = tmp_path / "events.csv"
    out = runner.invoke(
        app,
        [
            "sync",
            "RUS",
            "PRK",
            "--window",
            "3d",
            "--from",
            "2015-01-01",
            "--n-perm",
            "199",
            "--csv",
            str(csv),
        ],
    )
    assert out.exit_code == 0, out.output
    assert "RUS 2015-06-11, PRK 2015-06-12: 'biological weapons / US military laboratories'" in (
        out.output
    )
    assert pd.read_csv(csv)["lag_days"].abs().max() <= 3
    bad = runner.invoke(app, ["sync", "RUS", "PRK", "--window", "-3d"])
    assert bad.exit_code != 0
    assert "The 'window' parameter of synchronisation() must be" in str(bad.exception)
