"""Reading the YAML files users supply (claims, scenarios) within stated bounds.

Every YAML file hedgewatch reads goes through :func:`read_yaml`, which uses PyYAML's safe
loader (no Python tags) and refuses, with one :class:`~hedgewatch.errors.DataFormatError`
naming the file and the limit:

* a file larger than :data:`MAX_BYTES` (1 MiB; a claims or scenario file is a few KB), or one
  that is not a regular file (a folder, a device);
* bytes that are not UTF-8 (with the line and column of the first one);
* more than one document;
* nesting deeper than :data:`MAX_DEPTH` levels;
* aliases that expand to more than :data:`MAX_NODES` nodes, or that refer to themselves. The
  "billion laughs" file - ten anchors, each a list of ten aliases to the one before - is 1.4 KB
  and expands to 10^10 nodes: it is refused from the composed node graph, where each anchor
  is one node, before any Python object is built.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import yaml

from hedgewatch.errors import DataFormatError, Problem

#: Largest YAML file read (bytes).
MAX_BYTES = 1 << 20
#: Largest number of nodes a document may hold once its aliases are expanded.
MAX_NODES = 100_000
#: Deepest nesting of mappings and lists.
MAX_DEPTH = 50


def read_yaml(
    path: str | Path, *, loader: type[yaml.SafeLoader] = yaml.SafeLoader, hint: str = ""
) -> tuple[yaml.Node | None, Any]:
    """``(root node, data)`` of a YAML file, within the module's bounds.

    The node keeps the line of every value (for messages); the data is what
    ``yaml.load(text, Loader=loader)`` would return.

    Raises
    ------
    DataFormatError
        For an unreadable, oversized, non-UTF-8, malformed or alias-bombed file.
    """
    p = Path(path)
    text = _read_text(p)
    ldr = loader(text)
    try:
        try:
            node = ldr.get_single_node()
        except RecursionError:
            raise DataFormatError(
                p, f"nested more than {MAX_DEPTH} levels deep", hint="Flatten the file."
            ) from None
        except yaml.YAMLError as exc:
            raise _yaml_error(p, exc, hint) from exc
        if node is None:
            return None, None
        _check_size(p, node)
        try:
            return node, ldr.construct_document(node)
        except yaml.YAMLError as exc:
            raise _yaml_error(p, exc, hint) from exc
    finally:
        ldr.dispose()


def _read_text(p: Path) -> str:
    try:
        if not p.is_file():
            what = "it is a folder" if p.is_dir() else "it is not a regular file"
            if not p.exists():
                what = "no such file"
            raise DataFormatError(
                p, f"cannot read the file: {what}", hint="Give the path of a YAML file."
            )
        size = p.stat().st_size
        if size > MAX_BYTES:
            raise DataFormatError(
                p,
                f"the file is {size:,} bytes; YAML files are limited to {MAX_BYTES:,} bytes "
                "(1 MiB)",
                hint="A claims or scenario file is a few kilobytes: check the path.",
            )
        with p.open("rb") as fh:
            raw = fh.read(MAX_BYTES + 1)
    except OSError as exc:
        raise DataFormatError(p, f"cannot read the file ({exc.strerror})") from exc
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        col = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        raise DataFormatError(
            p,
            [
                Problem(
                    f"bytes that are not UTF-8 at column {col}",
                    line,
                    None,
                    raw[exc.start : exc.end + 8],
                )
            ],
            hint="Save the file as UTF-8.",
        ) from exc


def _yaml_error(p: Path, exc: yaml.YAMLError, hint: str) -> DataFormatError:
    mark = getattr(exc, "problem_mark", None)
    where = f"line {mark.line + 1}, column {mark.column + 1}: " if mark is not None else ""
    problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
    return DataFormatError(
        p,
        f"{where}invalid YAML: {problem}",
        hint=hint or "Fix the YAML syntax (indentation, quotes, colons).",
    )


def _check_size(p: Path, root: yaml.Node) -> None:
    """Refuse documents whose expanded size or depth is past the bounds (aliases counted as
    many times as they are used, each shared node measured once)."""
    sizes: dict[int, float] = {}
    active: set[int] = set()

    def size(node: yaml.Node, depth: int) -> float:
        key = id(node)
        if key in sizes:
            return sizes[key]
        if key in active:
            raise DataFormatError(
                p,
                [Problem("an alias refers to the node that contains it", node.start_mark.line + 1)],
                hint="Remove the recursive alias.",
            )
        if depth > MAX_DEPTH:
            raise DataFormatError(
                p,
                [Problem(f"nested more than {MAX_DEPTH} levels deep", node.start_mark.line + 1)],
                hint="Flatten the file.",
            )
        active.add(key)
        total = 1.0
        if isinstance(node, yaml.SequenceNode):
            total += math.fsum(size(child, depth + 1) for child in node.value)
        elif isinstance(node, yaml.MappingNode):
            total += math.fsum(size(k, depth + 1) + size(v, depth + 1) for k, v in node.value)
        active.discard(key)
        sizes[key] = total
        return total

    n = size(root, 0)
    if n > MAX_NODES:
        raise DataFormatError(
            p,
            f"its aliases expand to {n:.3g} values; YAML files are limited to {MAX_NODES:,}",
            hint="Write the values out instead of nesting aliases (a 'billion laughs' file "
            "is refused on purpose).",
        )
