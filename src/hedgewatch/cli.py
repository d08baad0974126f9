"""The ``hedgewatch`` command line: a thin Typer layer over the public API.

Each topic registers its commands from ``hedgewatch._cli.<topic>``; this module only builds
the app and turns library errors into one line on stderr with exit status 1.
"""

from __future__ import annotations

import sys

import typer

from hedgewatch._cli import TOPICS
from hedgewatch.errors import HedgewatchError

app = typer.Typer(
    name="hedgewatch",
    help="Where does a state stand between great powers? UN votes, speeches, statements, models.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

for _register in TOPICS:
    _register(app)


def main() -> None:
    """Console-script entry point: library errors become one line on stderr, exit 1."""
    try:
        app()
    except HedgewatchError as exc:
        typer.secho(f"Error: {exc}", fg="red", err=True)
        sys.exit(1)
    except KeyboardInterrupt:
        typer.echo("Aborted.", err=True)
        sys.exit(130)


if __name__ == "__main__":
    main()
