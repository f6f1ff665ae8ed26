"""The submission forms: every ministry's template, filled in, is a valid submission.

Protects ``yaml_template`` and ``write_xlsx_template`` together with the reader of the Excel
form: for each of the six ministries and both formats, the form lists exactly that ministry's
milestones and indicators, and once the blanks are filled it is accepted and stored whole.
An untouched form is refused, naming the blanks.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.models.factories import (
    NOTHING,
    TODAY,
    Stored,
    fill_xlsx_template,
    fill_yaml_template,
    stored,
)
from voortgang.models.catalogue import load_catalogue
from voortgang.models.submission_intake import take_in_file
from voortgang.models.submission_template import yaml_template
from voortgang.models.submission_xlsx import write_xlsx_template
from voortgang.models.validation_errors import SubmissionRejected

CATALOGUE = load_catalogue()
MINISTRIES = [m.code for m in CATALOGUE.ministries]


def write_form(tmp_path: Path, code: str, fmt: str) -> Path:
    path = tmp_path / f"{code}-2026Q4.{fmt}"
    if fmt == "yaml":
        path.write_text(yaml_template(CATALOGUE, code, "2026Q4"), encoding="utf-8")
    else:
        write_xlsx_template(CATALOGUE, code, "2026Q4", path)
    return path


@pytest.mark.parametrize("fmt", ["yaml", "xlsx"])
@pytest.mark.parametrize("code", MINISTRIES)
def test_filled_in_template_of_every_ministry_is_stored_whole(
    db: str, tmp_path: Path, code: str, fmt: str
) -> None:
    path = write_form(tmp_path, code, fmt)
    (fill_yaml_template if fmt == "yaml" else fill_xlsx_template)(path, code)

    result = take_in_file(path, today=TODAY)

    assert (result.ministry, result.period, result.version) == (code, "2026Q4", 1)
    assert stored() == Stored(
        submissions=1,
        milestone_updates=len(CATALOGUE.milestones_of(code)),
        indicator_observations=len(CATALOGUE.indicators_of(code)),
        municipal_instruments=1 if (code, fmt) == ("VRO", "xlsx") else 0,
    )


@pytest.mark.parametrize("fmt", ["yaml", "xlsx"])
def test_untouched_template_is_refused_naming_the_blanks(db: str, tmp_path: Path, fmt: str) -> None:
    path = write_form(tmp_path, "VWS", fmt)
    with pytest.raises(SubmissionRejected) as info:
        take_in_file(path, today=TODAY)
    fields = {line.removeprefix(f"{path}: ").split(": ", 1)[0] for line in info.value.lines()}
    assert "submitted_by" in fields
    if fmt == "yaml":  # the Excel form skips rows left empty; the YAML form has them all
        assert {"milestones.0.status", "milestones.0.progress"} <= fields
    assert stored() == NOTHING
