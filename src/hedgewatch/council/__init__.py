"""The Security Council: which texts concern a state, and how the powers acted on them.

* :func:`texts_about` - resolutions and vetoed drafts about a state (by name or by citing a
  resolution about it);
* :func:`shielding` (:class:`ShieldingResult`) - each power's action on those texts (vetoed,
  voted against, abstained, voted for), by year: a recorded proxy of patron shielding.

A package of its own because the Council is a body with its own record (adopted resolutions,
vetoed drafts, fifteen members, five with a veto) and its own questions, not another view
of General Assembly alignment; analyses here take the DataFrames of
:mod:`hedgewatch.store` (``council_resolutions``, ``council_votes``, ``vetoes``) and never the
store itself.
"""

from __future__ import annotations

from hedgewatch.council._shielding import ACTIONS, SHIELDS, ShieldingResult, shielding
from hedgewatch.council.about import names, texts_about

__all__ = ["ACTIONS", "SHIELDS", "ShieldingResult", "names", "shielding", "texts_about"]
