"""Scenarios: reading YAML/CSV and rejecting invalid ones with clear messages."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from hedgewatch.errors import ScenarioError
from hedgewatch.strategy import Scenario, read_scenario

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "eu_emissions.yaml"

GOOD = [
    {"name": "A", "capability": 1, "position": 10, "salience": 50},
    {"name": "B", "capability": 2, "position": 90, "salience": 80},
]


def _yaml(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "s.yaml"
    path.write_text(body, encoding="utf-8")
    return path


def test_example_reads_table_1_as_published():
    s = read_scenario(EXAMPLE)
    f = s.to_frame().set_index("actor")
    assert s.scale == (4.0, 10.0)
    assert len(f) == 10
    assert f.loc["UK", ["capability", "position", "salience"]].tolist() == [0.16, 10, 90]
    assert f.loc["Denmark", ["capability", "position", "salience"]].tolist() == [0.05, 4, 100]
    assert f["capability"].sum() == pytest.approx(1.01)  # as printed (rounded shares)


def test_csv_round_trip(tmp_path):
    path = tmp_path / "s.csv"
    path.write_text("actor,capability,position,salience\nA,1,10,50\nB,2,90,80\n")
    s = read_scenario(path)
    assert s.names == ["A", "B"]
    assert s == Scenario.from_records(GOOD, name="s")


def test_position_out_of_range_names_file_line_actor_field_value(tmp_path):
    path = _yaml(
        tmp_path,
        "name: t\nactors:\n  - {name: A, capability: 1, position: 10, salience: 50}\n"
        "  - {name: B, capability: 1, position: 140, salience: 50}\n",
    )
    with pytest.raises(ScenarioError) as err:
        read_scenario(path)
    msg = str(err.value)
    for part in (str(path), "line 4", "actor 'B'", "'position'", "[0, 100]", "140"):
        assert part in msg


def test_negative_capability_rejected():
    bad = [GOOD[0], {**GOOD[1], "capability": -3}]
    with pytest.raises(
        ScenarioError, match=r"actor 'B': field 'capability' must be a non-negative number; got -3"
    ):
        Scenario.from_records(bad)


def test_every_problem_reported_at_once(tmp_path):
    path = tmp_path / "s.csv"
    path.write_text("actor,capability,position,salience\nA,-1,10,50\nB,2,900,180\n")
    with pytest.raises(ScenarioError) as err:
        read_scenario(path)
    msg = str(err.value)
    assert "line 2: actor 'A'" in msg and "'capability'" in msg
    assert "line 3: actor 'B'" in msg and "'position'" in msg and "'salience'" in msg


def test_unknown_actor_lists_valid_names():
    s = Scenario.from_records(GOOD)
    with pytest.raises(ScenarioError, match=r"unknown actor 'C'; the actors are \['A', 'B'\]"):
        s.without("C")
    with pytest.raises(ScenarioError, match="unknown actor 'Z'"):
        s.with_actor("Z", salience=10)


def test_unknown_field_and_missing_field(tmp_path):
    path = _yaml(
        tmp_path,
        "actors:\n  - {name: A, capabilty: 1, position: 10, salience: 50}\n"
        "  - {name: B, capability: 1, position: 10}\n",
    )
    with pytest.raises(ScenarioError) as err:
        read_scenario(path)
    msg = str(err.value)
    assert "line 2: actor 'A': unknown field 'capabilty'" in msg
    assert "line 3: actor 'B': field 'salience' is missing" in msg


def test_non_numeric_value(tmp_path):
    path = _yaml(
        tmp_path,
        "actors:\n  - {name: A, capability: lots, position: 1, salience: 5}\n"
        "  - {name: B, capability: 1, position: 2, salience: 5}\n",
    )
    with pytest.raises(ScenarioError, match="field 'capability' must be a number; got 'lots'"):
        read_scenario(path)


def test_yaml_syntax_error_names_line(tmp_path):
    path = _yaml(tmp_path, "actors:\n  - {name: A, capability: 1\n  - oops: [\n")
    with pytest.raises(ScenarioError, match=r"line \d+, column \d+: invalid YAML"):
        read_scenario(path)


def test_duplicates_scale_probabilities_and_size():
    with pytest.raises(ScenarioError, match="duplicate actor name"):
        Scenario.from_records([GOOD[0], GOOD[0]])
    with pytest.raises(ScenarioError, match="'q' must be a probability"):
        Scenario.from_records(GOOD, q=1.5)
    with pytest.raises(ScenarioError, match="scale must be two finite numbers low < high"):
        Scenario.from_records(GOOD, scale=(5, 5))
    with pytest.raises(ScenarioError, match="at least 2 actors"):
        Scenario.from_records(GOOD[:1])
    with pytest.raises(ScenarioError, match="no such scenario file"):
        read_scenario("does-not-exist.yaml")


def test_shock_helpers_revalidate():
    s = Scenario.from_records(GOOD)
    assert s.with_actor("A", salience=100).actor("A").salience == 100
    with pytest.raises(ScenarioError, match="'salience' must lie in \\[0, 100\\]"):
        s.with_actor("A", salience=101)
    with pytest.raises(ScenarioError, match="at least 2 actors"):
        s.without("A")


@given(
    st.lists(
        st.tuples(
            st.floats(0, 10, allow_nan=False),
            st.floats(0, 100, allow_nan=False),
            st.floats(0.5, 100, allow_nan=False),
        ),
        min_size=2,
        max_size=8,
    )
)
def test_from_frame_round_trip(rows):
    frame = pd.DataFrame(
        {
            "actor": [f"a{i}" for i in range(len(rows))],
            "capability": [r[0] + 0.01 for r in rows],
            "position": [r[1] for r in rows],
            "salience": [r[2] for r in rows],
        }
    )
    s = Scenario.from_frame(frame)
    back = s.to_frame()
    pd.testing.assert_frame_equal(back.drop(columns="risk"), frame, check_dtype=False)
