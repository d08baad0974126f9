"""Section: the Security Council - did each power shield the state on texts about it?"""

from __future__ import annotations

import pandas as pd

from hedgewatch.council import ACTIONS, ShieldingResult, shielding
from hedgewatch.council.about import short_title
from hedgewatch.errors import InsufficientDataError
from hedgewatch.report import figures
from hedgewatch.report.model import Figure, Measurement, Section, Table
from hedgewatch.report.sections._context import Context

REFS = (
    "Voeten, E. (2001). Outside options and the logic of Security Council action. American "
    "Political Science Review 95(4): 845-858.",
    "Dag Hammarskjöld Library. Security Council - Veto List. research.un.org/en/docs/sc/quick/"
    "veto; as compiled by world-politics-datalab/vetoes-un-security-council (MIT).",
    "UN Digital Library, Security Council voting records (digitallibrary.un.org).",
)
#: Marker colours of the actions in the timeline figure.
COLOURS = {
    "vetoed": "#b02a1a",
    "voted against": "#e67e22",
    "abstained": "#f1c40f",
    "voted for": "#7f8c8d",
    "absent": "#d5d8dc",
    "no veto": "#d5d8dc",
    "not a member": "#ffffff",
}
CAN_AND_CANNOT = (
    "What this proxy shows: recorded, public protection - a veto that kills a text, a vote "
    "against it, an abstention that withholds a patron's name from it. What it cannot show: "
    "protection that leaves no vote (a text watered down before it is tabled, a draft kept "
    "off the table by a threatened veto, sanctions voted for and then not enforced), and any "
    "commitment to rescue the state that is never tested in the Council. A low share is an "
    "upper bound on how little a power shields, not proof that it would not."
)


def council_section(ctx: Context) -> Section:
    """How each power acted on the Council's resolutions and vetoed drafts about the state."""
    from hedgewatch.store import council_info, council_resolutions, council_votes, vetoes

    st = ctx.store

    def compute() -> pd.DataFrame:
        return shielding(
            council_resolutions(store=st),
            council_votes(include_absent=True, store=st),
            vetoes(store=st),
            ctx.state,
            ctx.powers,
        ).texts

    texts = ctx.cached("report:council", ("v1", ctx.state, ctx.powers), compute)
    res = ShieldingResult.from_texts(ctx.state, ctx.powers, texts)
    if res.texts.empty:
        raise InsufficientDataError(
            f"no Security Council resolution or vetoed draft in the store names "
            f"{ctx.name(ctx.state)} (or cites a resolution that does)."
        )
    since = int(ctx.setting("recent_from"))
    recent = res.window(since)
    info = council_info(st)
    measures = _measures(ctx, recent, since)
    svg = figures.timeline(
        [
            (ctx.name(p), res.texts.loc[res.texts["power"] == p, ["date", "action"]])
            for p in ctx.powers
        ],
        colours=COLOURS,
        key="council",
    )
    lead = _lead(ctx, recent, since)
    coverage = (
        f"Coverage: adopted resolutions {info['resolution_years']} (2022-2024 are not in the "
        f"loaded data); vetoed drafts {info['vetoes_from']} to {info['vetoes_to']}. Texts "
        "about the state are those whose title (or, for a vetoed draft, agenda item) names "
        "it, or that cite a resolution about it. Fill the gaps with 'hedgewatch data import' "
        "of a newer Library file or veto list."
    )
    return Section(
        "council",
        "Security Council: patron shielding",
        paragraphs=(
            "A power shields the state on a Council text about it when it vetoes the text, "
            "votes against it or abstains. Adopted resolutions carry every member's vote; the "
            "veto list says who vetoed a draft, not how the others voted (shown as 'no veto', "
            "and left out of the shares).",
            lead,
            CAN_AND_CANNOT,
            coverage,
        ),
        figures=(
            Figure(
                "council",
                f"Each power's action on Council texts about {ctx.name(ctx.state)}",
                svg,
                "One marker per text: red = vetoed, orange = voted against, yellow = "
                "abstained, grey = voted for, light grey = absent or no veto recorded, white = "
                "not on the Council.",
            ),
        ),
        tables=(
            Table(f"Since {since}, per power", _window_table(recent)),
            Table("By year", _year_table(res)),
            Table("The texts", _texts_table(res)),
        ),
        measurements=tuple(measures),
        references=REFS,
    )


def _measures(ctx: Context, recent: pd.DataFrame, since: int) -> list[Measurement]:
    out: list[Measurement] = []
    texts = int(recent["texts"].max()) if len(recent) else 0
    out.append(
        Measurement(
            "council_texts",
            float(texts),
            f"Security Council texts about {ctx.name(ctx.state)} since {since}",
            "council",
        )
    )
    for p in ctx.powers[:2]:
        role, name = ctx.role(p), ctx.name(p)
        row = recent[recent["power"] == p]
        if row.empty:
            continue
        r = row.iloc[0]
        out += [
            Measurement(
                f"shield_{role}_share",
                float(r["share_shielded"]),
                f"share of Council texts about {ctx.name(ctx.state)} since {since} that {name} "
                f"vetoed, voted against or abstained on ({int(r['shielded'])} of "
                f"{int(r['known'])} with a known action)",
                "council",
            ),
            Measurement(
                f"shield_{role}_vetoes",
                float(r["vetoed"]),
                f"drafts about {ctx.name(ctx.state)} vetoed by {name} since {since}",
                "council",
            ),
            Measurement(
                f"shield_{role}_abstentions",
                float(r["abstained"]),
                f"abstentions of {name} on resolutions about {ctx.name(ctx.state)} since {since}",
                "council",
            ),
        ]
    return out


def _lead(ctx: Context, recent: pd.DataFrame, since: int) -> str:
    parts = []
    for r in recent.to_dict("records"):
        if not r["known"]:
            parts.append(f"{ctx.name(r['power'])}: no text with a known action")
            continue
        parts.append(
            f"{ctx.name(r['power'])} shielded it on {int(r['shielded'])} of {int(r['known'])} "
            f"({r['share_shielded']:.0%}: {int(r['vetoed'])} veto(es), {int(r['abstained'])} "
            f"abstention(s), {int(r['voted against'])} vote(s) against; voted for "
            f"{int(r['voted for'])})"
        )
    n = int(recent["texts"].max()) if len(recent) else 0
    return (
        f"Since {since}, {n} Council text(s) concerned {ctx.name(ctx.state)}. "
        + "; ".join(parts)
        + "."
    )


def _window_table(recent: pd.DataFrame) -> pd.DataFrame:
    cols = ["power", "texts", *ACTIONS, "share_shielded"]
    return recent[cols].rename(columns={"share_shielded": "share shielded"}).round(3)


def _year_table(res) -> pd.DataFrame:
    y = res.by_year
    rows = []
    for year, g in y.groupby("year"):
        row: dict[str, object] = {"year": int(year), "texts": int(g["texts"].iloc[0])}
        for r in g.to_dict("records"):
            acted = [f"{a} {int(r[a])}" for a in ACTIONS if r[a]]
            row[r["power"]] = ", ".join(acted)
        rows.append(row)
    return pd.DataFrame(rows)


def _texts_table(res) -> pd.DataFrame:
    t = res.texts
    wide = t.pivot_table(
        index=["date", "symbol", "text"], columns="power", values="action", aggfunc="first"
    ).reset_index()
    wide["date"] = pd.to_datetime(wide["date"]).dt.strftime("%Y-%m-%d")
    wide["subject"] = wide["text"].map(lambda s: short_title(str(s))[:160])
    return wide[["date", "symbol", *res.powers, "subject"]]
