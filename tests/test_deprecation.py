"""Old names keep working for one release: each warns (DeprecationWarning) and gives the
same result as the new name."""

from __future__ import annotations

import importlib

import pandas as pd
import pytest

import hedgewatch as hw
from hedgewatch._deprecation import deprecated_args

from .conftest import DATA


@pytest.fixture(scope="module")
def prk_votes() -> pd.DataFrame:
    votes = pd.read_csv(DATA / "alignment" / "votes_prk_powers_1991_2019.csv.gz")
    return votes[votes["year"] >= 2015]


@pytest.fixture(scope="module")
def speeches() -> pd.DataFrame:
    from hedgewatch.sources.ungdc import load_ungdc

    return load_ungdc(DATA / "rhetoric" / "ungdc_extract.parquet")


def test_ci_is_level(prk_votes):
    new = hw.hedging_index(prk_votes, "PRK", ["CHN", "RUS"], level=0.9, n_boot=20)
    with pytest.warns(DeprecationWarning, match="'ci' parameter of hedging_index.*use 'level'"):
        old = hw.hedging_index(prk_votes, "PRK", ["CHN", "RUS"], ci=0.9, n_boot=20)
    pd.testing.assert_frame_equal(old, new)
    with pytest.raises(TypeError, match="both 'ci'"):
        hw.hedging_index(prk_votes, "PRK", ["CHN", "RUS"], ci=0.9, level=0.9)


def test_powers_have_no_default_any_more(prk_votes):
    new = hw.hedging_index(prk_votes, "PRK", ["CHN", "RUS"], n_boot=0)
    with pytest.warns(DeprecationWarning, match=r"hedging_index\(\) without 'powers'"):
        old = hw.hedging_index(prk_votes, "PRK", n_boot=0)
    pd.testing.assert_frame_equal(old, new)


def test_pair_parameters_and_columns(speeches):
    new = hw.convergence(speeches, "PRK", "RUS", n_boot=5)
    assert list(new.columns[:3]) == ["year", "country_a", "country_b"]
    with pytest.warns(
        DeprecationWarning, match="'a', 'b' parameters of convergence.*use 'country_a', 'country_b'"
    ):
        old = hw.convergence(speeches, a="PRK", b="RUS", n_boot=5)
    pd.testing.assert_frame_equal(old, new)
    with pytest.warns(DeprecationWarning, match="'others' parameter of convergence_many"):
        many = hw.convergence_many(speeches, "PRK", others=["RUS"], n_boot=5)
    pd.testing.assert_frame_equal(many["RUS"], new)
    sim = hw.similarity(speeches, countries=["PRK", "RUS"])
    assert list(sim.columns) == ["year", "country_a", "country_b", "similarity"]


def test_keyword_only_options_still_taken_by_position(speeches):
    new = hw.nearest_neighbours(speeches, "PRK", 2017, n=3)
    with pytest.warns(DeprecationWarning, match=r"Passing n to nearest_neighbours\(\) by position"):
        old = hw.nearest_neighbours(speeches, "PRK", 2017, 3)
    pd.testing.assert_frame_equal(old, new)
    with pytest.warns(DeprecationWarning, match="'country' parameter of nearest_neighbours"):
        renamed = hw.nearest_neighbours(speeches, country="PRK", year=2017, n=3)
    pd.testing.assert_frame_equal(renamed, new)
    with pytest.warns(DeprecationWarning, match="by position"):
        model = hw.OutbiddingModel(0.3)
    assert model.ideal_alignment == 0.3


def test_client_and_patrons_are_state_and_powers():
    ideal = pd.DataFrame(
        {"country": ["PRK", "CHN", "RUS"], "year": 2015, "ideal_point": [-1.0, -0.5, 0.5]}
    )
    new = hw.calibrate_outbidding(ideal, 2015, state="PRK", powers=("CHN", "RUS"))
    with pytest.warns(
        DeprecationWarning, match="'client', 'patrons' parameters of calibrate_outbidding"
    ):
        old = hw.calibrate_outbidding(ideal, 2015, client="PRK", patrons=("CHN", "RUS"))
    assert old.get_params() == new.get_params()


def test_the_decorator_passes_through_what_it_does_not_know():
    @deprecated_args(renamed={"old": "new"}, keyword_only=True)
    def f(x, *, new=1, other=2):
        return x, new, other

    assert f(0) == (0, 1, 2)
    with pytest.warns(DeprecationWarning):
        assert f(0, 5, 6) == (0, 5, 6)
    with pytest.raises(TypeError):
        f(0, 5, 6, 7)  # more than the signature takes: Python's own error


@pytest.mark.parametrize(
    ("module", "name", "where"),
    [
        ("hedgewatch.unga", "votes", "hedgewatch.store"),
        ("hedgewatch.alignment", "hedge", "hedgewatch.workflows"),
        ("hedgewatch.idealpoints", "fit_unga", "hedgewatch.workflows"),
        ("hedgewatch.idealpoints", "load_bridges", "hedgewatch.store"),
        ("hedgewatch.rhetoric", "speeches", "hedgewatch.store"),
        ("hedgewatch.statements", "statements", "hedgewatch.store"),
    ],
)
def test_moved_names_warn_and_resolve(module, name, where):
    with pytest.warns(DeprecationWarning, match=f"{module}.{name} is deprecated"):
        old = getattr(importlib.import_module(module), name)
    new = importlib.import_module(where)
    assert old is getattr(new, "bridges" if name == "load_bridges" else name)
