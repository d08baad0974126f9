"""Build the bundled UNGA snapshot shipped in src/hedgewatch/data/ from the staged sources.

Usage: python tools/build_snapshot.py [SHARED_DATA_DIR]

Reads Voeten's CSV and the R unvotes files, merges them (hedgewatch.sources.unga), and writes
roll_calls.parquet, votes.parquet and bridges.parquet (BSV's bridging list; zstd). Run it again when the sources change.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from hedgewatch.sources.bridges import read_bridges
from hedgewatch.sources.unga import merge_records, read_unvotes, read_voeten

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    shared = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT.parent / "shared" / "data"
    unga = shared / "unga"
    record = merge_records(read_voeten(unga / "UNVotesPublished.csv.gz"), read_unvotes(unga))
    out = ROOT / "src" / "hedgewatch" / "data"
    out.mkdir(parents=True, exist_ok=True)
    rc = record.roll_calls.copy()
    rc["date"] = rc["date"].dt.date
    votes = record.votes.copy()
    votes["rcid"] = votes["rcid"].astype("int32")
    bridges = read_bridges(unga / "bsv_matches.csv")
    for name, df in {"roll_calls": rc, "votes": votes, "bridges": bridges}.items():
        table = pa.Table.from_pandas(df, preserve_index=False)
        if name == "votes":
            table = table.cast(
                pa.schema(
                    [
                        ("rcid", pa.int32()),
                        ("state", pa.string()),
                        ("country", pa.string()),
                        ("vote", pa.string()),
                    ]
                )
            )
        pq.write_table(
            table,
            out / f"{name}.parquet",
            compression="zstd",
            compression_level=19,
            use_dictionary=True,
        )
        print(f"{name}: {len(df):,} rows, {(out / f'{name}.parquet').stat().st_size:,} bytes")
    print("summary:", record.summary())
    if len(record.conflicts):
        print("conflicts between sources:")
        print(record.conflicts.to_string(index=False))


if __name__ == "__main__":
    main()
