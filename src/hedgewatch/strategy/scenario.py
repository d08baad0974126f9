"""Bargaining scenarios: the actors, their positions, capabilities and saliences.

A :class:`Scenario` is the input of the expected-utility forecast (:func:`forecast`). It can be
built from Python (``Scenario.from_records``), a DataFrame, a YAML file or a CSV file. Every
check happens here, once: positions inside the scale, capability non-negative, salience in
``[0, 100]``, unique actor names. All problems are collected and raised together as one
:class:`~hedgewatch.errors.ScenarioError` naming the actor, the field, the value and what is
allowed (and, for files, the file and line).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import pandas as pd

from hedgewatch._validation import validated
from hedgewatch.errors import ScenarioError

#: Fields an actor may carry; ``risk`` is optional (a fixed risk exponent, else endogenous).
ACTOR_FIELDS = ("name", "capability", "position", "salience", "risk")
_REQUIRED = ("name", "capability", "position", "salience")
_TOP_FIELDS = ("name", "scale", "q", "t", "actors", "description", "source")
_MAX_SHOWN = 8


@dataclass(frozen=True)
class Actor:
    """One stakeholder of a bargaining scenario.

    Parameters
    ----------
    name : str
        Unique label (a country code, a person, a ministry).
    capability : float
        Resources the actor can bring to bear on the issue (any non-negative unit; only ratios
        matter).
    position : float
        The outcome the actor prefers, on the scenario's scale (default 0-100).
    salience : float
        How much the actor cares, 0 (not at all) to 100 (drops everything else).
    risk : float or None
        A fixed risk exponent ``r > 0`` (1 = risk neutral); ``None`` lets the model derive it
        each round from the actor's vulnerability, as Bueno de Mesquita does.
    """

    name: str
    capability: float
    position: float
    salience: float
    risk: float | None = None


@dataclass(frozen=True)
class Scenario:
    """A one-dimensional bargaining issue and the actors contesting it.

    Parameters
    ----------
    actors : tuple of Actor
    scale : (float, float)
        The issue's range ``(low, high)``; positions must lie inside it. Distances are measured
        relative to its width. Default ``(0, 100)``.
    q : float
        Probability, in ``[0, 1]``, that the status quo holds if an actor does not challenge
        (Bueno de Mesquita's *Q*). Default 1.
    t : float
        Probability, in ``[0, 1]``, that things improve for the actor when the status quo does
        not hold (Bueno de Mesquita's *T*). Default 1.
    name : str
        A label for plots and reports.
    """

    actors: tuple[Actor, ...]
    scale: tuple[float, float] = (0.0, 100.0)
    q: float = 1.0
    t: float = 1.0
    name: str = "scenario"
    source: str | None = field(default=None, compare=False)

    def __post_init__(self) -> None:
        _raise(_problems(self.actors, self.scale, self.q, self.t, self.name, self.source))

    # -- construction -------------------------------------------------------------------
    @classmethod
    def from_records(
        cls,
        records: Iterable[Mapping[str, Any]],
        *,
        scale: Sequence[float] = (0.0, 100.0),
        q: float = 1.0,
        t: float = 1.0,
        name: str = "scenario",
        source: str | None = None,
        lines: Sequence[int | None] | None = None,
    ) -> Scenario:
        """Build a scenario from dicts with keys ``name, capability, position, salience[, risk]``."""
        records = list(records)
        problems: list[str] = []
        actors = []
        for i, rec in enumerate(records):
            where = _where(source, lines[i] if lines else None, rec.get("name", f"#{i + 1}"))
            actor, errs = _actor_from_mapping(rec, where)
            problems += errs
            if actor is not None:
                actors.append(actor)
        scale_t, errs = _parse_scale(scale, source)
        problems += errs
        _raise(problems)
        # Validate before construction so that each problem can name its file line.
        _raise(_problems(tuple(actors), scale_t, float(q), float(t), str(name), source, lines))
        return cls(tuple(actors), scale_t, float(q), float(t), str(name), source)

    @classmethod
    def from_frame(cls, frame: pd.DataFrame, **kwargs: Any) -> Scenario:
        """Build a scenario from a DataFrame with columns ``actor`` (or ``name``), ``capability``,
        ``position``, ``salience`` and optionally ``risk``."""
        df = frame.rename(columns={c: str(c).strip().lower() for c in frame.columns})
        if "name" not in df.columns and "actor" in df.columns:
            df = df.rename(columns={"actor": "name"})
        missing = [c for c in _REQUIRED if c not in df.columns]
        if missing:
            src = kwargs.get("source") or "scenario table"
            raise ScenarioError(
                f"{src}: missing column(s) {missing}; a scenario table needs the columns "
                "actor, capability, position, salience (and optionally risk)."
            )
        recs = [
            {str(k): v for k, v in r.items() if not _is_missing(v)} for r in df.to_dict("records")
        ]
        return cls.from_records(recs, **kwargs)

    # -- derived views ------------------------------------------------------------------
    @property
    def names(self) -> list[str]:
        """Actor names in input order."""
        return [a.name for a in self.actors]

    def to_frame(self) -> pd.DataFrame:
        """One row per actor: ``actor, capability, position, salience, risk``."""
        return pd.DataFrame(
            {
                "actor": self.names,
                "capability": [a.capability for a in self.actors],
                "position": [a.position for a in self.actors],
                "salience": [a.salience for a in self.actors],
                "risk": [a.risk for a in self.actors],
            }
        )

    def actor(self, name: str) -> Actor:
        """The actor called ``name``; :class:`ScenarioError` listing the valid names otherwise."""
        for a in self.actors:
            if a.name == name:
                return a
        raise ScenarioError(
            f"Scenario {self.name!r}: unknown actor {name!r}; the actors are {self.names}."
        )

    def without(self, *names: str) -> Scenario:
        """The scenario with the named actors removed (to test how much the forecast needs them)."""
        for n in names:
            self.actor(n)
        return replace(self, actors=tuple(a for a in self.actors if a.name not in names))

    def with_actor(self, name: str, **changes: Any) -> Scenario:
        """The scenario with one actor's fields changed (a 'shock'), re-validated."""
        old = self.actor(name)
        bad = sorted(set(changes) - set(ACTOR_FIELDS[1:]))
        if bad:
            raise ScenarioError(
                f"Scenario {self.name!r}, actor {name!r}: unknown field(s) {bad}; "
                f"allowed: {list(ACTOR_FIELDS[1:])}."
            )
        new = replace(old, **changes)
        return replace(self, actors=tuple(new if a.name == name else a for a in self.actors))


@validated
def read_scenario(path: str | Path) -> Scenario:
    """Read a scenario from a ``.yaml``/``.yml`` or ``.csv`` file.

    YAML layout::

        name: EU emission standards
        scale: [4, 10]          # optional, default [0, 100]
        q: 1.0                  # optional
        t: 1.0                  # optional
        actors:
          - {name: Germany, capability: 0.16, position: 4, salience: 80}

    CSV layout: a header ``actor,capability,position,salience[,risk]`` and one row per actor
    (scale 0-100).

    Raises
    ------
    ScenarioError
        Naming the file and line of each bad actor, the field, the value and what is allowed.
    """
    path = Path(path)
    if not path.is_file():
        raise ScenarioError(f"{path}: no such scenario file. Give a .yaml or .csv file.")
    suffix = path.suffix.lower()
    if suffix in (".yaml", ".yml"):
        return _read_yaml(path)
    if suffix == ".csv":
        return _read_csv(path)
    raise ScenarioError(f"{path}: unknown scenario format {suffix!r}; use .yaml, .yml or .csv.")


# -- readers ------------------------------------------------------------------------------
def _read_yaml(path: Path) -> Scenario:
    from hedgewatch._safe_yaml import read_yaml
    from hedgewatch.errors import DataFormatError

    try:
        node, data = read_yaml(path, hint="Fix the YAML; see docs/strategy.md for the layout.")
    except DataFormatError as exc:
        raise ScenarioError(str(exc)) from exc
    if not isinstance(data, dict) or not isinstance(data.get("actors"), list):
        raise ScenarioError(
            f"{path}: a scenario file must be a mapping with an 'actors' list; "
            "see docs/strategy.md for the layout."
        )
    unknown = sorted(set(map(str, data)) - set(_TOP_FIELDS))
    if unknown:
        raise ScenarioError(
            f"{path}: unknown top-level key(s) {unknown}; allowed: {list(_TOP_FIELDS)}."
        )
    lines = _actor_lines(node)
    records = [r if isinstance(r, dict) else {"_raw": r} for r in data["actors"]]
    return Scenario.from_records(
        records,
        scale=data.get("scale", (0.0, 100.0)),
        q=_number_or_raise(data.get("q", 1.0), path, "q"),
        t=_number_or_raise(data.get("t", 1.0), path, "t"),
        name=str(data.get("name", path.stem)),
        source=str(path),
        lines=lines,
    )


def _actor_lines(node: Any) -> list[int | None]:
    for key, value in getattr(node, "value", []):
        if getattr(key, "value", None) == "actors" and isinstance(value.value, list):
            return [item.start_mark.line + 1 for item in value.value]
    return []


def _read_csv(path: Path) -> Scenario:
    try:
        df = pd.read_csv(path, skipinitialspace=True, comment="#")
    except (pd.errors.ParserError, UnicodeDecodeError, pd.errors.EmptyDataError) as exc:
        raise ScenarioError(f"{path}: cannot read as CSV ({exc}).") from exc
    # Header is line 1, so data row i (0-based) sits on line i + 2 (no comment lines in between).
    lines = [i + 2 for i in range(len(df))]
    df = df.rename(columns={c: str(c).strip().lower() for c in df.columns})
    if "name" not in df.columns and "actor" in df.columns:
        df = df.rename(columns={"actor": "name"})
    missing = [c for c in _REQUIRED if c not in df.columns]
    if missing:
        raise ScenarioError(
            f"{path}: line 1: missing column(s) {missing}; the header must be "
            "actor,capability,position,salience[,risk]."
        )
    recs = [{str(k): v for k, v in r.items() if not _is_missing(v)} for r in df.to_dict("records")]
    return Scenario.from_records(recs, name=path.stem, source=str(path), lines=lines)


# -- validation ---------------------------------------------------------------------------
def _where(source: str | None, line: int | None, actor: object) -> str:
    parts = [p for p in (source, f"line {line}" if line else None) if p]
    prefix = ", ".join(parts)
    return f"{prefix}: actor {actor!r}" if prefix else f"actor {actor!r}"


def _actor_from_mapping(rec: Mapping[str, Any], where: str) -> tuple[Actor | None, list[str]]:
    if "_raw" in rec:
        return None, [f"{where}: an actor must be a mapping of {list(ACTOR_FIELDS)}"]
    errs = [
        f"{where}: unknown field {k!r}; allowed: {list(ACTOR_FIELDS)}"
        for k in rec
        if k not in ACTOR_FIELDS
    ]
    errs += [f"{where}: field {k!r} is missing" for k in _REQUIRED if k not in rec]
    values: dict[str, Any] = {}
    for k in ("capability", "position", "salience", "risk"):
        if k in rec and rec[k] is not None:
            v = _to_float(rec[k])
            if v is None:
                errs.append(f"{where}: field {k!r} must be a number; got {rec[k]!r}")
            else:
                values[k] = v
    if errs:
        return None, errs
    return Actor(name=str(rec["name"]).strip(), **values), []


def _problems(
    actors: tuple[Actor, ...],
    scale: tuple[float, float],
    q: float,
    t: float,
    name: str,
    source: str | None,
    lines: Sequence[int | None] | None = None,
) -> list[str]:
    problems: list[str] = []
    lo, hi = scale
    if not (math.isfinite(lo) and math.isfinite(hi) and hi > lo):
        problems.append(f"scale must be two finite numbers low < high; got {scale!r}")
    for label, v in (("q", q), ("t", t)):
        if not (0.0 <= v <= 1.0):
            problems.append(f"field {label!r} must be a probability in [0, 1]; got {v!r}")
    seen: set[str] = set()
    for i, a in enumerate(actors):
        line = lines[i] if lines and i < len(lines) else None
        w = f"line {line}: actor {a.name!r}" if line else f"actor {a.name!r}"
        if not a.name:
            problems.append("an actor has an empty name")
        elif a.name in seen:
            problems.append(f"{w}: duplicate actor name; names must be unique")
        seen.add(a.name)
        if not (math.isfinite(a.position) and lo <= a.position <= hi):
            problems.append(
                f"{w}: field 'position' must lie in the scale [{lo:g}, {hi:g}]; got {a.position!r}"
            )
        if not (math.isfinite(a.capability) and a.capability >= 0):
            problems.append(
                f"{w}: field 'capability' must be a non-negative number; got {a.capability!r}"
            )
        if not (math.isfinite(a.salience) and 0 <= a.salience <= 100):
            problems.append(f"{w}: field 'salience' must lie in [0, 100]; got {a.salience!r}")
        if a.risk is not None and not (math.isfinite(a.risk) and a.risk > 0):
            problems.append(f"{w}: field 'risk' must be a positive exponent; got {a.risk!r}")
    if len(actors) < 2:
        problems.append(f"a scenario needs at least 2 actors; got {len(actors)}")
    elif not problems and sum(a.capability * a.salience for a in actors) <= 0:
        problems.append("every actor has zero capability or zero salience; nobody can move")
    where = f"{source}: " if source else ""
    return [f"{where}scenario {name!r}: {p}" for p in problems]


def _raise(problems: list[str]) -> None:
    if not problems:
        return
    shown = problems[:_MAX_SHOWN]
    more = len(problems) - len(shown)
    msg = "; ".join(shown) + (f"; and {more} more problem(s)" if more else "")
    raise ScenarioError(msg + ". Fix the scenario and run again.")


def _parse_scale(scale: Any, source: str | None) -> tuple[tuple[float, float], list[str]]:
    where = f"{source}: " if source else ""
    if isinstance(scale, Mapping):
        scale = (scale.get("min"), scale.get("max"))
    try:
        lo, hi = (float(v) for v in scale)
    except (TypeError, ValueError):
        return (0.0, 100.0), [f"{where}'scale' must be [low, high]; got {scale!r}"]
    return (lo, hi), []


def _number_or_raise(value: Any, path: Path, key: str) -> float:
    v = _to_float(value)
    if v is None:
        raise ScenarioError(f"{path}: field {key!r} must be a number in [0, 1]; got {value!r}.")
    return v


def _to_float(value: Any) -> float | None:
    if isinstance(value, bool):
        return None
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


def _is_missing(value: Any) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))
