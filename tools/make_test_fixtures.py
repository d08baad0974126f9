"""Cut the small real extracts under tests/data/unga/ from the staged data (../shared/data).

Run once; the outputs are committed. Documented so anyone can regenerate them.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pyreadr

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "data" / "unga"
OUT = ROOT / "tests" / "data" / "unga"

# Three roll calls of session 60 (PRK, RUS, CHN, USA all voting) and two of session 1.
RCIDS = [3, 4, 4660, 4661, 4662]


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    v = pd.read_csv(SHARED / "UNVotesPublished.csv.gz", dtype=str, keep_default_na=False)
    v[v["rcid"].astype(int).isin(RCIDS)].to_csv(OUT / "voeten_small.csv", index=False)
    for name in ("un_votes", "un_roll_calls", "un_roll_call_issues"):
        df = pyreadr.read_r(str(SHARED / f"{name}.rda"))[name]
        df = df[df["rcid"].astype(int).isin(RCIDS)].reset_index(drop=True)
        for col in df.columns:
            if isinstance(df[col].dtype, pd.CategoricalDtype):
                df[col] = df[col].astype(str)
        if "date" in df.columns:
            df["date"] = pd.to_datetime(df["date"])
        pyreadr.write_rdata(str(OUT / f"{name}.rda"), df, df_name=name)
    # UN Digital Library layout (documented header), from real scraped GA records of 2025.
    u = pd.read_parquet(SHARED / "undl_votes_scraped_1946_2021_2025.parquet")
    ga = u[(u["body"] == "GA") & (pd.to_datetime(u["date"]).dt.year == 2025)]
    keep = sorted(ga["undl_id"].unique())[:3]
    ga = ga[ga["undl_id"].isin(keep)].copy()
    d = pd.to_datetime(ga["date"])
    out = pd.DataFrame(
        {
            "undl_id": ga["undl_id"],
            "ms_code": ga["ms_code"],
            "ms_name": ga["ms_name"],
            "ms_vote": ga["ms_vote"].astype(object).fillna(""),
            "date": d.dt.strftime("%Y-%m-%d"),
            "session": (d.dt.year - 1946 + (d.dt.month >= 9)).astype(str),
            "resolution": ga["resolution"],
            "draft": "",
            "committee_report": "",
            "meeting": "",
            "title": ga["title"],
            "agenda_title": "",
            "subjects": ga["subjects"].astype(object).fillna(""),
            "vote_note": "",
            "total_yes": ga["total_yes"].astype(float),
            "total_no": ga["total_no"].astype(float),
            "total_abstentions": ga["total_abstentions"].astype(float),
            "total_non_voting": ga["total_non_voting"].astype(float),
            "total_ms": ga["total_ms"].astype(float),
            "undl_link": ga["undl_link"],
        }
    )
    out.to_csv(OUT / "2025_undl_ga_voting.csv", index=False)


if __name__ == "__main__":
    main()
