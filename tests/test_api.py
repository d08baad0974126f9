"""The public API: every exported name resolves, and importing stays light."""

from __future__ import annotations

import subprocess
import sys

import hedgewatch as hw


def test_every_exported_name_resolves():
    for name in hw.__all__:
        assert getattr(hw, name) is not None, name


def test_unknown_attribute():
    try:
        hw.no_such_function  # noqa: B018
    except AttributeError as exc:
        assert "no_such_function" in str(exc)
    else:  # pragma: no cover
        raise AssertionError("expected AttributeError")


def test_import_does_not_load_heavy_analysis_modules():
    code = (
        "import sys, hedgewatch; heavy = [m for m in ('matplotlib', 'sklearn', 'ruptures', "
        "'sentence_transformers', 'torch') if m in sys.modules]; print(heavy)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
