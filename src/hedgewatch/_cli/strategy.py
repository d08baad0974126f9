"""CLI commands for strategy: ``hedgewatch strategy forecast`` and ``... outbidding``.

A thin layer: read arguments, call :mod:`hedgewatch.strategy`, print tables. Library errors
propagate to :func:`hedgewatch.cli.main`, which prints them on one line and exits 1.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import pandas as pd
import typer

strategy_app = typer.Typer(
    help="Strategic models: expected-utility bargaining forecasts and patron outbidding.",
    no_args_is_help=True,
)


def register(app: typer.Typer) -> None:
    """Add this topic's commands to the main app."""
    app.add_typer(strategy_app, name="strategy")


def _echo_frame(frame: pd.DataFrame, digits: int = 3) -> None:
    with pd.option_context("display.width", 120, "display.max_columns", 30):
        typer.echo(frame.round(digits).to_string(index=False))


@strategy_app.command("forecast")
def forecast_cmd(
    scenario: Annotated[Path, typer.Argument(help="Scenario file (.yaml, .yml or .csv).")],
    rounds: Annotated[int, typer.Option("--rounds", min=0, help="Most rounds to play.")] = 10,
    accept: Annotated[
        str, typer.Option("--accept", help="Which demand an actor accepts: closest | strongest.")
    ] = "closest",
    positions: Annotated[
        bool, typer.Option("--positions", help="Also print every actor's position by round.")
    ] = False,
    csv: Annotated[
        Path | None, typer.Option("--csv", help="Write the per-round forecast path here.")
    ] = None,
    plot: Annotated[
        Path | None, typer.Option("--plot", help="Save the figure (.png/.svg).")
    ] = None,
) -> None:
    """Forecast a group decision with Bueno de Mesquita's expected-utility model."""
    from hedgewatch.strategy import forecast, plot_forecast, read_scenario

    result = forecast(read_scenario(scenario), max_rounds=rounds, accept=accept)  # type: ignore[arg-type]
    typer.echo(f"Scenario: {result.scenario.name} ({len(result.scenario.actors)} actors)")
    typer.echo(f"Median voter (round 0): {result.median_voter:.4g}")
    typer.echo(f"Mean voter (round 0):   {result.mean_voter:.4g}")
    state = "converged" if result.converged else "not converged"
    typer.echo(f"Forecast after {result.n_rounds} round(s) ({state}): {result.forecast:.4g}")
    _echo_frame(result.outcomes)
    if positions:
        _echo_frame(result.positions().reset_index())
    if csv is not None:
        result.to_frame().to_csv(csv, index=False)
        typer.echo(f"Wrote {csv}")
    if plot is not None:
        plot_forecast(result).savefig(plot, dpi=150)
        typer.echo(f"Wrote {plot}")


@strategy_app.command("outbidding")
def outbidding_cmd(
    client: Annotated[str, typer.Option("--client", help="The client state (ISO3).")] = "PRK",
    patrons: Annotated[
        tuple[str, str],
        typer.Option("--patrons", help="Guarantor patron, then the other patron (ISO3)."),
    ] = ("CHN", "RUS"),
    year: Annotated[
        int | None, typer.Option("--year", help="Calibrate the client's alignment from this year.")
    ] = None,
    guarantee: Annotated[
        float,
        typer.Option(
            "--guarantee", min=0.0, max=1.0, help="Share of collapse cost the guarantor absorbs."
        ),
    ] = 0.5,
    united_front: Annotated[
        float,
        typer.Option("--united-front", min=0.0, help="Rise in patrons' cost of provocations."),
    ] = 0.0,
    measure: Annotated[
        str,
        typer.Option(
            "--measure",
            help="Alignment measure: auto (hedging index, else agreement), hedging, "
            "agreement or ideal-points.",
        ),
    ] = "auto",
    statics: Annotated[
        str | None,
        typer.Option("--statics", help="Also vary one parameter, e.g. guarantee or united_front."),
    ] = None,
    plot: Annotated[Path | None, typer.Option("--plot", help="Save the statics figure.")] = None,
) -> None:
    """Solve the patron-client outbidding game, optionally calibrated from UN votes."""
    import numpy as np

    from hedgewatch import countries
    from hedgewatch.strategy import (
        OutbiddingModel,
        calibrate_outbidding,
        comparative_statics,
        plot_comparative_statics,
    )

    client = countries.resolve(client, where="--client")
    pa, pb = (countries.resolve(p, where="--patrons") for p in patrons)
    params = {"guarantee": guarantee, "united_front": united_front}
    if year is None:
        model = OutbiddingModel(labels=(client, pa, pb), **params)
        typer.echo("Alignment not calibrated (no --year): ideal alignment 0.5.")
    else:
        data, used = _alignment_data(client, (pa, pb), year, measure)
        model = calibrate_outbidding(data, year, state=client, powers=(pa, pb), **params)
        typer.echo(
            f"Calibrated from {used}, {year}: ideal alignment "
            f"{model.ideal_alignment:.3f} (0 = {pa}, 1 = {pb})."
        )
    eq = model.solve()
    _echo_frame(eq.to_frame().T.reset_index().set_axis(["quantity", "value"], axis=1))
    if statics:
        hi = 1.0 if statics in ("guarantee", "ideal_alignment") else 2.0
        frame = comparative_statics(model, statics, np.linspace(0.0, hi, 11))
        _echo_frame(
            frame[["value", "support_a", "support_b", "alignment", "provocation", "hedging"]]
        )
        if plot is not None:
            plot_comparative_statics(frame).savefig(plot, dpi=150)
            typer.echo(f"Wrote {plot}")


def _alignment_data(
    client: str, patrons: tuple[str, str], year: int, measure: str
) -> tuple[pd.DataFrame, str]:
    """The measured stance the outbidding model is calibrated from."""
    import hedgewatch as hw
    from hedgewatch.errors import ParameterError
    from hedgewatch.strategy import agreement_position

    choices = ("auto", "hedging", "agreement", "ideal-points")
    if measure not in choices:
        raise ParameterError(f"Unknown --measure {measure!r}; use one of {', '.join(choices)}.")
    votes = hw.votes([client, *patrons], start=year, end=year)
    if measure == "ideal-points":
        from hedgewatch.workflows import fit_unga

        sessions = sorted(int(x) for x in votes["session"].unique())
        return fit_unga(sessions=sessions).to_frame(), f"ideal points (sessions {sessions})"
    if measure in ("auto", "hedging"):
        try:
            from hedgewatch.alignment.hedging import hedging_index
        except ImportError:
            if measure == "hedging":
                raise
        else:
            return hedging_index(votes, client, patrons, n_boot=0), "the hedging index"
    return agreement_position(votes, client, patrons, year=year), "agreement shares"
