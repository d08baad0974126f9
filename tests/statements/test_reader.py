"""Readers of dated-statement corpora: formats, validation, quarantine."""

from __future__ import annotations

import gzip
import json

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hedgewatch.errors import DataFormatError
from hedgewatch.sources.statements import COLUMNS, detect_language, read_many, read_statements

CSV = """actor,date,title,text,url,language
RUS,2015-06-11,Biolabs,Russia criticised the US biological laboratory in Georgia.,http://a/1,en
PRK,2015-06-12,Germ war,The US shipped live anthrax to South Korea.,http://b/1,en
"""


def test_csv_normalised(tmp_path):
    p = tmp_path / "s.csv"
    p.write_text(CSV)
    df = read_statements(p)
    assert list(df.columns) == COLUMNS
    assert df["actor"].tolist() == ["RUS", "PRK"]
    assert df["date"].tolist() == [pd.Timestamp("2015-06-11"), pd.Timestamp("2015-06-12")]
    assert df["line"].tolist() == [2, 3]
    assert df["statement_id"].is_unique


def test_aliases_and_default_actor(tmp_path):
    p = tmp_path / "s.csv"
    p.write_text("published,headline,body,link\n2015-06-12,t,some text here,u\n")
    df = read_statements(p, actor="North Korea", source="KCNA")
    assert df.loc[0, "actor"] == "PRK" and df.loc[0, "title"] == "t"
    assert df.loc[0, "source"] == "KCNA" and df.loc[0, "url"] == "u"


def test_bad_rows_listed_with_line_and_column(tmp_path):
    p = tmp_path / "s.csv"
    p.write_text(CSV + "XXL,2015-06-13,t,x,u,en\nRUS,13/13/2015,t,x,u,en\nRUS,2015-06-14,,,u,en\n")
    with pytest.raises(DataFormatError) as e:
        read_statements(p)
    msg = str(e.value)
    assert e.value.total == 3
    assert "line 4, column 'actor'" in msg and "XXL" in msg
    assert "line 5, column 'date'" in msg and "13/13/2015" in msg
    assert "no text and no title" in msg


def test_quarantine_keeps_good_and_lists_every_bad(tmp_path):
    p = tmp_path / "s.csv"
    p.write_text(CSV + "XXL,2015-06-13,t,x,u,en\nRUS,,t,x,u,en\n")
    q = tmp_path / "rejected.csv"
    df = read_statements(p, quarantine=q)
    assert len(df) == 2 and df.attrs["rejected"] == 2
    rej = pd.read_csv(q)
    assert rej["line"].tolist() == [4, 5]
    assert rej["reason"].tolist()[1] == "missing date"
    assert rej["raw_actor"].tolist() == ["XXL", "RUS"]


def test_missing_header_column(tmp_path):
    p = tmp_path / "s.csv"
    p.write_text("actor,when,text\nRUS,2015-01-01,x\n")
    with pytest.raises(DataFormatError, match="missing column.*Header found: actor,when,text"):
        read_statements(p)


def test_jsonl_gz_with_a_broken_line(tmp_path):
    p = tmp_path / "s.jsonl.gz"
    good = {"actor": "PRK", "date": "2011-01-01", "title": "a", "text": "b"}
    with gzip.open(p, "wt", encoding="utf-8") as fh:
        fh.write(json.dumps(good) + "\n{not json\n" + json.dumps(good) + "\n")
    with pytest.raises(DataFormatError, match="line 2: invalid JSON"):
        read_statements(p)
    df = read_statements(p, quarantine=tmp_path / "q.csv")
    assert len(df) == 2 and df.attrs["rejected"] == 1
    assert df["statement_id"].is_unique  # identical records keep distinct ids


def test_rss_feed(tmp_path):
    p = tmp_path / "feed.xml"
    p.write_text(
        """<?xml version="1.0"?><rss version="2.0"><channel><title>MFA</title>
        <language>ru</language>
        <item><title>On &lt;b&gt;biolabs&lt;/b&gt;</title><link>http://x/1</link>
        <description>&lt;p&gt;Заявление о биологическом оружии&lt;/p&gt;</description>
        <pubDate>Thu, 11 Jun 2015 09:00:00 GMT</pubDate></item></channel></rss>"""
    )
    with pytest.raises(DataFormatError, match="missing column 'actor'|actor"):
        read_statements(p)
    df = read_statements(p, actor="RUS")
    assert df.loc[0, "date"] == pd.Timestamp("2015-06-11")
    assert df.loc[0, "text"] == "Заявление о биологическом оружии"  # tags stripped
    assert df.loc[0, "title"] == "On biolabs" and df.loc[0, "language"] == "ru"


def test_manifest_directory(tmp_path):
    (tmp_path / "a.txt").write_text("The first statement.", encoding="utf-8")
    (tmp_path / "manifest.csv").write_text(
        "file,date,actor\na.txt,2015-06-11,RUS\nmissing.txt,2015-06-12,PRK\n"
    )
    with pytest.raises(DataFormatError, match="line 3, column 'file'.*missing.txt"):
        read_statements(tmp_path)
    df = read_statements(tmp_path, quarantine=tmp_path / "q.csv")
    assert df["text"].tolist() == ["The first statement."]


def test_unknown_suffix_and_read_many(tmp_path):
    p = tmp_path / "s.docx"
    p.write_text("x")
    with pytest.raises(DataFormatError, match="unknown file type"):
        read_statements(p)
    a = tmp_path / "a.csv"
    a.write_text(CSV)
    assert len(read_many([a, a])) == 4


def test_detect_language_flags_spanish():
    s = pd.Series(
        [
            "El presidente de la Republica y los compatriotas en el Japon",
            "The president of the republic and the people",
            "Заявление министерства иностранных дел",
            None,
        ]
    )
    assert detect_language(s).tolist()[:3] == ["es", "en", "ru"]


@settings(max_examples=30, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.dates(
                min_value=pd.Timestamp("1990-01-01").date(),
                max_value=pd.Timestamp.today().date(),  # later dates are refused
            ),
            st.text(
                alphabet=st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")),
                min_size=1,
                max_size=40,
            ).filter(lambda t: t.strip()),
        ),
        min_size=1,
        max_size=20,
    )
)
def test_csv_roundtrip_keeps_every_record(tmp_path_factory, rows):
    p = tmp_path_factory.mktemp("h") / "s.csv"
    pd.DataFrame(
        {"actor": "PRK", "date": [d.isoformat() for d, _ in rows], "text": [t for _, t in rows]}
    ).to_csv(p, index=False)
    df = read_statements(p)
    assert len(df) == len(rows)
    assert df["date"].dt.date.tolist() == [d for d, _ in rows]
    assert df["text"].tolist() == [t.strip() for _, t in rows]


def test_real_kcna_2024(statements_dir):
    df = read_statements(statements_dir / "kcna_articles_2024.parquet")
    assert len(df) == 2078 and set(df["actor"]) == {"PRK"}
    assert df["date"].min() == pd.Timestamp("2023-12-24")
