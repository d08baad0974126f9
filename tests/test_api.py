"""The public API: what is exported resolves, quietly, and importing stays light."""

from __future__ import annotations

import ast
import importlib
import inspect
import pkgutil
import subprocess
import sys
import warnings
from pathlib import Path

import pytest

import hedgewatch as hw

SRC = Path(hw.__file__).parent


def _public_modules() -> list[str]:
    names = ["hedgewatch"]
    for info in pkgutil.walk_packages([str(SRC)], prefix="hedgewatch."):
        parts = info.name.split(".")
        if any(p.startswith("_") for p in parts) or info.name in ("hedgewatch.unga",):
            continue  # private, or a deprecated shim (its names are tested as deprecations)
        names.append(info.name)
    return names


def _type_checking_names() -> set[str]:
    tree = ast.parse((SRC / "__init__.py").read_text())
    names: set[str] = set()
    for node in tree.body:
        if isinstance(node, ast.If) and getattr(node.test, "id", None) == "TYPE_CHECKING":
            for stmt in node.body:
                assert isinstance(stmt, ast.ImportFrom)
                names |= {alias.asname or alias.name for alias in stmt.names}
    return names


def test_lazy_names_are_the_names_declared_for_type_checkers():
    assert set(hw._LAZY) == _type_checking_names()


def test_lazy_names_come_from_the_module_declared():
    tree = ast.parse((SRC / "__init__.py").read_text())
    for node in tree.body:
        if isinstance(node, ast.If) and getattr(node.test, "id", None) == "TYPE_CHECKING":
            for stmt in node.body:
                for alias in stmt.names:
                    assert hw._LAZY[alias.name] == stmt.module, alias.name


def test_every_exported_name_resolves_without_a_warning():
    checked = []
    for module in _public_modules():
        mod = importlib.import_module(module)
        exported = getattr(mod, "__all__", None)
        if exported is None:  # a module of a package: the package's __all__ is the API
            continue
        assert len(set(exported)) == len(exported), f"duplicates in {module}.__all__"
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            for name in exported:
                assert getattr(mod, name) is not None, f"{module}.{name}"
        checked.append(module)
    assert {"hedgewatch", "hedgewatch.store", "hedgewatch.alignment"} <= set(checked)


def test_public_functions_name_themselves_in_errors():
    """Every function exported at the top level carries @validated (it names itself)."""
    for name in hw.__all__:
        obj = getattr(hw, name)
        if inspect.isfunction(obj):
            assert getattr(obj, "__hedgewatch_validated__", False), name


def test_implementation_modules_do_not_shadow_their_function():
    """A package attribute named like a function is the function, not a module."""
    for module in _public_modules():
        mod = importlib.import_module(module)
        for name in getattr(mod, "__all__", []):
            assert not inspect.ismodule(getattr(mod, name)), f"{module}.{name}"


def test_unknown_attribute():
    with pytest.raises(AttributeError, match="no_such_function"):
        hw.no_such_function  # noqa: B018


def test_deprecated_names_warn():
    import hedgewatch.unga

    with pytest.warns(DeprecationWarning, match=r"hedgewatch\.unga\.votes is deprecated"):
        assert hedgewatch.unga.votes is hw.votes


def test_import_does_not_load_heavy_analysis_modules():
    code = (
        "import sys, hedgewatch; heavy = [m for m in ('matplotlib', 'sklearn', 'ruptures', "
        "'sentence_transformers', 'torch') if m in sys.modules]; print(heavy)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_python_dash_m_hedgewatch_runs_the_cli():
    out = subprocess.run(
        [sys.executable, "-m", "hedgewatch", "--help"], capture_output=True, text=True
    )
    assert out.returncode == 0, out.stderr
    assert "report" in out.stdout and "hedge" in out.stdout


def _imports(path: Path) -> set[str]:
    """Every module a file imports (at any depth: function-level imports count)."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
            found |= {f"{node.module}.{a.name}" for a in node.names}
    return found


@pytest.mark.parametrize(
    "package",
    [
        "alignment",
        "idealpoints",
        "rhetoric",
        "statements",
        "strategy",
        "council",
        "sources",
        "events",
    ],
)
def test_data_flows_one_way(package):
    """Readers and analyses never reach the store, the workflows, the report, the web app or
    the CLI."""
    upward = (
        "hedgewatch.store",
        "hedgewatch.workflows",
        "hedgewatch.report",
        "hedgewatch.web",
        "hedgewatch._cli",
    )
    for path in sorted((SRC / package).rglob("*.py")):
        bad = {m for m in _imports(path) if m.startswith(upward)}
        assert not bad, f"{path.relative_to(SRC)} imports {sorted(bad)}"


@pytest.mark.parametrize("package", ["store", "workflows", "report"])
def test_the_top_layers_sit_on_top(package):
    """The store, the workflows and the report never reach the web app or the CLI, which sit
    on top of them."""
    upward = ("hedgewatch.web", "hedgewatch._cli", "hedgewatch.cli")
    for path in sorted((SRC / package).rglob("*.py")):
        bad = {m for m in _imports(path) if m.startswith(upward)}
        assert not bad, f"{path.relative_to(SRC)} imports {sorted(bad)}"


def test_sql_lives_in_the_store():
    """Only store/ opens DuckDB; rhetoric/preprocess.py uses an in-memory connection as a
    vectorised RE2 regex engine over a DataFrame it is given (no file, no store)."""
    allowed = {SRC / "rhetoric" / "preprocess.py"}
    for path in sorted(SRC.rglob("*.py")):
        if "store" in path.relative_to(SRC).parts or path in allowed:
            continue
        assert "duckdb" not in _imports(path), path.relative_to(SRC)
