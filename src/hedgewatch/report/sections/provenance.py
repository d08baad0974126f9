"""Methods and data provenance: what data the report used, from where, and what it cites."""

from __future__ import annotations

import platform
from collections.abc import Mapping, Sequence
from functools import partial
from typing import Any

import pandas as pd

import hedgewatch
from hedgewatch._periods import ranges
from hedgewatch.errors import HedgewatchError
from hedgewatch.report.model import Section
from hedgewatch.report.sections._context import Context

DATA_REFERENCES = (
    "Voeten, E., Strezhnev, A. and Bailey, M. (2009). United Nations General Assembly Voting "
    "Data. Harvard Dataverse, hdl:1902.1/12379.",
    "Bailey, M. A., Strezhnev, A. and Voeten, E. (2017). Estimating dynamic state preferences "
    "from United Nations voting data. Journal of Conflict Resolution 61(2): 430-456.",
    "Robinson, D. and Voeten, E. unvotes: United Nations General Assembly Voting Data (R package).",
    "United Nations Dag Hammarskjöld Library. UN Digital Library voting records "
    "(digitallibrary.un.org), General Assembly and Security Council, as scraped 1946-2021 and "
    "2025.",
    "Jankin, S., Baturo, A. and Dasandi, N. Words to unite nations: the complete UN General "
    "Debate Corpus, 1946-present. Journal of Peace Research; Baturo, A., Dasandi, N. and "
    "Mikhaylov, S. (2017). Understanding state preferences with text as data: introducing the "
    "UN General Debate corpus. Research & Politics 4(2).",
)


def table(ctx: Context, claim_set: Any) -> dict[str, str]:
    """Key facts of the data and settings behind the report, as plain text."""
    meta: Mapping[str, str] = ctx.store.meta()
    imports = (
        "; ".join(
            f"{k.removeprefix('import:')}: {val}"
            for k, val in meta.items()
            if k.startswith("import:")
        )
        or "bundled snapshot only"
    )
    settings = ", ".join(f"{k} = {val}" for k, val in ctx.settings.items())
    facts = ctx.cached("report:vote-facts", ("v1", ctx.state, ctx.start), partial(_facts, ctx))
    return {
        "hedgewatch": hedgewatch.__version__,
        "store": str(ctx.store.path),
        "data version": meta.get("data_version", "?"),
        "imports": imports,
        "UN votes analysed": str(facts["analysed"].iloc[0]),
        f"votes of {ctx.state}": str(facts["state"].iloc[0]),
        "country identity": "ISO3 codes; USSR votes continue as RUS (SUN -> RUS); CHN is the "
        "People's Republic from 1971 (the Republic of China's earlier votes "
        "are TWN)",
        "settings": settings,
        "claims file": str(claim_set.path),
        "tables in store": ", ".join(ctx.store.tables()),
        "platform": f"Python {platform.python_version()} on {platform.system()}",
    }


def _facts(ctx: Context) -> pd.DataFrame:
    """The vote counts the provenance table states (cached: reading the votes costs ~1 s)."""
    v = ctx.votes
    own = ctx.state_votes
    return pd.DataFrame(
        {
            "analysed": [
                f"{v['rcid'].nunique():,} roll calls, {len(v):,} yes/abstain/no "
                f"votes, {v['date'].min():%Y-%m-%d} to {v['date'].max():%Y-%m-%d} "
                f"(years with votes: {ranges(v['year'].unique())})"
            ],
            "state": [f"{len(own):,} from {own['year'].min()} to {own['year'].max()}"],
        }
    )


def coverage(ctx: Context) -> list[str]:
    """Sentences for the report's header: what years the loaded data covers, its gaps, and
    how to fill them."""
    from hedgewatch.store import council_info
    from hedgewatch.store import coverage as ga_coverage

    cov = ga_coverage(ctx.store)
    lines = [f"UN General Assembly votes loaded: {cov.describe()}."]
    try:
        sc = council_info(ctx.store)
        lines.append(
            f"Security Council: adopted resolutions {sc['resolution_years']}; vetoed drafts "
            f"{sc['vetoes_from']} to {sc['vetoes_to']}."
        )
    except HedgewatchError as exc:  # no Council tables: say so, the section says why
        lines.append(f"Security Council: not loaded ({exc}).")
    if cov.missing_years:
        lines.append(
            "Missing years are gaps in the loaded data, not in the UN's record: fill them with "
            "'hedgewatch data update' (the newest UN Digital Library file) or 'hedgewatch data "
            "import FILE' (a Library file in any layout), then build the report again. Until "
            "then figures break their lines across the gap, a change found just after it is "
            "dated to the whole gap, and no measure counts a missing year as a value: "
            "multi-year figures pool the roll calls of the years present."
        )
    return lines


def references(sections: Sequence[Section]) -> list[str]:
    """Every reference cited by a section, then the data sources, without duplicates."""
    refs = [r for s in sections for r in s.references] + list(DATA_REFERENCES)
    return list(dict.fromkeys(refs))
