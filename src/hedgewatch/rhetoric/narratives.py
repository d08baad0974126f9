"""Shared narratives: the terms that make two states' speeches close.

The TF-IDF cosine of two speeches is a sum over terms, ``cos(a, b) = sum_t w_a(t) w_b(t)``,
with ``w`` the L2-normalised TF-IDF weights of that year's debate. Each product is the
term's exact contribution to the similarity: large when both states use the term often and
few others use it that year. Averaged over the years in which both spoke, it ranks the
vocabulary the two share. With a third state ``c``, the score is the contribution to
``cos(a, b)`` minus the contribution to ``cos(a, c)`` over the years in which all three spoke:
what ``a`` shares with ``b`` but not with ``c`` (e.g. PRK-RUS versus PRK-CHN).

Each term comes with an example sentence from each of ``a`` and ``b`` (the latest year in
which it occurs). Sentences are returned as they are in the corpus; escape them before
showing them as HTML.

References
----------
Monroe, B. L., Colaresi, M. P. and Quinn, K. M. (2008) "Fightin' words: Lexical feature
selection and evaluation for identifying the content of political conflict", Political
Analysis 16(4).
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from hedgewatch import countries as _countries
from hedgewatch._deprecation import deprecated_args
from hedgewatch._validation import check_param, validated
from hedgewatch.errors import InsufficientDataError
from hedgewatch.rhetoric._similarity import _years, check_speeches, year_terms
from hedgewatch.rhetoric.backends import Backend
from hedgewatch.rhetoric.preprocess import is_procedural, sentences

_EXAMPLE_CHARS = 320
_COLUMNS = [
    "term",
    "score",
    "shared_ab",
    "shared_ac",
    "years",
    "example_a",
    "example_a_year",
    "example_b",
    "example_b_year",
]


@deprecated_args(renamed={"a": "country_a", "b": "country_b"})
@validated
def shared_narratives(
    speeches: pd.DataFrame,
    country_a: str,
    country_b: str,
    *,
    contrast: str | None = None,
    start: int | None = None,
    end: int | None = None,
    n_terms: int = 20,
    backend: str | Backend = "tfidf",
) -> pd.DataFrame:
    """The distinctive terms and phrases behind two states' rhetorical closeness.

    Parameters
    ----------
    speeches
        Speeches with ``country, year, text`` for all states of the years studied.
    country_a, country_b
        The pair (ISO3 codes or names; ``a=``/``b=`` are the deprecated keywords).
    contrast
        A third state ``c``: rank terms by what ``country_a`` shares with ``country_b`` minus
        what it shares with ``c``.
    start, end
        First and last year, inclusive.
    n_terms
        How many terms to return.
    backend
        ``"tfidf"`` (default) or a TF-IDF backend object
        (:class:`~hedgewatch.rhetoric.backends.FittedTfidf`, which needs only the three
        states' speeches).

    Returns
    -------
    DataFrame with ``term, score, shared_ab, shared_ac, years, example_a, example_a_year,
    example_b, example_b_year``, best first. ``shared_ab`` is the term's mean contribution to
    the yearly TF-IDF cosine of ``country_a`` and ``country_b`` (``shared_ac`` likewise, NaN
    without a contrast), ``years`` the number of years in which it contributed to that pair;
    ``example_a``/``example_b`` are sentences of ``country_a``/``country_b``.
    Examples are raw corpus text: HTML-escape them before display.

    References
    ----------
    Monroe, B. L., Colaresi, M. P. and Quinn, K. M. (2008) "Fightin' words", Political
    Analysis 16(4).
    """
    check_speeches(speeches)
    check_param(
        isinstance(n_terms, int | np.integer) and n_terms >= 1,
        "n_terms",
        "a positive integer",
        n_terms,
    )
    ca, cb = _countries.resolve(country_a), _countries.resolve(country_b)
    cc = _countries.resolve(contrast) if contrast is not None else None
    check_param(
        len({ca, cb, cc} - {None}) == (3 if cc else 2),
        "contrast" if cc else "country_b",
        "a state different from the others",
        contrast or country_b,
    )
    years = _common_years(speeches, [c for c in (ca, cb, cc) if c], start, end)
    ab = _mean_contributions(speeches, years, ca, cb, backend)
    table = ab.rename(columns={"value": "shared_ab", "n": "years"})
    if cc is not None:
        ac = _mean_contributions(speeches, years, ca, cc, backend)["value"].rename("shared_ac")
        table = table.join(ac, how="left").fillna({"shared_ac": 0.0})
        table["score"] = table["shared_ab"] - table["shared_ac"]
    else:
        table["shared_ac"] = np.nan
        table["score"] = table["shared_ab"]
    top = table[table["score"] > 0].sort_values("score", ascending=False).head(n_terms)
    top = top.reset_index().rename(columns={"index": "term"})
    return _with_examples(top, speeches, years, ca, cb)


def _common_years(
    speeches: pd.DataFrame, codes: list[str], start: int | None, end: int | None
) -> list[int]:
    years = set(_years(speeches, start, end))
    for c in codes:
        years &= set(speeches.loc[speeches["country"] == c, "year"].astype(int))
    if not years:
        raise InsufficientDataError(
            "No year in the range given has General Debate speeches by all of "
            + ", ".join(codes)
            + ". Widen start/end or check the codes."
        )
    return sorted(years)


def _mean_contributions(
    speeches: pd.DataFrame, years: list[int], a: str, b: str, backend: str | Backend
) -> pd.DataFrame:
    """Per term: mean over years of w_a(t) * w_b(t), and the number of years it is > 0."""
    parts = []
    for y in years:
        yt = year_terms(speeches, y, backend=backend)
        prod = yt.vectors[yt.row(a)].multiply(yt.vectors[yt.row(b)]).tocoo()
        terms = yt.terms
        parts.append(pd.DataFrame({"term": terms[prod.col], "value": prod.data}))
    flat = pd.concat(parts, ignore_index=True)
    out = flat.groupby("term")["value"].agg(["sum", "size"])
    return pd.DataFrame({"value": out["sum"] / len(years), "n": out["size"]})


def _term_pattern(term: str) -> re.Pattern[str]:
    # Stop words were dropped before bigrams were formed, so allow a few words between.
    words = [re.escape(w) for w in term.split()]
    return re.compile(r"\b" + r"\W+(?:[\w'-]+\W+){0,3}?".join(words) + r"\b", re.IGNORECASE)


def _with_examples(
    top: pd.DataFrame, speeches: pd.DataFrame, years: list[int], a: str, b: str
) -> pd.DataFrame:
    for side, code in (("a", a), ("b", b)):
        texts = _texts(speeches, code, years)
        found = [_example(_term_pattern(t), texts) for t in top["term"]]
        top[f"example_{side}"] = [f[0] for f in found]
        top[f"example_{side}_year"] = pd.array([f[1] for f in found], dtype="Int64")
    return top[_COLUMNS]


def _texts(speeches: pd.DataFrame, code: str, years: list[int]) -> list[tuple[int, str]]:
    """The state's speeches of those years, latest first."""
    rows = speeches[(speeches["country"] == code) & speeches["year"].isin(years)]
    rows = rows.sort_values("year", ascending=False)
    return [(int(y), text) for y, text in zip(rows["year"], rows["text"], strict=True)]


def _example(
    pattern: re.Pattern[str], texts: list[tuple[int, str]]
) -> tuple[str | None, int | None]:
    """The first sentence (latest speech first, in speech order) holding the term and not
    procedural."""
    for year, text in texts:
        # A sentence's match is one in its speech too (its neighbours there are spaces or
        # line breaks): a speech without any is skipped unsplit.
        if pattern.search(text) is None:
            continue
        for line in text.splitlines():
            for sentence in sentences(line):
                m = pattern.search(sentence)
                if m and not is_procedural(sentence):
                    return _trim(sentence, m.start(), m.end()), year
    return None, None


def _trim(sentence: str, start: int, end: int) -> str:
    if len(sentence) <= _EXAMPLE_CHARS:
        return sentence.strip()
    mid = (start + end) // 2
    lo = max(0, mid - _EXAMPLE_CHARS // 2)
    hi = min(len(sentence), lo + _EXAMPLE_CHARS)
    return (
        ("..." if lo > 0 else "") + sentence[lo:hi].strip() + ("..." if hi < len(sentence) else "")
    )
