"""Build the bundled snapshot shipped in src/hedgewatch/data/ from the staged sources.

Usage: python tools/build_snapshot.py [SHARED_DATA_DIR]

1. General Assembly, 1946-2020-01-14: Voeten's CSV and the R unvotes files, merged
   (hedgewatch.sources.unga.merge_records).
2. General Assembly from 2020 on: the roll calls of the scraped UN Digital Library file
   (unga/undl_votes_scraped_1946_2021_2025.parquet) dated 2020 or later, imported through the
   store's own rules (hedgewatch.store.import_record): those already held (January 2020) are
   matched, not added; the rest get Library rcids (10^9 + record number). The scrape's older
   roll calls are not bundled: the researchers' record stays as published for 1946-2019
   (`hedgewatch data import` of the scrape adds the ~150 it lacks).
3. Security Council: the scrape's votes on adopted resolutions (1946-2021, 2025) and the
   vetoed drafts (unsc/unsc_vetoes_1946_sept2022.csv).
4. Bridges: BSV's list (unga/bsv_matches.csv).

Writes roll_calls, votes, bridges, council_resolutions, council_votes and council_vetoes as
zstd Parquet, and prints each table's rows and bytes before and after. Run it again when the
sources or the readers change.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from hedgewatch.sources.bridges import read_bridges
from hedgewatch.sources.undl_long import read_undl_long
from hedgewatch.sources.unga import VoteRecord, merge_records, read_unvotes, read_voeten
from hedgewatch.sources.vetoes import read_vetoes
from hedgewatch.store import Store, coverage, import_record

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "src" / "hedgewatch" / "data"
#: The first year taken from the Library scrape.
LIBRARY_FROM = 2020
_VOTES_SCHEMA = pa.schema(
    [("rcid", pa.int32()), ("state", pa.string()), ("country", pa.string()), ("vote", pa.string())]
)


def _write(name: str, df) -> None:
    path = OUT / f"{name}.parquet"
    before = path.stat().st_size if path.exists() else 0
    table = pa.Table.from_pandas(df, preserve_index=False)
    if name == "votes":
        table = table.cast(_VOTES_SCHEMA)
    pq.write_table(table, path, compression="zstd", compression_level=19, use_dictionary=True)
    print(f"{name}: {len(df):,} rows, {before:,} -> {path.stat().st_size:,} bytes")


def main() -> None:
    shared = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT.parent / "shared" / "data"
    unga = shared / "unga"
    record = merge_records(read_voeten(unga / "UNVotesPublished.csv.gz"), read_unvotes(unga))
    if len(record.conflicts):
        print("conflicts between Voeten's file and unvotes:")
        print(record.conflicts.to_string(index=False))
    library = read_undl_long(unga / "undl_votes_scraped_1946_2021_2025.parquet")
    for note in library.notes:
        print("scrape:", note)
    print("scrape:", library.checks.summary())
    recent = library.assembly.roll_calls
    recent = recent[recent["year"] >= LIBRARY_FROM]
    votes = library.assembly.votes
    newest = VoteRecord(recent, votes[votes["rcid"].isin(recent["rcid"])])
    vetoes = read_vetoes(shared / "unsc" / "unsc_vetoes_1946_sept2022.csv")
    with tempfile.TemporaryDirectory() as tmp:
        # Written as tables first, so that the build never starts from an older snapshot.
        store = Store(Path(tmp) / "build.duckdb")
        store.write_tables(
            {
                "roll_calls": record.roll_calls,
                "votes": record.votes,
                "council_resolutions": library.council.resolutions,
                "council_votes": library.council.votes,
                "council_vetoes": vetoes.vetoes,
            },
            provenance="voeten+unvotes, undl scrape (Security Council), vetoes",
        )
        counts = import_record(newest, store=store, provenance="undl scrape")
        print(f"Library roll calls from {LIBRARY_FROM}:", counts)
        OUT.mkdir(parents=True, exist_ok=True)
        rc = store.table("roll_calls").sort_values(["date", "rcid"], ignore_index=True)
        rc["date"] = rc["date"].dt.date
        _write("roll_calls", rc)
        _write("votes", store.table("votes").sort_values(["rcid", "country"], ignore_index=True))
        for name in ("council_resolutions", "council_votes", "council_vetoes"):
            _write(name, store.table(name))
        print("coverage:", coverage(store).describe())
    _write("bridges", read_bridges(unga / "bsv_matches.csv"))


if __name__ == "__main__":
    main()
