"""Build a report: compute every section, judge the claims, render the HTML."""

from __future__ import annotations

import datetime as dt
import logging
import multiprocessing
import os
import pickle
import sys
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import BrokenExecutor, Future, ProcessPoolExecutor
from dataclasses import replace
from functools import partial
from pathlib import Path
from typing import Any

import pandas as pd

import hedgewatch
from hedgewatch import countries
from hedgewatch._deprecation import deprecated_args, old_default
from hedgewatch._validation import check_param, validated
from hedgewatch.errors import InsufficientDataError, ParameterError
from hedgewatch.paths import bundled_tables
from hedgewatch.report import _render
from hedgewatch.report import claims as _claims
from hedgewatch.report._section_cache import cached_section, is_cached
from hedgewatch.report.model import Report, Section, unmeasurable
from hedgewatch.report.sections import provenance
from hedgewatch.report.sections._context import DEFAULT_SETTINGS, Context
from hedgewatch.store import Store, get_store, reusing_connections

#: ``progress(step, done, total)``: called before each step and once at the end.
Progress = Callable[[str, int, int], None]

SectionFn = Callable[[Context], Section | None]

log = logging.getLogger(__name__)

#: Sections that read no votes (the speeches' text, imported statements, the Council record):
#: when they and some vote-based section are not cached, they are computed in a second
#: process while this one computes the others (see ``n_jobs``).
BESIDE = ("rhetoric", "synchronisation", "council")
#: Environment variable giving the default ``n_jobs`` of :func:`build_report`.
JOBS_ENV = "HEDGEWATCH_REPORT_JOBS"


def _section_list() -> list[tuple[str, str, str]]:
    """(key, title, "module:function") of every section, in report order."""
    return [
        (
            "alignment",
            "Alignment with each power over time",
            "hedgewatch.report.sections.alignment:alignment_section",
        ),
        ("hedging", "Hedging index", "hedgewatch.report.sections.alignment:hedging_section"),
        (
            "issues",
            "Issue-specific alignment",
            "hedgewatch.report.sections.alignment:issues_section",
        ),
        (
            "idealpoints",
            "Ideal-point trajectories",
            "hedgewatch.report.sections.idealpoints:idealpoints_section",
        ),
        (
            "predictability",
            "Predictability: out of sample, against simple rules, and in sample",
            "hedgewatch.report.sections.predictability:predictability_section",
        ),
        (
            "rhetoric",
            "Rhetorical convergence and shared narratives",
            "hedgewatch.report.sections.rhetoric:rhetoric_section",
        ),
        (
            "synchronisation",
            "Synchronisation of statements",
            "hedgewatch.report.sections.statements:synchronisation_section",
        ),
        (
            "events",
            "Event data: position between the powers",
            "hedgewatch.report.sections.events:events_section",
        ),
        (
            "council",
            "Security Council: patron shielding",
            "hedgewatch.report.sections.council:council_section",
        ),
        (
            "strategy",
            "Strategic-model reading",
            "hedgewatch.report.sections.strategy:strategy_section",
        ),
    ]


@deprecated_args(renamed={"between": "powers"})
@validated
def build_report(
    state: str,
    powers: Sequence[str] | None = None,
    *,
    out: str | Path | None = None,
    store: Store | str | None = None,
    claims: str | Path | _claims.ClaimSet | None = None,
    progress: Progress | None = None,
    start: int | None = None,
    settings: Mapping[str, Any] | None = None,
    sections: Sequence[str] | None = None,
    successors: Mapping[str, str | None] | None = None,
    n_jobs: int | None = None,
) -> Report:
    """Compute the report on where ``state`` stands between ``powers``.

    Parameters
    ----------
    state
        The state studied (ISO3 code, name or other code :func:`hedgewatch.countries.resolve`
        accepts).
    powers
        Two or more powers; the first two define the hedging axis (-1 = first, +1 = second)
        and the roles ``A`` and ``B`` in claim rules (the CLI's ``--between``; ``between=``
        is the deprecated keyword).
    out
        If given, the HTML is written there.
    store
        A :class:`~hedgewatch.store.Store` or path; default the user store (bundled data on
        first use). Expensive intermediate results are cached in it.
    claims
        A claims YAML file (or a parsed :class:`~hedgewatch.report.claims.ClaimSet`); default
        the bundled file for ``state`` (``PRK``) or the generic one.
    progress
        Called as ``progress(step, done, total)`` before each step.
    start
        First year of votes analysed (default: the whole record).
    settings
        Overrides of the analysis settings (``recent_from``, ``pivot_from``, ``reference``,
        ``peers``, ``n_boot``), applied over those of the claims file.
    sections
        Keys of the sections to compute and show (default all).
    successors
        Historical state -> continuing country, replacing
        :data:`hedgewatch.countries.DEFAULT_SUCCESSORS` for votes and speeches; ``{}`` keeps
        the USSR (``SUN``), Yugoslavia (``YUG``, ``SCG``) and Czechoslovakia (``CSK``) apart
        from Russia, Serbia and the Czech Republic.
    n_jobs
        Processes computing sections: 1 computes everything here; 2 (the default on a
        machine with two or more cores; ``HEDGEWATCH_REPORT_JOBS`` sets another default)
        computes the sections that read no votes (rhetoric, synchronisation, Council) in a
        second process beside the others, when both kinds are to be computed (not cached).
        The results are the same either way.

    Returns
    -------
    :class:`~hedgewatch.report.model.Report`.

    References
    ----------
    The methods of each section are cited in the report and in ``docs/report.md``.
    """
    if powers is None:
        powers = old_default("powers", ("CHN", "RUS"), "build_report")
    jobs = _jobs(n_jobs)
    code, powers = _resolve(state, powers, start)
    st = get_store(store)
    claim_set = _claim_set(claims, code, powers)
    bad = _claims.check_settings(settings or {})
    if bad:
        key, reason, value = bad[0]
        raise ParameterError(
            f"The 'settings' parameter of build_report() has {key!r} = {value!r}: {reason}."
        )
    merged = {**DEFAULT_SETTINGS, **(claim_set.settings or {}), **(settings or {})}
    say = progress or (lambda step, done, total: None)
    steps = _steps(sections)
    total = len(steps) + 3
    # One DuckDB connection for the whole build on the main thread (each open costs ~30 ms).
    with reusing_connections():
        say("loading votes", 0, total)
        # Load every bundled table now: a first load bumps the data version, which would
        # invalidate cache entries written earlier in this same run.
        st.ensure(*bundled_tables())
        tracker = _Tracker(say, total)
        ctx = Context(
            code,
            powers,
            st,
            partial(hedgewatch.votes, start=start, successors=successors, store=st),
            start,
            merged,
            cache=st.cached,
            status=tracker.status,
            successors=successors,
        )
        _check_states(ctx, (code, *powers))
        sections_done, timings = _run_sections(steps, ctx, tracker, jobs)
        say("judging claims", total - 1, total)
        names = tuple(countries.name(p) for p in powers)
        table = _claims.evaluate(claim_set, sections_done, powers=names)
        say("rendering", total, total)
        html = _render.render(
            state=code,
            state_name=countries.name(code),
            powers=list(zip(powers, names, strict=True)),
            sections=sections_done,
            claims=table,
            claims_source=_claims_source(claim_set),
            provenance=provenance.table(ctx, claim_set),
            coverage=provenance.coverage(ctx),
            references=provenance.references(sections_done),
            generated=dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
            version=hedgewatch.__version__,
        )
    report = Report(code, powers, html, sections_done, table, timings)
    if out is not None:
        report.write(out)
    return report


def _resolve(state: str, powers: Sequence[str], start: int | None) -> tuple[str, tuple[str, ...]]:
    """Check and resolve the state, powers and first year."""
    check_param(
        not isinstance(powers, str) and len(powers) >= 2,
        "powers",
        "a sequence of at least two countries",
        powers,
    )
    code = countries.resolve(state)
    codes = tuple(countries.resolve(p) for p in powers)
    check_param(
        len({code, *codes}) == len(codes) + 1,
        "powers",
        f"distinct countries, none equal to the state {code!r}",
        list(powers),
    )
    check_param(
        start is None or (isinstance(start, int) and not isinstance(start, bool)),
        "start",
        "a year (integer) or None",
        start,
    )
    return code, codes


def section_keys() -> list[str]:
    """The keys of the report's sections, in report order (what ``sections=`` takes)."""
    return [k for k, _, _ in _section_list()]


def _steps(sections: Sequence[str] | None) -> list[tuple[str, str, str]]:
    known = _section_list()
    keys = [k for k, _, _ in known]
    check_param(
        sections is None or (not isinstance(sections, str) and set(sections) <= set(keys)),
        "sections",
        f"a list of section keys among {keys}",
        sections,
    )
    return [s for s in known if sections is None or s[0] in sections]


class _Tracker:
    """Progress of the running section, so long steps can report from inside it."""

    def __init__(self, say: Progress, total: int) -> None:
        self.say, self.total, self.title, self.done = say, total, "", 0

    def step(self, title: str, done: int) -> None:
        self.title, self.done = title, done
        self.say(title, done, self.total)

    def status(self, text: str) -> None:
        self.say(f"{self.title} ({text})", self.done, self.total)


def _jobs(n_jobs: int | None) -> int:
    """The number of processes: ``n_jobs``, else the environment's default, else 2 on a
    machine with two or more cores."""
    if n_jobs is None:
        env = os.environ.get(JOBS_ENV, "").strip()
        if env:
            check_param(env in ("1", "2"), JOBS_ENV, "1 or 2 (environment variable)", env)
            return int(env)
        cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
        return 2 if (cores or 1) >= 2 else 1
    check_param(
        isinstance(n_jobs, int) and not isinstance(n_jobs, bool) and n_jobs in (1, 2),
        "n_jobs",
        "1 or 2",
        n_jobs,
    )
    return n_jobs


Step = tuple[str, str, str]


def _run_sections(
    steps: list[Step], ctx: Context, tracker: _Tracker, jobs: int = 1
) -> tuple[tuple[Section, ...], dict[str, float]]:
    """Compute the sections (the :data:`BESIDE` ones in a second process when ``jobs`` is 2
    and there is work for both); return them in report order and the seconds each took."""
    todo = [s for s in steps if ctx.cache is None or not is_cached(s[0], ctx)]
    beside = [s for s in todo if s[0] in BESIDE] if jobs > 1 else []
    if len(beside) == len(todo):  # nothing to do beside them: no second process
        beside = []
    future, pool = _start_beside(ctx, beside) if beside else (None, None)
    done: dict[str, Section | None] = {}
    timings: dict[str, float] = {}
    try:
        for i, (key, title, target) in enumerate(steps, start=1):
            if (key, title, target) in beside:
                continue
            tracker.step(title, i)
            t0 = time.perf_counter()
            done[key] = cached_section(key, ctx, partial(run_section, key, title, target, ctx))
            timings[key] = round(time.perf_counter() - t0, 3)
        if future is not None:
            tracker.step(", ".join(t for _, t, _ in beside) + " (second process)", len(steps))
            t0 = time.perf_counter()
            try:
                sections, times = future.result()
            except (BrokenExecutor, OSError, pickle.PicklingError) as exc:
                # The second process could not run (no process can be started, it was
                # killed, a result could not be sent back): compute its sections here.
                log.warning("hedgewatch: computing %s in this process (%s)", beside, exc)
                sections, times = _compute(ctx, beside)
            done.update(sections)
            timings.update(times)
            timings["waited_for_second_process"] = round(time.perf_counter() - t0, 3)
    finally:
        if pool is not None:
            pool.shutdown(wait=True, cancel_futures=True)
    computed = [done[k] for k, _, _ in steps if done.get(k) is not None]
    return tuple(s for s in computed if s is not None), timings


def _compute(ctx: Context, steps: list[Step]) -> tuple[dict[str, Section | None], dict[str, float]]:
    """Compute (or read back) ``steps`` in this process."""
    out: dict[str, Section | None] = {}
    times: dict[str, float] = {}
    for key, title, target in steps:
        t0 = time.perf_counter()
        out[key] = cached_section(key, ctx, partial(run_section, key, title, target, ctx))
        times[key] = round(time.perf_counter() - t0, 3)
    return out, times


_INHERITED: dict[int, Context] = {}


def start_method() -> str:
    """How the second process starts. Forked on Linux when the report is built on the main
    thread: it inherits the loaded modules and the votes already read, so it starts
    computing at once (no store connection of this thread is open at that moment: every read
    opens and closes its own). Spawned otherwise - on macOS and Windows (they cannot fork
    safely) and from another thread (a web server's, whose other threads may be reading
    the store at the fork): it imports hedgewatch and opens the store by its path."""
    on_main = threading.current_thread() is threading.main_thread()
    return "fork" if sys.platform.startswith("linux") and on_main else "spawn"


def _start_beside(ctx: Context, steps: list[Step]) -> tuple[Future, ProcessPoolExecutor]:
    """Start computing ``steps`` in a second process; it caches what it computes in the
    store as any other process would."""
    if start_method() == "fork":
        # Both processes draw figures: matplotlib is imported once, here, not in each.
        import hedgewatch.report.figures  # noqa: F401

        # The context travels by inheritance (the fork happens in submit()): the votes
        # already read are shared, not copied or pickled. No progress from that process.
        loaded = ctx.__dict__.get("votes")
        child = replace(ctx, vote_source=loaded if loaded is not None else ctx.vote_source)
        child = replace(child, status=None)
        _INHERITED[id(child)] = child
        pool = ProcessPoolExecutor(
            max_workers=1, mp_context=multiprocessing.get_context("fork"), initializer=_forked
        )
        try:
            return pool.submit(_beside_inherited, id(child), steps), pool
        finally:
            _INHERITED.pop(id(child), None)  # the child has its copy
    spec = {
        "state": ctx.state,
        "powers": tuple(ctx.powers),
        "store": str(ctx.store.path),
        "start": ctx.start,
        "settings": dict(ctx.settings),
        "successors": None if ctx.successors is None else dict(ctx.successors),
        "cache": ctx.cache is not None,
    }
    pool = ProcessPoolExecutor(
        max_workers=1, mp_context=multiprocessing.get_context("spawn"), initializer=watch_parent
    )
    return pool.submit(_beside, spec, steps), pool


def watch_parent() -> None:
    """In the second process: exit as soon as the process that started it dies. A pool's
    worker otherwise waits for work forever when its parent is killed (a web server stopped
    while a report was being built): it holds both ends of its own task queue, so it never
    sees the end of it."""
    from multiprocessing.connection import wait

    parent = multiprocessing.parent_process()
    if parent is None or parent.sentinel is None:
        return

    def watch() -> None:
        wait([parent.sentinel])
        os._exit(1)

    threading.Thread(target=watch, name="hedgewatch-parent-watch", daemon=True).start()


def _forked() -> None:
    _own_stdio()
    watch_parent()


def _own_stdio() -> None:
    """In a forked process: new standard streams on the same descriptors (a thread of the
    parent, such as a progress bar's, may have held the old ones' locks at the fork)."""
    sys.stdout = open(1, "w", closefd=False, buffering=1)  # noqa: SIM115 - lives with the process
    sys.stderr = open(2, "w", closefd=False, buffering=1)  # noqa: SIM115


def _beside_inherited(
    key: int, steps: list[Step]
) -> tuple[dict[str, Section | None], dict[str, float]]:
    """In a forked second process: compute ``steps`` on the context inherited. Work that
    would fan out to joblib's processes runs here in sequence instead: the worker pool this
    process inherited belongs to the parent (using it hangs), and the two report processes
    already hold the cores."""
    from joblib import parallel_config

    with parallel_config(backend="sequential"):
        return _compute(_INHERITED[key], steps)


def _beside(
    spec: dict[str, Any], steps: list[Step]
) -> tuple[dict[str, Section | None], dict[str, float]]:
    """In a spawned second process: rebuild the report's context and compute ``steps``."""
    st = get_store(spec["store"])
    successors = spec["successors"]
    ctx = Context(
        spec["state"],
        spec["powers"],
        st,
        partial(hedgewatch.votes, start=spec["start"], successors=successors, store=st),
        spec["start"],
        spec["settings"],
        cache=st.cached if spec["cache"] else None,
        successors=successors,
    )
    try:
        return _compute(ctx, steps)
    finally:
        _release_workers()


def _release_workers() -> None:
    """Stop joblib's reusable worker processes if this process started some (yearly
    vocabularies are built in parallel for a corpus other than the bundled one): a process
    exiting waits for its children, which idle for minutes before they stop."""
    if "joblib.externals.loky" in sys.modules:
        from joblib.externals.loky import get_reusable_executor

        get_reusable_executor().shutdown(wait=True)


def run_section(key: str, title: str, target: str, ctx: Context) -> Section | None:
    """Compute one section; thin data or a missing analysis module makes it not measurable.

    Only :class:`~hedgewatch.errors.InsufficientDataError` (an empty window, a state with no
    speeches, no statements imported) becomes a "not measurable" section. Every other error -
    a store that cannot be opened or written, a damaged file, a bad parameter - propagates:
    a fault must stop the report, never pass for a finding. A section function may return
    None when its data is simply not loaded (the events section without event data): the
    section is then left out of the report.
    """
    module_name, func_name = target.split(":")
    try:
        module = __import__(module_name, fromlist=[func_name])
        fn: SectionFn = getattr(module, func_name)
    except ImportError as exc:
        if not (exc.name or "").startswith("hedgewatch"):
            raise
        return unmeasurable(key, title, f"the analysis module is not available ({exc}).")
    try:
        section = fn(ctx)
    except ImportError as exc:
        if not (exc.name or "").startswith("hedgewatch"):
            raise
        return unmeasurable(key, title, f"the analysis module is not available ({exc}).")
    except InsufficientDataError as exc:
        return unmeasurable(key, title, str(exc))
    return section


def _claim_set(
    claims: str | Path | _claims.ClaimSet | None, code: str, powers: tuple[str, ...]
) -> _claims.ClaimSet:
    """The claims to judge: the given file, else the state's bundled one when it is written
    for these powers, else the generic file. A given file written for another state or other
    powers is refused (its roles A and B would name the wrong countries)."""
    if claims is None:
        own = _claims.load_claims(_claims.bundled_claims(code))
        if _fits(own, code, powers):
            return own
        return _claims.load_claims(_claims.bundled_claims("default"))
    cs = claims if isinstance(claims, _claims.ClaimSet) else _claims.load_claims(claims)
    if not _fits(cs, code, powers):
        raise ParameterError(
            f"{cs.path}: the claims are written for {cs.state or 'any state'} between "
            f"{' and '.join(cs.powers) or 'any powers'}; the report is on {code} between "
            f"{' and '.join(powers)}. Edit 'state:'/'powers:' in the file, or change the "
            "report's state or --between."
        )
    return cs


def _fits(cs: _claims.ClaimSet, code: str, powers: tuple[str, ...]) -> bool:
    state_ok = cs.state is None or countries.resolve(cs.state) == code
    powers_ok = not cs.powers or tuple(countries.resolve(p) for p in cs.powers) == powers[:2]
    return state_ok and powers_ok


def _claims_source(cs: _claims.ClaimSet) -> str:
    name = Path(cs.path).name
    return f"{cs.source} (claims file {name})" if cs.source else f"claims file {name}"


def _check_states(ctx: Context, codes: Sequence[str]) -> None:
    """Refuse a state or power without votes in the window (see :func:`_check_state`). The
    answer is cached with the data version, so a report whose sections are all cached reads
    no votes at all."""

    def voting() -> set[str]:
        """Which of ``codes`` cast a vote in the window (one query for their rows only)."""
        if ctx.successors is None and "votes" not in ctx.__dict__:
            own = hedgewatch.votes(list(codes), start=ctx.start, store=ctx.store)
            return set(own["country"].unique())
        return set(ctx.votes["country"].unique()) & set(codes)

    def check() -> pd.DataFrame:
        present = voting()
        for c in codes:
            if c in present:
                continue
            try:  # why not, from the whole record
                _check_state(ctx.votes, c, ctx.start, ctx.successors)
            except InsufficientDataError as exc:
                return pd.DataFrame({"error": [str(exc)]})
        return pd.DataFrame({"error": [""]})

    error = str(ctx.cached("report:states", ("v1", *codes, ctx.start), check)["error"].iloc[0])
    if error:
        raise InsufficientDataError(error)


def _check_state(
    votes: pd.DataFrame,
    code: str,
    start: int | None,
    successors: Mapping[str, str | None] | None = None,
) -> None:
    if (votes["country"] == code).any():
        return
    merged = countries.where_records_are(code, successors)
    if merged:
        raise InsufficientDataError(f"build_report(): {merged}")
    since = f" from {start}" if start else ""
    cast = votes.loc[votes["state"] == code, "country"]
    if len(cast):  # a state the successors given merge into another
        into = str(cast.iloc[0])
        raise InsufficientDataError(
            f"build_report(): {code} ({countries.name(code)})'s votes{since} are counted as "
            f"{into} under the successors given; report on {into}, or leave {code} out of "
            "the successors mapping."
        )
    span = f"{votes['year'].min()} to {votes['year'].max()}" if len(votes) else "no vote"
    raise InsufficientDataError(
        f"build_report(): {code} ({countries.name(code)}) cast no recorded vote{since} in "
        f"the store (the votes loaded run {span}). Check the code, the --from year, or import "
        "newer vote data ('hedgewatch data import')."
    )
