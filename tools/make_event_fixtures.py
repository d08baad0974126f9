"""Write the raw GDELT 2.0 export fixture under tests/data/events/ from the staged sample.

The staged sample (``../shared/data/gdelt/gdelt2_events_sample_20170312T2345.csv.gz``) is one
real 15-minute export with a header, comma-separated, ``SQLDATE`` written ``YYYY-MM-DD`` and a
CAMEO description column added. This script writes it back in GDELT's published layout (61
tab-separated columns, no header, ``SQLDATE`` as ``YYYYMMDD``, zipped), the layout
``hedgewatch events import`` reads. GDELT data are free for any use (gdeltproject.org terms).

Run once; the output is committed. The GPL-licensed dyad file is never cut into fixtures.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT.parent / "shared" / "data" / "gdelt" / "gdelt2_events_sample_20170312T2345.csv.gz"
OUT = ROOT / "tests" / "data" / "events"
STAMP = "20170312234500"


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    df = pd.read_csv(SAMPLE, dtype=str, keep_default_na=False)
    df = df.drop(columns=["CAMEOCodeDescription"])
    df["SQLDATE"] = df["SQLDATE"].str.replace("-", "", regex=False)
    assert df.shape[1] == 61, df.shape
    text = "".join("\t".join(row) + "\n" for row in df.itertuples(index=False))
    target = OUT / f"{STAMP}.export.CSV.zip"
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.writestr(f"{STAMP}.export.CSV", text)
    print(f"wrote {target} ({len(df)} events, {target.stat().st_size} bytes)")


if __name__ == "__main__":
    main()
