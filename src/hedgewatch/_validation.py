"""Parameter checks shared by every public function and estimator.

Every check raises :class:`~hedgewatch.errors.ParameterError` in one form::

    The 'window' parameter of sync() must be a positive duration; got '-3d'.

The function named is the *public* entry point the user called, not the helper that happened
to check: public functions carry the :func:`validated` decorator, which records their name
for the duration of the call (the outermost one wins), so ``convergence(backend="bert")``
blames ``convergence()`` even though the backend is checked three calls deeper.

Modelled on scikit-learn's ``sklearn/utils/validation.py`` and ``_param_validation.py``.
"""

from __future__ import annotations

import contextvars
import functools
import math
from collections.abc import Callable, Iterable
from typing import Any, TypeVar

from hedgewatch.errors import ParameterError

F = TypeVar("F", bound=Callable[..., Any])

_CALLER: contextvars.ContextVar[str | None] = contextvars.ContextVar(
    "hedgewatch_caller", default=None
)


def validated(func: F) -> F:
    """Mark ``func`` as a public entry point: checks inside it name it in their messages.

    For methods the name is ``Class.method`` (e.g. ``DynamicIdealPoints.fit``).
    """
    name = func.__qualname__.replace(".<locals>", "")

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        if _CALLER.get() is not None:
            return func(*args, **kwargs)
        token = _CALLER.set(name)
        try:
            return func(*args, **kwargs)
        finally:
            _CALLER.reset(token)

    return wrapper  # type: ignore[return-value]


def caller() -> str:
    """Name of the public function being run (``"hedgewatch"`` outside any)."""
    return _CALLER.get() or "hedgewatch"


def fail(name: str, requirement: str, value: object) -> ParameterError:
    """The house error for parameter ``name`` (to ``raise``)."""
    return ParameterError(
        f"The {name!r} parameter of {caller()}() must be {requirement}; got {value!r}."
    )


def check_param(ok: bool, name: str, requirement: str, value: object) -> None:
    """Raise the house :class:`ParameterError` unless ``ok``."""
    if not ok:
        raise fail(name, requirement, value)


def check_choice(value: Any, name: str, choices: Iterable[Any]) -> Any:
    """``value`` if it is one of ``choices``; else an error listing them all."""
    options = list(choices)
    if value not in options:
        listed = ", ".join(repr(c) for c in options)
        raise fail(name, f"one of {listed}", value)
    return value


def check_number(
    value: Any,
    name: str,
    *,
    low: float | None = None,
    high: float | None = None,
    low_open: bool = False,
    high_open: bool = False,
    integer: bool = False,
) -> Any:
    """``value`` if it is a finite (integer) number within the bounds; else the house error.

    Booleans, NaN and infinities are refused.
    """
    kind = "an integer" if integer else "a finite number"
    ok = isinstance(value, int | float) and not isinstance(value, bool)
    if ok and integer:
        ok = isinstance(value, int) or (isinstance(value, float) and value.is_integer())
    ok = ok and math.isfinite(float(value))
    if ok and low is not None:
        ok = value > low if low_open else value >= low
    if ok and high is not None:
        ok = value < high if high_open else value <= high
    if not ok:
        bounds = []
        if low is not None:
            bounds.append(f"{'>' if low_open else '>='} {low:g}")
        if high is not None:
            bounds.append(f"{'<' if high_open else '<='} {high:g}")
        raise fail(name, kind + (" " + " and ".join(bounds) if bounds else ""), value)
    return int(value) if integer else value


def check_level(level: Any, name: str = "level") -> float:
    """A confidence level strictly between 0 and 1 (``0.95``)."""
    return float(check_number(level, name, low=0, high=1, low_open=True, high_open=True))
