"""CLI commands for the whole-world view: ``hedgewatch atlas`` and ``hedgewatch serve``."""

from __future__ import annotations

import errno
import socket
from pathlib import Path
from typing import Annotated

import typer

from hedgewatch._cli import _options as opt
from hedgewatch.errors import MissingExtraError

Measure = Annotated[
    str,
    typer.Option(
        "--measure",
        "-m",
        help="Measure of the atlas: agreement | identical (UN votes) | events (event data, "
        "once imported with 'hedgewatch events import').",
    ),
]


def atlas_cmd(
    between: opt.Between,
    more: opt.MorePowers = None,
    out: Annotated[
        Path | None,
        typer.Option(
            "--out", "-o", metavar="FILE", help="HTML file to write (default: atlas.html)."
        ),
    ] = None,
    measure: Measure = "agreement",
    year: Annotated[
        str | None, typer.Option("--year", metavar="YEAR", help="Year shown first.")
    ] = None,
    n_boot: opt.NBoot = 200,
    top: Annotated[
        int, typer.Option("--top", min=0, metavar="N", help="Movers listed here (0: none).")
    ] = 10,
    start: Annotated[
        str | None,
        typer.Option("--from", metavar="YEAR", help="First year of the movers listed."),
    ] = None,
    end: Annotated[
        str | None,
        typer.Option("--to", metavar="YEAR", help="Last year of the movers listed."),
    ] = None,
) -> None:
    """Write the atlas (every state between two powers, by year) as one offline HTML file.

    More than two powers: the file holds every pair among them. Also lists the states that
    moved most toward each of the first two powers (stable change points), starting between
    --from and --to (the file itself holds every year).
    """
    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

    from hedgewatch.web import export_atlas

    powers = opt.powers(between, more)
    first_year = opt.year(year, "--year")
    window = opt.span(start, end, opt.year)
    target = opt.output(out or Path("atlas.html"), "--out")
    assert target is not None
    with Progress(
        TextColumn("{task.description}"), BarColumn(), TimeElapsedColumn(), transient=True
    ) as bar:
        task = bar.add_task("starting", total=1)

        def progress(step: str, done: int, total: int) -> None:
            bar.update(task, description=step, completed=done, total=total)

        export_atlas(
            powers, out=target, measure=measure, year=first_year, n_boot=n_boot, progress=progress
        )
    typer.echo(f"Wrote {target} ({target.stat().st_size / 1e6:.1f} MB, offline).")
    if top > 0:
        _print_movers(powers[:2], measure, n_boot, top, window)


def serve_cmd(
    host: Annotated[
        str, typer.Option("--host", help="Address to bind (default: this machine only).")
    ] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", min=1, max=65535, help="Port.")] = 8765,
    sections: Annotated[
        list[str] | None,
        typer.Option(
            "--section", help="Report section a state page computes (repeat; default all)."
        ),
    ] = None,
    n_boot: opt.NBoot = 200,
) -> None:
    """Serve the atlas, state pages and the JSON API at http://127.0.0.1:8765."""
    try:
        import uvicorn

        from hedgewatch.web._app import create_app, is_local
    except ImportError as exc:
        raise MissingExtraError("'hedgewatch serve'", "web", exc.name or "fastapi") from exc
    from hedgewatch.report.builder import section_keys

    unknown = [s for s in sections or () if s not in section_keys()]
    if unknown:
        raise opt.fail("--section", "one of " + ", ".join(section_keys()), unknown[0])
    sock = _listen(host, port)  # before the app starts its worker thread
    local = is_local(host)
    if not local:  # then any Host header is answered: say so
        typer.secho(
            f"Warning: serving on {host}: other machines can reach this app. It has no "
            "authentication; bind 127.0.0.1 (the default) unless you mean it.",
            fg="yellow",
            err=True,
        )
    try:
        app_ = create_app(
            sections=sections or None,
            n_boot=n_boot,
            allowed_hosts=("127.0.0.1", "localhost", "[::1]", "::1", host) if local else None,
        )
    except BaseException:
        sock.close()
        raise
    typer.echo(f"hedgewatch: http://{host}:{port}/ (Ctrl+C to stop)")
    # h11 refuses a request head over 16 KiB with a bare 400; let heads up to 2 MiB reach
    # the app, which answers an over-long query string with a 414 and a sentence why.
    config = uvicorn.Config(
        app_,
        host=host,
        port=port,
        log_level="warning",
        access_log=False,
        h11_max_incomplete_event_size=2 * 1024 * 1024,
    )
    with sock:
        uvicorn.Server(config).run(sockets=[sock])


def _listen(host: str, port: int) -> socket.socket:
    """A socket bound to ``host:port`` and listening, or one error saying why it cannot be
    (a host that does not resolve, a port in use or not allowed) - before the server starts,
    which would otherwise log the failure and end the process abruptly."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
    except (socket.gaierror, UnicodeError) as exc:
        raise opt.fail("--host", f"an address or a name of this machine ({exc})", host) from exc
    family, kind, proto, _, address = infos[0]
    sock = socket.socket(family, kind, proto)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        if family == socket.AF_INET6:
            sock.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1)
        sock.bind(address)
        sock.listen(2048)
    except OSError as exc:
        sock.close()
        reason = exc.strerror or str(exc)
        if exc.errno == errno.EADDRNOTAVAIL:  # not an address of this machine
            raise opt.fail("--host", f"an address of this machine ({reason})", host) from exc
        raise opt.fail("--port", f"a port free on {host} ({reason})", str(port)) from exc
    sock.set_inheritable(True)
    return sock


def register(app: typer.Typer) -> None:
    """Add this topic's commands to the main app."""
    app.command("atlas")(atlas_cmd)
    app.command("serve")(serve_cmd)


def _print_movers(
    powers: list[str],
    measure: str,
    n_boot: int,
    top: int,
    window: tuple[int | None, int | None],
) -> None:
    from rich.console import Console
    from rich.markup import escape
    from rich.table import Table

    import hedgewatch as hw
    from hedgewatch.countries import name

    world = hw.atlas(tuple(powers), measure=measure, n_boot=n_boot)
    console = Console()
    for p in powers:
        moved = hw.movers(world, toward=p, top=top, period=window)
        span = "" if window == (None, None) else f", {window[0] or ''}-{window[1] or ''}"
        table = Table(title=escape(f"Largest stable shifts toward {name(p)}{span}"))
        for c in ("state", "year", "before", "after", "shift", "stability"):
            table.add_column(c, justify="left" if c == "state" else "right")
        for r in moved.itertuples(index=False):
            table.add_row(
                escape(f"{r.name} ({r.country})"),
                str(r.period) if r.earliest == r.period else f"{r.earliest}-{r.period}",
                f"{r.before:+.2f}",
                f"{r.after:+.2f}",
                f"{r.size:+.2f}",
                f"{r.stability:.0%}",
            )
        console.print(table)
