"""Country identity: codes, names, successor states over time."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from hedgewatch import countries
from hedgewatch.errors import UnknownCountryError


def test_country_converter_imports_with_namibia():
    # Known trap: under pandas 3, country_converter reads Namibia's ISO2 "NA" as missing.
    assert countries.resolve("NA") == "NAM"
    assert countries.resolve("Namibia") == "NAM"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("PRK", "PRK"),
        ("kp", "PRK"),
        ("North Korea", "PRK"),
        (731, "PRK"),
        ("365", "RUS"),
        ("United States", "USA"),
        ("SUN", "SUN"),
        ("Soviet Union", "SUN"),
    ],
)
def test_resolve(value, expected):
    assert countries.resolve(value) == expected


def test_unknown_country_suggests():
    with pytest.raises(UnknownCountryError, match="Did you mean North Korea"):
        countries.resolve("North Koria")


def test_cow_codes_that_differ_from_gleditsch_ward():
    codes = pd.Series([200, 255, 260, 265, 315, 316, 345, 365, 678, 680, 816, 947, 970])
    got = countries.cow_to_iso3(codes).tolist()
    assert got == [
        "GBR",
        "DEU",
        "DEU",
        "DDR",
        "CZE",
        "CZE",
        "SRB",
        "RUS",
        "YEM",
        "YMD",
        "VNM",
        "TUV",
        "NRU",
    ]
    with pytest.raises(UnknownCountryError, match="not a Correlates of War"):
        countries.cow_to_iso3(pd.Series([1]))


def test_historical_states_by_date():
    c = pd.Series(["RUS", "RUS", "SRB", "SRB", "SRB", "CZE", "CZE", "PRK"])
    d = pd.Series(
        pd.to_datetime(
            [
                "1991-12-23",
                "1991-12-24",
                "1999-01-01",
                "2005-01-01",
                "2007-01-01",
                "1992-06-01",
                "1993-06-01",
                "2000-01-01",
            ]
        )
    )
    assert countries.historical_states(c, d).tolist() == [
        "SUN",
        "RUS",
        "YUG",
        "SCG",
        "SRB",
        "CSK",
        "CZE",
        "PRK",
    ]
    assert countries.historical_state("RUS", dt.date(1980, 1, 1)) == "SUN"


def test_successors_overridable():
    s = pd.Series(["SUN", "YUG", "DDR", "PRK"])
    assert countries.apply_successors(s).tolist() == ["RUS", "SRB", "DDR", "PRK"]
    assert countries.apply_successors(s, {"SUN": None}).tolist() == ["SUN", "YUG", "DDR", "PRK"]
    assert countries.apply_successors(s, {"DDR": "DEU"}).tolist() == ["SUN", "YUG", "DEU", "PRK"]


def test_country_table():
    t = countries.country_table(["PRK", "SUN"])
    assert t.set_index("iso3").loc["PRK", "cow"] == 731
    assert t.set_index("iso3").loc["SUN", "name"] == "Soviet Union"
