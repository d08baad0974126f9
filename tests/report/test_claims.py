"""Claims files: parsing, errors with file and line, and the verdict rules."""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from hedgewatch.errors import DataFormatError
from hedgewatch.report.claims import (
    NOT_MEASURABLE,
    NOT_SUPPORTED,
    SUPPORTED,
    bundled_claims,
    evaluate,
    load_claims,
)
from hedgewatch.report.model import Measurement, Section, unmeasurable

REFERENCE = Path(__file__).resolve().parents[2] / ".." / "shared" / "reference"


def test_bundled_prk_claims_cover_the_op_ed():
    cs = load_claims(bundled_claims("PRK"))
    ids = [c.id for c in cs.claims]
    assert ids == [
        "rational_actor",
        "balancing",
        "balancing_events",
        "pivot_russia",
        "pivot_russia_events",
        "rhetoric_russia",
        "issue_hostility",
        "moral_hazard",
    ]
    assert cs.powers == ("CHN", "RUS")
    assert cs.settings["recent_from"] == 2012


def test_prk_quotes_are_verbatim_from_the_article():
    path = REFERENCE / "rational-wildcard.txt"
    if not path.exists():
        pytest.skip("shared reference text not available")
    text = " ".join(path.read_text(encoding="utf-8").split())
    for c in load_claims(bundled_claims("PRK")).claims:
        assert " ".join(c.quote.split()) in text, c.id


def test_other_states_get_the_generic_file():
    assert bundled_claims("VNM").name == "default.yaml"
    assert len(load_claims(bundled_claims("VNM")).claims) >= 4


def test_yaml_syntax_error_names_file_and_line(tmp_path):
    p = tmp_path / "bad.yaml"
    p.write_text("claims:\n  - id: x\n    claim: [unclosed\n", encoding="utf-8")
    with pytest.raises(DataFormatError) as err:
        load_claims(p)
    msg = str(err.value)
    assert "bad.yaml" in msg and "line" in msg and "invalid YAML" in msg


def test_every_bad_condition_is_reported_with_its_line(tmp_path):
    p = tmp_path / "c.yaml"
    p.write_text(
        "claims:\n"
        "  - id: a\n"
        "    claim: first\n"
        "    rule:\n"
        "      - {measure: no_such_thing, op: '>=', value: 1}\n"
        "  - id: b\n"
        "    claim: second\n"
        "    rule:\n"
        "      - {measure: position, op: '=~', value: high}\n",
        encoding="utf-8",
    )
    with pytest.raises(DataFormatError) as err:
        load_claims(p)
    e = err.value
    assert e.total == 3
    assert [(pr.line, pr.column) for pr in e.problems] == [(5, "measure"), (9, "op"), (9, "value")]
    assert "no_such_thing" in str(e) and "position" in str(e)  # hint lists valid names


def test_missing_rule_and_duplicate_ids(tmp_path):
    p = tmp_path / "c.yaml"
    p.write_text(
        "claims:\n  - {id: a, claim: x}\n  - {id: a, claim: y, unmeasurable: z}\n", encoding="utf-8"
    )
    with pytest.raises(DataFormatError, match="rule") as err:
        load_claims(p)
    assert "duplicate claim id" in str(err.value)


def test_unreadable_file(tmp_path):
    with pytest.raises(DataFormatError, match="cannot read"):
        load_claims(tmp_path / "absent.yaml")


def _claims(tmp_path, rule: str):
    p = tmp_path / "c.yaml"
    p.write_text(f"claims:\n  - id: c\n    claim: test\n    rule:\n{rule}", encoding="utf-8")
    return load_claims(p)


def _section(**values: float) -> Section:
    ms = tuple(Measurement(k, v, f"label of {k}", "fig") for k, v in values.items())
    return Section("hedging", "Hedging index", measurements=ms)


@pytest.mark.parametrize(
    ("lo", "hi", "verdict"),
    [
        (-0.4, 0.3, SUPPORTED),
        (-0.6, 0.3, NOT_SUPPORTED),
        (-0.5, 0.5, SUPPORTED),
        (-0.2, 0.51, NOT_SUPPORTED),
    ],
)
def test_all_conditions_must_hold(tmp_path, lo, hi, verdict):
    cs = _claims(
        tmp_path,
        "      - {measure: position_lo, op: '>=', value: -0.5}\n"
        "      - {measure: position_hi, op: '<=', value: 0.5}\n",
    )
    table = evaluate(cs, (_section(position_lo=lo, position_hi=hi),))
    assert table.loc[0, "verdict"] == verdict
    assert table.loc[0, "figure"] == "fig"
    assert "supported if label of position_lo >= -0.5 and" in table.loc[0, "rule"]


def test_missing_measurement_gives_the_section_reason(tmp_path):
    cs = _claims(tmp_path, "      - {measure: speech_B_minus_other, op: '>', value: 0}\n")
    failed = unmeasurable("rhetoric", "Rhetoric", "no speeches loaded for PRK")
    table = evaluate(cs, (failed,), powers=("China", "Russia"))
    assert table.loc[0, "verdict"] == NOT_MEASURABLE
    assert "no speeches loaded for PRK" in table.loc[0, "reason"]
    assert "Russia" in table.loc[0, "rule"]  # role B named in the rule text


def test_nan_measurement_is_not_measurable_but_a_failed_one_wins(tmp_path):
    cs = _claims(
        tmp_path,
        "      - {measure: pivot_B_size, op: '>=', value: 0.05}\n"
        "      - {measure: pivot_B_gap_change, op: '<', value: 0}\n",
    )
    only_nan = Section(
        "alignment",
        "A",
        measurements=(
            Measurement("pivot_B_size", 0.1, "size"),
            Measurement("pivot_B_gap_change", math.nan, "gap"),
        ),
    )
    assert evaluate(cs, (only_nan,)).loc[0, "verdict"] == NOT_MEASURABLE
    failing = Section("alignment", "A", measurements=(Measurement("pivot_B_size", 0.0, "size"),))
    assert evaluate(cs, (failing,)).loc[0, "verdict"] == NOT_SUPPORTED


def test_unmeasurable_claim_keeps_its_reason(tmp_path):
    p = tmp_path / "c.yaml"
    p.write_text(
        "claims:\n  - {id: m, claim: moral hazard, unmeasurable: not observed}\n", encoding="utf-8"
    )
    table = evaluate(load_claims(p), ())
    assert table.loc[0, "verdict"] == NOT_MEASURABLE
    assert table.loc[0, "reason"] == "not observed"


def test_claims_must_fit_the_state_and_powers(store, tmp_path):
    from hedgewatch.errors import ParameterError
    from hedgewatch.report.builder import _claim_set

    prk = _claim_set(None, "PRK", ("CHN", "RUS"))
    assert prk.path.endswith("PRK.yaml")
    other = _claim_set(None, "PRK", ("CHN", "USA"))  # flagship roles would name Russia
    assert other.path.endswith("default.yaml")
    with pytest.raises(ParameterError, match="CHN and RUS"):
        _claim_set(bundled_claims("PRK"), "PRK", ("USA", "RUS"))
    with pytest.raises(ParameterError, match="PRK"):
        _claim_set(bundled_claims("PRK"), "VNM", ("CHN", "RUS"))
