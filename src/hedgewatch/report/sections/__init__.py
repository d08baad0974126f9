"""The report's sections: each a function ``(Context) -> Section``.

A section calls the public analysis API of its module. When the analysis cannot be measured
on the loaded data it raises a :class:`~hedgewatch.errors.HedgewatchError`; the builder turns
that (or the ImportError of a module not installed) into a section marked *not measurable*
with the reason. Every other exception is a bug and propagates.
"""

from __future__ import annotations

from hedgewatch.report.sections._context import Context

__all__ = ["Context"]
