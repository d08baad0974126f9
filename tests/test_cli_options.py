"""The CLI's shared options and converters: one flag for one thing, one error form."""

from __future__ import annotations

from typing import Any

import pytest
import typer

from hedgewatch._cli import _options as opt
from hedgewatch.cli import app
from hedgewatch.errors import ParameterError, UnknownCountryError


def _commands() -> dict[str, Any]:
    """Every command of the app by its full name (``"idealpoints show"``)."""
    root = typer.main.get_command(app)
    out: dict[str, Any] = {}

    def walk(cmd: Any, path: str) -> None:
        if hasattr(cmd, "commands"):  # a group (Typer's own Click, or Click)
            for name, sub in cmd.commands.items():
                walk(sub, f"{path} {name}".strip())
        else:
            out[path] = cmd

    walk(root, "")
    return out


def test_every_command_is_registered_one_way():
    names = set(_commands())
    assert {"align", "hedge", "report", "rhetoric", "sync", "data info", "strategy outbidding"} <= (
        names
    )
    assert {"idealpoints fit", "idealpoints show", "idealpoints wildcard"} <= names


def test_the_same_thing_has_the_same_flag():
    retired = {"--png", "--boot", "--terms", "--n", "--client", "--patrons"}
    shared = {"--from", "--to", "--between", "--n-boot", "--seed", "--plot", "--csv", "--top"}
    seen: dict[str, set[str]] = {}
    for name, cmd in _commands().items():
        for param in cmd.params:
            if param.param_type_name != "option":
                continue
            if not param.hidden:
                assert not retired & set(param.opts), f"{name}: {param.opts}"
            for flag in param.opts:
                if flag in shared:
                    seen.setdefault(flag, set()).add(name)
    assert seen["--plot"] >= {"hedge", "rhetoric", "idealpoints show", "strategy forecast"}
    assert seen["--between"] >= {"hedge", "report", "strategy outbidding"}
    assert seen["--n-boot"] >= {"hedge", "rhetoric"}
    assert seen["--top"] >= {"sync", "rhetoric", "idealpoints wildcard"}


def test_years_and_dates():
    assert opt.year("1991") == 1991 and opt.year(None) is None
    assert opt.year_or_date("1991") == 1991
    assert opt.year_or_date("1991-09-17") == "1991-09-17"
    assert opt.date("2015", "--from") == "2015-01-01" and opt.date("2015", "--to") == "2015-12-31"
    with pytest.raises(ParameterError, match=r"^The '--from' option must be a year \(1991\)"):
        opt.year_or_date("last year")
    with pytest.raises(ParameterError, match="'--to' option must be a date"):
        opt.date("2015-02-30", "--to")
    with pytest.raises(ParameterError, match="'--to' option must be on or after --from"):
        opt.span("2000", "1999", opt.year)
    assert opt.span("1991", "1991-12-31", opt.year_or_date) == (1991, "1991-12-31")


def test_countries_and_powers():
    assert opt.countries(["North Korea", "chn"], "COUNTRIES") == ["PRK", "CHN"]
    with pytest.raises(UnknownCountryError, match="--between: unknown country 'XQZ'"):
        opt.powers(["CHN", "XQZ"], None)
    with pytest.raises(ParameterError, match="'--between' option must be at least 2"):
        opt.powers(["CHN"], None)
    with pytest.raises(ParameterError, match="distinct countries"):
        opt.powers(["CHN"], ["China"])
    with pytest.raises(ParameterError, match="powers other than the state PRK"):
        opt.powers(["CHN"], ["PRK"], "PRK")
    assert opt.powers(["CHN"], ["RUS"], "PRK") == ["CHN", "RUS"]


def test_output_folders_are_created_and_folders_refused(tmp_path):
    target = tmp_path / "new" / "deeper" / "out.csv"
    assert opt.output(target, "--csv") == target and target.parent.is_dir()
    with pytest.raises(ParameterError, match="'--csv' option must be a file name, not a folder"):
        opt.output(tmp_path, "--csv")
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(ParameterError, match="'--plot' option must be a file in a folder"):
        opt.output(blocker / "x.png", "--plot")


def test_by_and_sessions():
    assert opt.by("all") is None and opt.by("session") == "session"
    with pytest.raises(ParameterError, match="'--by' option must be one of year, session, all"):
        opt.by("decade")
    assert opt.sessions("1-3,7") == [1, 2, 3, 7]
    with pytest.raises(ParameterError, match="'--sessions' option must be like '1-50'"):
        opt.sessions("one-five")
