"""Readers for corpora of dated official statements.

Formats (chosen from the file name):

* CSV (``.csv``, ``.tsv``, optionally ``.gz``) with a header row;
* JSON Lines (``.jsonl``, ``.ndjson``, optionally ``.gz``), one object a line;
* Parquet (``.parquet``);
* RSS / Atom feed files (``.xml``, ``.rss``, ``.atom``), parsed with ``feedparser``;
* a directory of text files with a ``manifest.csv`` (columns ``file, date`` and optionally
  ``actor, title, url, language, source``), each listed file holding one statement's text.

Every reader returns the same normalised frame (:data:`COLUMNS`): ``statement_id, actor (ISO3),
date (day), title, text, url, language, source, detected_language, file, line``. Column names in
the input are matched through one table (:data:`COLUMN_ALIASES`).

Bad records are never dropped silently. By default the reader collects every bad record and
raises one :class:`~hedgewatch.errors.DataFormatError` naming file, line, column and value.
With ``quarantine=PATH`` the good records are returned and every rejected one is written to
``PATH`` (CSV: ``file, line, column, value, reason`` plus the raw fields), so a long corpus
with a few broken records can still be imported and the broken ones reviewed.
"""

from __future__ import annotations

import gzip
import hashlib
import html
import io
import json
import os
import re
import zlib
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import cast

import numpy as np
import pandas as pd

from hedgewatch import countries as _countries
from hedgewatch.errors import DataFormatError, Problem, UnknownCountryError
from hedgewatch.sources._io import FIRST_DATE, latest_date, out_of_range, read_parquet

COLUMNS = [
    "statement_id",
    "actor",
    "date",
    "title",
    "text",
    "url",
    "language",
    "source",
    "detected_language",
    "file",
    "line",
]

#: Input column name -> normalised name. The one place where layouts are mapped.
COLUMN_ALIASES: dict[str, str] = {
    "actor": "actor",
    "country": "actor",
    "iso3": "actor",
    "state": "actor",
    "date": "date",
    "published": "date",
    "pubdate": "date",
    "datetime": "date",
    "date_str": "date_str",
    "title": "title",
    "headline": "title",
    "text": "text",
    "body": "text",
    "content": "text",
    "summary": "text",
    "url": "url",
    "link": "url",
    "language": "language",
    "lang": "language",
    "source": "source",
    "outlet": "source",
}

MAX_PROBLEMS = 50
_FEED_SUFFIXES = {".xml", ".rss", ".atom"}
_TAG = re.compile(r"<[^>]+>")
_WS = re.compile(r"\s+")


def read_statements(
    path: str | os.PathLike[str],
    *,
    actor: str | None = None,
    source: str | None = None,
    language: str | None = None,
    quarantine: str | os.PathLike[str] | None = None,
) -> pd.DataFrame:
    """Read one corpus file (or manifest directory) of dated statements.

    Parameters
    ----------
    path
        A CSV, JSON Lines, Parquet or RSS/Atom file, or a directory with ``manifest.csv``.
    actor
        Country for records without an ``actor`` column (required for feeds). Any form that
        :func:`hedgewatch.countries.resolve` accepts; it does not override a present column.
    source, language
        Defaults for records without these fields.
    quarantine
        Where to write rejected records (CSV). ``None`` (default): raise on any bad record.

    Returns
    -------
    DataFrame with the columns of :data:`COLUMNS`; ``df.attrs["rejected"]`` counts the records
    sent to quarantine.
    """
    p = Path(path)
    if not p.exists():
        raise DataFormatError(p, "no such file or directory", hint="Check the path.")
    if quarantine is not None:
        _quarantine_files([p], quarantine)  # refuses a target that would overwrite the input
    raw = _read_raw(p)
    if raw.empty and not raw.attrs.get("problems"):
        raise DataFormatError(
            p,
            "the file holds no statements (it is empty or has a header only)",
            hint="Check that this is the corpus you meant; nothing was imported",
        )
    return _normalise(raw, p, actor=actor, source=source, language=language, quarantine=quarantine)


def read_many(
    paths: Iterable[str | os.PathLike[str]],
    *,
    actor: str | None = None,
    source: str | None = None,
    language: str | None = None,
    quarantine: str | os.PathLike[str] | None = None,
    on_file: Callable[[int, Path], None] | None = None,
) -> pd.DataFrame:
    """Read several corpora and concatenate them (validating all before returning any).

    ``on_file(i, path)`` is called before the ``i``-th file (0-based) is read.

    With ``quarantine``, each file's rejected records go to one file beside ``quarantine``
    named ``<stem>.<n>.csv`` when there are several inputs; a target that is one of the
    inputs is refused. ``out.attrs["quarantined"]`` lists the files written.
    """
    files = [Path(p) for p in paths]
    targets = _quarantine_files(files, quarantine)
    frames: list[pd.DataFrame] = []
    problems: list[Problem] = []
    total = 0
    for i, (p, q) in enumerate(zip(files, targets, strict=True)):
        if on_file is not None:
            on_file(i, p)
        try:
            frames.append(
                read_statements(p, actor=actor, source=source, language=language, quarantine=q)
            )
        except DataFormatError as exc:  # keep reading: report every bad file at once
            if len(files) == 1:
                raise
            problems.extend(Problem(f"{exc.path}: {pr}") for pr in exc.problems)
            total += exc.total
    if problems:
        raise DataFormatError(
            f"{len(files)} files",
            problems[:MAX_PROBLEMS],
            total=total,
            hint="Fix these records, or pass a quarantine file to import the rest",
        )
    out = pd.concat(frames, ignore_index=True) if frames else _empty()
    out.attrs["rejected"] = sum(f.attrs.get("rejected", 0) for f in frames)
    out.attrs["quarantined"] = [
        str(q) for f, q in zip(frames, targets, strict=True) if f.attrs.get("rejected")
    ]
    return out


def _quarantine_files(
    paths: list[Path], quarantine: str | os.PathLike[str] | None
) -> list[Path | None]:
    """Where each input's rejected records would go: ``quarantine`` itself for one input,
    ``<stem>.<n><suffix>`` beside it for several. Refuses a target that is an input."""
    if quarantine is None:
        return [None] * len(paths)
    qp = Path(quarantine)
    targets: list[Path | None]
    if len(paths) == 1:
        targets = [qp]
    else:
        targets = [
            qp.with_name(f"{qp.stem}.{i + 1}{qp.suffix or '.csv'}") for i in range(len(paths))
        ]
    inputs = {_same(p) for p in paths}
    for t in targets:
        assert t is not None
        if _same(t) in inputs or (t.exists() and t.is_dir()):
            raise DataFormatError(
                t,
                "the quarantine file would overwrite an input"
                if _same(t) in inputs
                else "the quarantine path is a folder",
                hint="Give --quarantine a new file name, e.g. rejected.csv",
            )
    return targets


def _same(p: Path) -> str:
    try:
        return str(p.resolve())
    except OSError:
        return str(p.absolute())


# -- raw readers: file -> DataFrame of strings with a 'line' column ------------------------
def _suffixes(p: Path) -> list[str]:
    s = [x.lower() for x in p.suffixes]
    return s[:-1] if s and s[-1] == ".gz" else s


def _open_text(p: Path) -> io.TextIOBase:
    if p.suffix.lower() == ".gz":
        return io.TextIOWrapper(gzip.open(p, "rb"), encoding="utf-8", errors="strict")
    return open(p, encoding="utf-8", errors="strict")  # noqa: SIM115


#: What a truncated or corrupt gzip stream raises while it is read.
_GZIP_ERRORS = (EOFError, gzip.BadGzipFile, zlib.error)


def _read_raw(p: Path) -> pd.DataFrame:
    if p.is_dir():
        return _read_manifest_dir(p)
    suf = _suffixes(p)
    last = suf[-1] if suf else ""
    try:
        if last in {".csv", ".tsv"}:
            return _read_csv(p, sep="\t" if last == ".tsv" else ",")
        if last in {".jsonl", ".ndjson", ".json"}:
            return _read_jsonl(p)
        if last == ".parquet":
            return _read_parquet(p)
        if last in _FEED_SUFFIXES:
            return _read_feed(p)
    except UnicodeDecodeError as exc:
        raise DataFormatError(
            p,
            f"not UTF-8 text ({exc.reason} at byte {exc.start})",
            hint="Re-encode the file as UTF-8",
        ) from exc
    except _GZIP_ERRORS as exc:
        raise DataFormatError(
            p,
            f"the gzip stream is truncated or corrupt ({exc}); the file has "
            f"{p.stat().st_size:,} bytes",
            hint="Download or copy the file again; nothing was imported",
        ) from exc
    except OSError as exc:
        raise DataFormatError(p, f"cannot read the file ({exc.strerror or exc})") from exc
    raise DataFormatError(
        p,
        f"unknown file type {''.join(suf) or '(none)'!r}",
        hint="Use .csv, .tsv, .jsonl, .ndjson, .parquet, .xml/.rss/.atom (feeds), "
        "or a directory with manifest.csv",
    )


def _read_parquet(p: Path) -> pd.DataFrame:
    df = read_parquet(p, "a corpus of statements")
    df = df.astype({c: "string" for c in df.columns if df[c].dtype == object})
    df["line"] = np.arange(1, len(df) + 1)
    return df


def _read_csv(p: Path, sep: str) -> pd.DataFrame:
    try:
        df = pd.read_csv(
            p, sep=sep, dtype=str, keep_default_na=False, na_values=[""], encoding="utf-8"
        )
    except pd.errors.EmptyDataError:
        return pd.DataFrame({"line": pd.Series(dtype="int64")})  # refused by the caller
    except pd.errors.ParserError as exc:
        raise DataFormatError(
            p, f"malformed CSV ({exc})", hint="Check quoting and the number of fields per line"
        ) from exc
    # 'line' counts the header as line 1; a quoted field with newlines shifts later lines
    df["line"] = np.arange(2, len(df) + 2)
    return df


def _read_jsonl(p: Path) -> pd.DataFrame:
    records: list[dict[str, object]] = []
    problems: list[Problem] = []
    i = 0
    with _open_text(p) as fh:
        try:
            for i, line in enumerate(fh, start=1):
                _json_line(line, i, records, problems)
        except _GZIP_ERRORS as exc:
            raw = getattr(getattr(fh, "buffer", None), "fileobj", None)
            at = raw.tell() if raw is not None else p.stat().st_size
            raise DataFormatError(
                p,
                [
                    Problem(
                        f"the gzip stream is truncated or corrupt at byte {at:,} of "
                        f"{p.stat().st_size:,} ({exc})",
                        i + 1,
                    )
                ],
                hint=f"Lines 1-{i} were read; download or copy the file again. "
                "Nothing was imported",
            ) from exc
    df = pd.DataFrame.from_records(records)
    if problems:
        df.attrs["problems"] = problems
    return df


def _json_line(
    line: str, i: int, records: list[dict[str, object]], problems: list[Problem]
) -> None:
    """Parse one JSON Lines line into ``records`` (or a problem into ``problems``)."""
    if not line.strip():
        return
    try:
        obj = json.loads(line)
    except json.JSONDecodeError as exc:
        problems.append(Problem(f"invalid JSON ({exc.msg} at column {exc.colno})", i))
        return
    if not isinstance(obj, dict):
        problems.append(Problem("a line must hold one JSON object", i, value=line.strip()[:40]))
        return
    obj["line"] = i
    records.append(obj)


def _strip_html(s: str) -> str:
    return _WS.sub(" ", html.unescape(_TAG.sub(" ", s))).strip()


def _read_feed(p: Path) -> pd.DataFrame:
    import feedparser

    feed = feedparser.parse(p.read_bytes())
    if feed.bozo and not feed.entries:
        raise DataFormatError(
            p,
            f"not a readable RSS/Atom feed ({feed.bozo_exception})",
            hint="Check that the file is an RSS or Atom XML document",
        )
    rows = []
    for i, e in enumerate(feed.entries, start=1):
        content = e.get("content")
        body = content[0].get("value", "") if content else e.get("summary", "")
        when = e.get("published_parsed") or e.get("updated_parsed")
        rows.append(
            {
                "date": (
                    f"{when.tm_year:04d}-{when.tm_mon:02d}-{when.tm_mday:02d}"
                    if when
                    else e.get("published") or e.get("updated")
                ),
                "title": _strip_html(e.get("title", "") or ""),
                "text": _strip_html(body or ""),
                "url": e.get("link"),
                "language": (feed.feed.get("language") or "")[:2] or None,
                "source": feed.feed.get("title"),
                "line": i,  # the entry's position in the feed
            }
        )
    return pd.DataFrame(rows)


def _read_manifest_dir(d: Path) -> pd.DataFrame:
    manifest = d / "manifest.csv"
    if not manifest.exists():
        raise DataFormatError(
            d,
            "directory has no manifest.csv",
            hint="Add manifest.csv with columns file,date[,actor,title,url,language,source]",
        )
    df = _read_csv(manifest, ",")
    if "file" not in df.columns:
        raise DataFormatError(
            manifest,
            [Problem("missing column", 1, "file")],
            hint=f"Header found: {','.join(df.columns[:-1])}",
        )
    texts: list[str | None] = []
    problems = []
    for name, line in zip(df["file"], df["line"], strict=True):
        f = d / str(name)
        try:
            texts.append(f.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError) as exc:
            texts.append(None)
            problems.append(
                Problem(f"cannot read text file ({type(exc).__name__})", int(line), "file", name)
            )
    df["text"] = texts
    if problems:
        df.attrs["problems"] = problems
    return df


# -- normalisation and validation --------------------------------------------------------
def _rename(raw: pd.DataFrame) -> pd.DataFrame:
    mapping: dict[object, str] = {}
    for c in raw.columns:
        key = str(c).strip().lower()
        if key in COLUMN_ALIASES and COLUMN_ALIASES[key] not in mapping.values():
            mapping[c] = COLUMN_ALIASES[key]
    return raw.rename(columns=mapping)


def _text_col(df: pd.DataFrame, name: str, default: str | None = None) -> pd.Series:
    if name not in df.columns:
        return pd.Series(default, index=df.index, dtype="object")
    s = df[name].astype("object").where(df[name].notna(), None)  # type: ignore[call-overload]
    s = s.map(lambda v: None if v is None else str(v).strip() or None)
    return s.fillna(default) if default is not None else s


def _parse_dates(df: pd.DataFrame) -> pd.Series:
    raw = df["date"] if "date" in df.columns else pd.Series(None, index=df.index)
    if pd.api.types.is_datetime64_any_dtype(raw):
        return (
            pd.to_datetime(raw).dt.tz_localize(None).dt.normalize()
            if getattr(raw.dt, "tz", None)
            else raw.dt.normalize()
        )
    text = raw.astype("object").where(raw.notna(), None).astype(str).str.strip()  # type: ignore[call-overload]
    parsed = pd.to_datetime(text, errors="coerce", format="ISO8601", utc=True)
    rest = parsed.isna() & raw.notna()
    if rest.any():  # RFC 822 ("Thu, 11 Jun 2015 09:00:00 GMT") and other common forms
        parsed[rest] = pd.to_datetime(text[rest], errors="coerce", format="mixed", utc=True)
    return parsed.dt.tz_localize(None).dt.normalize()


def _resolve_actors(values: pd.Series, where: str) -> tuple[pd.Series, dict[str, str]]:
    out, bad = {}, {}
    for v in values.dropna().unique():
        try:
            out[v] = _countries.resolve(v)
        except UnknownCountryError as exc:
            bad[v] = str(exc).split(": ", 1)[-1]
    return values.map(out), bad


def _normalise(
    raw: pd.DataFrame,
    p: Path,
    *,
    actor: str | None,
    source: str | None,
    language: str | None,
    quarantine: str | os.PathLike[str] | None,
) -> pd.DataFrame:
    problems: list[Problem] = list(raw.attrs.get("problems", []))
    df = _rename(raw)
    if "date" not in df.columns and "date_str" in df.columns:
        df["date"] = df["date_str"]
    header = ",".join(str(c) for c in raw.columns if c != "line")
    if len(df) and "date" not in df.columns:
        raise DataFormatError(
            p,
            [Problem("missing column", 1, "date")],
            hint=f"Header found: {header}. Name the date column 'date'",
        )
    if len(df) and not {"text", "title"} & set(df.columns):
        raise DataFormatError(
            p,
            [Problem("missing column", 1, "text")],
            hint=f"Header found: {header}. A statement needs 'text' or 'title'",
        )
    default_actor = _countries.resolve(actor, where="--actor") if actor else None
    if len(df) and "actor" not in df.columns and default_actor is None:
        raise DataFormatError(
            p,
            [Problem("missing column", 1, "actor")],
            hint="Name the country column 'actor' or pass actor=/--actor",
        )
    out = pd.DataFrame(index=df.index)
    actors = _text_col(df, "actor")
    if default_actor is not None:
        actors = actors.fillna(default_actor)
    out["actor"], bad_actor = _resolve_actors(actors, str(p))
    out["date"] = _parse_dates(df) if len(df) else pd.Series(dtype="datetime64[ns]")
    out["title"] = _text_col(df, "title")
    out["text"] = _text_col(df, "text")
    out["url"] = _text_col(df, "url")
    out["language"] = _text_col(df, "language", language)
    out["language"] = out["language"].str.lower()
    out["source"] = _text_col(df, "source", source)
    out["file"] = str(p)
    out["line"] = df["line"].astype("int64") if "line" in df.columns else np.arange(1, len(df) + 1)
    reasons = _row_reasons(out, df, bad_actor)
    bad = reasons.notna()
    for i in np.flatnonzero(bad.to_numpy()):
        col, reason, value = reasons.iloc[i]
        problems.append(Problem(reason, int(out["line"].iloc[i]), col, value))
    if problems and quarantine is None:
        raise DataFormatError(
            p,
            problems[:MAX_PROBLEMS],
            total=len(problems),
            hint="Fix these records, or pass a quarantine file "
            "(--quarantine) to import the rest and review them",
        )
    good = out[~bad].copy()
    good.attrs["rejected"] = len(problems)
    if problems:
        _write_quarantine(Path(cast(str, quarantine)), p, problems, df)
    return _finish(good)


def _row_reasons(out: pd.DataFrame, df: pd.DataFrame, bad_actor: dict[str, str]) -> pd.Series:
    """One (column, reason, value) per bad row, None for good rows (first problem wins)."""
    reasons = pd.Series(None, index=out.index, dtype="object")
    raw_actor = _text_col(df, "actor")
    raw_date = df["date"] if "date" in df.columns else pd.Series(None, index=df.index)
    too_early, too_late = out_of_range(out["date"])
    checks = [
        (
            out["text"].isna() & out["title"].isna(),
            lambda i: ("text", "no text and no title", None),
        ),
        (out["date"].isna() & raw_date.isna(), lambda i: ("date", "missing date", None)),
        (
            out["date"].isna() & raw_date.notna(),
            lambda i: ("date", "unparseable date (use YYYY-MM-DD)", str(raw_date.loc[i])),
        ),
        (
            out["actor"].isna() & raw_actor.notna(),
            lambda i: (
                "actor",
                bad_actor.get(raw_actor.loc[i], "unknown country"),
                raw_actor.loc[i],
            ),
        ),
        (out["actor"].isna() & raw_actor.isna(), lambda i: ("actor", "missing actor", None)),
        (
            too_early,
            lambda i: ("date", f"date before {FIRST_DATE:%Y-%m-%d}", str(raw_date.loc[i])),
        ),
        (
            too_late,
            lambda i: (
                "date",
                f"date in the future (after {latest_date():%Y-%m-%d})",
                str(raw_date.loc[i]),
            ),
        ),
    ]
    for mask, make in reversed(checks):  # reversed so the first check's reason wins
        for i in out.index[mask.to_numpy()]:
            reasons.loc[i] = make(i)
    return reasons


def _write_quarantine(q: Path, p: Path, problems: list[Problem], df: pd.DataFrame) -> None:
    rows = pd.DataFrame(
        {
            "file": str(p),
            "line": [pr.line for pr in problems],
            "column": [pr.column for pr in problems],
            "value": [None if pr.value is None else str(pr.value) for pr in problems],
            "reason": [pr.reason for pr in problems],
        }
    )
    if "line" in df.columns:
        keep = [c for c in df.columns if c != "line"]
        raw = df[keep + ["line"]].astype({c: "object" for c in keep})
        rows = rows.merge(
            raw.add_prefix("raw_"), left_on="line", right_on="raw_line", how="left"
        ).drop(columns="raw_line")
    q.parent.mkdir(parents=True, exist_ok=True)
    rows.to_csv(q, index=False)


# -- identity and language -----------------------------------------------------------------
_SCRIPTS = [
    ("ru", re.compile(r"[\u0400-\u04FF]")),
    ("zh", re.compile(r"[\u4E00-\u9FFF]")),
    ("ko", re.compile(r"[\uAC00-\uD7AF]")),
]
_STOPWORDS = {
    "en": r"\b(?:the|of|and|to|is|in|that)\b",
    "es": r"\b(?:el|los|las|del|y|en|que|por)\b",
    "fr": r"\b(?:le|les|des|et|du|est|une)\b",
    "de": r"\b(?:der|die|und|das|ist|nicht|mit)\b",
}


def detect_language(texts: pd.Series) -> pd.Series:
    """A cheap language guess: script for ru/zh/ko, stop-word counts for en/es/fr/de.

    Good enough to flag a record declared ``en`` that is really Spanish (the KCNA 2011-12
    corpus has such records); not a general language identifier.
    """
    t = texts.fillna("").str.slice(0, 2000)
    out = pd.Series(None, index=texts.index, dtype="object")
    for lang, rx in _SCRIPTS:
        share = t.str.count(rx) / t.str.len().clip(lower=1)  # type: ignore[arg-type]
        out[(share > 0.2) & out.isna()] = lang
    low = t.str.lower()
    counts = pd.DataFrame({k: low.str.count(v) for k, v in _STOPWORDS.items()})
    best = counts.idxmax(axis=1)
    latin = out.isna() & (counts.max(axis=1) >= 2)
    out[latin] = best[latin]
    return out


def _statement_ids(df: pd.DataFrame) -> pd.Series:
    key = (
        df["actor"].astype(str)
        + "|"
        + df["date"].dt.strftime("%Y-%m-%d")
        + "|"
        + df["url"].fillna("")
        + "|"
        + df["title"].fillna("")
        + "|"
        + df["text"].fillna("").str.slice(0, 500)
    )
    key = key + "|" + key.groupby(key).cumcount().astype(str)  # identical records stay distinct
    return key.map(lambda k: hashlib.blake2b(k.encode(), digest_size=8).hexdigest())


def _finish(df: pd.DataFrame) -> pd.DataFrame:
    df = df.reset_index(drop=True)
    body = df["text"].fillna(df["title"])
    df["detected_language"] = detect_language(body)
    df["language"] = (
        df["language"].astype(object).where(df["language"].notna(), df["detected_language"])
    )
    df["statement_id"] = _statement_ids(df) if len(df) else pd.Series(dtype=str)
    df["date"] = df["date"].astype("datetime64[ns]")
    out = df[COLUMNS].copy()
    out.attrs = df.attrs
    return out


def _empty() -> pd.DataFrame:
    df = pd.DataFrame({c: pd.Series(dtype="object") for c in COLUMNS})
    df["date"] = df["date"].astype("datetime64[ns]")
    df["line"] = df["line"].astype("int64")
    return df
