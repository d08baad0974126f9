"""The options every command shares, and the one set of converters behind them.

Commands declare options with the ``Annotated`` types below, so the same thing has the same
flag, metavar and help everywhere (``--from/--to``, ``--between``, ``--n-boot``, ``--seed``,
``--plot``, ``--csv``, ``--top``, ``--out``), and turn the raw text into values with the
converters below, so that a bad value gets the same one-line error from every command:

    The '--from' option must be a year (1991) or a date (1991-09-17); got 'last year'.

Converters raise :class:`~hedgewatch.errors.ParameterError` (or, for a country,
:class:`~hedgewatch.errors.UnknownCountryError`); :func:`hedgewatch.cli.main` prints it on
one line on stderr and exits with status 1. They run inside the command, not as Click
parameter types, so Click never turns them into a multi-line usage error.

Output files (``--out``, ``--csv``, ``--plot``, ``--quarantine``): a missing folder is
*created* (as the library's ``Report.write`` and the statements quarantine do); a path that
is an existing folder is an error; an existing file is overwritten.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, TypeVar

import typer

from hedgewatch.errors import ParameterError

T = TypeVar("T")

# -- shared option types -------------------------------------------------------------------
From = Annotated[
    str | None,
    typer.Option("--from", metavar="YEAR|DATE", help="First year or date (1991, 1991-09-17)."),
]
To = Annotated[
    str | None,
    typer.Option("--to", metavar="YEAR|DATE", help="Last year or date (default: the latest)."),
]
Between = Annotated[
    list[str],
    typer.Option(
        "--between",
        "-b",
        metavar="POWER",
        help="The powers, the first the -1 pole: --between CHN RUS (or -b CHN -b RUS).",
    ),
]
#: The powers after the first of ``--between CHN RUS`` arrive as extra arguments.
MorePowers = Annotated[list[str] | None, typer.Argument(hidden=True)]
NBoot = Annotated[int, typer.Option("--n-boot", min=0, help="Bootstrap replicates.")]
Seed = Annotated[int, typer.Option("--seed", help="Seed of the random numbers.")]
Plot = Annotated[
    Path | None,
    typer.Option("--plot", metavar="FILE", help="Write the figure here (.png, .svg or .pdf)."),
]
Csv = Annotated[Path | None, typer.Option("--csv", metavar="FILE", help="Write the table here.")]
Top = Annotated[int, typer.Option("--top", min=1, metavar="N", help="Rows to show.")]
Out = Annotated[Path | None, typer.Option("--out", "-o", metavar="FILE", help="Write to FILE.")]
By = Annotated[str, typer.Option("--by", metavar="PERIOD", help="year | session | all.")]
Historical = Annotated[
    bool,
    typer.Option(
        "--historical",
        help="Keep historical states apart: the USSR (SUN), Yugoslavia (YUG, SCG) and "
        "Czechoslovakia (CSK) are not counted as RUS, SRB and CZE.",
    ),
]


def successors(historical: bool) -> dict[str, str | None] | None:
    """The ``successors=`` of ``--historical``: ``{}`` keeps every state apart; None is the
    default rules (:data:`hedgewatch.countries.DEFAULT_SUCCESSORS`)."""
    return {} if historical else None


# -- converters ----------------------------------------------------------------------------
def fail(flag: str, requirement: str, value: object) -> ParameterError:
    """The CLI's form of the house error, naming the flag the user typed."""
    what = "option" if flag.startswith("-") else "argument"
    return ParameterError(f"The {flag!r} {what} must be {requirement}; got {value!r}.")


_YEAR = re.compile(r"\d{4}")
#: Years and dates given on the command line lie in [FIRST_YEAR, next year]: the records
#: start in 1946 (statements may be older), and a later year is a typo.
FIRST_YEAR = 1900


def _last_year() -> int:
    return dt.date.today().year + 1


def _bounded_year(text: str, flag: str, what: str, value: object) -> int:
    y = int(text)
    if not FIRST_YEAR <= y <= _last_year():
        raise fail(flag, f"{what} between {FIRST_YEAR} and {_last_year()}", value)
    return y


def _iso_date(text: str, flag: str, what: str, value: object) -> str:
    try:
        day = dt.date.fromisoformat(text)
    except ValueError:
        raise fail(flag, what, value) from None
    if not _YEAR.fullmatch(text[:4]) or len(text) != 10:  # fromisoformat takes 20150131 too
        raise fail(flag, what, value)
    _bounded_year(text[:4], flag, "a date in a year", value)
    return day.isoformat()


def year(value: str | int | None, flag: str = "--from") -> int | None:
    """A four-digit year in [1900, next year], or None."""
    if value is None:
        return None
    text = str(value).strip()
    if not _YEAR.fullmatch(text):
        raise fail(flag, "a year such as 1991", value)
    return _bounded_year(text, flag, "a year", value)


def date(value: str | None, flag: str = "--from") -> str | None:
    """An ISO date ``YYYY-MM-DD`` (a year ``YYYY`` is its first day), or None."""
    if value is None:
        return None
    text = str(value).strip()
    if _YEAR.fullmatch(text):
        y = _bounded_year(text, flag, "a year", value)
        return f"{y}-01-01" if flag != "--to" else f"{y}-12-31"
    return _iso_date(text, flag, "a date such as 2015-01-31 (or a year)", value)


def year_or_date(value: str | None, flag: str = "--from") -> int | str | None:
    """A year (``1991`` -> 1991) or an ISO date (kept as text, checked), or None."""
    if value is None:
        return None
    text = str(value).strip()
    if _YEAR.fullmatch(text):
        return _bounded_year(text, flag, "a year", value)
    return _iso_date(text, flag, "a year (1991) or a date (1991-09-17)", value)


def span(
    start: str | None, end: str | None, convert: Callable[[str | None, str], T]
) -> tuple[T, T]:
    """``--from`` and ``--to`` converted, and refused when ``--to`` comes first."""
    lo, hi = convert(start, "--from"), convert(end, "--to")
    if lo is not None and hi is not None and str(lo)[:10] > str(hi)[:10]:
        raise fail("--to", f"on or after --from ({start})", end)
    return lo, hi


def country(value: str, flag: str) -> str:
    """An ISO3 code from any code or name the identity layer knows."""
    from hedgewatch import countries

    return countries.resolve(value, where=flag)


def countries(
    values: list[str], flag: str, *, at_least: int = 1, at_most: int | None = None
) -> list[str]:
    """Several countries, resolved, distinct, between ``at_least`` and ``at_most`` of them."""
    codes = [country(v, flag) for v in values]
    count = f"at least {at_least}" if at_most is None else f"{at_least} to {at_most}"
    if len(codes) < at_least or (at_most is not None and len(codes) > at_most):
        raise fail(flag, f"{count} countries", " ".join(values))
    if len(set(codes)) < len(codes):
        raise fail(flag, "distinct countries", " ".join(values))
    return codes


def powers(
    between: list[str] | None, more: list[str] | None, state: str | None = None
) -> list[str]:
    """The powers of ``--between CHN RUS`` (two or more, distinct, none the state)."""
    given = [*(between or []), *(more or [])]
    codes = countries(given, "--between", at_least=2)
    if state is not None and state in codes:
        raise fail("--between", f"powers other than the state {state}", " ".join(given))
    return codes


_BY = {"year": "year", "session": "session", "all": None}


def by(value: str) -> str | None:
    """``--by year|session|all`` -> ``"year"``, ``"session"`` or None."""
    if value not in _BY:
        raise fail("--by", "one of year, session, all", value)
    return _BY[value]


def choice(value: str, flag: str, choices: tuple[str, ...]) -> str:
    """``value`` if it is one of ``choices``."""
    if value not in choices:
        raise fail(flag, "one of " + ", ".join(choices), value)
    return value


#: Largest session number accepted (the 80th session opened in 2025).
MAX_SESSION = 200


def sessions(spec: str | None, flag: str = "--sessions") -> list[int] | None:
    """``"1-50"`` or ``"46,47,50"`` -> session numbers (each in [1, 200], ranges ascending)."""
    if not spec:
        return None
    out: list[int] = []
    try:
        for part in spec.split(","):
            lo, _, hi = part.strip().partition("-")
            a, b = int(lo), int(hi or lo)
            if not 1 <= a <= b <= MAX_SESSION:
                raise ValueError
            out.extend(range(a, b + 1))
    except ValueError:
        raise fail(
            flag, f"like '1-50' or '46,47,50' (sessions 1 to {MAX_SESSION}, ranges ascending)", spec
        ) from None
    return sorted(set(out))


def output(path: Path | None, flag: str) -> Path | None:
    """An output file: its folder is created when missing; a folder itself is refused, and so
    is a folder that cannot be written. ``--plot`` must name a figure format matplotlib
    writes (.png, .svg, .pdf, ...). Checked before any work is done."""
    if path is None:
        return None
    if "\x00" in str(path) or not str(path).strip():
        raise fail(flag, "a file name", str(path))
    if path.is_dir() or str(path).endswith(("/", "\\")):
        raise fail(flag, "a file name, not a folder", str(path))
    if flag == "--plot":
        _figure_format(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise fail(
            flag, f"a file in a folder that can be created ({exc.strerror})", str(path)
        ) from None
    if not os.access(path.parent, os.W_OK):
        raise fail(flag, "a file in a folder that can be written", str(path))
    return path


def _figure_format(path: Path) -> None:
    from matplotlib.backend_bases import FigureCanvasBase

    kinds = FigureCanvasBase.get_supported_filetypes()
    suffix = path.suffix.lower().lstrip(".")
    if suffix not in kinds:
        listed = ", ".join(f".{k}" for k in ("png", "svg", "pdf") if k in kinds)
        raise fail(
            "--plot", f"a figure file ({listed}, or another format matplotlib writes)", str(path)
        )


def deprecated_flag(old: str, new: str) -> None:
    """Say on stderr that ``old`` is going; the command goes on with ``new``'s meaning."""
    typer.echo(
        f"Note: {old} is deprecated and will be removed in the next release; use {new}.",
        err=True,
    )
