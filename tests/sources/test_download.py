"""`data update`: real download code, tested against a local HTTP server on 127.0.0.1."""

from __future__ import annotations

import http.server
import threading
from functools import partial

import pytest

from hedgewatch import store as hw_store
from hedgewatch import workflows
from hedgewatch.sources.download import DownloadError, fetch_undl_votes, file_key, latest_file

from ..conftest import DATA

PAGE = """<html><body>
<a href="/record/4060887/files/2025_03_31_ga_voting.csv?ln=en">older</a>
<a href="/record/4060887/files/2026_02_06_ga_voting.csv?ln=en">newest</a>
</body></html>"""

# The names the Library has used; a pattern of two-digit month and day with no suffix would
# see only 2026_02_06 here and, without it, fall back to an older file.
NAMES = [
    "2024_09_12_ga_resolutions_voting.csv",
    "2025_03_31_ga_voting.csv",
    "2025_03_31_ga_voting_corr1.csv",
    "2025_9_19_ga_voting.csv",
    "2026_02_06_ga_voting.csv",
]


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


def _page_server(tmp_path, names):
    root = tmp_path / "page"
    (root / "record" / "4060887").mkdir(parents=True)
    links = "\n".join(f'<a href="/record/4060887/files/{n}?ln=en">{n}</a>' for n in names)
    (root / "record" / "4060887" / "index.html").write_text(f"<html><body>{links}</body></html>")
    httpd = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), partial(http.server.SimpleHTTPRequestHandler, directory=str(root))
    )
    httpd.RequestHandlerClass.log_message = lambda *a: None
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    return httpd, f"http://127.0.0.1:{httpd.server_address[1]}/record/4060887/"


@pytest.mark.parametrize(
    ("names", "newest"),
    [
        (NAMES, "2026_02_06_ga_voting.csv"),
        (NAMES[:4], "2025_9_19_ga_voting.csv"),  # one-digit month: Sept 2025 beats March
        (NAMES[:3], "2025_03_31_ga_voting_corr1.csv"),  # a correction supersedes its date
        (NAMES[:1], "2024_09_12_ga_resolutions_voting.csv"),
    ],
)
def test_latest_file_whatever_the_name(tmp_path, names, newest):
    httpd, url = _page_server(tmp_path, list(reversed(names)))
    try:
        name, link = latest_file(url)
    finally:
        httpd.shutdown()
    assert name == newest and link.endswith(f"/record/4060887/files/{newest}")


def test_file_key():
    assert file_key("2025_03_31_ga_voting_corr1.csv") == (2025, 3, 31, 1)
    assert file_key("2025_9_19_ga_voting.csv") == (2025, 9, 19, 0)
    assert file_key("2024_09_12_ga_resolutions_voting.csv") == (2024, 9, 12, 0)
    assert file_key("2025_13_01_ga_voting.csv") is None
    assert file_key("votes.csv") is None


def test_fetch_and_import(server, hw_home):
    seen = []
    path = fetch_undl_votes(server, progress=lambda done, total: seen.append((done, total)))
    assert path.name == "2026_02_06_ga_voting.csv" and path.parent == hw_home / "downloads"
    assert seen and seen[-1][0] == path.stat().st_size
    assert (path.parent / f"{path.name}.sha256").read_text().split()[1] == path.name
    # a second call reuses the file
    assert fetch_undl_votes(server) == path
    counts = workflows.import_file(str(path), format="undl")
    # the bundled record holds these three 2025 resolutions under the same Library ids
    assert counts["roll_calls_replaced"] == 3 and counts["roll_calls_added"] == 0
    assert str(hw_store.info()["last_date"]) == "2025-12-18"


def test_unreachable_source_is_a_clear_error(hw_home):
    with pytest.raises(DownloadError, match="cannot download.*by hand"):
        latest_file("http://127.0.0.1:9/record/4060887/", timeout=2)
