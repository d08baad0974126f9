"""Voeten's six issue tags, and documented rules that derive them from titles.

Voeten's data and the ``unvotes`` files tag roll calls with six issues: ``me`` Palestinian
conflict, ``nu`` nuclear weapons and material, ``di`` arms control and disarmament, ``hr``
human rights, ``co`` colonialism, ``ec`` economic development. Sources without tags (the UN
Digital Library file) get them from :func:`tag_issues`: case-insensitive regular expressions
over the title, agenda item and subjects, one list per issue (:data:`RULES`). A roll call can
carry several tags, or none.

The rules were written against the titles of the 1946-2020 record and scored against the
hand-coded flags there; ``tests/sources/test_issues.py`` prints precision and recall per
issue and fails if either drops below the floor recorded in the test.

The Library's subject terms (UNBIS thesaurus) come as cascades from broad facets to specific
terms ("POLITICAL AND LEGAL QUESTIONS, ..., DECOLONIZATION, NON-SELF-GOVERNING TERRITORIES").
The regular expressions are not run on them - the broad facets ("DEVELOPMENT", "HUMAN RIGHTS",
"ECONOMIC DEVELOPMENT AND DEVELOPMENT FINANCE") would tag almost every resolution. Instead a
roll call gets an issue when one of its terms is among the *specific* terms of
:data:`SUBJECT_TERMS`. No year has both subject terms (the scrape has them for 2025 only)
and Voeten's codes (to 2015), so these terms are not scored; they only add tags.
"""

from __future__ import annotations

import re

import pandas as pd

ISSUE_CODES: tuple[str, ...] = ("me", "nu", "di", "hr", "co", "ec")

#: One regular expression per issue (matched case-insensitively anywhere in the text).
RULES: dict[str, str] = {
    "me": r"palestin|israel|occupied (?:arab|syrian|territor|golan)|golan|jerusalem|gaza|"
    r"west bank|unrwa|middle east|near east|lebanon|syrian arab",
    "nu": r"nuclear|atomic|radioactive|fissile|non-proliferation",
    "di": r"disarm|armament|arms (?:race|control|trade|transfer)|weapon|missile|"
    r"chemical and bacteriological|biological|mines|military (?:budget|expenditure)|"
    r"zone of peace|test[- ]ban|outer space",
    "hr": r"human rights|racial discrimination|racism|torture|rights of the child|"
    r"discrimination against women|genocide|death penalty|capital punishment|"
    r"fundamental freedoms|religious intolerance|indigenous|minorit|"
    r"situation of human|arbitrary|disappearance|xenophobia|apartheid",
    "co": r"colonial|colonies|self-determination|non[- ]self[- ]governing|trust territor|"
    r"trusteeship|decoloni|independence|southern rhodesia|portug|west irian|"
    r"occupied territor|territories occupied|gibraltar|new caledonia|east timor|"
    r"puerto rico|mayotte|chagos|american samoa|guam|bermuda|tokelau|turks and caicos|"
    r"cayman|montserrat|anguilla|virgin islands|pitcairn|st\.? helena",
    "ec": r"econom|development|trade|debt|financial|financing for development|poverty|"
    r"commodit|industriali|agricultur|food|investment|monetary|unilateral coercive|"
    r"sustainable|least developed|natural resources|land-locked|landlocked|"
    r"assistance|labour|welfare|migrant|undp|ecosoc",
}

#: Specific UNBIS subject terms that give an issue (exact terms of a comma-separated list).
SUBJECT_TERMS: dict[str, frozenset[str]] = {
    "me": frozenset(
        {
            "PALESTINE QUESTION",
            "PALESTINE REFUGEES",
            "MIDDLE EAST SITUATION",
            "TERRITORIES OCCUPIED BY ISRAEL",
            "GOLAN HEIGHTS",
            "ISRAEL",
        }
    ),
    "nu": frozenset(
        {
            "NUCLEAR DISARMAMENT",
            "NUCLEAR WEAPONS",
            "NUCLEAR NON-PROLIFERATION",
            "NUCLEAR-WEAPON-FREE ZONES",
            "NUCLEAR WEAPON TESTS",
            "NUCLEAR WEAPON TEST BAN",
        }
    ),
    "di": frozenset(
        {
            "DISARMAMENT",
            "NUCLEAR DISARMAMENT",
            "ARMS CONTROL",
            "ARMS RACE",
            "ARMS TRANSFERS",
            "CONVENTIONAL WEAPONS",
            "CHEMICAL WEAPONS",
            "BIOLOGICAL WEAPONS",
            "WEAPONS OF MASS DESTRUCTION",
            "SMALL ARMS",
            "MILITARY EXPENDITURES",
            "LANDMINES",
        }
    ),
    "hr": frozenset(
        {
            "HUMAN RIGHTS ADVANCEMENT",
            "RACIAL DISCRIMINATION",
            "TORTURE",
            "DEATH PENALTY",
            "EXTRAJUDICIAL EXECUTIONS",
            "ENFORCED DISAPPEARANCES",
            "RIGHTS OF THE CHILD",
            "RIGHT TO DEVELOPMENT",
            "RIGHT TO FOOD",
            "FREEDOM OF RELIGION",
            "INDIGENOUS PEOPLES",
        }
    ),
    "co": frozenset(
        {
            "DECOLONIZATION",
            "NON-SELF-GOVERNING TERRITORIES",
            "SELF-DETERMINATION OF PEOPLES",
            "COLONIALISM",
        }
    ),
    "ec": frozenset(
        {
            "DEVELOPMENT FINANCE",
            "INTERNATIONAL TRADE",
            "GENERAL INTERNATIONAL TRADE AND TRADE POLICY",
            "EXTERNAL DEBT",
            "POVERTY",
            "INDUSTRIAL DEVELOPMENT",
            "LEAST DEVELOPED COUNTRIES",
            "LANDLOCKED DEVELOPING COUNTRIES",
            "ECONOMIC COOPERATION",
        }
    ),
}

_COMPILED = {k: re.compile(v, re.IGNORECASE) for k, v in RULES.items()}


def tag_issues(texts: pd.Series, subjects: pd.Series | None = None) -> list[list[str]]:
    """Issue tags for each text (title and agenda item joined) by :data:`RULES`, plus those
    of its subject terms (comma-separated) by :data:`SUBJECT_TERMS`."""
    texts = texts.fillna("").astype(str)
    hits = {code: texts.str.contains(_COMPILED[code]).to_numpy() for code in ISSUE_CODES}
    if subjects is not None:
        terms = [
            {t.strip().upper() for t in str(s).split(",")} if isinstance(s, str) else set()
            for s in subjects
        ]
        for code in ISSUE_CODES:
            listed = SUBJECT_TERMS[code]
            hits[code] = hits[code] | [bool(t & listed) for t in terms]
    table = pd.DataFrame(hits)
    return [[c for c in ISSUE_CODES if row[c]] for row in table.to_dict("records")]
