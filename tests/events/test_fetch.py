"""``events fetch``: real download code against a local HTTP server on 127.0.0.1.

The server serves a master file list and generated exports. One listed checksum does not
match its file (a corrupt download: reported, not imported); one file's first transfer is cut
half-way (the fetch resumes it with a Range request and imports it).
"""

from __future__ import annotations

import hashlib
import http.server
import threading
from pathlib import Path

import pytest

from hedgewatch.errors import DataFormatError
from hedgewatch.sources.gdelt_download import RemoteFile, download_export, read_master_list
from hedgewatch.store import Store, event_days, event_files
from hedgewatch.workflows import fetch_events

from .conftest import synthetic_exports


class Server:
    """A tiny file server with Range support, a request log and a 'cut once' switch."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.cut_once: set[str] = set()
        self.log: list[tuple[str, str | None]] = []
        server = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_GET(self):  # noqa: N802 - http.server's name
                name = self.path.lstrip("/").split("?")[0]
                rng = self.headers.get("Range")
                server.log.append((name, rng))
                path = server.root / name
                if not path.is_file():
                    self.send_error(404)
                    return
                data = path.read_bytes()
                start = int(rng.split("=")[1].split("-")[0]) if rng else 0
                body = data[start:]
                self.send_response(206 if rng else 200)
                if rng:
                    self.send_header("Content-Range", f"bytes {start}-{len(data) - 1}/{len(data)}")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                if name in server.cut_once:
                    server.cut_once.discard(name)
                    self.wfile.write(body[: len(body) // 2])
                    self.wfile.flush()
                    self.connection.shutdown(2)  # drop the connection mid-body
                    return
                self.wfile.write(body)

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def site(tmp_path):
    root = tmp_path / "site"
    root.mkdir()
    files = synthetic_exports(root, 6, 150, seed=2)
    srv = Server(root)
    lines = []
    for i, f in enumerate(files):
        data = f.read_bytes()
        md5 = hashlib.md5(data).hexdigest()
        if i == 2:
            md5 = "0" * 32  # the list's checksum does not match: a corrupt file
        lines.append(f"{len(data)} {md5} {srv.url}/{f.name}")
        stamp = f.name.split(".")[0]
        lines.append(f"123 {'a' * 32} {srv.url}/{stamp}.mentions.CSV.zip")
    (root / "masterfilelist.txt").write_text("\n".join(lines) + "\n")
    srv.cut_once.add(files[4].name)
    yield srv, files
    srv.close()


def test_fetch_downloads_verifies_resumes_and_imports(site, tmp_path):
    srv, files = site
    store = Store(tmp_path / "s.duckdb")
    dest = tmp_path / "dl"
    rep = fetch_events(
        "2017-03-13",
        "2017-03-13",
        index=f"{srv.url}/masterfilelist.txt",
        dest=dest,
        jobs=3,
        batch=4,
        store=store,
    )
    assert rep.listed == 6 and rep.imported == 5
    assert [name for name, _ in rep.failed] == [files[2].name]
    assert "checksum mismatch" in rep.failed[0][1]
    imported = set(event_files(store=store)["file"])
    assert imported == {f.name for i, f in enumerate(files) if i != 2}
    # the cut transfer was resumed where it stopped
    ranges = [r for name, r in srv.log if name == files[4].name]
    assert ranges[0] is None and ranges[1] is not None and ranges[1].startswith("bytes=")
    assert not list(dest.glob("*.zip")) and not list(dest.glob("*.part"))  # raw not kept
    total = event_days(store=store)["events"].sum()
    # a second fetch retries only the failed file, which fails again; nothing is doubled
    again = fetch_events("2017-03-13", "2017-03-13", index=f"{srv.url}/masterfilelist.txt",
                         dest=dest, store=store)  # fmt: skip
    assert again.already == 5 and again.imported == 0 and len(again.failed) == 1
    assert event_days(store=store)["events"].sum() == total


def test_keep_raw_and_an_interrupted_download_resumes(site, tmp_path):
    srv, files = site
    dest = tmp_path / "dl"
    dest.mkdir()
    data = files[0].read_bytes()
    (dest / f"{files[0].name}.part").write_bytes(data[:1000])  # left by a killed fetch
    remote = RemoteFile(f"{srv.url}/{files[0].name}", len(data), hashlib.md5(data).hexdigest())
    path = download_export(remote, dest)
    assert path.read_bytes() == data
    assert (files[0].name, "bytes=1000-") in srv.log
    store = Store(tmp_path / "s.duckdb")
    rep = fetch_events("2017-03-13 00:00", "2017-03-13 00:30", keep_raw=True, dest=dest,
                       index=f"{srv.url}/masterfilelist.txt", store=store)  # fmt: skip
    assert rep.listed == 3 and rep.imported == 2 and len(rep.failed) == 1
    assert {p.name for p in dest.glob("*.zip")} == {files[0].name, files[1].name}


def test_master_list_parsing(tmp_path):
    good = tmp_path / "m.txt"
    good.write_text(
        "150383 297a16b493de7cf6ca809a7cc31d0b93 http://x/gdeltv2/20150218230000.export.CSV.zip\n"
        "318084 bb27f78ba45f69a17ea6ed7755e9f8ff http://x/gdeltv2/20150218230000.mentions.CSV.zip\n"
    )
    m = read_master_list(str(good))
    assert m["file"].tolist() == ["20150218230000.export.CSV.zip"]
    assert m["size"].tolist() == [150383] and str(m["stamp"].iloc[0]) == "2015-02-18 23:00:00"
    bad = tmp_path / "b.txt"
    bad.write_text("150383 not-a-checksum http://x/a.export.CSV.zip\n")
    with pytest.raises(DataFormatError, match="line 1"):
        read_master_list(str(bad))
