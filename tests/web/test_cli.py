"""``hedgewatch atlas`` and ``hedgewatch serve`` from the command line."""

from __future__ import annotations

import re
import sys

import pytest
from typer.testing import CliRunner

from hedgewatch.cli import app


def test_atlas_writes_one_offline_file_and_lists_movers(export_store, tmp_path, monkeypatch):
    monkeypatch.setenv("HEDGEWATCH_HOME", str(export_store.path.parent))
    out = tmp_path / "atlas.html"
    res = CliRunner().invoke(
        app,
        [
            "atlas",
            "--between",
            "CHN",
            "USA",
            "--out",
            str(out),
            "--n-boot",
            "20",
            "--from",
            "2010",
            "--to",
            "2025",
        ],
    )
    assert res.exit_code == 0, res.output
    html = out.read_text()
    assert html.startswith("<!doctype html>") and 'id="hw-data"' in html
    # nothing loaded from outside: no script or style sheet by URL
    assert not re.search(r"<script[^>]*\ssrc=", html) and 'rel="stylesheet"' not in html
    assert "Largest stable shifts toward China, 2010-2025" in res.output
    assert "Palau (PLW)" in res.output  # the largest 2010-2019 shift toward China but Nauru's


def test_atlas_needs_two_powers(export_store, monkeypatch):
    monkeypatch.setenv("HEDGEWATCH_HOME", str(export_store.path.parent))
    res = CliRunner().invoke(app, ["atlas", "--between", "CHN"])
    assert res.exit_code != 0 and "at least 2 countries" in str(res.exception or res.output)


def test_serve_without_the_extra_names_it(monkeypatch):
    monkeypatch.setitem(sys.modules, "uvicorn", None)  # as if the extra were not installed
    res = CliRunner().invoke(app, ["serve"])
    assert res.exit_code != 0
    assert "pip install 'hedgewatch[web]'" in str(res.exception)


def test_serve_warns_when_not_bound_to_loopback(monkeypatch, export_store):
    import socket

    import uvicorn

    from hedgewatch._cli import web

    calls: dict = {}
    listen = web._listen

    def free_port(host, port):  # bind where asked, on a free port (the test's ports may be taken)
        calls["listen"] = (host, port)
        return listen(host if host != "0.0.0.0" else "127.0.0.1", 0)

    def run(self, sockets=None):
        calls.update(host=self.config.host, port=self.config.port, sockets=sockets)
        jobs = self.config.app.state.hw.jobs  # shut down as the server would, and wait: a
        jobs.close()  # worker thread still in DuckDB when Python exits aborts the process
        jobs._thread.join(60)

    monkeypatch.setenv("HEDGEWATCH_HOME", str(export_store.path.parent))
    monkeypatch.setattr(web, "_listen", free_port)
    monkeypatch.setattr(uvicorn.Server, "run", run)
    res = CliRunner().invoke(app, ["serve", "--host", "0.0.0.0", "--port", "9999"])
    assert res.exit_code == 0, res.output
    assert "Warning: serving on 0.0.0.0" in res.output
    assert calls["host"] == "0.0.0.0" and calls["port"] == 9999
    assert calls["listen"] == ("0.0.0.0", 9999)
    assert isinstance(calls["sockets"][0], socket.socket)
    res = CliRunner().invoke(app, ["serve"])
    assert "Warning" not in res.output and calls["host"] == "127.0.0.1" and calls["port"] == 8765


def test_serve_on_a_taken_port_or_unknown_host_is_one_error():
    import socket

    from hedgewatch._cli.web import _listen
    from hedgewatch.errors import ParameterError

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen(1)
        port = taken.getsockname()[1]
        with pytest.raises(ParameterError, match=r"'--port' option must be a port free on"):
            _listen("127.0.0.1", port)
    with pytest.raises(ParameterError, match=r"'--host' option must be an address"):
        _listen("192.0.2.1", 8765)  # TEST-NET-1: an address of no machine here
    with _listen("127.0.0.1", 0) as sock:
        assert sock.getsockname()[0] == "127.0.0.1"


@pytest.mark.parametrize("host", ["127.0.0.1", "127.1.2.3", "localhost", "::1"])
def test_loopback_hosts(host):
    from hedgewatch.web._app import is_local

    assert is_local(host) and not is_local("0.0.0.0") and not is_local("192.168.1.2")
