"""The unvotes roll-call file's text damage is repaired by the reader (checked on the real file)."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from hedgewatch.sources.unga import read_unvotes, repair_symbols, repair_text

DAMAGE = re.compile(r"<[0-9a-f]{2}>|\u00c3|\u00c2|_")


def test_repair_examples():
    s = pd.Series(
        [
            "entitled _Transparency in armaments<d3>. Separate votes",
            "Mongolia<90>s international security",
            "Situation of human rights in the Democratic People?\u00c3\u2020s Republic",
            "DISARMAMENT, D?\u00c3\u0192\u00c2\u00abTENTE",
            "the words _and Southin operative paragraph 3",
            "a procedural measure _ a motion for no action _ in an attempt",
            None,
        ]
    )
    assert repair_text(s).tolist() == [
        "entitled \u201cTransparency in armaments\u201d. Separate votes",
        "Mongolia\u2019s international security",
        "Situation of human rights in the Democratic People\u2019s Republic",
        "DISARMAMENT, D\u00c9TENTE",
        "the words \u201cand Southin operative paragraph 3",
        "a procedural measure \u2014 a motion for no action \u2014 in an attempt",
        None,
    ]
    fixed = repair_symbols(
        pd.Series(["R/677/46", "R/25/2677A", "R/67/46", None]), pd.Series([67, 25, 67, 67])
    )
    assert fixed.tolist() == ["R/67/46", "R/25/2677A", "R/67/46", None]


def test_real_roll_call_file_has_no_damage_left(shared_data):
    import pyreadr

    r = pyreadr.read_r(str(shared_data / "unga" / "un_roll_calls.rda"))["un_roll_calls"]
    before = r["descr"].astype(object)
    damaged = before.fillna("").str.contains(DAMAGE)
    assert damaged.sum() == 210  # R escapes "<d3>", "<90>", "_" quotes and dashes, mojibake
    after = repair_text(before)
    assert not after.fillna("").str.contains(DAMAGE).any()
    assert (after.fillna("") != before.fillna("")).sum() == 210
    # every quote opened is closed where the source kept its closing byte
    assert after.fillna("").str.count("\u201d").sum() == 353
    titles = repair_text(r["short"].astype(object))
    assert not titles.fillna("").str.contains(DAMAGE).any()
    assert "DISARMAMENT, D\u00c9TENTE" in set(titles)
    symbols = repair_symbols(r["unres"].astype(object), r["session"])
    changed = symbols.fillna("") != r["unres"].astype(object).fillna("")
    assert r.loc[changed, "rcid"].tolist() == [5924] and symbols[changed].tolist() == ["R/67/46"]


@pytest.mark.slow
def test_reader_output_on_the_real_files(shared_data):
    rc = read_unvotes(shared_data / "unga").roll_calls.set_index("rcid")
    assert rc.loc[5924, "resolution"] == "R/67/46"
    assert (
        "Decreasing the operational readiness of nuclear weapons systems\u201d"
        in rc.loc[5924, "description"]
    )
    assert not rc["description"].fillna("").str.contains(DAMAGE).any()
    assert not rc["title"].fillna("").str.contains(DAMAGE).any()
