"""Download GDELT 2.0 event exports: the master file list, parallel downloads, MD5, resume.

GDELT 2.0 lists every file it has published in ``masterfilelist.txt`` (and the newest three
in ``lastupdate.txt``), one a line: ``SIZE MD5 URL``, e.g.
``150383 297a16b493de7cf6ca809a7cc31d0b93 http://data.gdeltproject.org/gdeltv2/20150218230000.export.CSV.zip``.
Each 15-minute stamp has an ``.export.CSV.zip`` (events), a ``.mentions.CSV.zip`` and a
``.gkg.csv.zip``; only the exports are fetched here.

:func:`download_export` writes to ``NAME.part`` beside the target, resumes a partial file with
an HTTP ``Range`` request (after an interruption, a dropped connection or a killed process),
retries with back-off, checks the size and the MD5 the list gives, and only then moves the
file into place. A file whose checksum does not match is deleted and reported
(:class:`ChecksumError`), never imported. :func:`download_many` runs downloads in parallel
threads. Set ``HEDGEWATCH_GDELT_URL`` (or pass ``index``) to read the list from a mirror.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import http.client
import os
import re
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from hedgewatch.errors import DataFormatError, Problem
from hedgewatch.sources.download import DownloadError

MASTER_URL = "http://data.gdeltproject.org/gdeltv2/masterfilelist.txt"
ENV_URL = "HEDGEWATCH_GDELT_URL"
_LINE = re.compile(r"^(\d+)\s+([0-9a-fA-F]{32})\s+(\S+)$")
_STAMP = re.compile(r"(\d{14})\.export\.CSV\.zip$", re.IGNORECASE)


class ChecksumError(DownloadError):
    """A downloaded file does not match the size or MD5 checksum of the file list."""


@dataclass(frozen=True)
class RemoteFile:
    """One entry of the file list."""

    url: str
    size: int
    md5: str

    @property
    def name(self) -> str:
        return urllib.parse.urlsplit(self.url).path.rsplit("/", 1)[-1]


@contextlib.contextmanager
def _lines(src: str, timeout: float) -> Iterator[Iterable[bytes]]:
    """The lines of a local file or a URL, streamed (GDELT's list is over 100 MB)."""
    if "://" not in src:
        with open(src, "rb") as f:
            yield f
        return
    req = urllib.request.Request(src, headers={"User-Agent": "hedgewatch"})
    try:
        resp = urllib.request.urlopen(req, timeout=timeout)
    except (urllib.error.URLError, TimeoutError, OSError, http.client.HTTPException) as exc:
        raise DownloadError(
            f"{src}: cannot download the GDELT file list ({exc}). Check your connection, or "
            f"point {ENV_URL} (--index) at a mirror."
        ) from exc
    with resp:
        yield resp


def read_master_list(index: str | None = None, *, timeout: float = 120) -> pd.DataFrame:
    """The GDELT 2.0 event exports listed in a master file list.

    Parameters
    ----------
    index
        URL or local path of ``masterfilelist.txt``; default ``$HEDGEWATCH_GDELT_URL`` or
        :data:`MASTER_URL`.

    Returns
    -------
    DataFrame ``file, stamp, size, md5, url``, one row per ``.export.CSV.zip``, by stamp.
    Malformed lines raise :class:`~hedgewatch.errors.DataFormatError` naming each line.
    """
    src = index or os.environ.get(ENV_URL) or MASTER_URL
    rows, problems = [], []
    try:
        with _lines(src, timeout) as lines:
            for i, raw in enumerate(lines, start=1):
                line = raw.decode("utf-8", errors="replace").strip()
                if not line or ".export.CSV.zip" not in line and _LINE.match(line):
                    continue  # blank, or a mentions / GKG file
                m = _LINE.match(line)
                stamp = _STAMP.search(m.group(3)) if m else None
                if m is None or stamp is None:
                    problems.append(Problem("not 'SIZE MD5 URL'", i, None, line[:80]))
                    continue
                rows.append(
                    (
                        m.group(3).rsplit("/", 1)[-1],
                        dt.datetime.strptime(stamp.group(1), "%Y%m%d%H%M%S"),
                        int(m.group(1)),
                        m.group(2).lower(),
                        m.group(3),
                    )
                )
    except (OSError, http.client.HTTPException) as exc:
        raise DownloadError(f"{src}: cannot read the GDELT file list ({exc}).") from exc
    if problems:
        raise DataFormatError(
            src, problems[:20], total=len(problems), hint="Is this a GDELT masterfilelist.txt?"
        )
    out = pd.DataFrame(rows, columns=["file", "stamp", "size", "md5", "url"])
    out["stamp"] = pd.to_datetime(out["stamp"])
    return out.sort_values("stamp").reset_index(drop=True)


def select_exports(master: pd.DataFrame, start: object, end: object) -> pd.DataFrame:
    """The exports stamped from ``start`` to ``end`` (days are inclusive: ``--to 2024-01-31``
    takes the whole day)."""
    lo = pd.Timestamp(str(start))
    hi = pd.Timestamp(str(end))
    if hi == hi.normalize():
        hi = hi + pd.Timedelta(days=1) - pd.Timedelta(seconds=1)
    sel = master[(master["stamp"] >= lo) & (master["stamp"] <= hi)]
    return sel.reset_index(drop=True)


def _md5(path: Path) -> str:
    h = hashlib.md5(usedforsecurity=False)
    with path.open("rb") as f:
        while chunk := f.read(1 << 20):
            h.update(chunk)
    return h.hexdigest()


def download_export(
    remote: RemoteFile,
    dest: str | os.PathLike[str],
    *,
    retries: int = 4,
    timeout: float = 60,
    backoff: float = 0.5,
) -> Path:
    """Download one file into ``dest`` (resuming ``NAME.part``), verify it, return its path.

    A file already in ``dest`` with the right checksum is reused. Interrupted transfers are
    resumed with a ``Range`` request, up to ``retries`` times with exponential back-off. A
    complete file with the wrong checksum is deleted and downloaded once more from scratch;
    if it is still wrong, :class:`ChecksumError` is raised.
    """
    folder = Path(dest)
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / remote.name
    if target.exists():
        if target.stat().st_size == remote.size and _md5(target) == remote.md5:
            return target
        target.unlink()
    part = folder / f"{remote.name}.part"
    fresh_tries = 2
    attempt = 0
    while True:
        try:
            _fetch_into(remote, part, timeout)
        except (urllib.error.URLError, TimeoutError, OSError, http.client.HTTPException) as exc:
            attempt += 1
            if isinstance(exc, urllib.error.HTTPError) and exc.code in (403, 404, 410):
                part.unlink(missing_ok=True)
                raise DownloadError(f"{remote.url}: HTTP {exc.code} ({exc.reason})") from exc
            if attempt > retries:
                raise DownloadError(
                    f"{remote.url}: download failed after {retries} retries ({exc}); the "
                    f"partial file {part.name} is kept, run the fetch again to resume."
                ) from exc
            time.sleep(backoff * 2 ** (attempt - 1))
            continue
        got = _md5(part)
        size = part.stat().st_size
        if size == remote.size and got == remote.md5:
            os.replace(part, target)
            return target
        part.unlink(missing_ok=True)
        fresh_tries -= 1
        if fresh_tries <= 0:
            raise ChecksumError(
                f"{remote.url}: checksum mismatch (expected MD5 {remote.md5} and {remote.size} "
                f"bytes, got {got} and {size} bytes); the file was deleted and not imported."
            )


def _fetch_into(remote: RemoteFile, part: Path, timeout: float) -> None:
    """Append the missing bytes of ``remote`` to ``part`` (one HTTP request)."""
    have = part.stat().st_size if part.exists() else 0
    if have > remote.size:
        part.unlink()
        have = 0
    if have == remote.size:
        return
    headers = {"User-Agent": "hedgewatch"}
    if have:
        headers["Range"] = f"bytes={have}-"
    req = urllib.request.Request(remote.url, headers=headers)
    with urllib.request.urlopen(req, timeout=timeout) as resp:
        mode = "ab" if have and resp.status == 206 else "wb"
        expected = resp.headers.get("Content-Length")
        got = 0
        with part.open(mode) as out:
            while chunk := resp.read(1 << 16):
                out.write(chunk)
                got += len(chunk)
        if expected is not None and got < int(expected):
            raise http.client.IncompleteRead(b"", int(expected) - got)


def download_many(
    remotes: Iterable[RemoteFile],
    dest: str | os.PathLike[str],
    *,
    jobs: int = 4,
    retries: int = 4,
    timeout: float = 60,
    on_done: Callable[[RemoteFile, Path | None, Exception | None], None] | None = None,
) -> Iterator[tuple[RemoteFile, Path | None, Exception | None]]:
    """Download in ``jobs`` parallel threads; yield ``(remote, path, None)`` or
    ``(remote, None, error)`` as each finishes."""
    with ThreadPoolExecutor(max(1, jobs), thread_name_prefix="hw-fetch") as pool:
        futures = {
            pool.submit(download_export, r, dest, retries=retries, timeout=timeout): r
            for r in remotes
        }
        for fut in as_completed(futures):
            r = futures[fut]
            try:
                result: tuple = (r, fut.result(), None)
            except DownloadError as exc:
                result = (r, None, exc)
            if on_done is not None:
                on_done(*result)
            yield result
