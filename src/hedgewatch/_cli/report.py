"""CLI command ``hedgewatch report``: the full HTML report on one state between powers."""

from __future__ import annotations

from pathlib import Path

import typer


def register(app: typer.Typer) -> None:
    """Add this topic's commands to the main app."""

    @app.command("report")
    def report(
        state: str = typer.Argument(..., help="The state studied, e.g. PRK."),
        between: list[str] = typer.Option(  # noqa: B008
            ["CHN", "RUS"],
            "--between",
            "-b",
            help="The powers (two or more): --between CHN RUS, or -b CHN -b RUS.",
        ),
        out: Path | None = typer.Option(  # noqa: B008
            None, "--out", "-o", help="HTML file to write (default: <STATE>_report.html)."
        ),
        claims: Path | None = typer.Option(  # noqa: B008
            None, "--claims", help="Claims YAML (default: bundled for the state, or generic)."
        ),
        start: int | None = typer.Option(None, "--from", help="First year of votes analysed."),
        historical: bool = typer.Option(
            False,
            "--historical",
            help="Keep historical states apart: the USSR (SUN), Yugoslavia (YUG, SCG) and "
            "Czechoslovakia (CSK) are not counted as RUS, SRB and CZE.",
        ),
        powers: list[str] = typer.Argument(None, hidden=True),  # noqa: B008
    ) -> None:
        """Write a self-contained HTML report on a state between powers.

        Alignment, hedging, ideal points, rhetoric, statements, strategic models, and a
        verdict on each claim.
        """
        from hedgewatch._cli._progress import progress_on_stderr
        from hedgewatch.report import build_report

        chosen = [*between[: 1 if powers else None], *(powers or [])]
        if between == ["CHN", "RUS"] and powers:
            chosen = list(powers)
        target = out or Path(f"{state.upper()}_report.html")
        with progress_on_stderr() as progress:
            rep = build_report(
                state,
                chosen,
                out=target,
                claims=claims,
                progress=progress,
                start=start,
                successors={} if historical else None,
            )
        counts = rep.claims["verdict"].value_counts().to_dict()
        verdicts = ", ".join(f"{n} {v}" for v, n in counts.items())
        typer.echo(f"Wrote {target} ({len(rep.sections)} sections; claims: {verdicts}).")
