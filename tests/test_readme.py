"""The README's quick start: exactly two commands, the first installs and writes the report,
the second is the test command that CI runs."""

from __future__ import annotations

import importlib.util
import re

from tests.conftest import ROOT


def _quick_start() -> list[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    block = text.split("## Quick start", 1)[1].split("```bash", 1)[1].split("```", 1)[0]
    return [line.strip() for line in block.splitlines() if line.strip()]


def test_quick_start_is_two_commands_and_ci_runs_the_second():
    first, second = _quick_start()
    assert re.search(r"&& hedgewatch report PRK --between CHN RUS --out report\.html$", first)
    assert second == 'pip install -e ".[test]" && python -m pytest'
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "python -m pytest" in ci and '-e ".[test' in ci


def test_the_benchmark_times_the_readme_s_own_first_command():
    spec = importlib.util.spec_from_file_location(
        "bench_report", ROOT / "benchmarks" / "bench_report.py"
    )
    assert spec is not None and spec.loader is not None
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    assert bench.readme_first_command() == _quick_start()[0]
