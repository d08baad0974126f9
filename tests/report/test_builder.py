"""The PRK report built once on the bundled data: sections, values, claims, caching, errors."""

from __future__ import annotations

import os

import numpy as np
import pandas as pd
import pytest

import hedgewatch as hw
from hedgewatch.errors import InsufficientDataError, ParameterError, UnknownCountryError
from hedgewatch.report import build_report
from hedgewatch.report.builder import run_section
from hedgewatch.report.claims import NOT_MEASURABLE, NOT_SUPPORTED, SUPPORTED
from hedgewatch.report.sections._context import Context

EXPECTED = [
    "alignment",
    "hedging",
    "issues",
    "idealpoints",
    "predictability",
    "rhetoric",
    "synchronisation",
    "council",
    "strategy",
]


def test_every_section_is_present_in_order(prk_report):
    rep, out, _ = prk_report
    assert [s.key for s in rep.sections] == EXPECTED
    assert out.read_text(encoding="utf-8") == rep.html
    for s in rep.sections:
        assert f'id="{s.key}"' in rep.html
        assert s.ok or s.reason, s.key  # a section that failed says why


def test_vote_sections_are_computed(prk_report):
    rep, _, _ = prk_report
    for key in ("alignment", "hedging", "issues"):
        assert rep.section(key).ok, rep.section(key).reason
    figs = [f.key for s in rep.sections for f in s.figures]
    assert {"alignment", "hedging-position", "hedging-free", "issues"} <= set(figs)


def _voeten_agreement(a: pd.Series, b: pd.Series) -> float:
    score = {"yes": 1.0, "abstain": 0.5, "no": 0.0}
    return float(np.mean(1 - np.abs(a.map(score) - b.map(score))))


def test_agreement_since_2012_matches_a_hand_computation(prk_report, store):
    """agree_A (CHN) since 2012 = mean over roll calls all three voted on of 1 - |x - y|."""
    rep, _, _ = prk_report
    v = hw.votes(["PRK", "CHN", "RUS"], start=2012, store=store)
    wide = (
        v.pivot_table(
            index="rcid", columns="country", values="vote", aggfunc="first", observed=True
        )
        .dropna()
        .astype(str)
    )
    m = rep.measurements()
    assert m["agree_A"].value == pytest.approx(_voeten_agreement(wide["PRK"], wide["CHN"]))
    assert m["agree_B"].value == pytest.approx(_voeten_agreement(wide["PRK"], wide["RUS"]))
    d_a, d_b = 1 - m["agree_A"].value, 1 - m["agree_B"].value
    d_ab = 1 - _voeten_agreement(wide["CHN"], wide["RUS"])
    assert m["position"].value == pytest.approx((d_a - d_b) / d_ab)
    assert m["position_lo"].value <= m["position"].value <= m["position_hi"].value


def test_claim_verdicts_follow_the_measurements(prk_report):
    rep, _, _ = prk_report
    m = rep.measurements()
    verdict = rep.claims.set_index("id")["verdict"]
    balanced = m["position_lo"].value >= -0.5 and m["position_hi"].value <= 0.5
    assert verdict["balancing"] == (SUPPORTED if balanced else NOT_SUPPORTED)
    assert verdict["issue_hostility"] == (
        SUPPORTED if m["issue_spread"].value >= 0.2 else NOT_SUPPORTED
    )
    # moral hazard, by its proxy: China shields North Korea on most Council texts about it
    assert verdict["moral_hazard"] == (
        SUPPORTED if m["shield_A_share"].value >= 0.5 else NOT_SUPPORTED
    )
    # a pivot is relative: a stable shift of the position toward Russia
    pivoted = (
        m["position_pivot_B_size"].value >= 0.1 and m["position_pivot_B_stability"].value >= 0.9
    )
    assert verdict["pivot_russia"] == (SUPPORTED if pivoted else NOT_SUPPORTED)
    assert set(verdict.index) == {
        "rational_actor",
        "balancing",
        "balancing_events",
        "pivot_russia",
        "pivot_russia_events",
        "rhetoric_russia",
        "issue_hostility",
        "moral_hazard",
    }
    # no event data in this store: the event-based claims say so (tests/report/test_events.py)
    for cid in ("balancing_events", "pivot_russia_events"):
        assert verdict[cid] == NOT_MEASURABLE
        assert "no event data loaded" in rep.claims.set_index("id").loc[cid, "reason"]
    for row in rep.claims.itertuples():
        assert row.verdict in (SUPPORTED, NOT_SUPPORTED, NOT_MEASURABLE)
        if row.verdict == NOT_MEASURABLE:
            assert row.reason  # always says why


def test_prk_leans_to_china_since_2012(prk_report):
    """Published-direction check: PRK votes closer to China than to Russia (position < 0)."""
    m = prk_report[0].measurements()
    assert m["position_hi"].value < 0
    assert 0 <= m["free_agency"].value <= 1


def test_progress_reports_every_step(prk_report):
    _, _, steps = prk_report
    totals = {t for _, _, t in steps}
    assert len(totals) == 1
    done = [d for _, d, _ in steps]
    assert done == sorted(done) and done[-1] == totals.pop()
    assert any("Hedging" in s for s, _, _ in steps)


def test_second_report_reads_the_cache(store, monkeypatch, fast):
    from hedgewatch.report.sections import alignment

    first = build_report("PRK", ("CHN", "RUS"), store=store, settings=fast, sections=["alignment"])
    real = alignment.hedging_index

    def only_window(votes, state, powers, *, by="year", **kw):
        if by == "year":
            raise AssertionError("the yearly index should come from the cache")
        return real(votes, state, powers, by=by, **kw)

    monkeypatch.setattr(alignment, "hedging_index", only_window)
    second = build_report("PRK", ("CHN", "RUS"), store=store, settings=fast, sections=["alignment"])
    assert (
        second.section("alignment")
        .tables[0]
        .frame.equals(first.section("alignment").tables[0].frame)
    )


def test_any_state_and_powers(store, fast):
    rep = build_report(
        "VNM", ["CHN", "USA"], store=store, settings=fast, sections=["alignment", "hedging"]
    )
    assert rep.state == "VNM" and rep.powers == ("CHN", "USA")
    assert rep.section("hedging").ok
    assert "Viet" in rep.html
    assert set(rep.claims["id"]) >= {"balancing", "pivot_A", "pivot_B"}


def test_three_powers(store, fast):
    rep = build_report(
        "IND", ["USA", "RUS", "CHN"], store=store, settings=fast, sections=["alignment"]
    )
    labels = [m.key for m in rep.section("alignment").measurements]
    assert "pivot_A_size" in labels and "pivot_B_size" in labels


@pytest.mark.parametrize(
    ("state", "powers", "error"),
    [
        ("PRK", ["CHN"], ParameterError),
        ("PRK", "CHN", ParameterError),
        ("PRK", ["PRK", "CHN"], ParameterError),
        ("XXQ", ["CHN", "RUS"], UnknownCountryError),
    ],
)
def test_bad_arguments(store, state, powers, error):
    with pytest.raises(error):
        build_report(state, powers, store=store)


def test_state_without_votes_in_window(store):
    with pytest.raises(InsufficientDataError, match="TWN"):
        build_report("TWN", ["CHN", "USA"], store=store, start=1990)


def test_a_section_error_becomes_a_reason_but_a_bug_propagates(store):
    ctx = Context("PRK", ("CHN", "RUS"), store, pd.DataFrame())

    def insufficient(_ctx):
        raise InsufficientDataError("too few speeches")

    def bug(_ctx):
        raise ZeroDivisionError

    import sys
    import types

    mod = types.ModuleType("hedgewatch_test_sections")
    mod.insufficient, mod.bug = insufficient, bug
    sys.modules["hedgewatch_test_sections"] = mod
    s = run_section("x", "X", "hedgewatch_test_sections:insufficient", ctx)
    assert not s.ok and s.reason == "too few speeches"
    with pytest.raises(ZeroDivisionError):
        run_section("x", "X", "hedgewatch_test_sections:bug", ctx)
    missing = run_section("x", "X", "hedgewatch.no_such_module:f", ctx)
    assert not missing.ok and "not available" in missing.reason


def test_unknown_section_key_lists_the_valid_ones(store):
    with pytest.raises(ParameterError, match="alignment"):
        build_report("PRK", ["CHN", "RUS"], store=store, sections=["alignmnet"])


def test_position_pivots_follow_the_hedging_change_points(prk_report):
    """The position-pivot measures are the signed change points of the hedging position."""
    rep = prk_report[0]
    m = rep.measurements()
    toward_russia = m["position_pivot_B_size"].value
    toward_china = m["position_pivot_A_size"].value
    assert toward_russia >= 0 and toward_china >= 0
    if toward_russia > 0:
        assert m["position_pivot_B_year"].value >= 2010
        assert 0 <= m["position_pivot_B_stability"].value <= 1


def _same_sections(a, b) -> None:
    assert [s.key for s in a.sections] == [s.key for s in b.sections]
    for x, y in zip(a.sections, b.sections, strict=True):
        assert x.paragraphs == y.paragraphs, x.key
        np.testing.assert_array_equal(
            [m.value for m in x.measurements], [m.value for m in y.measurements], x.key
        )
        for tx, ty in zip(x.tables, y.tables, strict=True):
            pd.testing.assert_frame_equal(tx.frame, ty.frame)
    pd.testing.assert_frame_equal(a.claims, b.claims)


def test_a_second_process_computes_the_same_sections(tmp_path, fast):
    # Two fresh stores, so nothing is read back from a cache: one report computed in this
    # process alone, one with the vote-free Council section in a second process. (The
    # session's PRK report, built with the default two processes, computes the rhetoric
    # section beside the others; test_sections checks its values.)
    from hedgewatch.store import Store

    keys = ["hedging", "council"]
    reports = []
    for jobs in (1, 2):
        st = Store(tmp_path / f"jobs{jobs}" / "hedgewatch.duckdb")
        st.ensure("votes", "roll_calls")
        reports.append(
            build_report("PRK", ("CHN", "RUS"), store=st, settings=fast, sections=keys, n_jobs=jobs)
        )
    one, two = reports
    assert "waited_for_second_process" in two.timings  # it did run beside this one
    assert "waited_for_second_process" not in one.timings
    assert [s.key for s in two.sections] == keys and all(s.ok for s in two.sections)
    _same_sections(one, two)


def test_a_second_process_that_dies_leaves_its_sections_to_this_one(store, fast, monkeypatch):
    from concurrent.futures import ProcessPoolExecutor
    from multiprocessing import get_context

    from hedgewatch.report import builder

    def doomed(ctx, steps):  # a process that dies before it answers (killed, out of memory)
        pool = ProcessPoolExecutor(max_workers=1, mp_context=get_context("spawn"))
        return pool.submit(os._exit, 1), pool

    monkeypatch.setattr(builder, "_start_beside", doomed)
    rep = build_report(
        "PRK",
        ("CHN", "RUS"),
        store=store,
        settings={**fast, "n_boot": 41},
        sections=["hedging", "council"],
        n_jobs=2,
    )
    assert [s.key for s in rep.sections] == ["hedging", "council"]
    assert rep.section("council").ok and "waited_for_second_process" in rep.timings


@pytest.mark.parametrize("bad", [0, 3, 1.5, True, "2"])
def test_n_jobs_must_be_one_or_two(store, bad):
    with pytest.raises(ParameterError, match="'n_jobs'"):
        build_report("PRK", ("CHN", "RUS"), store=store, n_jobs=bad)


def test_jobs_from_the_environment(store, monkeypatch):
    monkeypatch.setenv("HEDGEWATCH_REPORT_JOBS", "many")
    with pytest.raises(ParameterError, match="HEDGEWATCH_REPORT_JOBS"):
        build_report("PRK", ("CHN", "RUS"), store=store)


def test_fork_only_from_the_main_thread():
    import sys
    import threading

    from hedgewatch.report.builder import start_method

    here = start_method()
    assert here == ("fork" if sys.platform.startswith("linux") else "spawn")
    seen = []
    t = threading.Thread(target=lambda: seen.append(start_method()))
    t.start()
    t.join()
    assert seen == ["spawn"]  # a web server's job thread: other threads may read the store


_ORPHAN = """
import multiprocessing, os, sys
from concurrent.futures import ProcessPoolExecutor
from hedgewatch.report.builder import _forked, watch_parent
method, watched = sys.argv[1], sys.argv[2] == "1"
init = (watch_parent if method == "spawn" else _forked) if watched else None
pool = ProcessPoolExecutor(1, mp_context=multiprocessing.get_context(method), initializer=init)
print(pool.submit(os.getpid).result(), flush=True)
os.kill(os.getpid(), 9)  # killed, as a web server stopped in the middle of a report
"""


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/status") as f:
            return "\nState:\tZ" not in f.read()  # a zombie has exited
    except FileNotFoundError:
        return False


@pytest.mark.skipif(not os.path.isdir("/proc"), reason="reads /proc")
@pytest.mark.parametrize(("method", "watched"), [("spawn", True), ("fork", True), ("spawn", False)])
def test_the_second_process_exits_when_its_parent_is_killed(method, watched):
    import signal
    import subprocess
    import sys
    import time

    # Popen, not run(): an orphaned worker keeps the output pipe open, so read one line.
    proc = subprocess.Popen(
        [sys.executable, "-c", _ORPHAN, method, "1" if watched else "0"],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout is not None
    worker = int(proc.stdout.readline())
    proc.wait(timeout=60)
    proc.stdout.close()
    deadline = time.monotonic() + (10 if watched else 3)
    while _alive(worker) and time.monotonic() < deadline:
        time.sleep(0.1)
    orphaned = _alive(worker)
    if orphaned:
        os.kill(worker, signal.SIGKILL)
    # Without the watch the worker waits for work forever (the control case).
    assert orphaned is not watched
