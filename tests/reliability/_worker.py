"""One store operation in its own process, for the concurrency tests.

python _worker.py import STORE FILE [QUARANTINE [ACTOR]]
                                        -> prints {"new": n} after a successful import
python _worker.py report STORE          -> prints the claims table (JSON records)
python _worker.py hold STORE SECONDS    -> holds a write transaction open, then commits
"""

from __future__ import annotations

import json
import sys

#: A quick report: the hedging section only, from 2005, few bootstrap draws.
REPORT = {"settings": {"n_boot": 20}, "sections": ["hedging"], "start": 2005}


def main(op: str, store: str, *args: str) -> None:
    if op == "import":
        from hedgewatch.workflows import import_statements

        quarantine = args[1] if args[1:] else None
        actor = args[2] if args[2:] else None
        rep = import_statements([args[0]], store=store, quarantine=quarantine, actor=actor)
        print(json.dumps({"new": rep.new}), flush=True)
    elif op == "report":
        from hedgewatch.report import build_report

        rep = build_report("PRK", ("CHN", "RUS"), store=store, **REPORT)
        print(rep.claims.to_json(orient="records"), flush=True)
    elif op == "hold":
        from hedgewatch.store import Store

        with Store(store).transaction() as con:
            con.execute("insert or replace into meta values ('held', 'yes')")
            print("holding", flush=True)
            sys.stdin.readline()
        print("released", flush=True)
    else:
        raise SystemExit(f"unknown operation {op!r}")


if __name__ == "__main__":
    main(*sys.argv[1:])
