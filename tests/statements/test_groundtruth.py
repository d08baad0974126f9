"""Ground truth: injected narratives in backgrounds of real UN sentences; null calibration.

Figures measured with more runs are in docs/statements.md (benchmarks/bench_sync.py prints
them); here a few seeded runs keep the suite fast.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from hedgewatch.statements import narratives, synchronisation
from hedgewatch.statements.simulate import null_pvalues, score_events, simulate


def test_injected_narratives_form_their_own_groups(pools):
    df, truth = simulate(pools, seed=1)
    nr = narratives(df)
    assert nr.method == "phrases"
    m = nr.membership.merge(df[["statement_id", "injected"]], on="statement_id")
    inj = m[m["injected"] != ""]
    # each injected narrative's largest group is mostly made of it (real speeches also talk
    # of "bloc confrontation", so a few background statements may join)
    purity = {}
    for name, g in inj.groupby("injected"):
        top = g["narrative"].value_counts().index[0]
        purity[name] = (m.loc[m["narrative"] == top, "injected"] == name).mean()
    # a narrative whose phrases also occur in real speeches (e.g. the Second World War) can
    # be absorbed by a larger background group: allow one such case in eight
    assert sum(v >= 0.7 for v in purity.values()) >= len(purity) - 1, purity
    assert np.median(list(purity.values())) >= 0.9, purity


@pytest.mark.slow
def test_precision_and_recall_of_recovered_events(pools):
    scores = []
    for seed in (0, 1, 3):
        df, truth = simulate(pools, seed=seed)
        r = synchronisation(df, ["RUS", "PRK"], seed=seed)
        scores.append(score_events(r.events, truth, df, r.narratives.membership))
    s = pd.DataFrame(scores)
    precision = s["true_positives"].sum() / s["recovered"].sum()
    recall = s["recall"].mean()
    assert precision >= 0.9, s
    assert recall >= 0.5, s


def test_decoys_are_not_reported(pools):
    df, truth = simulate(pools, n_sync=0, n_decoy=8, seed=5)
    r = synchronisation(df, ["RUS", "PRK"], seed=5)
    assert (r.events["q_value"] <= 0.05).sum() == 0
    assert truth.empty


@pytest.mark.slow
def test_false_positive_rate_near_nominal_under_the_null():
    res = null_pvalues(150, n_narratives=30, n_days=365, n_perm=199, seed=11)
    fpr_total = (res["total_p"] <= 0.05).mean()
    fpr_each = (res.attrs["narrative_p"] <= 0.05).mean()
    # binomial sd of a rate of 0.05 over 150 runs is 0.018: allow about 2 sd above nominal
    assert fpr_total <= 0.09, fpr_total
    assert fpr_each <= 0.07, fpr_each
    # and not absurdly conservative for the pooled test
    assert fpr_total >= 0.005 or np.mean(res["total_p"]) > 0.35
