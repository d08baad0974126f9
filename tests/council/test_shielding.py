"""Patron shielding: which Council texts are about a state, and how each power acted."""

from __future__ import annotations

import pandas as pd
import pytest

from hedgewatch.council import shielding, texts_about
from hedgewatch.council.about import names_state
from hedgewatch.errors import ParameterError
from hedgewatch.sources.vetoes import read_vetoes
from hedgewatch.store import council_resolutions, council_votes


def test_names_rules():
    texts = pd.Series(
        [
            "on sanctions against the Democratic People\u2019s Republic of Korea (DPRK)",
            "on assistance to the Republic of Korea",
            "calling upon the North Korean authorities to withdraw",
            "Security Council resolution 2270 (2016) [on ... sanctions against the "
            "Democratic People's Rep [...]",
            "on the situation in Equatorial Guinea",
        ]
    )
    assert names_state(texts, "PRK").tolist() == [True, False, True, True, False]
    # "Republic of Korea" inside North Korea's official name is not South Korea
    assert names_state(texts, "KOR").tolist() == [False, True, False, False, False]
    assert names_state(texts, "GIN").tolist() == [False] * 5


def _frames():
    res = pd.DataFrame(
        {
            "undl_id": [1, 2, 3],
            "resolution": ["S/RES/1874(2009)", "S/RES/1928(2010)", "S/RES/9(2010)"],
            "date": pd.to_datetime(["2009-06-12", "2010-06-07", "2010-07-01"]),
            "year": [2009, 2010, 2010],
            "title": [
                "[on measures against the Democratic People's Republic of Korea]",
                "[on the Panel of Experts established pursuant to resolution 1874 (2009)]",
                "[on Cyprus]",
            ],
        }
    )
    votes = pd.DataFrame(
        {
            "undl_id": [1, 1, 1, 2, 2, 3, 3],
            "country": ["CHN", "RUS", "TUR", "CHN", "RUS", "CHN", "RUS"],
            "vote": ["yes", "abstain", "no", "yes", "yes", "yes", "yes"],
        }
    )
    vetoes = pd.DataFrame(
        {
            "item": [7, 7],
            "draft": ["S/2011/1", "S/2011/1"],
            "date": pd.to_datetime(["2011-01-05"] * 2),
            "year": [2011, 2011],
            "agenda_item": ["Non-proliferation - DPRK"] * 2,
            "crisis_topic": ["North Korea"] * 2,
            "country": ["CHN", "USA"],
        }
    )
    return res, votes, vetoes


def test_actions_and_share_on_hand_made_frames():
    res, votes, vetoes = _frames()
    about = texts_about(res, vetoes, "PRK")
    assert about["symbol"].tolist() == ["S/RES/1874(2009)", "S/RES/1928(2010)", "S/2011/1"]
    assert about["why"].tolist() == ["name", "cites S/RES/1874", "name"]
    r = shielding(res, votes, vetoes, "PRK", ["CHN", "RUS", "TUR"])
    act = r.texts.pivot_table(index="symbol", columns="power", values="action", aggfunc="first")
    assert act.loc["S/RES/1874(2009)"].tolist() == ["voted for", "abstained", "voted against"]
    assert act.loc["S/2011/1"].tolist() == ["vetoed", "no veto", "no veto"]
    assert act.loc["S/RES/1928(2010)", "TUR"] == "not a member"
    w = r.window().set_index("power")
    # CHN: 3 texts, known 3 (2 votes + its veto), shielded 1 (the veto)
    assert (w.loc["CHN", "known"], w.loc["CHN", "shielded"]) == (3, 1)
    assert w.loc["CHN", "share_shielded"] == pytest.approx(1 / 3)
    # RUS: the veto it did not cast is unknown (left out); 1 abstention of 2 known
    assert w.loc["RUS", "share_shielded"] == pytest.approx(1 / 2)
    assert w.loc["TUR", "share_shielded"] == pytest.approx(1.0)  # voted against, 1 of 1


def test_bad_powers():
    res, votes, vetoes = _frames()
    with pytest.raises(ParameterError, match="The 'powers' parameter of shielding"):
        shielding(res, votes, vetoes, "PRK", "CHN")


def test_north_korea_2022_veto_on_the_real_files(session_store, shared_data):
    """The 26 May 2022 draft (S/2022/431) vetoed by China and Russia, from the real veto
    list, with the bundled Council votes."""
    vetoes = read_vetoes(shared_data / "unsc" / "unsc_vetoes_1946_sept2022.csv").vetoes
    r = shielding(
        council_resolutions(store=session_store),
        council_votes(include_absent=True, store=session_store),
        vetoes,
        "PRK",
        ["CHN", "RUS", "USA"],
    )
    y2022 = r.to_frame().set_index(["year", "power"]).loc[2022]
    assert y2022.loc["CHN", "vetoed"] == 1 and y2022.loc["RUS", "vetoed"] == 1
    assert y2022.loc["USA", "no veto"] == 1 and pd.isna(y2022.loc["USA", "share_shielded"])
    t = r.texts[r.texts["symbol"] == "S/2022/431"].set_index("power")["action"]
    assert t.to_dict() == {"CHN": "vetoed", "RUS": "vetoed", "USA": "no veto"}
    # the sanctions resolutions of 2006-2017 carry China's and Russia's votes for them
    s2397 = r.texts[r.texts["symbol"] == "S/RES/2397(2017)"].set_index("power")["action"]
    assert set(s2397) == {"voted for"}
    since = r.window(2012).set_index("power")
    assert since.loc["CHN", "texts"] == 18 and since.loc["CHN", "vetoed"] == 1
