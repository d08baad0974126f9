"""Download the newest UN Digital Library "General Assembly Voting Data" file.

The Dag Hammarskjöld Library publishes the full GA voting record as one CSV attached to
record 4060887. The names vary from release to release (``2024_09_12_ga_resolutions_voting.csv``,
``2025_03_31_ga_voting_corr1.csv``, ``2025_9_19_ga_voting.csv``, ``2026_02_06_ga_voting.csv``):
:func:`latest_file` reads the record page and picks the newest attachment by the date in its
name, whatever the rest of the name and however many digits the month and day have; a
correction (``_corr1``, ``_corr2``) supersedes the file of its date. :func:`fetch_undl_votes`
downloads it once into ``$HEDGEWATCH_HOME/downloads``. Set ``HEDGEWATCH_UNDL_URL`` (or pass
``record_url``) to use a mirror.

A download is verified before it is kept, and a kept file before it is reused:

* the size equals the server's ``Content-Length`` (when it sends one);
* the file starts with the UN Digital Library header (:data:`~hedgewatch.sources.unga.UNDL_COLUMNS`)
  and holds at least one row - an error page or a truncated transfer is not a CSV of votes;
* its SHA-256 is recorded beside it (``<name>.sha256``) when it is moved into place
  (written to a temporary file first), and checked on every reuse: a file changed or damaged
  since, or one with no record, is deleted and downloaded again.
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
#: ``YYYY_M[M]_D[D]_ga[_words]_voting[_corrN].csv`` anywhere in a link or attribute.
_FILE_RE = re.compile(
    r"""(?<![\w.])((\d{4})_(\d{1,2})_(\d{1,2})_ga_(?:[a-z]+_)*voting(?:_corr(\d+))?\.csv)""",
    re.IGNORECASE,
)
_HREF_RE = re.compile(r"""(?:href|src)\s*=\s*["']([^"']+)["']""", re.IGNORECASE)


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


def _check_url(url: str, where: str) -> str:
    parts = urllib.parse.urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise DownloadError(f"{where} must be an http(s) URL such as {RECORD_URL}; got {url!r}.")
    return url


def file_key(name: str) -> tuple[int, int, int, int] | None:
    """``(year, month, day, correction)`` of a Library voting-file name, or None if the name
    is not one (``2025_03_31_ga_voting_corr1.csv`` -> ``(2025, 3, 31, 1)``)."""
    m = _FILE_RE.fullmatch(name)
    if m is None:
        return None
    year, month, day = int(m.group(2)), int(m.group(3)), int(m.group(4))
    if not (1 <= month <= 12 and 1 <= day <= 31):
        return None
    return year, month, day, int(m.group(5) or 0)


def latest_file(record_url: str | None = None, timeout: float = 60) -> tuple[str, str]:
    """(file name, absolute URL) of the newest GA voting file on the record page.

    Files are ordered by the date in their name, then by their correction number (a file
    without ``_corrN`` is correction 0), so ``2025_03_31_ga_voting_corr1.csv`` supersedes
    ``2025_03_31_ga_voting.csv`` and is superseded by any later date.
    """
    base = record_url or os.environ.get(ENV_URL) or RECORD_URL
    from_env = not record_url and bool(os.environ.get(ENV_URL))
    _check_url(base, f"${ENV_URL}" if from_env else "The record URL")
    page = _get(base, timeout).decode("utf-8", errors="replace")
    found: dict[tuple[int, int, int, int], tuple[str, str]] = {}
    for link in _HREF_RE.findall(page):
        href = urllib.parse.urlsplit(link)._replace(query="", fragment="").geturl()
        name = urllib.parse.unquote(href.rsplit("/", 1)[-1])
        key = file_key(name)
        if key is not None:
            found.setdefault(key, (name, href))
    if not found:
        raise DownloadError(
            f"{base}: no file named like YYYY_MM_DD_ga_voting.csv on the record page. The "
            "Library may have changed its layout; download the file by hand and import it "
            "with 'hedgewatch data import FILE'."
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
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise DownloadError(f"{folder}: cannot create the downloads folder ({exc}).") from exc
    target = folder / name
    if target.exists():
        problem = verify(target)
        if problem is None:
            return target
        discard(target)  # changed or damaged since it was kept: fetch it again
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
        problem = _layout_problem(Path(tmp))
        if problem is not None:
            raise DownloadError(
                f"{url}: the file downloaded is not the Library's voting data ({problem}); "
                "nothing was kept. Retry later, or download it by hand and run 'hedgewatch "
                "data import FILE --format undl'."
            )
        Path(tmp).chmod(0o644)
        os.replace(tmp, target)
        _sha_file(target).write_text(f"{digest.hexdigest()}  {name}\n")
    except (urllib.error.URLError, TimeoutError, OSError) as exc:
        discard(target)
        raise DownloadError(f"{url}: cannot download ({exc}). Retry later.") from exc
    finally:
        Path(tmp).unlink(missing_ok=True)
    return target


def _sha_file(path: Path) -> Path:
    return path.with_name(f"{path.name}.sha256")


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        while chunk := fh.read(1 << 20):
            h.update(chunk)
    return h.hexdigest()


def verify(path: str | os.PathLike[str]) -> str | None:
    """Why a kept download cannot be reused (None if it can): no SHA-256 record, a digest
    that differs from the recorded one, or a file that is not the Library's layout."""
    p = Path(path)
    try:
        recorded = _sha_file(p).read_text().split()[0]
    except (OSError, IndexError):
        return "no SHA-256 record"
    try:
        if _sha256(p) != recorded:
            return "its SHA-256 differs from the one recorded when it was downloaded"
    except OSError as exc:
        return f"cannot read it ({exc})"
    return _layout_problem(p)


def discard(path: str | os.PathLike[str]) -> None:
    """Delete a kept download and its SHA-256 record (a bad file is never reused)."""
    p = Path(path)
    p.unlink(missing_ok=True)
    _sha_file(p).unlink(missing_ok=True)


def _layout_problem(path: Path) -> str | None:
    """A cheap check that ``path`` is a UN Digital Library voting CSV: header and one row."""
    from hedgewatch.sources.unga import UNDL_COLUMNS

    with path.open("rb") as fh:
        head = fh.read(1 << 16)
    lines = head.decode("utf-8-sig", errors="replace").splitlines()
    if not lines:
        return "it is empty"
    cols = [c.strip().strip('"') for c in lines[0].split(",")]
    required = [c for c in UNDL_COLUMNS if c != "vote_note"]
    if cols not in (UNDL_COLUMNS, required):
        return f"its first line is {lines[0][:120]!r}, not the voting data header"
    if len(lines) < 2 or not lines[1].strip():
        return "it has a header but no rows"
    return None
