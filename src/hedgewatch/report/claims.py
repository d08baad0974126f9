"""Claims about a state, read from YAML, and their verdicts against the report's measurements.

A claims file names the state and powers, optional settings, and a list of claims. Each claim
quotes its source and states its rule as conditions on named measurements, all of which must
hold for the verdict *supported*::

    state: PRK
    powers: [CHN, RUS]          # role A = CHN, role B = RUS
    settings: {recent_from: 2012, pivot_from: 2010, reference: USA}
    claims:
      - id: pivot
        claim: Pivot toward Russia
        quote: "North Korea's apparent pivot towards Russia ..."
        rule:
          - {measure: pivot_B_size, op: ">=", value: 0.05}
          - {measure: pivot_B_gap_change, op: "<", value: 0}
      - id: moral_hazard
        claim: Moral hazard created by Chinese support
        unmeasurable: "China's commitment is not observed in votes or speeches"

Measurement names use the roles ``A`` and ``B`` (the first and second power), so one file
serves any pair. The verdict is *supported* when every condition holds, *not supported* when
all are measured and one fails, and *not measurable with loaded data* (with the reason) when a
measurement could not be computed. :data:`MEASURES` lists every name a rule may use.
"""

from __future__ import annotations

import datetime as dt
import math
import operator
import re
import reprlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any, cast

import pandas as pd
import yaml

from hedgewatch._deprecation import deprecated_args
from hedgewatch._safe_yaml import read_yaml
from hedgewatch._validation import validated
from hedgewatch.errors import DataFormatError, Problem
from hedgewatch.report.model import Measurement, Section

SUPPORTED = "supported"
NOT_SUPPORTED = "not supported"
NOT_MEASURABLE = "not measurable with loaded data"

OPS: dict[str, Callable[[float, float], bool]] = {
    ">=": operator.ge,
    ">": operator.gt,
    "<=": operator.le,
    "<": operator.lt,
}

#: Every measurement a rule may name (``P`` stands for the role ``A`` or ``B``).
MEASURES: dict[str, str] = {
    "agree_P": "agreement with P since recent_from (Voeten dyadic, 0..1)",
    "agree_P_lo": "lower end of the 95% bootstrap interval of agree_P",
    "agree_P_hi": "upper end of the 95% bootstrap interval of agree_P",
    "pivot_P_size": "largest upward change in yearly agreement with P from pivot_from on (0 if none)",
    "pivot_P_year": "first year of the new regime of that change",
    "pivot_P_stability": "bootstrap stability of that change (0..1)",
    "pivot_P_gap_change": "change across that pivot in (agreement with the other power minus "
    "agreement with P); negative = moved toward P",
    "position": "hedging position since recent_from (-1 = A, +1 = B)",
    "position_pivot_P_size": "largest change point of the yearly hedging position toward P "
    "from pivot_from on, in position units (0 if none)",
    "position_pivot_P_year": "first year of the new regime of that change",
    "position_pivot_P_stability": "bootstrap stability of that change (0..1)",
    "position_lo": "lower end of the 95% bootstrap interval of position",
    "position_hi": "upper end of the 95% bootstrap interval of position",
    "free_agency": "free agency since recent_from (0 = on the A-B segment)",
    "free_agency_lo": "lower end of the 95% interval of free_agency",
    "free_agency_hi": "upper end of the 95% interval of free_agency",
    "issue_spread": "max - min over Voeten issues of agreement with the reference power",
    "issue_min": "lowest agreement with the reference power over Voeten issues",
    "predictability_percentile": "share of peers (the settings' peers, else all states) whose "
    "votes the one-dimensional ideal-point model fits less well than the state's, in sample "
    "(0..1)",
    "predictability_percentile_1d": "predictability_percentile of the 1-D model (in sample)",
    "predictability_percentile_2d": "predictability_percentile of the 2-D model (in sample)",
    "forecast_percentile": "share of peers (else all states) whose votes since recent_from the "
    "ideal-point model forecasts less well out of sample than the state's (log-loss; the "
    "dimensionality that forecasts all states better) (0..1)",
    "forecast_percentile_1d": "forecast_percentile of the 1-D model",
    "forecast_percentile_2d": "forecast_percentile of the 2-D model",
    "forecast_skill": "out-of-sample skill of the model for the state since recent_from: 1 - "
    "its log-loss / the log-loss of the best simple rule (own last vote, last majority, bloc "
    "majority); > 0 beats every rule",
    "forecast_skill_1d": "forecast_skill of the 1-D model",
    "forecast_skill_2d": "forecast_skill of the 2-D model",
    "forecast_skill_percentile": "share of peers (else all states) for whom the model's "
    "out-of-sample skill is lower than for the state (0..1): predictable relative to the "
    "rules, compared with peers",
    "forecast_skill_percentile_1d": "forecast_skill_percentile of the 1-D model",
    "forecast_skill_percentile_2d": "forecast_skill_percentile of the 2-D model",
    "speech_convergence_P": "change in General Debate speech similarity with P, recent window "
    "minus the earlier one",
    "speech_P_minus_other": "speech similarity with P minus with the other power, recent window",
    "sync_events_P": "synchronisation events between the state's and P's statements",
    "events_position": "event position over the loaded event window from recent_from on "
    "(-1 = A, +1 = B; net event weight with each power, see docs/events.md)",
    "events_position_lo": "lower end of the 95% block-bootstrap interval of events_position",
    "events_position_hi": "upper end of the 95% block-bootstrap interval of events_position",
    "events_pivot_P_size": "largest change point of the quarterly event position toward P from "
    "pivot_from on, in position units (0 if none)",
    "events_pivot_P_period": "quarter of that change, as a fractional year (2022.5 = 2022Q3)",
    "events_pivot_P_stability": "bootstrap stability of that change (0..1)",
    "shield_P_share": "share of Security Council texts about the state since recent_from "
    "(adopted resolutions and vetoed drafts) that P vetoed, voted against or abstained on, "
    "among those with a known action (0..1)",
    "shield_P_vetoes": "drafts about the state vetoed by P since recent_from",
    "shield_P_abstentions": "abstentions of P on resolutions about the state since recent_from",
    "council_texts": "Security Council texts about the state since recent_from",
}


@dataclass(frozen=True)
class Condition:
    """``measure op value`` with ``measure`` in roles (``pivot_B_size``)."""

    measure: str
    op: str
    value: float

    def text(self, labels: Mapping[str, str]) -> str:
        return f"{labels.get(self.measure, self.measure)} {self.op} {self.value:g}"


@dataclass(frozen=True)
class Claim:
    """One claim: its text, source quote, and rule (or the reason it cannot be measured)."""

    id: str
    claim: str
    quote: str = ""
    rule: tuple[Condition, ...] = ()
    unmeasurable: str = ""
    line: int | None = None


@dataclass(frozen=True)
class ClaimSet:
    """A parsed claims file."""

    path: str
    claims: tuple[Claim, ...]
    state: str | None = None
    powers: tuple[str, ...] = ()
    source: str = ""
    settings: Mapping[str, Any] | None = None


class _LineLoader(yaml.SafeLoader):
    """A safe YAML loader that records the 1-based line of every mapping in ``__line__``."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        mapping = super().construct_mapping(node, deep=deep)
        mapping["__line__"] = node.start_mark.line + 1
        return mapping


def bundled_claims(state: str) -> Path:
    """The bundled claims file for ``state`` (``claims/<STATE>.yaml``) or the default one."""
    folder = Path(str(resources.files("hedgewatch.report") / "claims"))
    own = folder / f"{state.upper()}.yaml"
    return own if own.exists() else folder / "default.yaml"


@validated
def load_claims(path: str | Path) -> ClaimSet:
    """Read and validate a claims YAML file.

    Raises :class:`~hedgewatch.errors.DataFormatError` naming the file and line of every
    problem (bad YAML, unknown measurement, unknown operator, missing field, a threshold that
    is not a finite number, a setting out of range). The file is read within the bounds of
    :mod:`hedgewatch._safe_yaml` (1 MiB, no alias bombs).
    """
    p = Path(path)
    _, doc = read_yaml(p, loader=_LineLoader)
    return _claim_set(p, doc)


def _claim_set(p: Path, doc: Any) -> ClaimSet:
    problems: list[Problem] = []
    if not isinstance(doc, dict) or not isinstance(doc.get("claims"), list):
        raise DataFormatError(
            p,
            "the file must be a mapping with a 'claims:' list",
            hint="See hedgewatch/report/claims/default.yaml for the layout.",
        )
    claims = []
    for item in doc["claims"]:
        claim = _claim(item, problems)
        if claim is not None:
            claims.append(claim)
    ids = [c.id for c in claims]
    for c in claims:
        if ids.count(c.id) > 1:
            problems.append(Problem("duplicate claim id", c.line, "id", c.id))
    powers = doc.get("powers") or ()
    if not isinstance(powers, list | tuple) or len(powers) not in (0, 2):
        problems.append(
            Problem(
                "'powers' must list two countries", doc.get("__line__"), "powers", _short(powers)
            )
        )
        powers = ()
    settings = doc.get("settings") or {}
    if not isinstance(settings, dict):
        problems.append(
            Problem(
                "'settings' must be a mapping", doc.get("__line__"), "settings", _short(settings)
            )
        )
        settings = {}
    settings = {k: v for k, v in settings.items() if k != "__line__"}
    for key, reason, value in check_settings(settings):
        problems.append(Problem(reason, doc.get("__line__"), f"settings.{key}", _short(value)))
    if problems:
        raise DataFormatError(
            p,
            problems[:20],
            total=len(problems),
            hint="Measurements a rule may use: " + ", ".join(MEASURES) + ".",
        )
    return ClaimSet(
        str(p),
        tuple(claims),
        doc.get("state"),
        tuple(map(str, powers)),
        str(doc.get("source", "")),
        settings,
    )


def _claim(item: Any, problems: list[Problem]) -> Claim | None:
    if not isinstance(item, dict):
        problems.append(Problem("each claim must be a mapping", None, None, _short(item)))
        return None
    line = item.get("__line__")
    for name in ("id", "claim"):
        if not isinstance(item.get(name), str) or not item[name].strip():
            problems.append(
                Problem(f"claim needs a non-empty '{name}'", line, name, _short(item.get(name)))
            )
    reason = str(item.get("unmeasurable") or "")
    rule = item.get("rule")
    if not reason and (not isinstance(rule, list) or not rule):
        problems.append(
            Problem(
                "claim needs a 'rule' list of conditions or an 'unmeasurable' reason",
                line,
                "rule",
                _short(rule),
            )
        )
        rule = []
    conditions = tuple(c for c in (_condition(r, line, problems) for r in rule or []) if c)
    return Claim(
        str(item.get("id", "")),
        str(item.get("claim", "")),
        str(item.get("quote", "")).strip(),
        conditions,
        reason,
        line,
    )


def _condition(raw: Any, line: int | None, problems: list[Problem]) -> Condition | None:
    if not isinstance(raw, dict):
        problems.append(
            Problem("a condition must be {measure, op, value}", line, "rule", _short(raw))
        )
        return None
    at = raw.get("__line__", line)
    measure, op, value = raw.get("measure"), raw.get("op"), raw.get("value")
    ok = True
    if not isinstance(measure, str) or _generic(measure) not in MEASURES:
        problems.append(Problem("unknown measurement", at, "measure", _short(measure)))
        ok = False
    if op not in OPS:
        problems.append(
            Problem(f"unknown operator; use one of {', '.join(OPS)}", at, "op", _short(op))
        )
        ok = False
    if isinstance(value, bool) or not isinstance(value, int | float):
        problems.append(Problem("the threshold must be a number", at, "value", _short(value)))
        ok = False
    elif not math.isfinite(value):
        problems.append(Problem("the threshold must be a finite number", at, "value", value))
        ok = False
    return Condition(str(measure), str(op), float(cast(float, value))) if ok else None


def _short(value: Any, limit: int = 80) -> Any:
    """A value as shown in a message: long or nested values cut to ``limit`` characters."""
    if isinstance(value, str | int | float | bool) or value is None:
        return value if not isinstance(value, str) or len(value) <= limit else value[:limit] + "..."
    text = reprlib.repr(value)
    return text if len(text) <= limit else text[:limit] + "..."


#: Earliest year a setting may name (the first General Assembly session).
FIRST_YEAR = 1946
_YEAR_SETTINGS = ("recent_from", "pivot_from", "ideal_from", "rhetoric_from")
_MAX_BOOT = 10_000


def check_settings(settings: Mapping[str, Any]) -> list[tuple[str, str, Any]]:
    """``(key, reason, value)`` for each setting that is unknown or out of range.

    Years lie in [1946, this year]; ``n_boot`` is a whole number in [1, 10000];
    ``reference`` is a country; ``peers`` a list of countries (or null).
    """
    from hedgewatch import countries
    from hedgewatch.errors import UnknownCountryError
    from hedgewatch.report.sections._context import DEFAULT_SETTINGS

    this_year = dt.date.today().year
    out: list[tuple[str, str, Any]] = []
    for key, value in settings.items():
        if key not in DEFAULT_SETTINGS:
            out.append((key, f"unknown setting; use one of {', '.join(DEFAULT_SETTINGS)}", key))
        elif key in _YEAR_SETTINGS:
            optional = key in ("ideal_from", "rhetoric_from")
            if value is None and optional:
                continue
            if not _whole(value) or not FIRST_YEAR <= value <= this_year:
                out.append((key, f"must be a year in [{FIRST_YEAR}, {this_year}]", value))
        elif key == "n_boot":
            if not _whole(value) or not 1 <= value <= _MAX_BOOT:
                out.append((key, f"must be a whole number in [1, {_MAX_BOOT}]", value))
        else:  # reference, peers: countries
            items = [value] if key == "reference" else value
            if key == "peers" and value is None:
                continue
            if not isinstance(items, list) or not items:
                out.append((key, "must be a list of countries", value))
                continue
            for item in items:
                try:
                    countries.resolve(str(item))
                except UnknownCountryError:
                    out.append((key, "unknown country", item))
    return out


def _whole(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _describe(measure: str, powers: tuple[str, ...]) -> str:
    """The catalogue description of ``measure`` with P replaced by the power's name."""
    parts = measure.split("_")
    role = next((x for x in parts if x in ("A", "B")), None)
    text = MEASURES[_generic(measure)]
    if role is None:
        return text
    who = powers["AB".index(role)] if len(powers) > "AB".index(role) else role
    return re.sub(r"\bP\b", who, text)


def _generic(measure: str) -> str:
    """``pivot_B_size`` -> ``pivot_P_size`` (the catalogue's spelling)."""
    parts = measure.split("_")
    return "_".join("P" if x in ("A", "B") else x for x in parts)


# ---------------------------------------------------------------------------------------
# Verdicts
# ---------------------------------------------------------------------------------------
@deprecated_args(keyword_only=True)
@validated
def evaluate(
    claims: ClaimSet, sections: tuple[Section, ...], *, powers: tuple[str, ...] = ("A", "B")
) -> pd.DataFrame:
    """The claims table: each claim, its measurement, rule, value, figure and verdict.

    ``powers`` names the roles A and B in the text of rules whose measurement is missing.

    Returns
    -------
    DataFrame ``id, claim, quote, measurement, rule, value, figure, verdict, reason``.
    """
    found: dict[str, Measurement] = {m.key: m for s in sections for m in s.measurements}
    why: dict[str, str] = {}  # measurement prefix -> why its section could not be computed
    for s in sections:
        if s.reason:
            for prefix in SECTION_MEASURES.get(s.key, ()):
                why.setdefault(prefix, f"{s.title}: {s.reason}")
    shown = {s.key for s in sections}
    for key, reason in ABSENT_REASONS.items():
        if key not in shown:
            for prefix in SECTION_MEASURES.get(key, ()):
                why.setdefault(prefix, reason)
    labels = {c.measure: _describe(c.measure, powers) for cl in claims.claims for c in cl.rule}
    labels.update({k: m.label for k, m in found.items()})
    rows = [_verdict(c, found, why, labels) for c in claims.claims]
    return pd.DataFrame(
        rows,
        columns=[
            "id",
            "claim",
            "quote",
            "measurement",
            "rule",
            "value",
            "figure",
            "verdict",
            "reason",
        ],
    )


#: Which section produces which measurements (for the reason when a section failed).
SECTION_MEASURES: dict[str, tuple[str, ...]] = {
    "alignment": ("pivot_",),
    "hedging": ("position", "free_agency", "agree_"),
    "issues": ("issue_",),
    "predictability": ("predictability_", "forecast_"),
    "rhetoric": ("speech_",),
    "synchronisation": ("sync_",),
    "events": ("events_",),
    "council": ("shield_", "council_"),
}

#: Why a measurement is missing when its section is not in the report at all.
ABSENT_REASONS: dict[str, str] = {
    "events": "no event data loaded; import it with 'hedgewatch events import FILES' or "
    "'hedgewatch events fetch --from DATE --to DATE'",
}


def _verdict(
    claim: Claim,
    found: Mapping[str, Measurement],
    why: Mapping[str, str],
    labels: Mapping[str, str],
) -> dict[str, str]:
    rule = " and ".join(c.text(labels) for c in claim.rule)
    row = {
        "id": claim.id,
        "claim": claim.claim,
        "quote": claim.quote,
        "rule": f"supported if {rule}" if rule else "",
        "measurement": "",
        "value": "",
        "figure": "",
        "verdict": NOT_MEASURABLE,
        "reason": claim.unmeasurable,
    }
    if claim.unmeasurable:
        return row
    missing = [  # in rule order: the reason reads the same in every run
        c.measure for c in claim.rule if c.measure not in found or not found[c.measure].measured
    ]
    used = [found[c.measure] for c in claim.rule if c.measure in found]
    row["measurement"] = "; ".join(dict.fromkeys(m.label for m in used))
    row["figure"] = " ".join(dict.fromkeys(m.figure for m in used if m.figure))
    row["value"] = "; ".join(f"{m.key} = {_fmt(m.value)}" for m in used)
    failed = [
        c.text(labels)
        for c in claim.rule
        if c.measure not in missing and not OPS[c.op](found[c.measure].value, c.value)
    ]
    if failed:  # one measured condition fails: not supported, whatever else is missing
        row["verdict"], row["reason"] = NOT_SUPPORTED, "fails: " + "; ".join(failed)
    elif missing:
        notes = (
            found[k].note if k in found and found[k].note else _reason(k, why) for k in missing
        )
        row["reason"] = "; ".join(dict.fromkeys(notes))
    else:
        row["verdict"] = SUPPORTED
    return row


def _reason(key: str, why: Mapping[str, str]) -> str:
    for prefix, reason in why.items():
        if key.startswith(prefix):
            return reason
    return f"{key} could not be computed from the loaded data"


def _fmt(x: float) -> str:
    if not math.isfinite(x):
        return "n/a"
    return f"{x:.0f}" if float(x).is_integer() and abs(x) > 100 else f"{x:.3f}"
