"""Vendored assets: present, unchanged (checksums recorded in VENDORED.md), and the map ids
mapped to ISO3."""

from __future__ import annotations

import hashlib
import re

from hedgewatch.web import _data


def test_vendored_files_match_their_recorded_checksums():
    notes = _data.asset("vendor/VENDORED.md").decode()
    rows = re.findall(r"\| `([^`]+)` \|[^\n]*\| `([0-9a-f]{64})` \|", notes)
    assert {name for name, _ in rows} == {
        "d3.min.js",
        "topojson-client.min.js",
        "countries-110m.json",
    }
    for name, digest in rows:
        assert hashlib.sha256(_data.asset(f"vendor/{name}")).hexdigest() == digest, name


def test_map_ids_are_iso3():
    ids = _data.map_ids()
    assert (
        ids["408"] == "PRK" and ids["156"] == "CHN" and ids["840"] == "USA" and ids["643"] == "RUS"
    )
    assert len(ids) == 174  # 177 features; N. Cyprus, Somaliland and Kosovo carry no id


def test_json_script_cannot_close_its_element():
    text = str(_data.json_script({"title": "</script><script>alert(1)</script> & more"}))
    assert "<" not in text and ">" not in text and "&" not in text
    assert "\\u003c/script\\u003e" in text
