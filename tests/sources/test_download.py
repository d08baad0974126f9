"""`data update`: real download code, tested against a local HTTP server on 127.0.0.1."""

from __future__ import annotations

import http.server
import threading
from functools import partial

import pytest

from hedgewatch import store as hw_store
from hedgewatch import workflows
from hedgewatch.sources.download import DownloadError, fetch_undl_votes, latest_file

from ..conftest import DATA

PAGE = """<html><body>
<a href="/record/4060887/files/2025_03_31_ga_voting.csv?ln=en">older</a>
<a href="/record/4060887/files/2026_02_06_ga_voting.csv?ln=en">newest</a>
</body></html>"""


@pytest.fixture
def server(tmp_path):
    root = tmp_path / "site"
    files = root / "record" / "4060887" / "files"
    files.mkdir(parents=True)
    (root / "record" / "4060887" / "index.html").write_text(PAGE)
    csv = (DATA / "unga" / "2025_undl_ga_voting.csv").read_bytes()
    (files / "2026_02_06_ga_voting.csv").write_bytes(csv)
    (files / "2025_03_31_ga_voting.csv").write_bytes(b"old")

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

        def translate_path(self, path):
            return super().translate_path(path.split("?", 1)[0])

    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), partial(Quiet, directory=str(root)))
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/record/4060887/"
    httpd.shutdown()


def test_latest_file_picks_newest(server):
    name, url = latest_file(server)
    assert name == "2026_02_06_ga_voting.csv"
    assert url.startswith("http://127.0.0.1:") and url.endswith(
        "/record/4060887/files/2026_02_06_ga_voting.csv"
    )


def test_fetch_and_import(server, hw_home):
    seen = []
    path = fetch_undl_votes(server, progress=lambda done, total: seen.append((done, total)))
    assert path.name == "2026_02_06_ga_voting.csv" and path.parent == hw_home / "downloads"
    assert seen and seen[-1][0] == path.stat().st_size
    assert (path.parent / f"{path.name}.sha256").read_text().split()[1] == path.name
    # a second call reuses the file
    assert fetch_undl_votes(server) == path
    counts = workflows.import_file(str(path), format="undl")
    assert counts["roll_calls_added"] == 3
    assert str(hw_store.info()["last_date"]) == "2025-03-04"


def test_unreachable_source_is_a_clear_error(hw_home):
    with pytest.raises(DownloadError, match="cannot download.*by hand"):
        latest_file("http://127.0.0.1:9/record/4060887/", timeout=2)
