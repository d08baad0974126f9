"""Download the newest UN Digital Library "General Assembly Voting Data" file.

The Dag Hammarskjöld Library publishes the full GA voting record as one CSV attached to
record 4060887 (files named like ``2026_02_06_ga_voting.csv``). :func:`latest_file` reads the
record page and picks the newest attachment by the date in its name; :func:`fetch_undl_votes`
downloads it once into ``$HEDGEWATCH_HOME/downloads`` (a file already there is reused),
writing to a temporary file and moving it into place only when complete, and records its
SHA-256 beside it. Set ``HEDGEWATCH_UNDL_URL`` (or pass ``record_url``) to use a mirror.
"""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from pathlib import Path

from hedgewatch.errors import HedgewatchError
from hedgewatch.paths import downloads_home

RECORD_URL = "https://digitallibrary.un.org/record/4060887"
ENV_URL = "HEDGEWATCH_UNDL_URL"
_FILE_RE = re.compile(r"""["'(/=]([^"'()\s<>/]*?(\d{4})_(\d{2})_(\d{2})_ga_voting\.csv)""")


class DownloadError(HedgewatchError):
    """The official file could not be found or fetched."""


def _get(url: str, timeout: float) -> bytes:
    req = urllib.request.Request(url, headers={"User-Agent": "hedgewatch"})
    try:
        with urllib.request.urlopen(req, timeout=timeout) as resp:
            return resp.read()
    except (urllib.error.URLError, TimeoutError, OSError) as exc:
        raise DownloadError(
            f"{url}: cannot download ({exc}). Check your connection, or download the file by "
            "hand and run 'hedgewatch data import FILE --format undl'."
        ) from exc


def latest_file(record_url: str | None = None, timeout: float = 60) -> tuple[str, str]:
    """(file name, absolute URL) of the newest ``*_ga_voting.csv`` on the record page."""
    base = record_url or os.environ.get(ENV_URL) or RECORD_URL
    page = _get(base, timeout).decode("utf-8", errors="replace")
    found = {}
    for m in _FILE_RE.finditer(page):
        href = m.group(1)
        name = href.rsplit("/", 1)[-1]
        found[(m.group(2), m.group(3), m.group(4))] = (name, href)
    if not found:
        raise DownloadError(
            f"{base}: no file named like YYYY_MM_DD_ga_voting.csv on the record page. The "
            "Library may have changed its layout; download the file by hand and import it."
        )
    name, href = found[max(found)]
    url = urllib.parse.urljoin(base.rstrip("/") + "/", href if "/" in href else f"files/{href}")
    return name, url


def fetch_undl_votes(
    record_url: str | None = None,
    dest: str | os.PathLike[str] | None = None,
    *,
    timeout: float = 60,
    progress: Callable[[int, int | None], None] | None = None,
) -> Path:
    """Download the newest GA voting CSV (once) and return its local path.

    Parameters
    ----------
    record_url
        The Library record page; default :data:`RECORD_URL` or ``$HEDGEWATCH_UNDL_URL``.
    dest
        Folder to keep downloads in; default ``$HEDGEWATCH_HOME/downloads``.
    progress
        Called with (bytes so far, total or None) while downloading.
    """
    name, url = latest_file(record_url, timeout)
    folder = Path(dest) if dest is not None else downloads_home()
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / name
    if target.exists():
        return target
    req = urllib.request.Request(url, headers={"User-Agent": "hedgewatch"})
    fd, tmp = tempfile.mkstemp(prefix=".dl-", dir=folder)
    digest = hashlib.sha256()
    try:
        with os.fdopen(fd, "wb") as out, urllib.request.urlopen(req, timeout=timeout) as resp:
            total = resp.headers.get("Content-Length")
            total_n = int(total) if total and total.isdigit() else None
            done = 0
            while chunk := resp.read(1 << 16):
                out.write(chunk)
                digest.update(chunk)
                done += len(chunk)
                if progress:
                    progress(done, total_n)
        if total_n is not None and done != total_n:
            raise DownloadError(f"{url}: download stopped at {done} of {total_n} bytes; retry.")
        os.replace(tmp, target)
    except (urllib.error.URLError, TimeoutError, OSError) as exc:
        raise DownloadError(f"{url}: cannot download ({exc}). Retry later.") from exc
    finally:
        Path(tmp).unlink(missing_ok=True)
    (folder / f"{name}.sha256").write_text(f"{digest.hexdigest()}  {name}\n")
    return target
