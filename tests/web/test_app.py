"""The JSON API and pages of a real server: values, validation, headers, hostile input.

The checks that need no atlas (health, validation, headers, limits) run in the fast suite on
the real server; those that compute an atlas of the whole record or a report are slow.
"""

from __future__ import annotations

import http.client
import time

import pytest

import hedgewatch as hw
from hedgewatch.alignment import hedging_index
from tests.web.conftest import HOSTILE, get


def test_health_countries_measures(server):
    status, body, headers = get(server.url + "/api/health")
    assert status == 200 and body["status"] == "ok"
    assert "default-src 'none'" in headers["content-security-policy"]
    assert "script-src 'self'" in headers["content-security-policy"]
    _, countries, _ = get(server.url + "/api/countries")
    codes = {c["code"]: c for c in countries}
    assert codes["PRK"]["first_year"] == 1991 and codes["PRK"]["name"] == "North Korea"
    _, measures, _ = get(server.url + "/api/measures")
    assert {m["name"] for m in measures} == {"agreement", "identical"}


@pytest.mark.slow
def test_atlas_values_equal_the_library(atlas_server, export_store):
    server = atlas_server
    status, rows, _ = get(server.url + "/api/atlas/2015?a=CHN&b=USA")
    assert status == 200
    by_state = {r["country"]: r for r in rows}
    assert len(by_state) > 180 and "CHN" not in by_state
    v = hw.votes(start=2015, end=2015, store=export_store)
    for state in ("PRK", "GBR", "IND"):
        h = hedging_index(v, state, ("CHN", "USA"), n_boot=0).iloc[0]
        row = by_state[state]
        assert row["position"] == pytest.approx(h["position"], abs=1e-4)
        assert row["agree_CHN"] == pytest.approx(h["agree_CHN"], abs=1e-4)
        assert row["n_votes"] == h["n_votes"]
        assert row["position_lo"] <= row["position"] <= row["position_hi"]


@pytest.mark.slow
def test_movers_and_state_series(atlas_server):
    server = atlas_server
    status, movers, _ = get(server.url + "/api/movers?a=CHN&b=USA&year=2017&top=5")
    assert status == 200 and 0 < len(movers) <= 5
    assert all(m["period"] == 2017 and m["stability"] >= 0.5 for m in movers)
    sizes = [abs(m["size"]) for m in movers]
    assert sizes == sorted(sizes, reverse=True)
    status, prk, _ = get(server.url + "/api/state/prk?a=CHN&b=USA")
    assert status == 200 and prk["state"] == "PRK"
    years, s = prk["years"], prk["series"]
    assert s["n_votes"][years.index(1990)] is None and s["n_votes"][years.index(2015)] > 0
    i = years.index(2015)
    assert s["side_A"][i] + s["side_B"][i] + s["side_neither"][i] == pytest.approx(1, abs=1e-3)


@pytest.mark.slow
def test_report_is_computed_on_demand_and_escaped(server):
    seen = []
    deadline = time.monotonic() + 240
    while True:
        status, body, _ = get(server.url + "/api/report/PRK?a=CHN&b=RUS")
        seen.append(status)
        if status != 202:
            break
        assert body["status"] in ("queued", "running") and 0 <= body["done"] <= body["total"]
        assert time.monotonic() < deadline
        time.sleep(0.5)
    assert status == 200, body
    assert [s["key"] for s in body["sections"]] == ["alignment", "hedging", "synchronisation"]
    hedge = body["sections"][1]
    assert hedge["status"] == "ok" and hedge["figures"][0]["src"].startswith(
        "data:image/svg+xml;base64,"
    )
    assert body["claims"]["rows"]
    # cached: the second request answers at once, from the kept result
    t = time.perf_counter()
    again, _, _ = get(server.url + "/api/report/PRK?a=CHN&b=RUS")
    assert again == 200 and time.perf_counter() - t < 1.5


@pytest.mark.parametrize(
    ("path", "status", "words"),
    [
        ("/api/atlas?a=XXX&b=USA", 400, "'a' parameter must be the ISO3 code"),
        ("/api/atlas?a=CHN&b=CHN", 400, "must differ"),
        pytest.param(  # checked against the atlas's years: computes it
            "/api/atlas/3000?a=CHN&b=USA", 400, "got 3000", marks=pytest.mark.slow
        ),
        ("/api/atlas/year?a=CHN&b=USA", 400, "'year' parameter must be a year"),
        ("/api/atlas?a=../&b=USA", 400, "three-letter ISO3"),
        ("/api/atlas?a=CHN&b=..%2F..%2Fetc%2Fpasswd", 400, "three-letter ISO3"),
        ("/api/atlas?a=CHN&b=USA&measure=kappa", 400, "'measure' parameter must be one of"),
        ("/api/movers?top=0", 400, "'top' parameter must be an integer from 1"),
        ("/api/state/ZZZ?a=CHN&b=USA", 404, "ISO3 code of a country in the record"),
        ("/api/report/CHN?a=CHN&b=USA", 400, "cannot be one of the powers"),
        ("/api/nothing", 404, "No such page"),
        ("/static/..%2F..%2Fpyproject.toml", 404, ""),
        ("/static/_app.py", 404, "No such file"),
    ],
)
def test_bad_requests_get_a_clear_4xx(server, path, status, words):
    got, body, _ = get(server.url + path)
    assert got == status
    if path.startswith("/api"):
        assert words in body["error"] and body["status"] == status
    else:
        assert words in body


def test_a_page_error_is_a_page_and_escapes_input(server):
    status, body, headers = get(server.url + "/?a=%3Cscript%3E&b=USA")
    assert status == 400 and headers["content-type"].startswith("text/html")
    assert "<script>" not in body and "&lt;script&gt;" in body
    status, body, _ = get(server.url + "/?a=CHN&b=USA&year=3000")
    assert status == 400 and "got 3000" in body


def test_one_megabyte_query_string_is_refused_and_server_stays_healthy(server):
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
    conn.request("GET", "/api/atlas?a=CHN&b=USA&pad=" + "A" * (1 << 20))
    r = conn.getresponse()
    body = r.read().decode()
    assert r.status == 414 and "longer than 4096 bytes" in body
    status, health, _ = get(server.url + "/api/health")
    assert status == 200 and health["status"] == "ok"


def test_openapi_documents_the_api(server):
    status, spec, _ = get(server.url + "/api/openapi.json")
    assert status == 200 and spec["openapi"].startswith("3.")
    for path in (
        "/api/atlas",
        "/api/atlas/{year}",
        "/api/movers",
        "/api/state/{code}",
        "/api/report/{code}",
    ):
        assert path in spec["paths"]
    status, page, _ = get(server.url + "/api")
    assert status == 200 and "/api/movers" in page and "/api/openapi.json" in page


def test_pages_carry_no_inline_script(server):
    status, page, headers = get(server.url + "/?a=CHN&b=USA")
    assert status == 200
    assert "frame-ancestors 'none'" in headers["content-security-policy"]
    scripts = [s for s in page.split("<script")[1:]]
    assert all(s.startswith((' src="/static/', ' type="application/json"')) for s in scripts)
    assert "http://" not in page.replace(server.url, "") and "https://" not in page
    assert HOSTILE not in page


def test_foreign_host_header_is_refused(server):
    # a page elsewhere reaching 127.0.0.1 through a rebound DNS name sends its own Host
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
    conn.request("GET", "/api/countries", headers={"Host": "evil.example"})
    r = conn.getresponse()
    assert r.status == 400 and b"Invalid host header" in r.read()
