"""Where hedgewatch keeps things: the data home, downloads, and the bundled snapshot.

The data home is ``$HEDGEWATCH_HOME`` when set, else the platform's user data folder (e.g.
``~/.local/share/hedgewatch``). It holds the store (``hedgewatch.duckdb``) and a
``downloads/`` folder for files fetched from official sources. The bundled snapshot is the set
of Parquet files shipped in ``hedgewatch/data/``.

Readers (:mod:`hedgewatch.sources`) and the store (:mod:`hedgewatch.store`) both take their
paths from here, so neither needs the other to know where files live.
"""

from __future__ import annotations

import os
from importlib import resources
from pathlib import Path

#: Environment variable naming the data home.
ENV_HOME = "HEDGEWATCH_HOME"
#: File name of the store inside the data home.
DB_NAME = "hedgewatch.duckdb"


def data_home() -> Path:
    """The folder holding the store: ``$HEDGEWATCH_HOME`` or the user data directory."""
    env = os.environ.get(ENV_HOME)
    if env:
        return Path(env).expanduser()
    import platformdirs

    return Path(platformdirs.user_data_dir("hedgewatch", appauthor=False))


def store_path() -> Path:
    """The default store file: ``data_home() / "hedgewatch.duckdb"``."""
    return data_home() / DB_NAME


def downloads_home() -> Path:
    """Where downloaded source files are kept: ``data_home() / "downloads"``."""
    return data_home() / "downloads"


def bundled_path(name: str) -> Path:
    """Path of a file shipped in ``hedgewatch/data``."""
    return Path(str(resources.files("hedgewatch") / "data" / name))


def bundled_tables() -> list[str]:
    """Names of the tables that ship as ``hedgewatch/data/<name>.parquet``."""
    folder = Path(str(resources.files("hedgewatch") / "data"))
    return sorted(p.stem for p in folder.glob("*.parquet"))


__all__ = [
    "DB_NAME",
    "ENV_HOME",
    "bundled_path",
    "bundled_tables",
    "data_home",
    "downloads_home",
    "store_path",
]
