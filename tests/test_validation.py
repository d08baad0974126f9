"""hedgewatch._validation: one message form, the public function named, durations, frames."""

from __future__ import annotations

import inspect

import pandas as pd
import pytest

import hedgewatch as hw
from hedgewatch._validation import (
    blame,
    caller,
    check_choice,
    check_columns,
    check_duration,
    check_known,
    check_level,
    check_number,
    check_present,
    validated,
)
from hedgewatch.errors import InsufficientDataError, ParameterError, UnknownCountryError


@validated
def outer(x):
    return inner(x)


@validated
def inner(x):
    check_number(x, "x", low=0)
    return caller()


def test_the_outermost_public_function_is_named():
    assert outer(1) == "outer"
    assert inner(1) == "inner"
    with pytest.raises(ParameterError, match=r"^The 'x' parameter of outer\(\) must be"):
        outer(-1)
    assert caller() == "hedgewatch"  # reset after the call, even after an error


@validated
def run():
    with blame("Model"):
        check_choice("z", "kind", ["a", "b"])


def test_blame_names_an_estimator_inside_a_call():
    with pytest.raises(
        ParameterError, match=r"'kind' parameter of Model\(\) must be one of 'a', 'b'"
    ):
        run()


@validated
def sync(window):
    return check_duration(window, "window")


def test_check_duration():
    assert sync("3d") == 3
    assert sync("2w") == 14
    assert sync(5) == 5
    assert sync(pd.Timedelta(days=4)) == 4
    for bad in ("-3d", "3h", pd.Timedelta(hours=5), True, None):
        with pytest.raises(ParameterError, match=r"The 'window' parameter of sync\(\) must be"):
            sync(bad)


def test_check_number_and_level():
    assert check_number(3.0, "n", low=1, integer=True) == 3
    for bad in (True, float("nan"), float("inf"), "3", 0.5):
        with pytest.raises(ParameterError):
            check_number(bad, "n", low=1, integer=True)
    assert check_level(0.9) == 0.9
    for bad in (0, 1, 1.5, None):
        with pytest.raises(ParameterError, match="'level'"):
            check_level(bad)


def test_check_columns_says_what_is_missing():
    frame = pd.DataFrame({"a": [1]})
    assert check_columns(frame, "frame", ["a"]) is frame
    with pytest.raises(ParameterError, match=r"columns a, b; got columns \['a'\]"):
        check_columns(frame, "frame", ["a", "b"])
    with pytest.raises(ParameterError, match="got list"):
        check_columns([1], "frame", ["a"])


def test_check_present_and_check_known():
    assert check_present(["PRK", "China"], {"PRK", "CHN"}, "powers") == ["PRK", "CHN"]
    with pytest.raises(InsufficientDataError, match="KOR"):
        check_present(["KOR"], {"PRK"}, "powers")
    with pytest.raises(UnknownCountryError, match="XQZ"):
        check_present(["XQZ"], {"PRK"}, "powers")
    assert check_known(["North Korea"], ["PRK", "USA"], "countries", "the fit") == ["PRK"]
    with pytest.raises(ParameterError, match="Countries in the fit: PRK, USA"):
        check_known(["CHN"], ["PRK", "USA"], "countries", "the fit")


def test_backend_is_blamed_on_the_function_called():
    speeches = pd.DataFrame(
        {"country": ["PRK", "RUS"], "year": [2017, 2017], "text": ["peace now", "peace now"]}
    )
    with pytest.raises(ParameterError, match=r"'backend' parameter of convergence\(\)"):
        hw.convergence(speeches, "PRK", "RUS", backend="bert")
    with pytest.raises(ParameterError, match=r"'backend' parameter of similarity\(\)"):
        hw.similarity(speeches, backend="bert")


def test_no_public_function_takes_a_func_parameter():
    for name in hw.__all__:
        obj = getattr(hw, name)
        if callable(obj) and not isinstance(obj, type):
            assert "func" not in inspect.signature(obj).parameters, name
