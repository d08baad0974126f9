"""CLI command for the Security Council: ``hedgewatch council STATE --between POWERS``."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import pandas as pd
import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from hedgewatch._cli import _options as opt

if TYPE_CHECKING:
    from hedgewatch.council import ShieldingResult

console = Console()


def _year_table(result: ShieldingResult, powers: list[str]) -> Table:
    table = Table(
        title=f"Security Council texts about {result.state}: how each power acted "
        "(shielded = vetoed, voted against or abstained)"
    )
    for col in ("year", "texts", *(f"{p} shielded" for p in powers)):
        table.add_column(col, justify="right")
    by = result.by_year
    for year, rows in by.groupby("year"):
        cells = []
        for p in powers:
            hit = rows[rows["power"] == p]
            if hit.empty or int(hit["known"].iloc[0]) == 0:
                cells.append("—")
                continue
            r = hit.iloc[0]
            what = [a for a in ("vetoed", "voted against", "abstained") if r[a]]
            cells.append(
                f"{int(r['shielded'])}/{int(r['known'])}"
                + (f" ({', '.join(f'{a} {int(r[a])}' for a in what)})" if what else "")
            )
        table.add_row(str(year), str(int(rows["texts"].iloc[0])), *cells)
    table.caption = (
        "n/m: texts shielded of those with a known action; — : not on the Council, or a "
        "vetoed draft the power did not veto (how it voted is not recorded)."
    )
    return table


def _texts_table(result: ShieldingResult) -> Table:
    from hedgewatch.council.about import short_title

    table = Table(title="The texts (resolutions adopted; drafts vetoed)")
    for col in ("date", "symbol", *result.powers, "subject"):
        table.add_column(col, overflow="fold")
    wide = result.texts.pivot_table(
        index=["date", "symbol", "text"], columns="power", values="action", aggfunc="first"
    ).reset_index()
    for row in wide.to_dict("records"):
        table.add_row(
            str(pd.Timestamp(row["date"]).date()),
            escape(str(row["symbol"])),
            *(escape(str(row.get(p, ""))) for p in result.powers),
            escape(short_title(str(row["text"]))[:90]),
        )
    return table


def council_cmd(
    state: Annotated[str, typer.Argument(help="The state the texts are about, e.g. PRK.")],
    between: Annotated[
        list[str],
        typer.Option(
            "--between",
            "-b",
            metavar="POWER",
            help="Powers whose actions are read: --between CHN RUS (or -b CHN -b RUS).",
        ),
    ],
    more: opt.MorePowers = None,
    start: Annotated[
        str | None, typer.Option("--from", metavar="YEAR", help="First year (1991).")
    ] = None,
    end: Annotated[
        str | None, typer.Option("--to", metavar="YEAR", help="Last year (default: the latest).")
    ] = None,
    texts: Annotated[
        bool, typer.Option("--texts", help="List every text and each power's action.")
    ] = False,
    csv: Annotated[
        Path | None,
        typer.Option("--csv", metavar="FILE", help="Write the per-text table here."),
    ] = None,
) -> None:
    """Did a patron shield the state in the Security Council? Vetoes, abstentions, votes."""
    from hedgewatch.store import council_info
    from hedgewatch.workflows import shield

    code = opt.country(state, "STATE")
    powers = opt.countries([*between, *(more or [])], "--between", at_least=1)
    if code in powers:
        raise opt.fail("--between", f"powers other than the state {code}", " ".join(powers))
    first, last = opt.span(start, end, opt.year)
    csv = opt.output(csv, "--csv")
    result = shield(code, powers, start=first, end=last)
    ps = list(result.powers)
    if result.texts.empty:
        console.print(f"No Security Council text about {result.state} in the window.")
    else:
        console.print(_year_table(result, ps))
        total = result.window()
        for r in total.to_dict("records"):
            share = "n/a" if pd.isna(r["share_shielded"]) else f"{r['share_shielded']:.0%}"
            console.print(
                f"{r['power']}: shielded {r['shielded']} of {r['known']} texts with a known "
                f"action ({share}); vetoed {r['vetoed']}, abstained {r['abstained']}, voted "
                f"for {r['voted for']}."
            )
        if texts:
            console.print(_texts_table(result))
    info = council_info()
    console.print(
        f"Coverage: adopted resolutions {info['resolution_years']}; vetoed drafts "
        f"{info['vetoes_from']} to {info['vetoes_to']}. Adopted resolutions only: a "
        "permanent member's 'no' is a veto and lives in the veto list."
    )
    if csv is not None:
        result.texts.to_csv(csv, index=False)
        console.print(f"Wrote {escape(str(csv))}")


def register(app: typer.Typer) -> None:
    """Add the ``council`` command to the main app."""
    app.command("council")(council_cmd)
