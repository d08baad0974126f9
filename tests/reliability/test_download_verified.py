"""`data update` keeps only verified downloads and never reuses a bad one (local server)."""

from __future__ import annotations

import http.server
import threading
from pathlib import Path

import pytest

from hedgewatch.errors import DataFormatError
from hedgewatch.sources.download import DownloadError, fetch_undl_votes, verify
from hedgewatch.workflows import update_votes

CSV = Path(__file__).parents[1] / "data" / "unga" / "2025_undl_ga_voting.csv"
NAME = "2026_02_06_ga_voting.csv"
PAGE = f'<html><a href="/record/4060887/files/{NAME}?ln=en">newest</a></html>'


class _Site:
    """A record page and one file whose bytes (and announced length) a test sets."""

    def __init__(self) -> None:
        self.body = CSV.read_bytes()
        self.length: int | None = None
        self.hits = 0


@pytest.fixture
def site():
    state = _Site()

    class Handler(http.server.BaseHTTPRequestHandler):
        def log_message(self, *args):
            pass

        def do_GET(self):  # noqa: N802
            if self.path.rstrip("/").endswith("4060887"):
                body = PAGE.encode()
            else:
                state.hits += 1
                body = state.body
            self.send_response(200)
            length = state.length if state.length is not None and body is state.body else None
            self.send_header("Content-Length", str(length or len(body)))
            self.end_headers()
            self.wfile.write(body)

    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    state.url = f"http://127.0.0.1:{httpd.server_address[1]}/record/4060887/"
    yield state
    httpd.shutdown()


def test_a_good_download_is_recorded_and_reused(site, tmp_path):
    path = fetch_undl_votes(site.url, tmp_path)
    assert verify(path) is None and site.hits == 1
    assert fetch_undl_votes(site.url, tmp_path) == path and site.hits == 1  # reused, verified


def test_an_error_page_is_not_kept(site, tmp_path):
    site.body = b"<html><body>Service temporarily unavailable</body></html>"
    with pytest.raises(DownloadError, match="not the Library's voting data.*first line"):
        fetch_undl_votes(site.url, tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir()) == []


def test_a_short_transfer_is_not_kept(site, tmp_path):
    site.length = len(site.body) + 500  # the server promises more than it sends
    with pytest.raises(DownloadError):
        fetch_undl_votes(site.url, tmp_path, timeout=5)
    assert sorted(p.name for p in tmp_path.iterdir()) == []


@pytest.mark.parametrize("damage", ["tampered", "no-record", "truncated"])
def test_a_damaged_kept_file_is_downloaded_again(site, tmp_path, damage):
    path = fetch_undl_votes(site.url, tmp_path)
    if damage == "tampered":
        path.write_bytes(path.read_bytes().replace(b",Y,", b",N,", 1))
    elif damage == "no-record":
        path.with_name(path.name + ".sha256").unlink()
    else:
        path.write_bytes(path.read_bytes()[:200])
    assert verify(path) is not None
    again = fetch_undl_votes(site.url, tmp_path)
    assert site.hits == 2 and verify(again) is None
    assert again.read_bytes() == CSV.read_bytes()


def test_a_file_that_does_not_import_is_not_reused(site, tmp_path, hw_home):
    lines = CSV.read_text(encoding="utf-8").splitlines()
    site.body = (
        "\n".join([lines[0], lines[1].replace(",AGO,,A,", ",AGO,,MAYBE,", 1), *lines[2:]]) + "\n"
    ).encode()
    with pytest.raises(DataFormatError, match="unknown vote"):
        update_votes(site.url, dest=tmp_path)
    assert not (tmp_path / NAME).exists()  # deleted: the next update fetches it again
    site.body = CSV.read_bytes()
    path, counts = update_votes(site.url, dest=tmp_path)
    # the file's three roll calls are in the bundled 1946-2025 record (same ids): replaced
    kinds = ("roll_calls_added", "roll_calls_replaced", "roll_calls_matched")
    held = sum(counts[k] for k in kinds)
    assert site.hits == 2 and held == 3 and verify(path) is None


@pytest.mark.parametrize("url", ["not a url", "ftp://example.org/x", "http://"])
def test_not_a_url_is_one_error(url, tmp_path):
    with pytest.raises(DownloadError, match="must be an http\\(s\\) URL"):
        fetch_undl_votes(url, tmp_path)
