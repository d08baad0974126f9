"""Root fixtures: the docstring examples of src/ run against a store of their own."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _doctest_store(request, tmp_path_factory, monkeypatch):
    """Examples that touch the store get a fresh one, never the user's."""
    if isinstance(request.node, pytest.DoctestItem):
        monkeypatch.setenv("HEDGEWATCH_HOME", str(tmp_path_factory.mktemp("doctest-home")))
