"""CLI commands for alignment: ``hedgewatch align`` and ``hedgewatch hedge``."""

from __future__ import annotations

from typing import Annotated, Any, cast

import pandas as pd
import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from hedgewatch._cli import _options as opt
from hedgewatch._cli._tables import pivot_table

console = Console()

Issue = Annotated[
    list[str] | None,
    typer.Option("--issue", "-i", help="Issue (nuclear, hr, me, di, co, ec); repeatable."),
]
Important = Annotated[bool, typer.Option("--important", help="Important votes only.")]
DropUnanimous = Annotated[
    bool,
    typer.Option("--drop-unanimous", help="Leave out unanimous roll calls (BSV convention)."),
]


def _penalty(value: str) -> str | float:
    try:
        return float(value)
    except ValueError:
        return opt.choice(value, "--penalty", ("bic", "aic"))


def _fmt(x: Any, digits: int = 3) -> str:
    return "—" if pd.isna(x) else f"{x:.{digits}f}"


def _align_table(frame: pd.DataFrame, measure: str, title: str) -> Table:
    keys = ["issue", "period"] if "issue" in frame else ["period"]
    frame = frame.dropna(subset=["country_b"])
    wide = frame.pivot_table(
        index=keys, columns="country_b", values="value", aggfunc="first", dropna=False
    )
    n = frame.groupby(keys)["n_votes"].max()
    partners = list(dict.fromkeys(frame["country_b"]))
    table = Table(title=escape(title))
    for k in keys:
        table.add_column(k)
    for p in partners:
        table.add_column(escape(p), justify="right")
    table.add_column("votes", justify="right")
    for key, row in wide.reindex(columns=partners).iterrows():
        labels = list(key) if isinstance(key, tuple) else [key]
        values = (_fmt(row[p]) for p in partners)
        table.add_row(*map(str, labels), *values, str(int(n.loc[cast(Any, key)])))
    table.caption = f"measure: {measure}; votes = most roll calls shared with a partner"
    return table


def _hedge_table(index: pd.DataFrame, powers: list[str]) -> Table:
    pos = "position" if "position" in index else f"position_{powers[0]}_{powers[1]}"
    table = Table(
        title=f"Hedging index: agreement with {', '.join(powers)}; "
        f"pos. -1 = {powers[0]}, +1 = {powers[1]}; free = free agency",
    )
    cols = [
        "period",
        "n",
        *powers,
        "pos.",
        "95% CI",
        "free",
        "95% CI",
    ]
    for c in cols:
        table.add_column(c, justify="left" if c == "period" else "right")
    for _, r in index.iterrows():
        ci = [
            f"{_fmt(r.get(f'{c}_lo'), 2)}..{_fmt(r.get(f'{c}_hi'), 2)}"
            for c in (pos, "free_agency")
        ]
        table.add_row(
            str(r["period"]),
            str(int(r["n_votes"])),
            *(_fmt(r[f"agree_{p}"]) for p in powers),
            _fmt(r[pos]),
            ci[0],
            _fmt(r["free_agency"]),
            ci[1],
        )
    notes = [f"{r['period']}: {r['note']}" for _, r in index.iterrows() if r["note"]]
    if notes:
        table.caption = escape("Notes: " + "; ".join(notes))
    return table


def _sides_line(index: pd.DataFrame, powers: list[str]) -> str:
    """Side-taking over the whole window, from the per-period counts."""
    a, b = powers[:2]
    n = int(index["n_divided"].sum())
    if n == 0:
        return f"Side-taking: {a} and {b} never voted differently on a roll call in the window."
    k_a, k_b = int(index[f"with_{a}"].sum()), int(index[f"with_{b}"].sum())
    return (
        f"Side-taking: on the {n} votes that divided {a} and {b}, with {a} {k_a / n:.0%} "
        f"({k_a}), with {b} {k_b / n:.0%} ({k_b}), with neither {(n - k_a - k_b) / n:.0%}."
    )


def align_cmd(
    countries: Annotated[
        list[str], typer.Argument(help="A state, then its partners: PRK CHN RUS USA.")
    ],
    issue: Issue = None,
    start: opt.From = None,
    end: opt.To = None,
    measure: Annotated[
        str,
        typer.Option(
            "--measure", "-m", help="agreement | identical | s-score | kappa | pi | hage-kappa."
        ),
    ] = "agreement",
    by: opt.By = "year",
    important: Important = False,
    drop_unanimous: DropUnanimous = False,
    per_issue: Annotated[
        bool,
        typer.Option("--per-issue", help="One block per Voeten issue (those of --issue, or all)."),
    ] = False,
    csv: opt.Csv = None,
) -> None:
    """Whom does a state vote with? Its similarity with each partner per period."""
    from hedgewatch.workflows import align

    codes = opt.countries(countries, "COUNTRIES", at_least=2)
    first, last = opt.span(start, end, opt.year_or_date)
    csv = opt.output(csv, "--csv")
    frame = align(
        codes[0],
        codes[1:],
        start=first,
        end=last,
        issues=issue or None,
        important_only=important,
        by=opt.by(by),
        measure=measure,
        drop_unanimous=drop_unanimous,
        per_issue=per_issue,
    )
    if csv is not None:
        frame.to_csv(csv, index=False)
    console.print(_align_table(frame, measure, f"{frame['country_a'].iloc[0]} with ..."))
    if csv is not None:
        console.print(f"Wrote {escape(str(csv))}")


def hedge_cmd(
    state: Annotated[str, typer.Argument(help="The state, e.g. PRK.")],
    between: opt.Between,
    more: opt.MorePowers = None,
    issue: Issue = None,
    start: opt.From = None,
    end: opt.To = None,
    measure: Annotated[
        str, typer.Option("--measure", "-m", help="agreement | identical.")
    ] = "agreement",
    by: opt.By = "year",
    important: Important = False,
    drop_unanimous: DropUnanimous = False,
    penalty: Annotated[
        str, typer.Option("--penalty", help="Pivot penalty: bic | aic | number.")
    ] = "bic",
    min_size: Annotated[
        int, typer.Option("--min-size", min=1, help="Shortest regime, in periods.")
    ] = 3,
    n_boot: opt.NBoot = 200,
    seed: opt.Seed = 0,
    plot: opt.Plot = None,
    csv: opt.Csv = None,
) -> None:
    """Where does a state sit between powers, and when did it move?"""
    from hedgewatch.workflows import hedge

    code = opt.country(state, "STATE")
    powers = opt.powers(between, more, code)
    first, last = opt.span(start, end, opt.year_or_date)
    plot, csv = opt.output(plot, "--plot"), opt.output(csv, "--csv")
    res = hedge(
        code,
        powers,
        start=first,
        end=last,
        issues=issue or None,
        by=opt.by(by),
        measure=measure,
        n_boot=n_boot,
        seed=seed,
        important_only=important,
        drop_unanimous=drop_unanimous,
        penalty=_penalty(penalty),
        min_size=min_size,
        sides=True,
    )
    console.print(_hedge_table(res.index, list(res.powers)))
    console.print(_sides_line(res.index, list(res.powers)))
    if res.pivots.empty:
        console.print(f"No pivot in {res.pivot_column} clears the {penalty} penalty.")
    else:
        console.print(pivot_table(res.pivots, f"Pivots in {res.pivot_column} (PELT)"))
    if csv is not None:
        res.index.to_csv(csv, index=False)
        console.print(f"Wrote {escape(str(csv))}")
    if plot is not None:
        res.plot().savefig(plot, dpi=120)
        console.print(f"Wrote {escape(str(plot))}")


def register(app: typer.Typer) -> None:
    """Add this topic's commands to the main app."""
    app.command("align")(align_cmd)
    app.command("hedge")(hedge_cmd)
