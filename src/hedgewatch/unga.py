"""Deprecated: the General Assembly queries moved to :mod:`hedgewatch.store`, the file
imports to :mod:`hedgewatch.workflows`. The old names work for one more release."""

from __future__ import annotations

from hedgewatch._deprecation import moved

__getattr__ = moved(
    "hedgewatch.unga",
    {
        "ISSUES": "hedgewatch.store:ISSUES",
        "VOTE_VALUES": "hedgewatch.store:VOTE_VALUES",
        "issue_code": "hedgewatch.store:issue_code",
        "roll_calls": "hedgewatch.store:roll_calls",
        "votes": "hedgewatch.store:votes",
        "info": "hedgewatch.store:info",
        "import_record": "hedgewatch.store:import_record",
        "import_file": "hedgewatch.workflows:import_file",
    },
)
