"""One report built per test session, on the bundled data, in a temporary store.

The store also holds real statements and speeches (small cuts under tests/data/report), with
one statement and one speech carrying HTML/JS markup, so the security tests can check that
data reaches the page as text only.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from hedgewatch.store import Store

MALICIOUS_TITLE = "<script>alert(1)</script> KCNA title"
MALICIOUS_TEXT = '<img src=x onerror=alert(1)> Statement on <b>"sovereignty"</b> & peace'
FAST = {"n_boot": 40, "rhetoric_from": 2016}


DATA = Path(__file__).resolve().parents[1] / "data" / "report"
FIXTURE = DATA / "statements_kcna_2024_08.parquet"
SPEECHES = DATA / "speeches_2015_2019_40states.parquet"
MALICIOUS_SPEECH = (
    "<script>alert(1)</script> The military threats to the sovereignty of states, nuclear "
    "weapons and the peninsula <img src=x onerror=alert(1)> concern world peace."
)


def _statements() -> pd.DataFrame:
    """Real KCNA articles of August 2024 (half relabelled as RUS so there are two actors),
    plus one PRK statement whose title and text are hostile markup."""
    df = pd.read_parquet(FIXTURE)
    evil = pd.DataFrame(
        [
            {
                "actor": "PRK",
                "date": pd.Timestamp("2024-08-29"),
                "title": MALICIOUS_TITLE,
                "text": MALICIOUS_TEXT,
                "url": "",
                "source": "test",
                "language": "en",
            }
        ]
    )
    df = pd.concat([df, evil], ignore_index=True)
    df["statement_id"] = [f"t{i}" for i in range(len(df))]
    df["detected_language"] = df["language"]
    df["duplicate_of"] = pd.Series([None] * len(df), dtype="string")
    return df


def _speeches() -> pd.DataFrame:
    """General Debate speeches 2015-2019 of 40 states (first 6,000 characters of each), with
    a hostile sentence at the start of North Korea's 2019 speech."""
    sp = pd.read_parquet(SPEECHES)
    last = (sp["country"] == "PRK") & (sp["year"] == 2019)
    sp.loc[last, "text"] = MALICIOUS_SPEECH + "\n" + sp.loc[last, "text"]
    return sp.assign(state=sp["country"], code=sp["country"], name="", post="")


@pytest.fixture(scope="session")
def malicious_speech() -> str:
    return MALICIOUS_SPEECH


@pytest.fixture(scope="session")
def fast() -> dict[str, int]:
    """Fewer bootstrap draws: the tests check structure and values, not interval precision."""
    return dict(FAST)


@pytest.fixture(scope="session")
def malicious_title() -> str:
    return MALICIOUS_TITLE


@pytest.fixture(scope="session")
def home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("hedgewatch_home")


@pytest.fixture(scope="session")
def store(home: Path) -> Store:
    st = Store(home / "hedgewatch.duckdb")
    st.ensure("votes", "roll_calls")
    st.write_tables({"statements": _statements(), "speeches": _speeches()})
    return st


@pytest.fixture(scope="session")
def prk_report(store: Store, tmp_path_factory: pytest.TempPathFactory):
    from hedgewatch.report import build_report

    out = tmp_path_factory.mktemp("report") / "PRK.html"
    steps: list[tuple[str, int, int]] = []
    rep = build_report(
        "PRK",
        ("CHN", "RUS"),
        out=out,
        store=store,
        settings=FAST,
        progress=lambda s, d, t: steps.append((s, d, t)),
    )
    return rep, out, steps
