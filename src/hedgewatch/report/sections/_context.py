"""What every section receives: the state, powers, settings, votes and the store."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property, partial
from typing import Any

import pandas as pd

from hedgewatch import countries
from hedgewatch.store import Store

#: Defaults of the settings a claims file may override.
DEFAULT_SETTINGS: dict[str, Any] = {
    "recent_from": 2012,  # start of the "recent" window (Kim Jong-un took power Dec 2011)
    "pivot_from": 2010,  # pivots counted from this year on
    "reference": "USA",  # the power issue-specific hostility is measured against
    "peers": None,  # states compared for predictability; default: see peers()
    "n_boot": 200,  # bootstrap replicates for intervals
    "ideal_from": None,  # first year of the ideal-point fit; default the whole record
    "forecast_from": None,  # first year forecast out of sample; default recent_from
    "rhetoric_from": None,  # first year of speeches compared; default the state's first vote
}


@dataclass(frozen=True)
class Context:
    """Inputs shared by the sections of one report.

    ``vote_source`` is the votes frame, or a function returning it: then the votes are read
    on first use of :attr:`votes` only (a report whose sections all come from the cache
    never reads them)."""

    state: str
    powers: tuple[str, ...]
    store: Store
    vote_source: pd.DataFrame | Callable[[], pd.DataFrame]
    start: int | None = None
    settings: Mapping[str, Any] = field(default_factory=lambda: dict(DEFAULT_SETTINGS))
    cache: Callable[..., pd.DataFrame] | None = None
    status: Callable[[str], None] | None = None
    successors: Mapping[str, str | None] | None = None  # None: the default successor rules

    @cached_property
    def votes(self) -> pd.DataFrame:
        """The votes the report analyses (read once, on first use)."""
        src = self.vote_source
        return src if isinstance(src, pd.DataFrame) else src()

    @cached_property
    def state_votes(self) -> pd.DataFrame:
        """The votes of the state alone (from :attr:`votes` when read already, else one
        query for the state's rows only)."""
        if "votes" in self.__dict__ or isinstance(self.vote_source, pd.DataFrame):
            v = self.votes
            return v[v["country"] == self.state] if "country" in v else v
        from hedgewatch.store import votes

        return votes([self.state], start=self.start, successors=self.successors, store=self.store)

    def say(self, text: str) -> None:
        """Report progress inside a long section (shown beside the section's title)."""
        if self.status is not None:
            self.status(text)

    def setting(self, name: str) -> Any:
        return self.settings.get(name, DEFAULT_SETTINGS[name])

    def window_note(self, setting: str) -> str:
        """Why the window from the year ``setting`` holds no vote of the state, or ``""``
        when it holds some (measurements of an empty window are "not measurable")."""
        since = int(self.setting(setting))
        if "country" not in self.votes:
            return ""
        years = self.state_votes["year"]
        if len(years) and int(years.max()) >= since:
            return ""
        span = (
            f"its recorded votes run {int(years.min())} to {int(years.max())}"
            if len(years)
            else "it has no recorded vote"
        )
        return (
            f"{self.name(self.state)} ({self.state}) cast no vote from {since} on ({span}); "
            f"set '{setting}' to an earlier year in a claims file's settings (--claims) to "
            "measure it"
        )

    def name(self, code: str) -> str:
        """Short English name of a country for labels."""
        return str(countries.name(code))

    def role(self, code: str) -> str:
        """``A`` for the first power, ``B`` for the second, the code otherwise."""
        roles = {p: "AB"[i] for i, p in enumerate(self.powers[:2])}
        return roles.get(code, code)

    def years_since(self, since: int) -> str:
        """The years with votes from ``since`` on, with the missing ones named:
        ``"2012-2021, 2025; no votes loaded for 2022-2024"``."""
        from hedgewatch._periods import missing, ranges
        from hedgewatch.store import NO_RECORDED_VOTES

        years = sorted(int(y) for y in self.votes["year"].unique() if y >= since)
        holes = [y for y in missing(years) if y not in NO_RECORDED_VOTES]
        text = ranges(years)
        return f"{text}; no votes loaded for {ranges(holes)}" if holes else text

    def cached(
        self,
        kind: str,
        parts: tuple[object, ...],
        compute: Callable[[], pd.DataFrame],
        inputs: Sequence[str] | None = None,
    ) -> pd.DataFrame:
        """``compute()``, through the store cache when one is configured (the key includes
        the successor rules: they change the votes every result is computed from);
        ``inputs`` as in :meth:`Store.cached <hedgewatch.store.Store.cached>`."""
        if self.cache is None:
            return compute()
        parts = self._with_successors(parts)
        if inputs is None:
            return self.cache(kind, parts, compute)
        return self.cache(kind, parts, compute, inputs=inputs)

    def _with_successors(self, parts: tuple[object, ...]) -> tuple[object, ...]:
        if self.successors is None:
            return parts
        return (*parts, ("successors", tuple(sorted(self.successors.items(), key=str))))

    def cached_many(
        self,
        kind: str,
        parts: tuple[object, ...],
        names: tuple[str, ...],
        compute: Callable[[], dict[str, pd.DataFrame]],
    ) -> dict[str, pd.DataFrame]:
        """Several DataFrames from one computation, each cached under ``kind:name``."""
        memo: dict[str, pd.DataFrame] = {}

        def one(name: str) -> pd.DataFrame:
            if not memo:
                memo.update(compute())
            return memo[name]

        return {n: self.cached(f"{kind}:{n}", parts, partial(one, n)) for n in names}
