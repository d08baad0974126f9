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


# --- CAMEO actor country codes (GDELT) ------------------------------------------------------
@pytest.mark.parametrize(
    ("code", "iso3", "kind"),
    [
        ("PRK", "PRK", "state"),
        ("RUS", "RUS", "state"),
        ("ROM", "ROU", "state"),  # CAMEO keeps ISO's pre-2002 code for Romania
        ("TMP", "TLS", "state"),
        ("ZAR", "COD", "state"),
        ("WSB", "PSE", "state"),
        ("EUR", None, "region"),
        ("WST", None, "region"),
        ("SEA", None, "region"),
        ("XQZ", None, "unknown"),
        ("", None, None),
        (None, None, None),
    ],
)
def test_cameo_codes(code, iso3, kind):
    assert countries.cameo_to_iso3([code])[code] == iso3
    assert countries.cameo_kinds([code])[code] == kind


def test_every_cameo_state_exception_is_a_known_iso3_code():
    for cameo, iso in countries.CAMEO_STATES.items():
        assert countries.resolve(iso) == iso
        assert cameo not in countries.CAMEO_REGIONS


def test_cameo_regions_are_not_iso3_codes():
    known = countries._lookups()[0]
    assert not set(countries.CAMEO_REGIONS) & set(known)


def test_every_country_of_the_gdelt_graph_list_maps(shared_data):
    # The 249 countries of the daily dyad file's source all resolve to themselves.
    table = pd.read_csv(shared_data / "events" / "gdelt_graph_country_codes.csv", sep="\t")
    codes = table["Alpha3_code"].str.strip().tolist()
    mapped = countries.cameo_to_iso3(codes)
    assert all(mapped[c] == c for c in codes)
