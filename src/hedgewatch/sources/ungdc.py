"""Reader for the UN General Debate Corpus (UNGDC): speeches and speakers.

Two layouts of the corpus are read:

* the one-table Parquet file (``country, session, year, text``) staged as
  ``ungdc_1946_2024.parquet``;
* the corpus' original folder of per-speech text files named ``ISO3_SESSION_YEAR.txt``
  (e.g. ``PRK_46_1991.txt``), in any sub-folder layout (the Dataverse archive uses
  ``Session 46 - 1991/``).

The speakers sheet (``Year, Session, ISO Code, Country, Name of Person Speaking, Post``) adds
the speaker's ``name`` and ``post`` where known.

Identity rules (:func:`normalise_speeches`):

* ``code`` keeps the file's code as given; ``country`` is the continuing identity and
  ``state`` the state that spoke, as in the vote data (:mod:`hedgewatch.countries`).
* Soviet-era speeches filed under ``RUS`` get ``state = SUN`` (country ``RUS``); speeches
  filed under ``YUG`` after February 2003 are Serbia and Montenegro's (``SCG``); ``YUG``,
  ``SCG`` continue as ``SRB`` and ``CSK`` as ``CZE``.
* ``CHN`` speeches up to 1971 are the Republic of China's: ``state = country = TWN``, so that
  ``CHN`` is the People's Republic throughout (it first speaks in 1972).
* The legacy two-letter code ``EU`` (the European Union, an observer, 2011-) is kept as
  ``EU`` for both state and country: it is not a state and resolves to nothing in ISO 3166,
  but its speeches are real and useful as a rhetorical reference point. ``EC`` (written in
  the speakers sheet for the European Council's President) is read as ``EU``. Any other code
  that the identity layer cannot resolve is an error.

The debate is held in late September, so the state is looked up on 30 September of the
speech's year (this is what puts Russia's 1991 speech, given by the USSR, under ``SUN``).
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd

from hedgewatch import countries as _countries
from hedgewatch.errors import DataFormatError, Problem

#: Columns of the ``speeches`` table, in order.
SPEECH_COLUMNS = ["country", "state", "code", "session", "year", "name", "post", "text"]

#: Codes that are not ISO 3166 states but are kept, with the reason.
NON_STATE_CODES: dict[str, str] = {"EU": "European Union (observer; speaks since 2011)"}
_CODE_ALIASES = {"EC": "EU", "YDYE": "YMD"}

_FILE_RE = re.compile(r"^([A-Za-z]{2,4})_(\d{1,3})_(\d{4})\.txt$")
_SPEAKER_COLUMNS = {
    "Year": "year",
    "Session": "session",
    "ISO Code": "code",
    "Name of Person Speaking": "name",
    "Post": "post",
}
_MAX_PROBLEMS = 20
_FIRST_SESSION_YEAR = 1945  # session s opened in year 1945 + s
_ROC_LAST_YEAR = 1971  # the Republic of China held the China seat until October 1971


def read_ungdc(path: str | Path) -> pd.DataFrame:
    """Read the UN General Debate Corpus from its Parquet table or its folder of text files.

    Parameters
    ----------
    path
        A ``.parquet`` file with ``country, session, year, text`` (the staged layout) or a
        folder holding ``ISO3_SESSION_YEAR.txt`` files at any depth.

    Returns
    -------
    DataFrame with ``code, session, year, text`` (``code`` as written in the source), one row
    per speech, sorted by year and code. Pass it to :func:`normalise_speeches`.

    Raises
    ------
    DataFormatError
        Missing columns, a session that does not match its year, an empty text, a file name
        outside the ``ISO3_SESSION_YEAR.txt`` pattern, or bytes that are not UTF-8; every bad
        row (up to 20) is listed.

    References
    ----------
    Jankin, S., Baturo, A. and Dasandi, N. (2025) "Words to unite nations: The complete UN
    General Debate Corpus, 1946-present", Journal of Peace Research.
    Baturo, A., Dasandi, N. and Mikhaylov, S. (2017) "Understanding state preferences with
    text as data: Introducing the UN General Debate corpus", Research & Politics 4(2).
    """
    path = Path(path)
    if path.is_dir():
        df = _read_folder(path)
    elif path.exists():
        df = _read_parquet(path)
    else:
        raise DataFormatError(
            path,
            "no such file or folder",
            hint="Give the corpus Parquet file or its folder of .txt files.",
        )
    _check_rows(path, df)
    return df.sort_values(["year", "code"], kind="stable").reset_index(drop=True)


def _read_parquet(path: Path) -> pd.DataFrame:
    try:
        df = pd.read_parquet(path)
    except Exception as exc:  # pyarrow raises several types for a file that is not Parquet
        raise DataFormatError(
            path,
            f"not a readable Parquet file ({exc})",
            hint="Give the corpus Parquet file or its folder.",
        ) from exc
    required = ["country", "session", "year", "text"]
    missing = [c for c in required if c not in df.columns]
    if missing:
        raise DataFormatError(
            path,
            f"missing column(s) {', '.join(missing)}; the columns found are: "
            f"{', '.join(map(str, df.columns))}",
            hint=f"Expected columns: {', '.join(required)}.",
        )
    out = df[required].rename(columns={"country": "code"})
    bad_num = []
    for col in ("session", "year"):
        num = pd.to_numeric(out[col], errors="coerce")
        for i in np.flatnonzero(num.isna().to_numpy())[:_MAX_PROBLEMS]:
            bad_num.append(
                Problem("not a whole number", line=int(i) + 1, column=col, value=out[col].iloc[i])
            )
        out[col] = num
    if bad_num:
        raise DataFormatError(path, bad_num, hint="Fix these rows; nothing was imported.")
    out["session"] = out["session"].astype("int64")
    out["year"] = out["year"].astype("int64")
    out["code"] = out["code"].astype(str).str.strip().str.upper()
    return out


def _read_folder(folder: Path) -> pd.DataFrame:
    files = sorted(p for p in folder.rglob("*.txt") if not p.name.startswith("."))
    if not files:
        raise DataFormatError(
            folder, "no .txt speech files found", hint="Expected files named like PRK_46_1991.txt."
        )
    rows: list[tuple[str, int, int, str]] = []
    problems: list[Problem] = []
    for f in files:
        m = _FILE_RE.match(f.name)
        if m is None:
            problems.append(
                Problem("file name is not ISO3_SESSION_YEAR.txt", value=str(f.relative_to(folder)))
            )
            continue
        raw = f.read_bytes()
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            line = raw.count(b"\n", 0, exc.start) + 1
            problems.append(
                Problem(
                    f"bytes that are not UTF-8 in {f.name}",
                    line=line,
                    value=raw[exc.start : exc.end + 8],
                )
            )
            continue
        rows.append((m.group(1).upper(), int(m.group(2)), int(m.group(3)), text))
    if problems:
        raise DataFormatError(
            folder,
            problems[:_MAX_PROBLEMS],
            total=len(problems),
            hint="Rename or re-save these files; nothing was imported.",
        )
    return pd.DataFrame(rows, columns=["code", "session", "year", "text"])


def _check_rows(path: Path, df: pd.DataFrame) -> None:
    problems: list[Problem] = []
    text = df["text"].fillna("").astype(str)
    df["text"] = text.str.lstrip("\ufeff")
    empty = np.flatnonzero((df["text"].str.strip() == "").to_numpy())
    problems += [
        Problem(
            "empty speech text",
            line=int(i) + 1,
            column="text",
            value=f"{df['code'].iloc[i]} {df['year'].iloc[i]}",
        )
        for i in empty
    ]
    off = np.flatnonzero((df["year"] - df["session"] != _FIRST_SESSION_YEAR).to_numpy())
    problems += [
        Problem(
            "session does not match year (session s is held in 1945 + s)",
            line=int(i) + 1,
            column="session",
            value=f"{df['code'].iloc[i]} session {df['session'].iloc[i]} year {df['year'].iloc[i]}",
        )
        for i in off
    ]
    dup = np.flatnonzero(df.duplicated(["code", "session"]).to_numpy())
    problems += [
        Problem(
            "second speech for the same code and session",
            line=int(i) + 1,
            value=f"{df['code'].iloc[i]} {df['session'].iloc[i]}",
        )
        for i in dup
    ]
    if problems:
        raise DataFormatError(
            path,
            problems[:_MAX_PROBLEMS],
            total=len(problems),
            hint="Fix these rows; nothing was imported.",
        )


def read_speakers(path: str | Path) -> pd.DataFrame:
    """Read the UNGDC speakers sheet (``.xlsx`` or ``.csv``).

    Parameters
    ----------
    path
        The sheet with ``Year, Session, ISO Code, Name of Person Speaking, Post``.

    Returns
    -------
    DataFrame with ``code, session, year, name, post``; codes are stripped and upper-cased,
    ``EC`` is read as ``EU`` and ``YDYE`` as ``YMD``. Where a code and session appear twice
    (17 rows in the 2024 sheet) the first row is kept. Rows with no code are dropped.
    """
    path = Path(path)
    try:
        raw = pd.read_csv(path) if path.suffix.lower() == ".csv" else pd.read_excel(path)
    except FileNotFoundError as exc:
        raise DataFormatError(path, "no such file", hint="Check the path.") from exc
    except Exception as exc:
        raise DataFormatError(path, f"not a readable spreadsheet ({exc})") from exc
    raw.columns = [str(c).strip() for c in raw.columns]
    missing = [c for c in _SPEAKER_COLUMNS if c not in raw.columns]
    if missing:
        raise DataFormatError(
            path,
            f"missing column(s) {', '.join(missing)}; the header found is: "
            f"{', '.join(raw.columns)}",
            hint=f"Expected columns: {', '.join(_SPEAKER_COLUMNS)}.",
        )
    df = raw[list(_SPEAKER_COLUMNS)].rename(columns=_SPEAKER_COLUMNS)
    df = df[df["code"].notna()].copy()
    df["code"] = df["code"].astype(str).str.strip().str.upper().replace(_CODE_ALIASES)
    for col in ("name", "post"):
        df[col] = df[col].astype("string").str.strip().replace("", pd.NA)
    df["session"] = pd.to_numeric(df["session"], errors="coerce").astype("Int64")
    df["year"] = pd.to_numeric(df["year"], errors="coerce").astype("Int64")
    df = df.dropna(subset=["session"]).drop_duplicates(["code", "session"], keep="first")
    return df.reset_index(drop=True)


def normalise_speeches(
    speeches: pd.DataFrame, speakers: pd.DataFrame | None = None
) -> pd.DataFrame:
    """Apply the identity rules of this module and attach speakers: the ``speeches`` table.

    Parameters
    ----------
    speeches
        Output of :func:`read_ungdc` (``code, session, year, text``).
    speakers
        Optional output of :func:`read_speakers`, joined on code and session.

    Returns
    -------
    DataFrame with :data:`SPEECH_COLUMNS`, ready for
    ``Store().write_tables({"speeches": df})``.

    Raises
    ------
    UnknownCountryError
        A code that is neither resolvable nor listed in :data:`NON_STATE_CODES`.
    """
    df = speeches.copy()
    df["code"] = df["code"].astype(str).str.strip().str.upper().replace(_CODE_ALIASES)
    df["country"] = _continuing(df["code"])
    dates = pd.to_datetime(df["year"].astype(str) + "-09-30")
    df["state"] = _countries.historical_states(df["country"], dates).to_numpy()
    roc = ((df["code"] == "CHN") & (df["year"] <= _ROC_LAST_YEAR)).to_numpy()
    df.loc[roc, ["state", "country"]] = "TWN"
    df = _attach_speakers(df, speakers)
    return df[SPEECH_COLUMNS].sort_values(["year", "country"], kind="stable").reset_index(drop=True)


def _continuing(codes: pd.Series) -> pd.Series:
    """File codes -> continuing-country ISO3 codes (historical states through successors)."""
    table: dict[str, str] = {}
    for code in pd.unique(codes):
        if code in NON_STATE_CODES:
            table[code] = code
        else:
            table[code] = _countries.resolve(code, where="UN General Debate corpus code")
    resolved = codes.map(table)
    return _countries.apply_successors(resolved).astype(object)


def _attach_speakers(df: pd.DataFrame, speakers: pd.DataFrame | None) -> pd.DataFrame:
    if speakers is None:
        df["name"] = pd.Series(pd.NA, index=df.index, dtype="string")
        df["post"] = pd.Series(pd.NA, index=df.index, dtype="string")
        return df
    sp = speakers[["code", "session", "name", "post"]].astype({"session": "int64"})
    out = df.merge(sp, on=["code", "session"], how="left", validate="one_to_one")
    out["name"] = out["name"].astype("string")
    out["post"] = out["post"].astype("string")
    return out


def load_ungdc(path: str | Path, speakers: str | Path | None = None) -> pd.DataFrame:
    """Read the corpus (and optionally the speakers sheet) into the ``speeches`` table shape.

    Parameters
    ----------
    path
        The corpus Parquet file or folder of ``ISO3_SESSION_YEAR.txt`` files.
    speakers
        The speakers sheet, or None.

    Returns
    -------
    DataFrame with :data:`SPEECH_COLUMNS`. Import it with
    ``hedgewatch.store.Store().write_tables({"speeches": df})``.
    """
    sp = read_speakers(speakers) if speakers is not None else None
    return normalise_speeches(read_ungdc(path), sp)


def write_bundle(
    speeches: pd.DataFrame, path: str | Path, *, level: int = 19, page_mb: int = 8
) -> Path:
    """Write the ``speeches`` table as the compact Parquet file shipped with hedgewatch.

    Parameters
    ----------
    speeches
        Output of :func:`load_ungdc`.
    path
        Destination (``src/hedgewatch/data/speeches.parquet`` for the package).
    level
        zstd level (19: a few minutes for the whole corpus, read back in under a second).
    page_mb
        Data page size in MB. Parquet compresses each page on its own; large pages let zstd
        find repeats across speeches (1 MB pages: 42.5 MB; 8 MB: 37.7 MB at level 19).

    Returns
    -------
    The path written (atomically: a temporary file is moved into place).
    """
    import os

    import pyarrow as pa
    import pyarrow.parquet as pq

    path = Path(path)
    table = pa.Table.from_pandas(speeches[SPEECH_COLUMNS], preserve_index=False)
    tmp = path.with_suffix(".parquet.tmp")
    pq.write_table(
        table,
        tmp,
        compression="zstd",
        compression_level=level,
        use_dictionary=["country", "state", "code", "post"],
        data_page_size=page_mb << 20,
        row_group_size=max(len(speeches), 1),
    )
    os.replace(tmp, path)
    return path
