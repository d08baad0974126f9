"""Build hedgewatch/data/precomputed/: results a first report needs, for the bundled snapshot.

Usage: python tools/build_precomputed.py [--years-from 1946] [--home DIR]

On a fresh store in a temporary folder, runs the report on North Korea between China and
Russia with the default settings, and builds the General Debate's yearly TF-IDF
vocabularies for every bundled year. Every result computed through ``Store.cached`` with
declared input tables (the ideal-point fits, the in-sample predictability tables, the
rolling out-of-sample forecasts, the vocabularies; none depends on the state reported on) is
written to ``src/hedgewatch/data/precomputed/`` with the sources of its input tables, so a
store uses them only while those tables are the bundled snapshot. Run it again whenever the
snapshot or the code of those results changes (their cache keys carry a version tag).
``--home DIR`` keeps the store there, so a second run reads back what the first computed.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import tempfile
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "src" / "hedgewatch" / "data" / "precomputed"


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--years-from", type=int, default=1946)
    ap.add_argument("--home", default=None, help="store folder to keep (default: temporary)")
    args = ap.parse_args()
    with contextlib.ExitStack() as stack:
        home = args.home or stack.enter_context(
            tempfile.TemporaryDirectory(prefix="hedgewatch-precompute-")
        )
        os.environ["HEDGEWATCH_HOME"] = home
        from hedgewatch.paths import bundled_tables
        from hedgewatch.report import build_report
        from hedgewatch.store import Store, _precomputed
        from hedgewatch.store._database import RECORDED
        from hedgewatch.workflows import speech_vocabularies

        for old in OUT.glob("*"):
            old.unlink()  # compute everything: nothing shipped may be reused
        _precomputed.manifest.cache_clear()
        st = Store(Path(home) / "hedgewatch.duckdb")
        st.ensure(*bundled_tables())
        t0 = time.perf_counter()
        # one process: the results to ship are recorded in this one
        build_report("PRK", ["CHN", "RUS"], store=st, progress=_say, n_jobs=1)
        years = st.query("select distinct year from speeches order by year")["year"]
        speech_vocabularies([int(y) for y in years if y >= args.years_from], store=st)
        print(f"computed in {time.perf_counter() - t0:.0f} s")
        by_kind: dict[str, list[tuple[str, str]]] = defaultdict(list)
        inputs: dict[str, tuple[str, ...]] = {}
        for kind, key, cache_key, tables, path in RECORDED:
            if Path(path) != st.path:
                continue
            by_kind[kind].append((key, cache_key))
            if inputs.setdefault(kind, tables) != tables:
                raise SystemExit(f"{kind}: results with different input tables")
        entries = {}
        for kind, keys in sorted(by_kind.items()):
            results = []
            for key, cache_key in dict(keys).items():
                frame = st.cache_get(kind, cache_key)
                if frame is None:
                    raise SystemExit(f"{kind}: result {key} missing from the cache")
                results.append((key, frame))
            sources = {}
            for t in inputs[kind]:
                src = st.source(t)
                if src is None:
                    raise SystemExit(f"{kind}: input table {t} is not the bundled snapshot")
                sources[t] = src
            entries[kind] = _precomputed.write(kind, results, sources, OUT)
            size = (OUT / entries[kind]["file"]).stat().st_size
            print(f"{kind}: {len(results)} result(s), {size:,} bytes, inputs {sources}")
        _precomputed.write_manifest(entries, OUT)
        total = sum(p.stat().st_size for p in OUT.iterdir())
        print(f"wrote {OUT} ({total:,} bytes)")


def _say(step: str, done: int, total: int) -> None:
    print(f"[{done}/{total}] {step}", flush=True)


if __name__ == "__main__":
    main()
