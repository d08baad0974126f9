def test_no_bursty_phrase_is_insufficient_data_not_a_crash():
    import pandas as pd
    import pytest

    from hedgewatch.errors import InsufficientDataError
    from hedgewatch.statements import narratives

    days = pd.date_range("2020-01-01", periods=60, freq="D")
    df = pd.DataFrame(
        {
            "actor": ["PRK", "RUS"] * 30,
            "date": days,
            "text": ["hello world"] * 60,
            "title": ["t"] * 60,
        }
    )
    with pytest.raises(InsufficientDataError, match="no phrase used in bursts"):
        narratives(df, method="phrases")
