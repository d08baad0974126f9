"""CLI command ``hedgewatch report``: the full HTML report on one state between powers."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from hedgewatch._cli import _options as opt


def report_cmd(
    state: Annotated[str, typer.Argument(help="The state studied, e.g. PRK.")],
    between: opt.Between,
    more: opt.MorePowers = None,
    out: Annotated[
        Path | None,
        typer.Option(
            "--out",
            "-o",
            metavar="FILE",
            help="HTML file to write (default: <STATE>_report.html).",
        ),
    ] = None,
    claims: Annotated[
        Path | None,
        typer.Option("--claims", help="Claims YAML (default: bundled for the state, or generic)."),
    ] = None,
    start: Annotated[
        str | None,
        typer.Option("--from", metavar="YEAR", help="First year of votes analysed."),
    ] = None,
    historical: opt.Historical = False,
    jobs: Annotated[
        int | None,
        typer.Option(
            "--jobs",
            min=1,
            max=2,
            help="Processes computing sections (default 2 on two or more cores: the "
            "speech, statement and Council sections beside the vote-based ones).",
        ),
    ] = None,
) -> None:
    """Write a self-contained HTML report on a state between powers.

    Alignment, hedging, ideal points, rhetoric, statements, strategic models, and a
    verdict on each claim.
    """
    from hedgewatch._cli._progress import progress_on_stderr
    from hedgewatch.report import build_report

    code = opt.country(state, "STATE")
    powers = opt.powers(between, more, code)
    first = opt.year(start, "--from")
    target = opt.output(out or Path(f"{code}_report.html"), "--out")
    with progress_on_stderr() as progress:
        rep = build_report(
            code,
            powers,
            out=target,
            claims=claims,
            progress=progress,
            start=first,
            successors=opt.successors(historical),
            n_jobs=jobs,
        )
    counts = rep.claims["verdict"].value_counts().to_dict()
    verdicts = ", ".join(f"{n} {v}" for v, n in counts.items())
    typer.echo(f"Wrote {target} ({len(rep.sections)} sections; claims: {verdicts}).")


def register(app: typer.Typer) -> None:
    """Add this topic's commands to the main app."""
    app.command("report")(report_cmd)
