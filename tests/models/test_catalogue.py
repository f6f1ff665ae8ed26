"""The programme catalogue file: what it must hold, and that a broken one is refused clearly.

Protects the bundled ``voortgang/data/catalogue.yaml`` (six ministries, real milestones, a
source behind every target) and the load-time check: a dangling reference, a duplicate id or
an unknown ministry raises CatalogueError naming the file and the path inside it.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.models.factories import dump_yaml
from voortgang.models.catalogue import DEFAULT_CATALOGUE, CatalogueError, load_catalogue

MINISTRIES = {"VRO", "BZK", "VWS", "SZW", "JenV", "AenM"}


def test_bundled_catalogue_has_the_six_ministries() -> None:
    catalogue = load_catalogue()
    assert {m.code for m in catalogue.ministries} == MINISTRIES
    assert all(m.officers for m in catalogue.ministries)


@pytest.mark.parametrize("code", sorted(MINISTRIES))
def test_every_ministry_has_at_least_two_milestones_with_due_date_and_source(code: str) -> None:
    catalogue = load_catalogue()
    milestones = catalogue.milestones_of(code)
    assert len(milestones) >= 2
    assert all(m.source.strip() and m.due for m in milestones)


def test_every_indicator_target_and_baseline_carries_its_source() -> None:
    catalogue = load_catalogue()
    assert catalogue.indicators
    for indicator in catalogue.indicators:
        assert indicator.target.source.strip(), indicator.id
        assert indicator.baseline.source.strip(), indicator.id
        assert indicator.target.date > indicator.baseline.date, indicator.id


def test_every_goal_lead_and_contributor_is_one_of_the_ministries() -> None:
    catalogue = load_catalogue()
    for goal in catalogue.goals:
        assert goal.lead in MINISTRIES
        assert set(goal.contributors) <= MINISTRIES


def _bundled() -> dict[str, Any]:
    raw = yaml.safe_load(DEFAULT_CATALOGUE.read_text(encoding="utf-8"))
    assert isinstance(raw, dict)
    return raw


def _goal_index(data: dict[str, Any], goal_id: str) -> int:
    return next(i for i, g in enumerate(data["goals"]) if g["id"] == goal_id)


def _dangling_lead(data: dict[str, Any]) -> None:
    data["goals"][0]["lead"] = "MinFin"


def _unknown_contributor(data: dict[str, Any]) -> None:
    data["goals"][4]["contributors"].append("OCW")


def _duplicate_milestone(data: dict[str, Any]) -> None:
    data["milestones"].append(copy.deepcopy(data["milestones"][0]))


def _duplicate_goal(data: dict[str, Any]) -> None:
    data["goals"].append(copy.deepcopy(data["goals"][2]))


def _duplicate_ministry(data: dict[str, Any]) -> None:
    twin = copy.deepcopy(data["ministries"][1])
    for officer in twin["officers"]:
        officer["email"] = "twin." + officer["email"]
    data["ministries"].append(twin)


def _milestone_of_unknown_ministry(data: dict[str, Any]) -> None:
    data["milestones"][3]["ministry"] = "LNV"


def _milestone_of_unknown_goal(data: dict[str, Any]) -> None:
    data["milestones"][5]["goal"] = "world-peace"


def _goal_with_unknown_indicator(data: dict[str, Any]) -> None:
    data["goals"][1]["indicators"].append("homes-on-mars")


def _indicator_reported_by_unknown(data: dict[str, Any]) -> None:
    data["indicators"][2]["reported_by"] = "CBS"


def _target_without_source(data: dict[str, Any]) -> None:
    del data["indicators"][0]["target"]["source"]


def _due_that_is_not_a_date(data: dict[str, Any]) -> None:
    data["milestones"][1]["due"] = "medio 2026"


def _officer_registered_twice(data: dict[str, Any]) -> None:
    data["ministries"][2]["officers"].append(copy.deepcopy(data["ministries"][0]["officers"][0]))


@pytest.mark.parametrize(
    ("mutate", "where", "what"),
    [
        pytest.param(_dangling_lead, "goals.0.lead", "MinFin", id="dangling-goal-lead"),
        pytest.param(
            _unknown_contributor, "goals.4.contributors.3", "OCW", id="unknown-contributor"
        ),
        pytest.param(
            _duplicate_milestone,
            "milestones",
            "duplicate id 'vro-yearly-ordinance-overview'",
            id="duplicate-milestone-id",
        ),
        pytest.param(
            _duplicate_goal, "goals", "duplicate id 'woonzorgvisie'", id="duplicate-goal-id"
        ),
        pytest.param(
            _duplicate_ministry, "ministries", "duplicate id 'BZK'", id="duplicate-ministry"
        ),
        pytest.param(
            _milestone_of_unknown_ministry,
            "milestones.3.ministry",
            "LNV",
            id="milestone-of-unknown-ministry",
        ),
        pytest.param(
            _milestone_of_unknown_goal,
            "milestones.5.goal",
            "world-peace",
            id="milestone-of-unknown-goal",
        ),
        pytest.param(
            _goal_with_unknown_indicator,
            "goals.1.indicators.2",
            "homes-on-mars",
            id="goal-with-unknown-indicator",
        ),
        pytest.param(
            _indicator_reported_by_unknown,
            "indicators.2.reported_by",
            "CBS",
            id="indicator-reported-by-unknown",
        ),
        pytest.param(
            _target_without_source,
            "indicators.0.target.source",
            "Field required",
            id="target-without-source",
        ),
        pytest.param(_due_that_is_not_a_date, "milestones.1.due", "date", id="due-not-a-date"),
        pytest.param(
            _officer_registered_twice,
            "ministries.officers",
            "registered 2 times",
            id="officer-twice",
        ),
    ],
)
def test_broken_catalogue_is_refused_naming_the_file_and_the_path_inside_it(
    tmp_path: Path, mutate: Callable[[dict[str, Any]], None], where: str, what: str
) -> None:
    data = _bundled()
    mutate(data)
    path = tmp_path / "catalogue.yaml"
    path.write_text(dump_yaml(data), encoding="utf-8")
    with pytest.raises(CatalogueError) as info:
        load_catalogue(path)
    lines = str(info.value).splitlines()
    assert any(line.startswith(f"{path}: {where}:") and what in line for line in lines), (
        f"expected '{path}: {where}: ...{what}...' in:\n{info.value}"
    )


def test_the_unchanged_copy_used_by_those_tests_loads(tmp_path: Path) -> None:
    # The control for the test above: writing the catalogue out again breaks nothing.
    path = tmp_path / "catalogue.yaml"
    path.write_text(dump_yaml(_bundled()), encoding="utf-8")
    assert load_catalogue(path) == load_catalogue()


def test_catalogue_problems_are_all_reported_at_once(tmp_path: Path) -> None:
    data = _bundled()
    _dangling_lead(data)
    _milestone_of_unknown_ministry(data)
    _goal_with_unknown_indicator(data)
    path = tmp_path / "catalogue.yaml"
    path.write_text(dump_yaml(data), encoding="utf-8")
    with pytest.raises(CatalogueError) as info:
        load_catalogue(path)
    message = str(info.value)
    for where in ("goals.0.lead", "milestones.3.ministry", "goals.1.indicators.2"):
        assert f"{path}: {where}:" in message


def test_catalogue_that_is_not_yaml_is_refused_naming_the_file(tmp_path: Path) -> None:
    path = tmp_path / "catalogue.yaml"
    path.write_text("programme: [unclosed\n", encoding="utf-8")
    with pytest.raises(CatalogueError, match="cannot be read as YAML") as info:
        load_catalogue(path)
    assert str(info.value).startswith(f"{path}: ")


def test_missing_catalogue_file_is_refused_naming_the_file(tmp_path: Path) -> None:
    path = tmp_path / "nowhere.yaml"
    with pytest.raises(CatalogueError) as info:
        load_catalogue(path)
    assert str(path) in str(info.value)
