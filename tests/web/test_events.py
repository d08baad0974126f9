"""The web app with the events measure: offered only when the store holds event data, and
serving the event atlas (the library's values, the count column, movers)."""

from __future__ import annotations

import numpy as np
import pytest

import hedgewatch as hw
from hedgewatch.store import Store
from tests.web.conftest import get


def test_events_are_not_offered_without_event_data(server):
    _, measures, _ = get(server.url + "/api/measures")
    assert "events" not in {m["name"] for m in measures}
    status, body, _ = get(server.url + "/api/atlas?a=CHN&b=RUS&measure=events")
    assert status == 400
    assert "'measure'" in body["error"] and "hedgewatch events import" in body["error"]
    status, _, _ = get(server.url + "/")
    assert status == 200
    _, page, _ = get(server.url + "/")
    assert 'value="events"' not in page


def test_events_measure_is_served(events_server, events_home):
    srv = events_server
    _, measures, _ = get(srv.url + "/api/measures")
    byname = {m["name"]: m for m in measures}
    assert {"agreement", "identical", "events"} <= set(byname)
    assert byname["events"]["count"] == "n_days" and byname["agreement"]["count"] == "n_votes"
    _, page, _ = get(srv.url + "/")
    assert 'value="events"' in page

    status, payload, _ = get(srv.url + "/api/atlas?a=CHN&b=RUS&measure=events")
    assert status == 200, payload
    assert payload["count"] == "n_days" and payload["years"] == list(range(2015, 2025))
    prk = payload["series"]["PRK"]
    assert {"position", "position_lo", "value_A", "share_B", "other_share", "n_days"} <= set(prk)
    assert "agree_A" not in prk and "n_votes" not in prk
    # the library's numbers (N_BOOT replicates, as the server was started)
    world = hw.atlas(("CHN", "RUS"), measure="events", n_boot=40,
                     store=Store(events_home / "hedgewatch.duckdb"))  # fmt: skip
    mine = world[world["country"] == "PRK"].set_index("period")
    for i, year in enumerate(payload["years"]):
        assert prk["position"][i] == pytest.approx(mine.loc[year, "position"], abs=1e-4)
        assert prk["position_hi"][i] == pytest.approx(mine.loc[year, "position_hi"], abs=1e-4)
        assert prk["n_days"][i] == mine.loc[year, "n_days"]

    status, rows, _ = get(srv.url + "/api/atlas/2022?a=CHN&b=RUS&measure=events")
    assert status == 200
    row = next(r for r in rows if r["country"] == "PRK")
    assert {"value_CHN", "share_RUS", "n_days", "position"} <= set(row)
    assert row["position"] > 0.3  # toward Russia after the planted shift

    status, moved, _ = get(srv.url + "/api/movers?a=CHN&b=RUS&measure=events&top=3")
    assert status == 200 and moved[0]["country"] == "PRK"
    assert moved[0]["period"] == 2021 and moved[0]["direction"] == "toward RUS"

    status, one, _ = get(srv.url + "/api/state/PRK?a=CHN&b=RUS&measure=events")
    assert status == 200 and one["series"]["n_days"][0] > 0
    assert np.isfinite(one["series"]["position"][-1])

    # a state with events and no UN vote gets its page too
    _, countries, _ = get(srv.url + "/api/countries")
    pse = next(c for c in countries if c["code"] == "PSE")
    assert pse["votes"] == 0 and pse["first_year"] == 2015
    status, one, _ = get(srv.url + "/api/state/PSE?a=CHN&b=RUS&measure=events")
    assert status == 200 and one["name"] == "Palestine"
