"""No input ends in a traceback: a catalogue of bad invocations of every command.

Each one must exit with a documented non-zero status (never 70, the internal-error status a
bug gets), print exactly one line on stderr - the error - and no traceback. The commands run
in-process through :func:`hedgewatch.cli.run` (what the console script runs), a few as real
subprocesses; hypothesis draws values for ``--from``/``--to``, country codes and output paths.
"""

from __future__ import annotations

import gzip
import os
import shutil
import string
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hedgewatch.cli import EXIT_CODES, run

DATA = Path(__file__).parents[1] / "data"
UNDL = DATA / "unga" / "2025_undl_ga_voting.csv"
KCNA = DATA / "report" / "statements_kcna_2024_08.parquet"


@pytest.fixture(scope="module")
def files(tmp_path_factory) -> dict[str, Path]:
    """Hostile inputs, one of each kind."""
    d = tmp_path_factory.mktemp("hostile")
    f: dict[str, Path] = {"dir": d}
    (d / "empty.csv").write_bytes(b"")
    (d / "header.csv").write_text("actor,date,text\n")
    (d / "voeten_header.csv").write_text(
        "rcid,session,vote,ccode,member,importantvote,date,unres,me,nu,di,hr,co,ec\n"
    )
    (d / "garbage.parquet").write_bytes(b"PAR1 garbage, not a parquet file" * 4)
    pd.DataFrame({"a": [1]}).to_parquet(d / "other.parquet")
    (d / "latin1_claims.yaml").write_bytes("claims:\n  - id: caf\xe9\n".encode("latin-1"))
    (d / "latin1_scenario.yaml").write_bytes("name: caf\xe9\nactors: []\n".encode("latin-1"))
    bomb = ['l0: &l0 {measure: position, op: ">=", value: 0}']
    bomb += [f"l{i}: &l{i} [" + ", ".join([f"*l{i - 1}"] * 10) + "]" for i in range(1, 11)]
    (d / "bomb.yaml").write_text("\n".join([*bomb, "claims: [*l10]", "actors: [*l10]"]) + "\n")
    (d / "nan_claims.yaml").write_text(
        "claims:\n  - id: a\n    claim: x\n    rule:\n"
        "      - {measure: position, op: '>=', value: .nan}\n"
    )
    (d / "vnm_claims.yaml").write_text(
        "state: VNM\npowers: [CHN, USA]\nclaims:\n  - id: a\n    claim: x\n    unmeasurable: y\n"
    )
    (d / "bad_scenario.yaml").write_text(
        "actors:\n  - {name: A, capability: 1, position: 500, salience: 50}\n"
        "  - {name: B, capability: -1, position: 10, salience: 50}\n"
    )
    (d / "scenario.csv").write_text("actor,capability,position,salience\nA,1,10,50\nB,2,90,60\n")
    kcna = pd.read_parquet(KCNA).head(20).assign(date=lambda x: x["date"].dt.strftime("%Y-%m-%d"))
    kcna.to_csv(d / "kcna.csv", index=False)
    kcna.drop(columns="actor").to_csv(d / "noactor.csv", index=False)
    cut = gzip.compress((d / "kcna.csv").read_bytes())
    (d / "cut.csv.gz").write_bytes(cut[: len(cut) // 2])
    (d / "notes.txt").write_text("hello")
    lines = UNDL.read_text(encoding="utf-8").splitlines()
    (d / "undl_badvote.csv").write_text(
        "\n".join([lines[0], lines[1].replace(",AGO,,A,", ",AGO,,MAYBE,", 1), *lines[2:]]) + "\n"
    )
    for p in d.iterdir():
        f[p.stem if p.stem not in f else p.name] = p
    f["missing"] = d / "no_such_file.csv"
    events = d / "events"
    events.mkdir()
    f["gdelt_cut"] = events / "20240101000000.export.CSV.zip"  # a download cut short
    f["gdelt_cut"].write_bytes(b"PK\x03\x04" + b"cut short" * 10)
    f["gdelt_empty"] = events / "20240101001500.export.CSV.zip"
    f["gdelt_empty"].write_bytes(b"")
    return f


@pytest.fixture(scope="module")
def home(seeded, tmp_path_factory) -> Path:
    h = tmp_path_factory.mktemp("cli_home")
    shutil.copyfile(seeded, h / "hedgewatch.duckdb")
    return h


@pytest.fixture(autouse=True)
def _home(home, monkeypatch):
    monkeypatch.setenv("HEDGEWATCH_HOME", str(home))


def invoke(args: list[str], capsys) -> tuple[int, str, str]:
    code = run(args)
    out = capsys.readouterr()
    return code, out.out, out.err


def _one_error_line(code: int, err: str, args: list[str]) -> str:
    lines = [line for line in err.splitlines() if line.strip()]
    assert code != 0, f"{args}: exit 0"
    assert code in EXIT_CODES and code != 70, f"{args}: exit {code}: {err}"
    assert "Traceback" not in err, f"{args}: {err}"
    assert len(lines) == 1, f"{args}: {len(lines)} lines on stderr: {err}"
    assert lines[0].startswith("Error: "), lines[0]
    return lines[0]


# (arguments, expected exit status); {name} is replaced by the path of files[name]
CATALOGUE: list[tuple[str, int]] = [
    # align
    ("align PRK CHN CHN", 2),
    ("align PRK PRK", 2),
    ("align PRK", 2),
    ("align XXX CHN", 2),
    ("align PRK CHN --from abc", 2),
    ("align PRK CHN --from -5", 2),
    ("align PRK CHN --from 2015-13-45", 2),
    ("align PRK CHN --to 2015-02-30", 2),
    ("align PRK CHN --from 2016 --to 2010", 2),
    ("align PRK CHN --from 99999", 2),
    ("align PRK CHN --measure bogus", 2),
    ("align PRK CHN --by decade", 2),
    ("align PRK CHN --issue nukes", 2),
    ("align PRK CHN --csv {dir}", 2),
    ("align PRK CHN --csv {notes}/sub.csv", 2),
    ("align PRK CHN --from 2099", 2),
    ("align PRK CHN --from 1850", 2),
    ("align PRK CHN --from 1950 --to 1951", 5),
    ("align SUN USA", 5),
    ("align PRK CHN --nosuch", 2),
    # hedge
    ("hedge PRK", 2),
    ("hedge PRK --between CHN", 2),
    ("hedge PRK --between PRK CHN", 2),
    ("hedge PRK --between CHN CHN", 2),
    ("hedge PRK --between CHN RUS --n-boot -1", 2),
    ("hedge PRK --between CHN RUS --n-boot abc", 2),
    ("hedge PRK --between CHN RUS --min-size 0", 2),
    ("hedge PRK --between CHN RUS --penalty banana", 2),
    ("hedge PRK --between CHN RUS --plot {dir}/x.xyz", 2),
    ("hedge PRK --between CHN RUS --plot {dir}", 2),
    ("hedge PRK --between CHN RUS --seed notint", 2),
    ("hedge PRK --between CHN RUS --measure kappa", 2),
    ("hedge PRK --between CHN RUS --from 2099-01-01", 2),
    ("hedge PRK --between CHN RUS --from 20150131", 2),
    ("hedge SUN --between USA CHN", 5),
    ("hedge ZZZ --between CHN RUS", 2),
    # rhetoric
    ("rhetoric PRK", 2),
    ("rhetoric PRK RUS CHN USA", 2),
    ("rhetoric PRK PRK", 2),
    ("rhetoric PRK RUS --from abc", 2),
    ("rhetoric PRK RUS --from 2015-01-01", 2),
    ("rhetoric PRK RUS --from 2010 --to 2000", 2),
    ("rhetoric PRK RUS --backend bert", 2),
    ("rhetoric PRK RUS --plot {dir}/x.xyz", 2),
    ("rhetoric PRK RUS --n-boot -5", 2),
    ("rhetoric PRK RUS --top 0", 2),
    ("rhetoric PRK RUS --last 0", 2),
    ("rhetoric PRK XYZ", 2),
    # sync (no statement is imported in this store)
    ("sync RUS", 2),
    ("sync RUS PRK --from 2024-02-30", 2),
    ("sync RUS PRK --from 2024-01-01 --to 2023-01-01", 2),
    ("sync RUS RUS", 2),
    ("sync RUS PRK --top 0", 2),
    ("sync RUS PRK --csv {dir}", 2),
    ("sync RUS PRK --n-perm many", 2),
    ("sync RUS PRK", 5),
    # report
    ("report PRK", 2),
    ("report PRK --between CHN", 2),
    ("report PRK --between PRK CHN", 2),
    ("report --between CHN RUS", 2),
    ("report PRK --between CHN RUS --out {dir}", 2),
    ("report PRK --between CHN RUS --out {dir}/", 2),
    ("report PRK --between CHN RUS --from abc", 2),
    ("report PRK --between CHN RUS --from 2015-01-01", 2),
    ("report PRK --between CHN RUS --claims {latin1_claims}", 3),
    ("report PRK --between CHN RUS --claims {bomb}", 3),
    ("report PRK --between CHN RUS --claims {missing}", 3),
    ("report PRK --between CHN RUS --claims {dir}", 3),
    ("report PRK --between CHN RUS --claims {nan_claims}", 3),
    ("report PRK --between CHN RUS --claims {vnm_claims}", 2),
    ("report SUN --between USA CHN", 5),
    ("report ZZZ --between CHN RUS", 2),
    ("report PRK --between CHN RUS --n-boot 5", 2),
    # data
    ("data import {voeten_header}", 3),
    ("data import {empty}", 3),
    ("data import {garbage}", 3),
    ("data import {missing}", 3),
    ("data import {notes}", 3),
    ("data import {undl_badvote}", 3),
    ("data import {kcna} --format nope", 2),
    ("data import {voeten_header} --format undl", 3),
    ("data update --url notaurl", 6),
    ("data update --url ftp://example.org/x", 6),
    ("data update --url http://", 6),
    ("data info extra", 2),
    ("data nosuch", 2),
    # idealpoints
    ("idealpoints fit --sessions abc", 2),
    ("idealpoints fit --sessions 1-999999999", 2),
    ("idealpoints fit --sessions 50-1", 2),
    ("idealpoints fit --dims 3", 2),
    ("idealpoints fit --max-iter 0", 2),
    ("idealpoints fit --out {dir}", 2),
    ("idealpoints fit --bridges {missing}", 3),
    ("idealpoints show", 2),
    ("idealpoints show PRK --result {garbage}", 3),
    ("idealpoints show PRK --result {other}", 3),
    ("idealpoints show PRK --result {missing}", 3),
    ("idealpoints show PRK --plot {dir}/x.xyz", 2),
    ("idealpoints wildcard", 2),
    ("idealpoints wildcard PRK --peers XXX,YYY", 2),
    ("idealpoints wildcard PRK --top 0", 2),
    ("idealpoints wildcard PRK --since abc", 2),
    ("idealpoints wildcard ZZZ", 2),
    # statements
    ("statements import {empty}", 3),
    ("statements import {header}", 3),
    ("statements import {garbage}", 3),
    ("statements import {cut.csv.gz}", 3),
    ("statements import {missing}", 3),
    ("statements import {kcna} --quarantine {kcna}", 3),
    ("statements import {noactor}", 3),
    ("statements import {noactor} --actor ZZZ", 2),
    ("statements import {notes}", 3),
    ("statements import", 2),
    # strategy
    ("strategy forecast {missing}", 3),
    ("strategy forecast {latin1_scenario}", 3),
    ("strategy forecast {bomb}", 3),
    ("strategy forecast {bad_scenario}", 3),
    ("strategy forecast {scenario} --rounds -1", 2),
    ("strategy forecast {scenario} --accept maybe", 2),
    ("strategy forecast {scenario} --plot {dir}/x.xyz", 2),
    ("strategy forecast {scenario} --csv {dir}", 2),
    ("strategy outbidding", 2),
    ("strategy outbidding PRK --between CHN", 2),
    ("strategy outbidding PRK --between CHN RUS --guarantee 2", 2),
    ("strategy outbidding PRK --between CHN RUS --statics nonsense", 2),
    ("strategy outbidding PRK --between CHN RUS --measure nonsense", 2),
    # council
    ("council", 2),
    ("council PRK", 2),
    ("council PRK -b ZZZ", 2),
    ("council PRK -b PRK", 2),
    ("council PRK -b CHN CHN", 2),
    ("council XXX -b CHN", 2),
    ("council PRK -b CHN --from 2099", 2),
    ("council PRK -b CHN --from abc", 2),
    ("council PRK -b CHN --from 2010 --to 2000", 2),
    ("council PRK -b CHN --csv {dir}", 2),
    ("council PRK -b CHN --csv {notes}/sub.csv", 2),
    # atlas (each refused before anything is computed)
    ("atlas", 2),
    ("atlas --between CHN", 2),
    ("atlas --between CHN CHN", 2),
    ("atlas --between ZZZ RUS", 2),
    ("atlas --between CHN RUS USA CHN", 2),
    ("atlas --between CHN RUS --year abc", 2),
    ("atlas --between CHN RUS --year 2099", 2),
    ("atlas --between CHN RUS --from abc", 2),
    ("atlas --between CHN RUS --from 2010 --to 2000", 2),
    ("atlas --between CHN RUS --out {dir}", 2),
    ("atlas --between CHN RUS --out {dir}/", 2),
    ("atlas --between CHN RUS --out {notes}/atlas.html", 2),
    ("atlas --between CHN RUS --top -1", 2),
    ("atlas --between CHN RUS --n-boot -1", 2),
    ("atlas --between CHN RUS --measure bogus", 2),
    ("atlas --between CHN RUS --measure events", 2),  # no event data in this store
    # serve (refused before a port is bound or the app starts)
    ("serve --port 0", 2),
    ("serve --port 70000", 2),
    ("serve --port abc", 2),
    ("serve --n-boot -1", 2),
    ("serve --section nosuch", 2),
    ("serve --host", 2),
    ("serve --host 192.0.2.1", 2),
    # events (no event data is imported in this store)
    ("events import", 2),
    ("events import {missing}", 3),
    ("events import {notes}", 3),
    ("events import {empty}", 3),
    ("events import {garbage}", 3),
    ("events import {gdelt_cut}", 3),
    ("events import {gdelt_empty}", 3),
    ("events import {dir}/nothing*.zip", 3),
    ("events import {notes} --format nope", 2),
    ("events import {notes} --engine spark", 2),
    ("events import {notes} --workers 0", 2),
    ("events import {notes} --quarantine {dir}", 2),
    ("events fetch", 2),
    ("events fetch --from 2023-02-30 --to 2023-03-01", 2),
    ("events fetch --from 2023-03-01 --to 2023-02-01", 2),
    ("events fetch --from abc --to 2023-01-01", 2),
    ("events fetch --from 1800 --to 2023-01-01", 2),
    ("events fetch --from 2023-01-01 --to 2023-01-01 --index {missing}", 6),
    ("events fetch --from 2023-01-01 --to 2023-01-01 --jobs 0", 2),
    ("events fetch --from 2023-01-01 --to 2023-01-01 --batch 0", 2),
    ("events hedge PRK", 2),
    ("events hedge PRK -b CHN", 2),
    ("events hedge PRK -b CHN RUS USA", 2),
    ("events hedge PRK -b CHN CHN", 2),
    ("events hedge PRK -b PRK CHN", 2),
    ("events hedge ZZZ -b CHN RUS", 2),
    ("events hedge PRK -b CHN RUS --by decade", 2),
    ("events hedge PRK -b CHN RUS --measure x", 2),
    ("events hedge PRK -b CHN RUS --from abc", 2),
    ("events hedge PRK -b CHN RUS --to 2024-13-01", 2),
    ("events hedge PRK -b CHN RUS --penalty banana", 2),
    ("events hedge PRK -b CHN RUS --n-boot -1", 2),
    ("events hedge PRK -b CHN RUS --block 0", 2),
    ("events hedge PRK -b CHN RUS --min-size 0", 2),
    ("events hedge PRK -b CHN RUS --plot {dir}/x.xyz", 2),
    ("events hedge PRK -b CHN RUS --csv {dir}", 2),
    ("events hedge PRK -b CHN RUS", 5),
    ("events align PRK", 2),
    ("events align PRK PRK", 2),
    ("events align PRK CHN --by x", 2),
    ("events align PRK CHN --from 2024-02-30", 2),
    ("events align PRK CHN --csv {notes}/x.csv", 2),
    ("events align PRK CHN", 5),
    ("events nosuch", 2),
    # the command line itself
    ("nosuch", 2),
    ("--nosuch", 2),
]


def _args(spec: str, files: dict[str, Path]) -> list[str]:
    out = []
    for word in spec.split():
        for name, path in sorted(files.items(), key=lambda kv: -len(kv[0])):
            word = word.replace("{" + name + "}", str(path))
        out.append(word)
    return out


def test_the_catalogue_is_large_and_covers_every_command():
    assert len(CATALOGUE) >= 100
    commands = {" ".join(spec.split()[:2]) for spec, _ in CATALOGUE}
    for cmd in (
        "align",
        "hedge",
        "rhetoric",
        "sync",
        "report",
        "data import",
        "data update",
        "idealpoints fit",
        "idealpoints show",
        "idealpoints wildcard",
        "statements import",
        "strategy forecast",
        "strategy outbidding",
        "council",
        "atlas",
        "serve",
        "events import",
        "events fetch",
        "events hedge",
        "events align",
    ):
        assert any(c == cmd or c.startswith(cmd + " ") or c.split()[0] == cmd for c in commands), (
            cmd
        )


@pytest.mark.parametrize(("spec", "expected"), CATALOGUE, ids=[s for s, _ in CATALOGUE])
def test_bad_invocation_is_one_line(spec, expected, files, capsys):
    args = _args(spec, files)
    code, _, err = invoke(args, capsys)
    _one_error_line(code, err, args)
    assert code == expected, f"{args}: exit {code}, expected {expected}: {err}"


def test_hostile_environment(files, capsys, monkeypatch, tmp_path):
    monkeypatch.setenv("HEDGEWATCH_LOCK_TIMEOUT", "soon")
    code, _, err = invoke(["statements", "import", str(files["kcna"])], capsys)
    assert "HEDGEWATCH_LOCK_TIMEOUT" in _one_error_line(code, err, []) and code == 2
    monkeypatch.delenv("HEDGEWATCH_LOCK_TIMEOUT")
    monkeypatch.setenv("HEDGEWATCH_HOME", str(files["notes"]))  # a file, not a folder
    code, _, err = invoke(["statements", "import", str(files["kcna"])], capsys)
    assert "is a file, not a folder" in _one_error_line(code, err, []) and code == 4
    code, _, err = invoke(["data", "info"], capsys)
    assert "is a file, not a folder" in _one_error_line(code, err, []) and code == 4


# -- hypothesis: values for --from/--to, country codes and output paths --------------------
TEXT = st.text(alphabet=string.printable + "éü€\u2013\u0000", max_size=14)
SETTINGS = settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@SETTINGS
@given(start=TEXT, end=st.none() | TEXT)
def test_any_from_to_is_accepted_or_one_line(start, end, capsys):
    """``sync`` converts --from/--to before it reads the store (which holds no statements):
    a good value ends in status 5 (no data), a bad one in status 2, both on one line."""
    args = ["sync", "RUS", "PRK", f"--from={start}"] + ([] if end is None else [f"--to={end}"])
    code, _, err = invoke(args, capsys)
    assert code in (2, 5), (args, code, err)
    _one_error_line(code, err, args)


@SETTINGS
@given(code=TEXT)
def test_any_country_code_is_accepted_or_one_line(code, capsys):
    args = ["sync", code, "PRK"]
    status, _, err = invoke(args, capsys)
    assert status in (2, 5), (args, status, err)
    _one_error_line(status, err, args)


@SETTINGS
@given(name=st.text(alphabet=string.ascii_letters + "/._- \u0000é", min_size=0, max_size=20))
def test_any_output_path_is_accepted_or_one_line(name, tmp_path_factory, capsys):
    base = tmp_path_factory.getbasetemp() / "hypothesis-out"
    base.mkdir(exist_ok=True)
    args = ["sync", "RUS", "PRK", "--csv", str(base / name) if name else ""]
    status, _, err = invoke(args, capsys)
    assert status in (2, 5), (args, status, err)
    _one_error_line(status, err, args)


# -- a few as real subprocesses (the console script's own path) -----------------------------
@pytest.mark.parametrize(
    "spec",
    [
        "align PRK CHN CHN",
        "report PRK --between CHN RUS --out {dir}/",
        "statements import {empty}",
        "data update --url notaurl",
        "report PRK --between CHN RUS --claims {bomb}",
        "serve --host 192.0.2.1",
        "events import {gdelt_cut}",
    ],
)
def test_real_process_one_line(spec, files, home):
    args = _args(spec, files)
    proc = subprocess.run(
        [sys.executable, "-m", "hedgewatch", *args],
        capture_output=True,
        text=True,
        env={**os.environ, "HEDGEWATCH_HOME": str(home)},
        timeout=300,
    )
    _one_error_line(proc.returncode, proc.stderr, args)


def test_exit_statuses_are_documented():
    root = Path(__file__).parents[2]
    for page in (root / "README.md", root / "docs" / "reliability.md"):
        text = page.read_text(encoding="utf-8")
        for code in EXIT_CODES:
            assert f"| {code} |" in text, (page.name, code)
