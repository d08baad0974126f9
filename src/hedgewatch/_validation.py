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

import contextlib
import contextvars
import functools
import math
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import TYPE_CHECKING, Any, TypeVar

from hedgewatch.errors import DataFormatError, InsufficientDataError, ParameterError, Problem

if TYPE_CHECKING:
    import pandas as pd

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

    wrapper.__hedgewatch_validated__ = True  # type: ignore[attr-defined]
    return wrapper  # type: ignore[return-value]


@contextlib.contextmanager
def blame(name: str) -> Iterator[None]:
    """Name ``name`` in the messages of the checks run inside the block, whoever called.

    Estimators use it for their constructor parameters: a bad ``drift`` is a fault of
    ``DynamicIdealPoints()``, even when :meth:`~DynamicIdealPoints.fit` finds it.
    """
    token = _CALLER.set(name)
    try:
        yield
    finally:
        _CALLER.reset(token)


def caller() -> str:
    """Name of the public function being run (``"hedgewatch"`` outside any)."""
    return _CALLER.get() or "hedgewatch"


def fail(name: str, requirement: str, value: object, *, got: str | None = None) -> ParameterError:
    """The house error for parameter ``name`` (to ``raise``).

    ``got`` replaces the ``repr`` of ``value`` in the message (e.g. ``"columns ['a', 'b']"``).
    """
    shown = got if got is not None else repr(value)
    return ParameterError(
        f"The {name!r} parameter of {caller()}() must be {requirement}; got {shown}."
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


def check_columns(
    frame: Any, name: str, columns: Sequence[str], *, source: str = ""
) -> pd.DataFrame:
    """``frame`` if it is a DataFrame holding ``columns``; else the house error.

    ``source`` says where such a frame comes from (``"hedgewatch.speeches()"``).
    """
    import pandas as pd

    where = f" (as from {source})" if source else ""
    requirement = f"a DataFrame with columns {', '.join(columns)}{where}"
    if not isinstance(frame, pd.DataFrame):
        raise fail(name, requirement, frame, got=type(frame).__name__)
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise fail(name, requirement, frame, got=f"columns {list(frame.columns)}")
    return frame


def require_columns(frame: pd.DataFrame, columns: Sequence[str], what: str, hint: str) -> None:
    """Raise :class:`DataFormatError` naming every column of ``columns`` that ``frame`` lacks.

    For frames that are data rather than a parameter (a votes table handed to an analysis):
    the error reads like a reader's, ``votes DataFrame: missing column 'vote'``.
    """
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise DataFormatError(what, [Problem(f"missing column {c!r}") for c in missing], hint=hint)


_DURATION = re.compile(r"\s*(\d+)\s*([dw]?)\s*")


def check_duration(value: Any, name: str) -> int:
    """A non-negative duration in days from ``3``, ``"3d"``, ``"2w"`` or a Timedelta."""
    import pandas as pd

    if isinstance(value, pd.Timedelta):
        days = value.days if value.total_seconds() % 86400 == 0 else -1
    elif (
        isinstance(value, int)
        and not isinstance(value, bool)
        or hasattr(value, "__index__")
        and not isinstance(value, bool)
    ):
        days = int(value)
    else:
        m = _DURATION.fullmatch(str(value).lower())
        days = (int(m.group(1)) * (7 if m.group(2) == "w" else 1)) if m else -1
    check_param(days >= 0, name, "a non-negative duration such as '3d' or '2w'", value)
    return days


def check_present(codes: Iterable[object], present: set[str], what: str) -> list[str]:
    """Map user-given countries to codes present in the data, or raise a clear error.

    A code the identity layer knows but that has no row in the data raises
    :class:`~hedgewatch.errors.InsufficientDataError`; one it does not know raises
    :class:`~hedgewatch.errors.UnknownCountryError`. ``what`` names the role (``"powers"``).
    """
    from hedgewatch import countries as _countries

    out: list[str] = []
    for c in codes:
        if str(c) in present:
            out.append(str(c))
            continue
        code = _countries.resolve(c, where=f"{caller()}() {what}")
        if code not in present:
            raise InsufficientDataError(
                f"{caller()}(): {code} ({_countries.name(code)}) cast no yes/abstain/no vote in "
                f"the votes given ({what}). Widen the window, or check membership dates "
                "(e.g. PRK from 1991, CHN as the PRC from 1971)."
            )
        out.append(code)
    return out


def check_known(values: Iterable[object], known: Iterable[str], name: str, where: str) -> list[str]:
    """Resolve country codes against the codes of a result (a fit); raise listing them.

    ``where`` names the result in the message (``"the fit"``).
    """
    from hedgewatch import countries as _countries
    from hedgewatch.errors import UnknownCountryError

    have = set(known)
    out = []
    for c in values:
        try:
            code = _countries.resolve(c)
        except UnknownCountryError:  # report it against the result's codes instead
            code = str(c)
        if code not in have:
            shown = ", ".join(sorted(have)[:30]) + (" ..." if len(have) > 30 else "")
            raise ParameterError(
                f"The {name!r} parameter of {caller()}() must name countries in {where}; "
                f"got {c!r}. Countries in {where}: {shown}."
            )
        out.append(code)
    return out
