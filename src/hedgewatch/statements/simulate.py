"""Ground truth for the synchronisation test: simulated corpora with injected narratives.

Background streams are built from real sentences (e.g. UN General Debate speeches of the
states concerned), dated at a realistic rate with a weekday pattern. Known narratives are then
injected: *synchronised* ones, taken up by both actors within the window on known dates, and
*decoys*, taken up by one actor only or by both but weeks apart. Recovered events are scored
against the injected ones (precision, recall), and :func:`null_pvalues` measures the false
positive rate of the permutation test when actors are independent (calibration).

Nothing here opens a file: pass the sentences in.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from hedgewatch.statements.sync import onset_matrix, permutation_test

#: Narratives to inject: name -> key phrases (English, as in translated official statements).
NARRATIVES: dict[str, tuple[str, ...]] = {
    "bioweapons": (
        "biological weapons",
        "US military biological laboratories",
        "dangerous pathogens",
        "anthrax samples",
        "germ warfare",
    ),
    "drills": (
        "joint military exercises",
        "aggressive war drills",
        "strategic bombers",
        "aircraft carrier strike group",
        "provocative manoeuvres",
    ),
    "sanctions": (
        "illegal unilateral sanctions",
        "economic blockade",
        "sanctions regime",
        "financial restrictions",
        "secondary sanctions",
    ),
    "colour_revolution": (
        "colour revolution",
        "regime change",
        "subversive operations",
        "foreign-funded NGOs",
        "interference in internal affairs",
    ),
    "missile_defence": (
        "missile defence system",
        "THAAD deployment",
        "interceptor missiles",
        "radar installations",
        "strategic balance",
    ),
    "water": (
        "contaminated water",
        "Fukushima discharge",
        "radioactive tritium",
        "marine pollution",
        "fishing communities",
    ),
    "cyber": (
        "cyber attacks",
        "hacking groups",
        "malicious software",
        "critical infrastructure",
        "information warfare",
    ),
    "aukus": (
        "AUKUS pact",
        "nuclear-powered submarines",
        "Asian version of NATO",
        "Indo-Pacific strategy",
        "bloc confrontation",
    ),
    "space": (
        "reconnaissance satellite",
        "space weapons",
        "militarisation of outer space",
        "satellite launch vehicle",
        "orbital debris",
    ),
    "dollar": (
        "dollar hegemony",
        "national currencies",
        "payment systems",
        "financial sovereignty",
        "de-dollarisation",
    ),
    "nazism": (
        "glorification of Nazism",
        "neo-Nazi groups",
        "falsification of history",
        "war memorials",
        "war criminals",
    ),
    "grain": (
        "grain exports",
        "food security",
        "fertiliser supplies",
        "grain corridor",
        "hunger in Africa",
    ),
}
_TEMPLATES = (
    "The {0} and the {1} are a grave threat to peace.",
    "Reports of {0} confirm the danger of {1}.",
    "We resolutely condemn the {0}, which goes hand in hand with {1}.",
    "The world must not overlook the {0} behind the {1}.",
    "Behind the {0} lies the sinister scheme of {1}.",
    "{0} and {1}: this is the reality.",
    "Nobody can justify the {0} or the {1}.",
    "The spokesman denounced {0} and {1}.",
    "Experts warn that {0} will lead to {1}.",
    "It is an open secret that {0} serves {1}.",
    "Such {0} is inseparable from {1}.",
    "The international community is alarmed by {0} and {1}.",
)


def background(
    sentences: Sequence[str],
    actor: str,
    start: str,
    end: str,
    *,
    rate: float = 6.0,
    weekend: float = 0.35,
    per_statement: tuple[int, int] = (2, 5),
    rng: np.random.Generator,
) -> pd.DataFrame:
    """A background stream: Poisson statements a day (fewer at weekends), random sentences.

    Parameters
    ----------
    sentences
        The actor's sentence pool (e.g. from its UN speeches).
    actor, start, end
        Actor code and date range.
    rate, weekend
        Mean statements on a weekday, and the weekend rate as a share of it.
    per_statement
        Range (inclusive) of sentences per statement.
    rng
        Random generator.
    """
    days = pd.date_range(start, end, freq="D")
    lam = np.where(days.dayofweek >= 5, rate * weekend, rate)
    n = rng.poisson(lam)
    dates = np.repeat(days.to_numpy(), n)
    pool = np.asarray(sentences, dtype=object)
    k = rng.integers(per_statement[0], per_statement[1] + 1, size=len(dates))
    idx = rng.integers(0, len(pool), size=(len(dates), per_statement[1]))
    mask = np.arange(per_statement[1])[None, :] < k[:, None]
    texts = [" ".join(pool[row[m]]) for row, m in zip(idx, mask, strict=True)]
    return pd.DataFrame(
        {
            "actor": actor,
            "date": dates,
            "title": None,
            "text": texts,
            "injected": "",
            "language": "en",
        }
    )


def _narrative_text(name: str, own: np.ndarray, rng: np.random.Generator) -> str:
    """Two sentences built from the narrative's key phrases, mixed with two of the actor's."""
    phrases = NARRATIVES[name]
    parts = []
    for _ in range(2):
        a, b = rng.choice(len(phrases), 2, replace=False)
        parts.append(_TEMPLATES[rng.integers(len(_TEMPLATES))].format(phrases[a], phrases[b]))
    parts += [str(x) for x in own[rng.integers(len(own), size=2)]]
    return " ".join(rng.permutation(parts))


def _episode_days(
    n: int, n_days: int, gap: int, margin: int, rng: np.random.Generator
) -> np.ndarray:
    """n episode start days in [margin, n_days - margin), at least ``gap`` apart."""
    for _ in range(1000):
        d = np.sort(rng.choice(np.arange(margin, n_days - margin), n, replace=False))
        if n < 2 or np.diff(d).min() >= gap:
            return d
    raise ValueError("cannot place episodes; use fewer or a longer period")


def simulate(
    pools: Mapping[str, Sequence[str]],
    start: str = "2015-01-01",
    end: str = "2015-12-31",
    *,
    n_sync: int = 4,
    n_decoy: int = 4,
    episodes: int = 3,
    window: int = 3,
    quiet: int = 14,
    rate: float = 6.0,
    seed: int = 0,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """A two-actor corpus with known synchronised and decoy narratives.

    Each synchronised narrative has ``episodes`` episodes; in each, actor a takes it up on
    day d and actor b on d + lag (lag uniform in [-window, window]), each following up on a
    few of the next five days (inside the ``quiet`` period, so not new onsets). Decoys are
    taken up by one actor only, or by both 2-4 weeks apart.

    Returns
    -------
    (statements, truth): statements with ``statement_id, actor, date, title, text,
    language, injected`` and truth rows ``narrative, country_a, date_a, country_b, date_b, lag``.
    """
    rng = np.random.default_rng(seed)
    (a, pa), (b, pb) = list(pools.items())[:2]
    frames = [
        background(pa, a, start, end, rate=rate, rng=rng),
        background(pb, b, start, end, rate=rate, rng=rng),
    ]
    names = list(NARRATIVES)
    if n_sync + n_decoy > len(names):
        raise ValueError(f"at most {len(names)} narratives can be injected")
    chosen = rng.permutation(names)[: n_sync + n_decoy]
    t0, n_days = pd.Timestamp(start), (pd.Timestamp(end) - pd.Timestamp(start)).days + 1
    truth, injected = [], []
    own = {a: np.asarray(pa, dtype=object), b: np.asarray(pb, dtype=object)}
    for j, name in enumerate(chosen):
        days = _episode_days(episodes, n_days, quiet + 2 * window + 8, quiet + 40, rng)
        for d in days:
            if j < n_sync:
                lag = int(rng.integers(-window, window + 1))
                plan = [(a, d), (b, d + lag)]
                truth.append(
                    (
                        name,
                        a,
                        t0 + pd.Timedelta(days=int(d)),
                        b,
                        t0 + pd.Timedelta(days=int(d + lag)),
                        lag,
                    )
                )
            elif j % 2:
                plan = [(a, d), (b, d + int(rng.integers(14, 29)))]
            else:
                plan = [(rng.choice([a, b]), d)]
            for actor, day in plan:
                follow = day + np.flatnonzero(rng.random(5) < 0.4) + 1
                for t in np.r_[day, follow]:
                    injected.append(
                        {
                            "actor": actor,
                            "date": t0 + pd.Timedelta(days=int(t)),
                            "title": None,
                            "language": "en",
                            "injected": name,
                            "text": _narrative_text(name, own[actor], rng),
                        }
                    )
    df = pd.concat(frames + [pd.DataFrame(injected)], ignore_index=True)
    df = df.sort_values(["date", "actor"], kind="stable").reset_index(drop=True)
    df["statement_id"] = [f"s{i}" for i in range(len(df))]
    df["date"] = pd.to_datetime(df["date"])
    truth_df = pd.DataFrame(
        truth, columns=["narrative", "country_a", "date_a", "country_b", "date_b", "lag"]
    )
    return df, truth_df


def score_events(
    events: pd.DataFrame,
    truth: pd.DataFrame,
    statements: pd.DataFrame,
    membership: pd.DataFrame,
    max_q: float = 0.05,
    tolerance: int = 5,
) -> dict[str, float]:
    """Precision and recall of recovered events (``q_value <= max_q``) against the truth.

    A recovered event is correct when both its onsets are statements of one injected
    narrative (for the right actors) dated within ``tolerance`` days of an injected
    episode of that narrative: a take-up missed by the narrative stage but caught on a
    follow-up day still counts, a chance pairing of unrelated statements does not.
    """
    rec = events[events["q_value"] <= max_q].reset_index(drop=True)
    tag = membership.merge(statements[["statement_id", "injected"]], on="statement_id")
    tag = tag[tag["injected"] != ""][["narrative", "actor", "date", "injected"]]
    tag = tag.drop_duplicates()
    ev = rec.reset_index().merge(
        tag.rename(columns={"actor": "country_a", "date": "date_a"}),
        on=["narrative", "country_a", "date_a"],
    )
    ev = ev.merge(
        tag.rename(columns={"actor": "country_b", "date": "date_b"}),
        on=["narrative", "country_b", "date_b", "injected"],
    )
    tr = truth.rename(columns={"narrative": "injected", "date_a": "ta", "date_b": "tb"})
    tr = tr.reset_index(names="episode")
    m = ev.merge(tr, on=["injected", "country_a", "country_b"])
    tol = pd.Timedelta(days=tolerance)
    ok = ((m["date_a"] - m["ta"]).abs() <= tol) & ((m["date_b"] - m["tb"]).abs() <= tol)
    m = m[ok]
    tp = m["index"].nunique()
    return {
        "recovered": len(rec),
        "true_positives": tp,
        "precision": tp / len(rec) if len(rec) else float("nan"),
        "recall": m["episode"].nunique() / len(truth) if len(truth) else float("nan"),
        "injected": len(truth),
    }


def bursty_timelines(
    n_narratives: int,
    n_days: int,
    *,
    rate: float = 0.02,
    burst: tuple[int, int] = (1, 10),
    rng: np.random.Generator,
) -> np.ndarray:
    """Independent bursty mention timelines (narratives x days) with a weekday pattern.

    Bursts start with probability ``rate`` a day and narrative, last a random number of
    days in ``burst``; within a burst the narrative is mentioned on 70 % of weekdays and
    25 % of weekend days.
    """
    starts = rng.random((n_narratives, n_days)) < rate
    length = rng.integers(burst[0], burst[1] + 1, size=n_narratives)
    c = np.cumsum(np.pad(starts, ((0, 0), (1, 0))).astype(np.int32), axis=1)
    t = np.arange(n_days)
    lo = np.maximum(t[None, :] - length[:, None] + 1, 0)
    active = (c[:, t + 1] - np.take_along_axis(c, lo, axis=1)) > 0
    weekend = (t % 7) >= 5
    p = np.where(weekend, 0.25, 0.7)
    return active & (rng.random((n_narratives, n_days)) < p[None, :])


def null_pvalues(
    n_runs: int,
    *,
    n_narratives: int = 30,
    n_days: int = 365,
    window: int = 3,
    quiet: int = 14,
    null: str = "shuffle",
    n_perm: int = 199,
    seed: int = 0,
    block: int = 7,
    rate: float = 0.02,
    burst: tuple[int, int] = (1, 10),
) -> pd.DataFrame:
    """p-values of the test when the two actors are independent (the null is true).

    Returns
    -------
    DataFrame with one row per run: ``run, total_p``, and ``min_p``, the smallest
    per-narrative p-value (for the family-wise rate). Per-narrative p-values of testable
    narratives are in ``df.attrs["narrative_p"]``.
    """
    rng = np.random.default_rng(seed)
    rows, per = [], []
    for run in range(n_runs):  # each run is vectorised over narratives x days
        A, B = (
            onset_matrix(
                bursty_timelines(n_narratives, n_days, rate=rate, burst=burst, rng=rng),
                quiet,
                quiet,
            )
            for _ in range(2)
        )
        r = permutation_test(A, B, window, null=null, n_perm=n_perm, seed=seed + run, block=block)
        ok = (A.sum(axis=1) > 0) & (B.sum(axis=1) > 0)
        per.append(r["p_value"][ok])
        rows.append(
            {
                "run": run,
                "total_p": r["total_p_value"],
                "min_p": r["p_value"][ok].min() if ok.any() else 1.0,
            }
        )
    out = pd.DataFrame(rows)
    out.attrs["narrative_p"] = np.concatenate(per) if per else np.array([])
    return out
