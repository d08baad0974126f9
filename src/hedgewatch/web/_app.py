"""The local web app: the atlas page, state pages and a JSON API (FastAPI on uvicorn).

Safety, in one place:

* every parameter is typed and checked (ISO3 pattern, then membership of the record; years
  within the record; measures among those registered); a bad one gets a 4xx with one
  sentence saying what was wrong, as JSON under ``/api/`` and as a page elsewhere;
* clients never name a file: static files are served from a fixed list read at start-up;
* data reaches pages as JSON and is inserted as text (``textContent``), never as markup;
* every response carries a Content-Security-Policy allowing scripts, styles and requests
  from this origin only (no inline script, no ``eval``), and frames nothing;
* heavy computations (an atlas, a state report) go through :class:`~hedgewatch.web._jobs.Jobs`:
  one at a time, one per key, a bounded queue; query strings over 4 KiB are refused.
"""

from __future__ import annotations

import asyncio
import json
import re
from collections.abc import Sequence
from contextlib import asynccontextmanager
from typing import Annotated, Any
from urllib.parse import urlencode

import pandas as pd

from hedgewatch._validation import check_param, validated
from hedgewatch.errors import MissingExtraError

try:
    from fastapi import FastAPI, Path, Query, Request
    from fastapi.exceptions import RequestValidationError
    from fastapi.responses import HTMLResponse, JSONResponse, Response
    from starlette.exceptions import HTTPException as StarletteHTTPException
    from starlette.middleware.trustedhost import TrustedHostMiddleware
except ImportError as exc:  # pragma: no cover - exercised without the extra
    raise MissingExtraError("The web app", "web", exc.name or "fastapi") from exc

import jinja2

import hedgewatch
from hedgewatch import countries as _countries
from hedgewatch.store import Store, get_store
from hedgewatch.web import _data
from hedgewatch.web._jobs import Job, Jobs, QueueFull

CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)
MAX_QUERY = 4096
#: Static files by URL name -> (packaged path, media type). Nothing else is served.
STATIC = {
    "d3.min.js": ("vendor/d3.min.js", "text/javascript"),
    "topojson-client.min.js": ("vendor/topojson-client.min.js", "text/javascript"),
    "countries-110m.json": ("vendor/countries-110m.json", "application/json"),
    "charts.js": ("charts.js", "text/javascript"),
    "atlas.js": ("atlas.js", "text/javascript"),
    "state.js": ("state.js", "text/javascript"),
    "style.css": ("style.css", "text/css"),
}
_REQUIREMENTS = {
    "a": "a three-letter ISO3 country code such as 'CHN'",
    "b": "a three-letter ISO3 country code such as 'USA'",
    "code": "a three-letter ISO3 country code such as 'PRK'",
    "year": "a year (an integer such as 2015)",
    "top": "an integer from 1 to 200",
    "measure": "the name of a measure (see /api/measures)",
}

_env = jinja2.Environment(
    loader=jinja2.PackageLoader("hedgewatch.web", "templates"),
    autoescape=True,
    undefined=jinja2.StrictUndefined,
)

CodeQ = Annotated[str, Query(pattern=r"^[A-Za-z]{3}$", max_length=3)]
CodeP = Annotated[str, Path(pattern=r"^[A-Za-z]{3}$", max_length=3)]


class WebError(Exception):
    """A request the app refuses, with its HTTP status and one sentence why."""

    def __init__(self, status: int, message: str, headers: dict[str, str] | None = None):
        super().__init__(message)
        self.status, self.message, self.headers = status, message, headers or {}


class _Context:
    """What the app holds: the store, the job queue, the record's countries and years."""

    def __init__(self, store: Store, sections: Sequence[str] | None, n_boot: int, jobs: Jobs):
        self.store = store
        self.sections = tuple(sections) if sections else None
        self.n_boot = n_boot
        self.jobs = jobs
        self.members: dict[str, dict[str, Any]] = {}
        self.years: tuple[int, int] = (0, 0)
        #: The atlas measures whose data the store holds (events only once imported).
        self.measures: list[dict[str, str]] = []

    def load_members(self, progress) -> None:
        progress("loading the record", 0, 1)
        self.store.ensure("votes", "roll_calls")
        v = hedgewatch.votes(store=self.store)
        g = v.groupby("country")["year"].agg(["min", "max", "size"])
        self.members = {
            str(c): {
                "code": str(c),
                "name": _countries.name(str(c)),
                "first_year": int(r["min"]),
                "last_year": int(r["max"]),
                "votes": int(r["size"]),
            }
            for c, r in g.iterrows()
        }
        self.years = (int(v["year"].min()), int(v["year"].max()))
        self.measures = _measures(self.store)
        if any(m["table"] == "events" for m in self.measures):
            self._add_event_countries()

    def _add_event_countries(self) -> None:
        """States placed by the event atlas that never voted (Taiwan, Kosovo...) get a page
        too: their years are those of their events, their votes 0."""
        from hedgewatch.store import event_countries
        from hedgewatch.store._events import event_datasets

        if len(event_datasets(self.store)) != 1:
            return  # the event atlas needs one dataset; with several it asks which
        found = event_countries(store=self.store)
        first = pd.to_datetime(found["first"]).dt.year
        last = pd.to_datetime(found["last"]).dt.year
        for c, y0, y1 in zip(found["country"], first, last, strict=True):
            code = str(c)
            if code not in self.members:
                self.members[code] = {
                    "code": code,
                    "name": _countries.name(code),
                    "first_year": int(y0),
                    "last_year": int(y1),
                    "votes": 0,
                }


def _short(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "...'"


@validated
def create_app(
    store: Store | str | None = None,
    *,
    sections: Sequence[str] | None = None,
    n_boot: int = 200,
    max_pending: int = 8,
    allowed_hosts: Sequence[str] | None = ("127.0.0.1", "localhost", "[::1]", "::1"),
) -> FastAPI:
    """The web app over ``store``.

    Parameters
    ----------
    store
        A :class:`~hedgewatch.store.Store` or path; default the user store.
    sections
        The report sections a state page computes (default all).
    n_boot
        Bootstrap replicates for atlas intervals and the report.
    max_pending
        Distinct computations allowed to wait at once (beyond: 503).
    allowed_hosts
        ``Host`` headers answered (others get 400): by default the loopback names only, so a
        web page elsewhere cannot reach the app through a DNS name rebound to 127.0.0.1.
        None answers any host (for ``--host`` other than loopback).
    """
    from hedgewatch.report.builder import section_keys

    keys = section_keys()
    check_param(
        sections is None or (not isinstance(sections, str) and set(sections) <= set(keys)),
        "sections",
        "report section keys among " + ", ".join(keys),
        sections,
    )
    ctx = _Context(get_store(store), sections, n_boot, Jobs(max_pending=max_pending))
    startup = ctx.jobs.submit(("startup",), ctx.load_members)

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        yield
        ctx.jobs.close()

    app = FastAPI(
        title="hedgewatch",
        version=hedgewatch.__version__,
        description="Where every state stands between two powers, from UN General Assembly "
        "votes: the atlas, movers, side-taking and state reports.",
        docs_url=None,  # Swagger UI and ReDoc load from a CDN: not here (see /api)
        redoc_url=None,
        openapi_url="/api/openapi.json",
        lifespan=lifespan,
    )
    app.state.hw = ctx
    if allowed_hosts is not None:
        app.add_middleware(TrustedHostMiddleware, allowed_hosts=list(allowed_hosts))

    # -- plumbing ------------------------------------------------------------------------
    @app.middleware("http")
    async def guard(request: Request, call_next):
        if len(request.scope.get("query_string", b"")) > MAX_QUERY:
            response = _error(request, 414, f"The query string is longer than {MAX_QUERY} bytes.")
        else:
            response = await call_next(request)
        response.headers["Content-Security-Policy"] = CSP
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Referrer-Policy"] = "no-referrer"
        response.headers["X-Frame-Options"] = "DENY"
        return response

    @app.exception_handler(WebError)
    async def web_error(request: Request, exc: WebError):
        return _error(request, exc.status, exc.message, exc.headers)

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError):
        first = exc.errors()[0]
        name = str(first["loc"][-1]) if first.get("loc") else "?"
        need = _REQUIREMENTS.get(name, first.get("msg", "valid"))
        got = _short(first.get("input"))
        return _error(request, 400, f"The '{name}' parameter must be {need}; got {got}.")

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException):
        message = "No such page." if exc.status_code == 404 else str(exc.detail)
        return _error(request, exc.status_code, message)

    async def ready() -> None:
        if not startup.event.is_set():
            await asyncio.to_thread(startup.wait, 600)
        if startup.status != "done":
            raise WebError(500, f"The record could not be loaded: {startup.error}")

    async def code_of(value: str, name: str) -> str:
        await ready()
        code = value.upper()
        if code not in ctx.members:
            raise WebError(
                404 if name == "code" else 400,
                f"The '{name}' parameter must be the ISO3 code of a country in the record "
                f"(see /api/countries); got {_short(value)}.",
            )
        return code

    async def powers_of(a: str, b: str) -> tuple[str, str]:
        pa, pb = await code_of(a, "a"), await code_of(b, "b")
        if pa == pb:
            raise WebError(400, f"The powers 'a' and 'b' must differ; got {pa!r} twice.")
        return pa, pb

    async def measure_of(value: str) -> str:
        from hedgewatch.workflows._atlas import NO_EVENTS

        await ready()
        usable = [m["name"] for m in ctx.measures]
        if value not in usable:
            why = ""
            if value == "events":
                why = ": " + NO_EVENTS.format(measure=value, store="this store")
            raise WebError(
                400,
                f"The 'measure' parameter must be one of {', '.join(map(repr, usable))}; "
                f"got {_short(value)}{why}.",
            )
        return value

    async def run(job: Job, wait: float | None) -> Job:
        if wait and not job.event.is_set():
            await asyncio.to_thread(job.wait, wait)
        return job

    def submit(key, compute) -> Job:
        try:
            return ctx.jobs.submit(key, compute)
        except QueueFull as exc:
            raise WebError(503, str(exc), {"Retry-After": "30"}) from exc

    async def atlas_bytes(a: str, b: str, measure: str) -> bytes:
        job = submit(("atlas", a, b, measure), _atlas_job(ctx, a, b, measure))
        await run(job, 600)
        if job.status != "done":
            raise WebError(422 if job.status == "failed" else 503, job.error or "still computing")
        return job.result

    async def atlas_payload(a: str, b: str, measure: str) -> dict[str, Any]:
        key = ("payload", a, b, measure)
        cached = _PARSED.get(key)
        raw = await atlas_bytes(a, b, measure)
        if cached is None or cached[0] is not raw:
            cached = (raw, json.loads(raw))
            _PARSED.clear()  # one parsed payload at a time: bounded memory
            _PARSED[key] = cached
        return cached[1]

    _PARSED: dict[tuple, tuple[bytes, dict[str, Any]]] = {}

    def year_of(payload: dict[str, Any], year: int | None) -> int:
        years = payload["years"]
        if year is None:
            return years[-1]
        if year not in years:
            raise WebError(
                400,
                f"The 'year' parameter must be a year the record holds for these powers, "
                f"{years[0]} to {years[-1]}; got {year}.",
            )
        return year

    # -- pages ---------------------------------------------------------------------------
    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    async def atlas_page(
        a: CodeQ = "CHN", b: CodeQ = "USA", measure: str = "agreement", year: int | None = None
    ):
        pa, pb = await powers_of(a, b)
        m = await measure_of(measure)
        if year is not None and not ctx.years[0] <= year <= ctx.years[1]:
            raise WebError(
                400,
                f"The 'year' parameter must be a year the record holds, {ctx.years[0]} to "
                f"{ctx.years[1]}; got {year}.",
            )
        config = {"mode": "server", "a": pa, "b": pb, "measure": m, "year": year}
        return _page("atlas.html.j2", config=config, title="Atlas", ctx=ctx, measures=ctx.measures)

    @app.get("/state/{code}", response_class=HTMLResponse, include_in_schema=False)
    async def state_page(
        code: CodeP, a: CodeQ = "CHN", b: CodeQ = "USA", measure: str = "agreement"
    ):
        state = await code_of(code, "code")
        pa, pb = await powers_of(a, b)
        if state in (pa, pb):
            raise WebError(400, f"The state {state!r} cannot be one of the powers.")
        m = await measure_of(measure)
        config = {"mode": "server", "state": state, "a": pa, "b": pb, "measure": m}
        back = "/?" + urlencode({"a": pa, "b": pb, "measure": m})
        return _page(
            "state.html.j2",
            config=config,
            title=_countries.name(state),
            ctx=ctx,
            power_names=[_countries.name(pa), _countries.name(pb)],
            back=back,
        )

    @app.get("/static/{name}", include_in_schema=False)
    async def static(name: str):
        if name not in STATIC:
            raise WebError(404, "No such file.")
        path, media = STATIC[name]
        return Response(_ASSETS[path], media_type=media, headers={"Cache-Control": "max-age=3600"})

    _ASSETS = {path: _data.asset(path) for path, _ in STATIC.values()}

    @app.get("/api", response_class=HTMLResponse, include_in_schema=False)
    async def api_page():
        spec = app.openapi()
        endpoints = [
            {
                "method": method.upper(),
                "path": path,
                "summary": op.get("summary", ""),
                "description": op.get("description", ""),
                "parameters": [
                    {
                        "name": p["name"],
                        "where": p["in"],
                        "required": p.get("required", False),
                        "description": p.get("description", ""),
                    }
                    for p in op.get("parameters", [])
                ],
            }
            for path, ops in spec["paths"].items()
            for method, op in ops.items()
        ]
        return _page(
            "api.html.j2", config={"mode": "server"}, title="API", ctx=ctx, endpoints=endpoints
        )

    # -- JSON API ------------------------------------------------------------------------
    @app.get("/api/health", summary="Health and queue state")
    async def health() -> dict[str, Any]:
        """``ok`` once the record is loaded; the job queue's counts."""
        return {
            "status": "ok" if startup.status == "done" else startup.status,
            "version": hedgewatch.__version__,
            "jobs": ctx.jobs.stats(),
        }

    @app.get("/api/countries", summary="Countries in the record")
    async def countries() -> JSONResponse:
        """Every country with a vote in the record: code, name, first and last year, votes."""
        await ready()
        return JSONResponse(list(ctx.members.values()))

    @app.get("/api/measures", summary="Measures of the atlas")
    async def measures() -> list[dict[str, str]]:
        """The measures an atlas can use (``measure=``): the vote-based ones, and
        ``events`` when the store holds event data."""
        await ready()
        return ctx.measures

    @app.get("/api/atlas", summary="The atlas of a pair of powers, every year")
    async def atlas_all(
        a: Annotated[
            str, Query(pattern=r"^[A-Za-z]{3}$", description="Power A (position -1)")
        ] = "CHN",
        b: Annotated[
            str, Query(pattern=r"^[A-Za-z]{3}$", description="Power B (position +1)")
        ] = "USA",
        measure: Annotated[
            str, Query(max_length=40, description="Measure (see /api/measures)")
        ] = "agreement",
    ):
        """Every state's series between A and B: ``years``, and per state ``position``,
        its interval, agreement with each power, free agency, side-taking shares and counts
        (aligned on ``years``, null where missing); ``movers``: every stable shift; ``ids``:
        map feature id -> ISO3. Computed on first request (seconds), then cached."""
        pa, pb = await powers_of(a, b)
        raw = await atlas_bytes(pa, pb, await measure_of(measure))
        return Response(raw, media_type="application/json")

    @app.get("/api/atlas/{year}", summary="The atlas of a pair of powers in one year")
    async def atlas_year(
        year: Annotated[int, Path(description="The year")],
        a: CodeQ = "CHN",
        b: CodeQ = "USA",
        measure: Annotated[str, Query(max_length=40)] = "agreement",
    ) -> JSONResponse:
        """One row per state: position (with interval), agreement with each power, free
        agency, side-taking, roll calls."""
        pa, pb = await powers_of(a, b)
        payload = await atlas_payload(pa, pb, await measure_of(measure))
        return JSONResponse(_data.year_rows(payload, year_of(payload, year)))

    @app.get("/api/movers", summary="The largest stable shifts")
    async def movers(
        a: CodeQ = "CHN",
        b: CodeQ = "USA",
        measure: Annotated[str, Query(max_length=40)] = "agreement",
        year: Annotated[int | None, Query(description="Only shifts starting this year")] = None,
        top: Annotated[int, Query(ge=1, le=200)] = 10,
    ) -> JSONResponse:
        """Change points of states' positions (bootstrap stability >= 0.5), largest first;
        ``group`` numbers states that shifted the same way within a year of each other."""
        pa, pb = await powers_of(a, b)
        payload = await atlas_payload(pa, pb, await measure_of(measure))
        rows = payload["movers"]
        if year is not None:
            y = year_of(payload, year)
            rows = [r for r in rows if r["period"] == y]
        rows = sorted(rows, key=lambda r: -abs(r["size"]))[:top]
        return JSONResponse(
            [{**r, "name": payload["names"].get(r["country"], r["country"])} for r in rows]
        )

    @app.get("/api/state/{code}", summary="One state's series between two powers")
    async def state_series(
        code: CodeP,
        a: CodeQ = "CHN",
        b: CodeQ = "USA",
        measure: Annotated[str, Query(max_length=40)] = "agreement",
    ) -> JSONResponse:
        """The state's yearly position, agreement, free agency and side-taking (as in the
        atlas), and its stable shifts."""
        state = await code_of(code, "code")
        pa, pb = await powers_of(a, b)
        payload = await atlas_payload(pa, pb, await measure_of(measure))
        if state not in payload["series"]:
            raise WebError(
                404,
                f"{state} ({_countries.name(state)}) has no year with {_data.MIN_VOTES} or more "
                f"roll calls common with {pa} and {pb}.",
            )
        return JSONResponse(
            {
                "state": state,
                "name": payload["names"][state],
                "powers": payload["powers"],
                "years": payload["years"],
                "series": payload["series"][state],
                "movers": [r for r in payload["movers"] if r["country"] == state],
            }
        )

    @app.get("/api/report/{code}", summary="The report on a state between two powers")
    async def report(code: CodeP, a: CodeQ = "CHN", b: CodeQ = "USA"):
        """202 with ``status, step, done, total`` while it is computed (poll again), then
        200 with the report's sections (text, tables, figures as SVG data URIs) and claims.
        Cached in the store."""
        state = await code_of(code, "code")
        pa, pb = await powers_of(a, b)
        if state in (pa, pb):
            raise WebError(400, f"The state {state!r} cannot be one of the powers.")
        job = submit(("report", state, pa, pb), _report_job(ctx, state, pa, pb))
        await run(job, 2.0)
        if job.status == "done":
            return Response(job.result, media_type="application/json")
        if job.status == "failed":
            raise WebError(422, job.error)
        return JSONResponse(job.progress(), status_code=202)

    return app


def _measures(store: Store) -> list[dict[str, str]]:
    """The measures whose data ``store`` holds (called by the worker: it opens the store)."""
    from hedgewatch.alignment import ATLAS_MEASURES
    from hedgewatch.workflows._atlas import available

    return [
        {"name": m.name, "description": m.description, "table": m.table, "count": m.count}
        for m in ATLAS_MEASURES.values()
        if available(m.name, store)
    ]


def _error(request: Request, status: int, message: str, headers: dict[str, str] | None = None):
    if request.url.path.startswith("/api"):
        return JSONResponse({"error": message, "status": status}, status, headers=headers)
    html = _env.get_template("error.html.j2").render(status=status, message=message)
    return HTMLResponse(html, status, headers=headers)


def _page(
    template: str, *, config: dict[str, Any], title: str, ctx: _Context, **extra
) -> HTMLResponse:
    countries = sorted(ctx.members.values(), key=lambda m: m["name"])
    html = _env.get_template(template).render(
        title=title,
        config=_data.json_script(config),
        countries=countries,
        version=hedgewatch.__version__,
        offline=False,
        **extra,
    )
    return HTMLResponse(html)


def _atlas_job(ctx: _Context, a: str, b: str, measure: str):
    from hedgewatch.alignment import movers
    from hedgewatch.workflows._atlas import atlas

    def compute(progress) -> bytes:
        def build() -> pd.DataFrame:
            progress(f"placing every state between {a} and {b}", 0, 2)
            world = atlas((a, b), measure=measure, n_boot=ctx.n_boot, store=ctx.store)
            progress("finding the movers", 1, 2)
            moved = movers(world, top=None, one_per_state=False)
            payload = _data.atlas_payload(world, moved, (a, b), measure)
            return pd.DataFrame({"json": [json.dumps(payload, separators=(",", ":"))]})

        frame = ctx.store.cached("web:atlas", ("v2", a, b, measure, ctx.n_boot), build)
        return frame["json"].iloc[0].encode()

    return compute


def _report_job(ctx: _Context, state: str, a: str, b: str):
    from hedgewatch.report import build_report

    def compute(progress) -> bytes:
        def build() -> pd.DataFrame:
            rep = build_report(
                state,
                (a, b),
                store=ctx.store,
                progress=progress,
                sections=ctx.sections,
                settings={"n_boot": ctx.n_boot},
            )
            return pd.DataFrame({"json": [json.dumps(_data.report_payload(rep))]})

        parts = ("v2", state, a, b, ctx.sections, ctx.n_boot)
        return ctx.store.cached("web:report", parts, build)["json"].iloc[0].encode()

    return compute


_SAFE_HOST = re.compile(r"^(127\.\d+\.\d+\.\d+|localhost|::1)$")


def is_local(host: str) -> bool:
    """Whether ``host`` is a loopback address (the only kind served without a warning)."""
    return bool(_SAFE_HOST.match(host))
