"""CLI commands for strategy: ``hedgewatch strategy forecast`` and ``... outbidding``.

A thin layer: read arguments, call :mod:`hedgewatch.strategy`, print tables. Library errors
propagate to :func:`hedgewatch.cli.main`, which prints them on one line and exits 1.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import pandas as pd
import typer

from hedgewatch._cli import _options as opt
from hedgewatch.errors import ParameterError


def _echo_frame(frame: pd.DataFrame, digits: int = 3) -> None:
    with pd.option_context("display.width", 120, "display.max_columns", 30):
        typer.echo(frame.round(digits).to_string(index=False))


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
        Path | None,
        typer.Option("--csv", metavar="FILE", help="Write the per-round forecast path here."),
    ] = None,
    plot: opt.Plot = None,
) -> None:
    """Forecast a group decision with Bueno de Mesquita's expected-utility model."""
    from hedgewatch.strategy import forecast, plot_forecast, read_scenario

    csv, plot = opt.output(csv, "--csv"), opt.output(plot, "--plot")

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


def outbidding_cmd(
    state: Annotated[
        str | None, typer.Argument(help="The state, the model's client (e.g. PRK).")
    ] = None,
    between: Annotated[
        list[str] | None,
        typer.Option(
            "--between",
            "-b",
            metavar="POWER",
            help="The guarantor power, then the other: --between CHN RUS.",
        ),
    ] = None,
    more: opt.MorePowers = None,
    year: Annotated[
        int | None, typer.Option("--year", help="Calibrate the state's alignment from this year.")
    ] = None,
    guarantee: Annotated[
        float,
        typer.Option(
            "--guarantee", min=0.0, max=1.0, help="Share of collapse cost the guarantor absorbs."
        ),
    ] = 0.5,
    united_front: Annotated[
        float,
        typer.Option("--united-front", min=0.0, help="Rise in the powers' cost of provocations."),
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
    plot: opt.Plot = None,
    client: Annotated[str | None, typer.Option("--client", hidden=True)] = None,
    patrons: Annotated[tuple[str, str] | None, typer.Option("--patrons", hidden=True)] = None,
) -> None:
    """Solve the patron-client outbidding game, optionally calibrated from UN votes.

    The state is the model's client; the powers of --between its patrons, the first the
    guarantor.
    """
    import numpy as np

    from hedgewatch.strategy import (
        OutbiddingModel,
        calibrate_outbidding,
        comparative_statics,
        plot_comparative_statics,
    )

    if client is not None:
        opt.deprecated_flag("--client", "the STATE argument")
        state = state or client
    if patrons is not None:
        opt.deprecated_flag("--patrons", "--between")
        between = between or list(patrons)
    example = "e.g. hedgewatch strategy outbidding PRK --between CHN RUS"
    if state is None:
        raise ParameterError(f"The 'STATE' argument is missing; {example}.")
    if not between:
        raise ParameterError(f"The '--between' option is missing; {example}.")
    code = opt.country(state, "STATE")
    powers = opt.powers(between, more, code)
    if len(powers) != 2:
        raise opt.fail("--between", "exactly two powers", " ".join(powers))
    pa, pb = powers
    measure = opt.choice(measure, "--measure", ("auto", "hedging", "agreement", "ideal-points"))
    if statics is not None:
        from hedgewatch.strategy.outbidding import NUMERIC

        statics = opt.choice(statics, "--statics", NUMERIC)
    plot = opt.output(plot, "--plot")
    params: dict[str, Any] = {"guarantee": guarantee, "united_front": united_front}
    if year is None:
        model = OutbiddingModel(labels=(code, pa, pb), **params)
        typer.echo("Alignment not calibrated (no --year): ideal alignment 0.5.")
    else:
        data, used = _alignment_data(code, (pa, pb), year, measure)
        model = calibrate_outbidding(data, year, state=code, powers=(pa, pb), **params)
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
    state: str, powers: tuple[str, str], year: int, measure: str
) -> tuple[pd.DataFrame, str]:
    """The measured stance the outbidding model is calibrated from."""
    import hedgewatch as hw
    from hedgewatch.strategy import agreement_position

    votes = hw.votes([state, *powers], start=year, end=year)
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
            return hedging_index(votes, state, powers, n_boot=0), "the hedging index"
    return agreement_position(votes, state, powers, year=year), "agreement shares"


def register(app: typer.Typer) -> None:
    """Add this topic's commands to the main app."""
    strategy = typer.Typer(
        help="Strategic models: expected-utility bargaining forecasts and patron outbidding.",
        no_args_is_help=True,
    )
    app.add_typer(strategy, name="strategy")
    strategy.command("forecast")(forecast_cmd)
    strategy.command("outbidding")(outbidding_cmd)
