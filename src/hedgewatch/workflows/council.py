"""One-call Security Council workflow: fetch the Council tables, then measure shielding."""

from __future__ import annotations

from collections.abc import Sequence

from hedgewatch._validation import check_param, validated
from hedgewatch.council import ShieldingResult, shielding
from hedgewatch.store import Store, council_resolutions, council_votes, get_store, vetoes


@validated
def shield(
    state: str,
    powers: Sequence[str],
    *,
    start: int | None = None,
    end: int | None = None,
    store: Store | str | None = None,
) -> ShieldingResult:
    """How each power acted on the Security Council's texts about ``state``, from the store.

    Parameters
    ----------
    state
        The state the texts are about (code or name).
    powers
        The powers whose votes and vetoes are read.
    start, end
        First and last year kept (inclusive); default the whole record.
    store
        A :class:`~hedgewatch.store.Store` or path; default the user store.

    Returns
    -------
    ShieldingResult
        See :func:`hedgewatch.council.shielding`.

    Examples
    --------
    >>> import hedgewatch as hw
    >>> hw.shield("PRK", ["CHN", "RUS"]).window(2012)     # doctest: +SKIP
    """
    for name, value in (("start", start), ("end", end)):
        check_param(
            value is None or (isinstance(value, int) and not isinstance(value, bool)),
            name,
            "a year (integer) or None",
            value,
        )
    st = get_store(store)
    result = shielding(
        council_resolutions(store=st),
        council_votes(include_absent=True, store=st),
        vetoes(store=st),
        state,
        powers,
    )
    texts, years = result.texts, result.by_year
    lo, hi = start if start is not None else -(10**9), end if end is not None else 10**9
    return ShieldingResult(
        result.state,
        result.powers,
        texts[(texts["year"] >= lo) & (texts["year"] <= hi)].reset_index(drop=True),
        years[(years["year"] >= lo) & (years["year"] <= hi)].reset_index(drop=True),
    )
