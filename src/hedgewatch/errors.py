"""The exceptions hedgewatch raises.

Every error says what was wrong, where (file, line, column, value where it applies) and what
to do about it. The CLI prints the message on one line and exits with the status of its kind
(:data:`hedgewatch.cli.EXIT_CODES`: 2 usage, 3 file, 4 store, 5 thin data, ...). Parameter
checks, in the house form, live in :mod:`hedgewatch._validation`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass


class HedgewatchError(Exception):
    """Base class of every error hedgewatch raises on purpose."""


@dataclass(frozen=True)
class Problem:
    """One bad value found in an input file.

    ``line`` is 1-based and counts the header as line 1 for text formats; for binary formats
    (Parquet, R data) it is the 1-based row number.
    """

    reason: str
    line: int | None = None
    column: str | None = None
    value: object = None

    def __str__(self) -> str:
        where = []
        if self.line is not None:
            where.append(f"line {self.line}")
        if self.column is not None:
            where.append(f"column {self.column!r}")
        loc = ", ".join(where)
        val = "" if self.value is None else f" (value {self.value!r})"
        return f"{loc}: {self.reason}{val}" if loc else f"{self.reason}{val}"


class DataFormatError(HedgewatchError, ValueError):
    """An input file does not have the layout or values its reader expects.

    Readers collect every bad row (up to a cap) before raising, so one run shows them all.
    """

    def __init__(
        self,
        path: object,
        problems: Sequence[Problem] | str,
        hint: str | None = None,
        total: int | None = None,
    ) -> None:
        self.path = str(path)
        if isinstance(problems, str):
            problems = [Problem(problems)]
        self.problems = list(problems)
        self.total = total if total is not None else len(self.problems)
        self.hint = hint
        super().__init__(self._message())

    def _message(self) -> str:
        first = self.problems[0] if self.problems else Problem("unreadable")
        msg = f"{self.path}: {first}"
        more = self.total - 1
        if more > 0:
            shown = "; ".join(str(p) for p in self.problems[1:4])
            msg += f"; and {more} more problem(s)" + (f": {shown}" if shown else "")
        if self.hint:
            msg += f". {self.hint}"
        return msg


class UnknownCountryError(HedgewatchError, KeyError):
    """A country code or name that the identity layer cannot resolve."""

    def __init__(self, value: object, where: str | None = None, hint: str | None = None) -> None:
        self.value = value
        self.where = where
        loc = f"{where}: " if where else ""
        msg = f"{loc}unknown country {value!r}"
        msg += f". {hint}" if hint else ". Use an ISO3 code such as 'PRK', 'CHN', 'RUS'."
        super().__init__(msg)

    def __str__(self) -> str:  # KeyError would quote the message
        return str(self.args[0])


class StoreError(HedgewatchError):
    """The store cannot be opened, read or written (locked, read-only, damaged, misplaced).

    A fault, never a finding: a report stops with this error rather than calling a claim
    "not measurable".
    """


class InsufficientDataError(HedgewatchError, ValueError):
    """The data selected is too thin for the measure asked for (an empty window, no
    co-votes, a state with no speeches)."""


class MissingDataError(StoreError, InsufficientDataError):
    """The store holds no data of the kind asked for (no statements imported yet, a table
    that is neither stored nor bundled). Data-thinness, not a fault: a report section that
    needs it is "not measurable with loaded data"."""


class ParameterError(HedgewatchError, ValueError):
    """A function or estimator was given a parameter value it cannot use.

    Messages take the form: "The 'window' parameter of sync() must be a positive duration;
    got '-3d'."
    """


class ScenarioError(HedgewatchError, ValueError):
    """A strategic-model scenario is invalid (positions out of range, unknown actor, ...)."""


class MissingExtraError(HedgewatchError, ImportError):
    """An optional feature needs a package that is not installed."""

    def __init__(self, feature: str, extra: str, package: str) -> None:
        super().__init__(
            f"{feature} needs the optional package {package!r}; "
            f"install it with: pip install 'hedgewatch[{extra}]'"
        )


class ConvergenceWarning(UserWarning):
    """An iterative fit stopped at its iteration limit before it converged.

    The result is returned (it may still be usable) with the warning; raise the iteration
    limit or loosen the tolerance. Turn it into an error with
    ``warnings.simplefilter("error", ConvergenceWarning)``.
    """


__all__ = [
    "ConvergenceWarning",
    "DataFormatError",
    "HedgewatchError",
    "InsufficientDataError",
    "MissingExtraError",
    "ParameterError",
    "Problem",
    "ScenarioError",
    "StoreError",
    "UnknownCountryError",
]
