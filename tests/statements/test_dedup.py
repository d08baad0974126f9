"""Near-duplicate detection: reposts and translations, blocked by actor and date."""

from __future__ import annotations

import pandas as pd
import pytest

from hedgewatch.errors import ParameterError
from hedgewatch.statements import collapse_duplicates, mark_duplicates

EN = (
    "Kim Jong Il, General Secretary, sent greetings to So Man Sul, chairman of Chongryon, "
    "on the 55th founding anniversary of Chongryon in Tokyo, praising the Korean residents "
    "in Japan for their patriotic work and the schools they run in Osaka and Kyoto."
)
ES = (
    "El General Secretario Kim Jong Il envio un saludo a So Man Sul, presidente de la "
    "Chongryon, con motivo del 55 aniversario de la fundacion de la Chongryon en Tokyo, y "
    "elogio a los coreanos residentes en Japon por las escuelas de Osaka y Kyoto."
)
OTHER = (
    "The Korean People's Army held a meeting in Pyongyang on agricultural work, with "
    "speakers calling for a bumper harvest this autumn across the country."
)


def _frame(rows):
    df = pd.DataFrame(rows, columns=["actor", "date", "text", "language"])
    df["date"] = pd.to_datetime(df["date"])
    df["title"] = None
    df["detected_language"] = df["language"]
    df["statement_id"] = [f"s{i}" for i in range(len(df))]
    return df


def test_repost_with_artefacts_is_collapsed():
    df = _frame(
        [
            ("PRK", "2011-01-03", EN, "en"),
            ("PRK", "2011-01-04", EN.replace(", ", ",, ") + " ", "en"),
            ("PRK", "2011-01-03", OTHER, "en"),
        ]
    )
    m = mark_duplicates(df, translations=False)
    rep = m.set_index("statement_id")
    assert rep.loc["s1", "duplicate_of"] == "s0"
    assert rep.loc["s0", "dup_count"] == 2 and rep.loc["s2", "dup_count"] == 1
    c = collapse_duplicates(df, translations=False)
    assert sorted(c["statement_id"]) == ["s0", "s2"]


def test_translation_found_by_anchors():
    df = _frame(
        [
            ("PRK", "2011-01-03", EN, "en"),
            ("PRK", "2011-01-03", ES, "es"),
            ("PRK", "2011-01-03", OTHER, "en"),
        ]
    )
    m = mark_duplicates(df).set_index("statement_id")
    assert m.loc["s1", "duplicate_of"] == "s0"
    assert pd.isna(m.loc["s2", "duplicate_of"])
    assert pd.isna(
        mark_duplicates(df, translations=False).set_index("statement_id").loc["s1", "duplicate_of"]
    )


def test_blocking_by_actor_and_window():
    df = _frame(
        [
            ("PRK", "2011-01-03", EN, "en"),
            ("PRK", "2011-01-09", EN, "en"),
            ("RUS", "2011-01-03", EN, "en"),
        ]
    )
    m = mark_duplicates(df, window=1)
    assert m["duplicate_of"].isna().all()  # 6 days apart, or another actor
    m = mark_duplicates(df, window=7).set_index("statement_id")
    assert m.loc["s1", "duplicate_of"] == "s0" and pd.isna(m.loc["s2", "duplicate_of"])


def test_chains_form_one_group():
    df = _frame([("PRK", f"2011-01-0{d}", EN, "en") for d in (1, 2, 3)])
    m = mark_duplicates(df, window=1)
    assert m["dup_count"].tolist() == [3, 3, 3]
    assert m["duplicate_of"].tolist() == [None, "s0", "s0"]


def test_bad_parameters():
    df = _frame([("PRK", "2011-01-03", EN, "en")])
    with pytest.raises(ParameterError, match="'window' parameter of mark_duplicates"):
        mark_duplicates(df, window=-1)
    with pytest.raises(ParameterError, match="'threshold'"):
        mark_duplicates(df, threshold=1.5)
