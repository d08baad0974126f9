"""The typed model of a report: sections, figures, tables and the measurements claims use.

A report is computed first (``builder``) into these frozen dataclasses and only then rendered
(``render``). Every string in them that came from data is plain text; the renderer escapes
it. The one exception is :attr:`Figure.svg`, markup produced by matplotlib and sanitised by
:func:`hedgewatch.report.figures.to_svg`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

OK = "ok"
NOT_MEASURABLE = "not measurable"


@dataclass(frozen=True)
class Figure:
    """One figure: a sanitised inline SVG and its caption."""

    key: str
    title: str
    svg: str
    caption: str = ""


@dataclass(frozen=True)
class Table:
    """One table shown as an HTML table (cells escaped when rendered)."""

    title: str
    frame: pd.DataFrame
    caption: str = ""


@dataclass(frozen=True)
class Measurement:
    """A number a claim can test: value, optional interval, what it is and where it is shown.

    A measurement whose window holds no data has a NaN value and a ``note`` saying why (the
    claim's reason: "not measurable", never a verdict on a placeholder 0).
    """

    key: str
    value: float
    label: str
    figure: str = ""
    lo: float = math.nan
    hi: float = math.nan
    note: str = ""

    @property
    def measured(self) -> bool:
        return math.isfinite(self.value)


@dataclass(frozen=True)
class Section:
    """One section of the report.

    ``status`` is ``"ok"`` or ``"not measurable"``; in the second case ``reason`` says why
    (the message of the error the analysis raised, or the module that is missing).
    """

    key: str
    title: str
    status: str = OK
    reason: str = ""
    paragraphs: tuple[str, ...] = ()
    figures: tuple[Figure, ...] = ()
    tables: tuple[Table, ...] = ()
    measurements: tuple[Measurement, ...] = ()
    references: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        return self.status == OK


def unmeasurable(key: str, title: str, reason: str, references: tuple[str, ...] = ()) -> Section:
    """A section that could not be computed, with the reason shown in the report."""
    return Section(key, title, NOT_MEASURABLE, reason=reason, references=references)


@dataclass(frozen=True)
class Report:
    """A computed report.

    Attributes
    ----------
    state, powers
        The state studied and the powers it is placed between.
    html
        The self-contained HTML document (no external resource of any kind).
    sections
        The sections, in the order shown.
    claims
        The claims table: ``id, claim, source, measurement, rule, value, verdict, reason,
        figure``.
    timings
        Seconds spent on each section (``section -> seconds``).
    """

    state: str
    powers: tuple[str, ...]
    html: str
    sections: tuple[Section, ...]
    claims: pd.DataFrame
    timings: dict[str, float] = field(default_factory=dict)

    def section(self, key: str) -> Section:
        """The section with this key (``KeyError`` listing the keys if absent)."""
        for s in self.sections:
            if s.key == key:
                return s
        raise KeyError(f"no section {key!r}; sections are {[s.key for s in self.sections]}")

    def measurements(self) -> dict[str, Measurement]:
        """Every measurement of every section, by key."""
        return {m.key: m for s in self.sections for m in s.measurements}

    def write(self, path: str | Path) -> Path:
        """Write the HTML to ``path`` (UTF-8) and return the path."""
        p = Path(path)
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(self.html, encoding="utf-8")
        return p
