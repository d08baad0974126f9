"""speeches() from the store, the CLI, and HTML escaping of corpus text."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from hedgewatch.cli import app
from hedgewatch.errors import ParameterError
from hedgewatch.store import Store, speeches

INJECTED = "We reject the <b>zzqxencirclement</b> of <script>alert(1)</script> our nations."


@pytest.fixture
def store_with_extract(hw_home, extract):
    df = extract.copy()
    for code in ("PRK", "RUS"):
        for i in df.index[df["country"] == code]:
            df.loc[i, "text"] = df.loc[i, "text"] + ("\n" + INJECTED) * 4
    Store().write_tables({"speeches": df})
    return df


def test_speeches_filters(store_with_extract):
    df = speeches(["North Korea", "rus", "EU"], start=2021)
    assert set(df["country"]) == {"PRK", "RUS", "EU"}
    assert sorted(df["year"].unique()) == [2021, 2023]
    assert df["year"].dtype == "int64"
    assert list(df.columns[:5]) == ["country", "state", "code", "session", "year"]
    assert len(speeches(end=2017)) == 26
    with pytest.raises(ParameterError, match="'start' parameter of speeches"):
        speeches(start="last year")


def test_cli_rhetoric_escapes_corpus_html(store_with_extract, tmp_path):
    fig = tmp_path / "conv.svg"
    res = CliRunner().invoke(
        app,
        [
            "rhetoric",
            "PRK",
            "RUS",
            "CHN",
            "--from",
            "2017",
            "--n-boot",
            "20",
            "--top",
            "3",
            "--plot",
            str(fig),
        ],
        env={"COLUMNS": "200"},
    )
    assert res.exit_code == 0, res.output
    out = res.output
    assert "PRK-RUS" in out and "PRK-CHN" in out and "RUS-CHN" in out
    assert "Nearest rhetorical neighbours of PRK in 2023" in out
    assert "zzqxencirclement" in out  # the planted shared term ranks first
    assert "&lt;script&gt;" in out and "<script>" not in out and "<b>" not in out
    assert fig.exists() and b"<script>" not in fig.read_bytes()


def test_cli_refuses_bad_input(store_with_extract):
    res = CliRunner().invoke(app, ["rhetoric", "PRK"])
    assert res.exit_code != 0
    assert isinstance(res.exception, ParameterError)
    assert "The 'COUNTRIES' argument must be 2 to 3 countries" in str(res.exception)
    res = CliRunner().invoke(app, ["rhetoric", "PRK", "RUS", "--backend", "bert"])
    assert isinstance(res.exception, ParameterError) and "--backend" in str(res.exception)
