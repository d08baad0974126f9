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
    """Write every fixture."""
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
    library_samples(u)


#: Library records in the long and wide samples: GA 1985 (USSR, GDR, South Yemen voting),
#: 2019 (held by unvotes), 2021 (incl. one resolution recorded twice), 2025, an undated one
#: (year only) and two of 2018 that the researchers' record lacks; SC on North Korea
#: (2006, 2017), 1950 (China's seat held by the Republic of China), 2010 (one member not
#: identified) and 2025.
SAMPLE_RESOLUTIONS = {
    "GA": [
        "A/RES/40/5",
        "A/RES/40/6",
        "A/RES/74/167",
        "A/RES/74/246",
        "A/RES/76/11",
        "A/76/L.14",
        "A/RES/ES-11/7",
        "A/RES/79/267",
        "A/RES/80/199",
        "A/RES/66/230",
        "A/RES/73/8",
        "A/RES/73/344",
    ],
    "SC": [
        "S/RES/82(1950)",
        "S/RES/1718(2006)",
        "S/RES/1966(2010)",
        "S/RES/2397(2017)",
        "S/RES/2768(2025)",
    ],
}
#: Members with a column in the wide layout: today's 193 (historical states have none).
_WIDE_FIRST = [
    "id",
    "Council",
    "Date",
    "Title",
    "Resolution",
    "country",
    "subregion",
    "continent",
    "tags",
    "TOTAL VOTES",
    "NO-VOTE COUNT",
    "ABSTAIN COUNT",
    "NO COUNT",
    "YES COUNT",
    "Link",
    "token",
    "Scrape_Year",
]
_CELLS = {"Y": "YES", "N": "NO", "A": "ABSTAIN", "X": ""}


def library_samples(u: pd.DataFrame) -> None:
    """undl_long_sample.parquet (long layout), undl_wide_sample.csv (the wide layout built
    from the same rows) and undl_official_not_held.csv (the bulk CSV layout, two 2018
    records the bundled record lacks)."""
    keep = pd.Series(False, index=u.index)
    for body, symbols in SAMPLE_RESOLUTIONS.items():
        keep |= (u["body"] == body) & u["resolution"].isin(symbols)
    sample = u[keep].sort_values(["date", "undl_id", "ms_code"]).reset_index(drop=True)
    sample.to_parquet(OUT / "undl_long_sample.parquet", index=False, compression="zstd")

    members = sorted(
        u.loc[(u["body"] == "GA") & (u["date"].dt.year == 2021), "ms_code"].dropna().unique()
    )
    rows = []
    for i, (_uid, rec) in enumerate(sample.groupby("undl_id", sort=False)):
        first = rec.iloc[0]
        cells = dict(zip(rec["ms_code"].astype(object), rec["ms_vote"].astype(str), strict=True))
        abst = first["total_abstentions"]
        if pd.isna(abst):
            abst = first["total_absent"]
        row = {
            "id": i,
            "Council": "General Assembly" if first["body"] == "GA" else "Security Council",
            "Date": "" if pd.isna(first["date"]) else first["date"].strftime("%Y-%m-%d"),
            "Title": first["title"],
            "Resolution": first["resolution"],
            "country": "",
            "subregion": "",
            "continent": "",
            "tags": first["subjects"] if isinstance(first["subjects"], str) else "",
            "TOTAL VOTES": float(first["total_ms"]),
            "NO-VOTE COUNT": float(first["total_non_voting"]),
            "ABSTAIN COUNT": "" if pd.isna(abst) else float(abst),
            "NO COUNT": float(first["total_no"]),
            "YES COUNT": float(first["total_yes"]),
            "Link": first["undl_link"],
            "token": "",
            "Scrape_Year": 2025,
        }
        row.update({m: _CELLS.get(cells.get(m, "X"), "") for m in members})
        rows.append(row)
    wide = pd.DataFrame(rows, columns=_WIDE_FIRST + members)
    wide = wide[wide["Date"] != ""]  # the wide layout needs a date
    wide.to_csv(OUT / "undl_wide_sample.csv", index=False)

    official = u[(u["body"] == "GA") & u["resolution"].isin(["A/RES/73/8", "A/RES/73/344"])]
    d = official["date"]
    pd.DataFrame(
        {
            "undl_id": official["undl_id"],
            "ms_code": official["ms_code"],
            "ms_name": official["ms_name"],
            "ms_vote": official["ms_vote"].astype(object).fillna(""),
            "date": d.dt.strftime("%Y-%m-%d"),
            "session": "73",
            "resolution": official["resolution"],
            "draft": "",
            "committee_report": "",
            "meeting": "",
            "title": official["title"],
            "agenda_title": "",
            "subjects": "",
            "total_yes": official["total_yes"].astype(float),
            "total_no": official["total_no"].astype(float),
            "total_abstentions": official["total_absent"].astype(float),
            "total_non_voting": official["total_non_voting"].astype(float),
            "total_ms": official["total_ms"].astype(float),
            "undl_link": official["undl_link"],
        }
    ).to_csv(OUT / "undl_official_not_held.csv", index=False)


if __name__ == "__main__":
    main()
