"""Section: rhetorical convergence in General Debate speeches, and the narratives shared."""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from hedgewatch import countries
from hedgewatch.errors import InsufficientDataError
from hedgewatch.report import figures
from hedgewatch.report.model import Figure, Measurement, Section, Table
from hedgewatch.report.sections._context import Context

if TYPE_CHECKING:
    from hedgewatch.rhetoric.backends import Backend

REFS = (
    "Baturo, A., Dasandi, N. and Mikhaylov, S. J. (2017). Understanding state preferences with "
    "text as data: introducing the UN General Debate corpus. Research & Politics 4(2).",
    "Monroe, B. L., Colaresi, M. P. and Quinn, K. M. (2008). Fightin' words: lexical feature "
    "selection and evaluation for identifying the content of political conflict. Political "
    "Analysis 16(4): 372-403.",
    "Efron, B. and Tibshirani, R. J. (1993). An Introduction to the Bootstrap. Chapman & Hall.",
)
N_TERMS = 10
EXAMPLE_CHARS = 240


def rhetoric_section(ctx: Context) -> Section:
    """Yearly speech similarity of the state with each power, and the terms they share."""
    first = _first_year(ctx)
    sp = _Speeches(ctx, first)
    n_boot = min(int(ctx.setting("n_boot")), 100)
    since = int(ctx.setting("recent_from"))
    stamp = (*sp.stamp(), first, n_boot)
    try:
        conv = _convergence(ctx, sp, stamp, n_boot)
        frame = _merge(conv)
        tables = tuple(_narratives(ctx, sp, p, since, stamp) for p in ctx.powers[:2])
    finally:  # the corpus and the yearly TF-IDF fits are large: free them for what follows
        sp.release()

    svg = figures.band_lines(
        frame,
        [(f"sim_{p}", f"with {ctx.name(p)}") for p in ctx.powers],
        ylabel="speech similarity (TF-IDF cosine)",
        marks={},
        key="rhetoric",
    )
    measures = _measures(ctx, frame, since)
    yearly = Table(
        "Yearly similarity",
        frame.rename(columns={"period": "year"}).round(4),
        "sim_P: similarity with P; _lo/_hi: 95% interval.",
    )
    tables = (yearly, *tables)
    return Section(
        "rhetoric",
        "Rhetorical convergence and shared narratives",
        paragraphs=(
            "Similarity of the state's General Debate speech with each power's in the same "
            "year: cosine of TF-IDF vectors weighted within that year's debate, with a "
            "paragraph-bootstrap interval. Shared narratives: the terms that contribute most "
            "to the similarity with one power and least to the similarity with the other, "
            f"since {since}, with an example sentence from each speech.",
            _lead(ctx, frame, since),
        ),
        figures=(
            Figure(
                "rhetoric",
                "Speech similarity with each power",
                svg,
                "Yearly cosine similarity with 95% bootstrap bands.",
            ),
        ),
        tables=tables,
        measurements=tuple(measures),
        references=REFS,
    )


class _Speeches:
    """The speeches of the state and the powers from ``first`` on, and the yearly TF-IDF
    vocabularies of the whole corpus that represent them (shipped precomputed for the
    bundled corpus; built once, in parallel, for another). Read only when a result is not
    cached: a warm report loads neither."""

    def __init__(self, ctx: Context, first: int) -> None:
        self.ctx, self.first = ctx, first
        self._frame: pd.DataFrame | None = None
        self._backend: Backend | None = None

    def stamp(self) -> tuple[int, int, int]:
        from hedgewatch.store import speech_counts

        ctx = self.ctx
        counts = speech_counts(
            ctx.state, start=self.first, successors=ctx.successors, store=ctx.store
        )
        if counts[2] == 0:
            merged = countries.where_records_are(ctx.state, ctx.successors)
            raise InsufficientDataError(
                f"no General Debate speech of {ctx.state} from {self.first} on."
                + (f" {merged}" if merged else "")
            )
        return counts

    def frame(self) -> pd.DataFrame:
        if self._frame is None:
            from hedgewatch.store import speeches

            codes = [self.ctx.state, *self.ctx.powers]
            self._frame = speeches(
                codes, start=self.first, successors=self.ctx.successors, store=self.ctx.store
            )
        return self._frame

    def backend(self) -> Backend:
        """:class:`~hedgewatch.rhetoric.backends.FittedTfidf` over the years both the state
        and a power spoke."""
        if self._backend is None:
            from hedgewatch.rhetoric.backends import FittedTfidf
            from hedgewatch.workflows import speech_vocabularies

            sp = self.frame()
            own = set(sp.loc[sp["country"] == self.ctx.state, "year"])
            years = sorted(own & set(sp.loc[sp["country"] != self.ctx.state, "year"]))

            def tick(done: int, total: int) -> None:
                self.ctx.say(f"building yearly vocabularies {done}/{total}; cached")

            vocab = speech_vocabularies(years, store=self.ctx.store, progress=tick)
            self._backend = FittedTfidf(vocab)
        return self._backend

    def release(self) -> None:
        """Drop the corpus and the cached yearly representations built from it."""
        self._backend = None
        if self._frame is not None:
            from hedgewatch.rhetoric._similarity import clear_cache

            self._frame = None
            clear_cache()


def _first_year(ctx: Context) -> int:
    own = ctx.state_votes["year"]
    first = int(own.min()) if len(own) else 1946
    return max(int(ctx.start or 0), int(ctx.setting("rhetoric_from") or 0), first)


def _convergence(ctx: Context, sp: _Speeches, stamp: tuple, n_boot: int) -> dict[str, pd.DataFrame]:
    """Convergence with each power, cached per power; the missing ones computed together
    (each year's speeches represented once for all of them)."""
    from hedgewatch.rhetoric._convergence import convergence_many

    memo: dict[str, pd.DataFrame] = {}

    def one(power: str) -> pd.DataFrame:
        if power not in memo:
            todo = [p for p in ctx.powers if p not in memo]
            frame = sp.frame()
            spoke = frame.groupby("country")["year"].agg(set)
            for p in todo:
                if not spoke.get(ctx.state, set()) & spoke.get(p, set()):
                    raise InsufficientDataError(
                        f"{ctx.name(ctx.state)} ({ctx.state}) and {ctx.name(p)} ({p}) never "
                        f"both spoke in the General Debate from {sp.first} on."
                    )
            memo.update(
                convergence_many(
                    sp.frame(), ctx.state, todo, n_boot=n_boot, cache=False, backend=sp.backend()
                )
            )
        return memo[power]

    return {
        p: ctx.cached("report:convergence", ("v3", ctx.state, p, *stamp), partial(one, p))
        for p in ctx.powers
    }


def _merge(conv: dict[str, pd.DataFrame]) -> pd.DataFrame:
    parts = []
    for p, c in conv.items():
        parts.append(
            c.set_index("year")[["similarity", "lower", "upper"]].rename(
                columns={"similarity": f"sim_{p}", "lower": f"sim_{p}_lo", "upper": f"sim_{p}_hi"}
            )
        )
    frame = pd.concat(parts, axis=1).sort_index().reset_index()
    return frame.rename(columns={"year": "period"})


def _measures(ctx: Context, frame: pd.DataFrame, since: int) -> list[Measurement]:
    recent = frame[frame["period"] >= since]
    earlier = frame[frame["period"] < since]
    note = ""
    if recent.empty or earlier.empty:
        years = frame["period"]
        span = f"{int(years.min())} to {int(years.max())}" if len(years) else "no year"
        side = "from" if recent.empty else "before"
        note = (
            f"no General Debate year {side} {since} with speeches of {ctx.state} and the "
            f"powers (the years compared run {span}); set 'recent_from' in a claims file's "
            "settings (--claims) to measure it"
        )
    out = []
    a, b = ctx.powers[:2]
    for p, other in ((a, b), (b, a)):
        role = ctx.role(p)
        change = recent[f"sim_{p}"].mean() - earlier[f"sim_{p}"].mean()
        diff = recent[f"sim_{p}"].mean() - recent[f"sim_{other}"].mean()
        out.append(
            Measurement(
                f"speech_convergence_{role}",
                _finite(change),
                f"speech similarity with {ctx.name(p)}: mean since {since} minus mean before",
                "rhetoric",
                note=note,
            )
        )
        out.append(
            Measurement(
                f"speech_{role}_minus_other",
                _finite(diff),
                f"speech similarity since {since}: with {ctx.name(p)} minus with {ctx.name(other)}",
                "rhetoric",
                note=note if recent.empty else "",
            )
        )
    return out


def _finite(x: float) -> float:
    return float(x) if np.isfinite(x) else float("nan")


def _lead(ctx: Context, frame: pd.DataFrame, since: int) -> str:
    recent = frame[frame["period"] >= since]
    if recent.empty:
        return f"No debate since {since} has speeches of {ctx.name(ctx.state)} and the powers."
    parts = [f"{ctx.name(p)} {recent[f'sim_{p}'].mean():.3f}" for p in ctx.powers]
    return f"Mean similarity since {since} ({len(recent)} debates): " + ", ".join(parts) + "."


def _narratives(ctx: Context, sp: _Speeches, power: str, since: int, stamp: tuple) -> Table:
    from hedgewatch.rhetoric import shared_narratives

    other = next(p for p in ctx.powers if p != power)
    title = f"Narratives shared with {ctx.name(power)} more than with {ctx.name(other)}"
    try:
        t = ctx.cached(
            "report:narratives",
            ("v2", ctx.state, power, other, since, *stamp),
            lambda: shared_narratives(
                sp.frame(),
                ctx.state,
                power,
                contrast=other,
                start=since,
                n_terms=N_TERMS,
                backend=sp.backend(),
            ),
        )
    except InsufficientDataError as exc:  # e.g. a state with no speech since recent_from
        return Table(title, pd.DataFrame(columns=["term", "score"]), f"Not measurable: {exc}")
    shown = pd.DataFrame(
        {
            "term": t["term"],
            "score": t["score"].round(5),
            f"{ctx.state} says": t["example_a"].astype("string").str.slice(0, EXAMPLE_CHARS),
            f"{power} says": t["example_b"].astype("string").str.slice(0, EXAMPLE_CHARS),
        }
    )
    return Table(
        title,
        shown,
        "Examples are quoted from the speeches as they are in the corpus.",
    )
