"""The ``hedgewatch`` command line: a thin Typer layer over the public API.

Each topic registers its commands from ``hedgewatch._cli.<topic>``; this module builds the
app and turns every failure into one line on stderr and a documented exit status
(:data:`EXIT_CODES`, also in the README and ``docs/reliability.md``). No input ends in a
traceback: an error the code did not foresee is reported on one line as an internal error
(status 70, a bug to report); ``HEDGEWATCH_DEBUG=1`` shows its traceback.
"""

from __future__ import annotations

import contextlib
import errno
import gc
import os
import re
import sys
import warnings
from collections.abc import Iterator, Sequence

import typer
from typer._click import exceptions as click_exceptions

from hedgewatch._cli import TOPICS
from hedgewatch.errors import (
    DataFormatError,
    HedgewatchError,
    InsufficientDataError,
    MissingExtraError,
    ParameterError,
    ScenarioError,
    StoreError,
    UnknownCountryError,
)

app = typer.Typer(
    name="hedgewatch",
    help="Where does a state stand between great powers? UN votes, speeches, statements, models.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

for _register in TOPICS:
    _register(app)

#: Exit statuses of the command line, documented in the README and docs/reliability.md.
EXIT_CODES: dict[int, str] = {
    0: "success",
    1: "any other error hedgewatch reports",
    2: "the command line is wrong: an unknown command or option, a missing argument, a bad "
    "value (a year, a date, a country code, a number, an output path)",
    3: "an input or output file: it cannot be read or written, or does not have the "
    "expected layout or values (a data file, claims or scenario YAML)",
    4: "the store cannot be opened or written (locked past the timeout, read-only for an "
    "import, damaged, HEDGEWATCH_HOME not a folder)",
    5: "the data are too thin for what was asked (an empty window, nothing imported yet)",
    6: "a download failed or was not the expected file",
    7: "an optional extra is not installed",
    70: "internal error: a bug in hedgewatch (please report it; HEDGEWATCH_DEBUG=1 shows the "
    "traceback)",
    130: "interrupted (Ctrl-C)",
}
#: Longest error message printed (a pathological input cannot flood the terminal).
_MAX_MESSAGE = 2000


def exit_code(exc: BaseException) -> int:
    """The exit status for an exception (see :data:`EXIT_CODES`)."""
    from hedgewatch.errors import MissingDataError
    from hedgewatch.sources.download import DownloadError

    table: list[tuple[type[BaseException] | tuple[type[BaseException], ...], int]] = [
        ((ParameterError, UnknownCountryError, click_exceptions.UsageError), 2),
        ((DataFormatError, ScenarioError, OSError), 3),
        (MissingDataError, 5),
        (StoreError, 4),
        (InsufficientDataError, 5),
        (DownloadError, 6),
        (MissingExtraError, 7),
        (HedgewatchError, 1),
    ]
    for kinds, code in table:
        if isinstance(exc, kinds):
            return code
    return 70


def one_line(text: object) -> str:
    """A message on one line, cut to a sane length."""
    flat = re.sub(r"\s*\n\s*", " ", str(text)).strip()
    return flat if len(flat) <= _MAX_MESSAGE else flat[:_MAX_MESSAGE] + " ..."


def run(argv: Sequence[str] | None = None) -> int:
    """Run the command line on ``argv`` (default ``sys.argv[1:]``) and return its exit status;
    every failure is printed as one line on stderr."""
    with _one_line_warnings():
        try:
            rv = app(
                args=list(argv) if argv is not None else None,
                prog_name="hedgewatch",
                standalone_mode=False,
            )
            return rv if isinstance(rv, int) else 0
        except typer.Exit as exc:
            return int(exc.exit_code)
        except click_exceptions.UsageError as exc:
            if not exc.format_message():  # a group run without a command: its help was shown
                return 0
            where = exc.ctx.command_path if exc.ctx is not None else "hedgewatch"
            return _fail(f"{exc.format_message()} (see '{where} --help')", exc)
        except click_exceptions.ClickException as exc:
            return _fail(exc.format_message(), exc, code=exc.exit_code or 1)
        except (typer.Abort, KeyboardInterrupt):
            print("Aborted.", file=sys.stderr)
            return 130
        except HedgewatchError as exc:
            return _fail(str(exc), exc)
        except OSError as exc:
            if exc.errno == errno.EPIPE:  # output piped into a program that stopped reading
                return 0
            where = f"{exc.filename}: " if exc.filename else ""
            return _fail(f"{where}{exc.strerror or exc}", exc)
        except Exception as exc:
            if os.environ.get("HEDGEWATCH_DEBUG"):
                raise
            return _fail(
                f"{type(exc).__name__}: {exc}. This is a bug in hedgewatch: please report it "
                "with the command you ran (HEDGEWATCH_DEBUG=1 shows the traceback).",
                exc,
                prefix="Internal error",
            )


def _fail(
    message: str, exc: BaseException, *, code: int | None = None, prefix: str = "Error"
) -> int:
    typer.secho(f"{prefix}: {one_line(message)}", fg="red", err=True)
    return exit_code(exc) if code is None else code


@contextlib.contextmanager
def _one_line_warnings() -> Iterator[None]:
    """Warnings as one line each ("Warning: ..."), not the two of Python's default format."""

    def show(message, category, filename, lineno, file=None, line=None):
        print(f"Warning: {one_line(message)}", file=sys.stderr)

    saved = warnings.showwarning
    warnings.showwarning = show
    try:
        yield
    finally:
        warnings.showwarning = saved


def main() -> None:
    """Console-script entry point: the exit status of :func:`run`.

    The command's objects are frozen out of the garbage collector before the interpreter
    exits: its final collections would otherwise walk every object a report created (0.4-0.9 s
    measured after a report). Nothing is skipped: atexit handlers, finalizers and the
    freeing of memory all run as usual."""
    status = run()
    gc.freeze()
    sys.exit(status)


if __name__ == "__main__":
    main()
