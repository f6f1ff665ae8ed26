"""What a programme officer hears when a submission is wrong, and that nothing of it is kept.

Protects issue 2's contract for every bad-input case: the file is refused as a whole, each
problem is reported as ``FILE: path.to.field: what is wrong (expected ...)``, every problem of
the file is listed at once, and no Submission, MilestoneUpdate or IndicatorObservation row of
that file is stored. Each test starts from a valid example (see
``test_the_unchanged_example_is_accepted``) and breaks one thing, so a refusal is caused by
that one thing. Variants of one case share a test (and its database): each is refused on
its own, in its own folder, so a failure names the variant by its path.
"""

from __future__ import annotations

import time
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.models.factories import (
    NOTHING,
    TODAY,
    Stored,
    dump_yaml,
    example,
    stored,
    versions,
    write_submission,
)
from voortgang.models.submission_intake import take_in_file
from voortgang.models.validation_errors import SubmissionRejected
from voortgang.settings import reset_settings

Mutation = Callable[[dict[str, Any]], object]


def refused(path: Path) -> list[str]:
    """Submit ``path``; assert it is refused and that nothing of it was stored."""
    before = stored()
    with pytest.raises(SubmissionRejected) as info:
        take_in_file(path, today=TODAY)
    assert stored() == before, "a refused file left rows behind"
    return info.value.lines()


def assert_reported(lines: list[str], path: Path, field: str, *fragments: str) -> None:
    """One line of the report names the file and the field, says what, and what is expected."""
    prefix = f"{path}: {field}: "
    mine = [line for line in lines if line.startswith(prefix)]
    assert mine, f"no error for {field!r} in:\n" + "\n".join(lines)
    assert any(
        "(expected" in line and all(f.lower() in line.lower() for f in fragments) for line in mine
    ), f"{field!r} reported without {fragments!r} or '(expected ...)':\n" + "\n".join(mine)


def broken(folder: Path, mutate: Mutation, *, suffix: str = ".yaml") -> Path:
    """The VWS example with one thing broken, written to ``folder``."""
    data = example("VWS")
    mutate(data)
    return write_submission(folder / f"VWS{suffix}", data)


def file_with(folder: Path, name: str, content: bytes) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_bytes(content)
    return path


def set_in(*keys: str | int, value: Any) -> Mutation:
    """A mutation that sets data[k1][k2]... = value."""

    def mutate(data: dict[str, Any]) -> None:
        target: Any = data
        for key in keys[:-1]:
            target = target[key]
        target[keys[-1]] = value

    return mutate


# --- the control: the base every test breaks is itself valid -------------------------------


def test_the_unchanged_example_is_accepted(db: str, tmp_path: Path) -> None:
    path = write_submission(tmp_path / "VWS.yaml", example("VWS"))
    result = take_in_file(path, today=TODAY)
    assert (result.ministry, result.period, result.version, result.created) == (
        "VWS",
        "2026Q4",
        1,
        True,
    )
    assert stored() == Stored(1, 3, 2, 0)


# --- the catalogue: ministry, milestones, indicators ----------------------------------------


def test_unknown_ministry_is_refused_and_not_stored(db: str, tmp_path: Path) -> None:
    for suffix in (".yaml", ".json"):
        path = broken(tmp_path / suffix[1:], set_in("ministry", value="VWX"), suffix=suffix)
        assert_reported(refused(path), path, "ministry", "unknown ministry 'VWX'", "VWS")
    assert stored() == NOTHING


def test_milestone_of_another_ministry_is_refused_and_not_stored(db: str, tmp_path: Path) -> None:
    path = broken(tmp_path, set_in("milestones", 1, "milestone", value="bzk-joint-steering"))
    lines = refused(path)
    assert_reported(lines, path, "milestones.1.milestone", "bzk-joint-steering", "belongs to BZK")
    assert stored() == NOTHING


def test_unknown_milestone_is_refused_and_not_stored(db: str, tmp_path: Path) -> None:
    path = broken(tmp_path, set_in("milestones", 0, "milestone", value="vws-does-not-exist"))
    lines = refused(path)
    assert_reported(
        lines, path, "milestones.0.milestone", "unknown milestone", "vws-does-not-exist"
    )
    assert stored() == NOTHING


def test_indicator_not_reported_by_this_ministry_is_refused_and_not_stored(
    db: str, tmp_path: Path
) -> None:
    for indicator, reporter in (
        ("municipalities-on-quota", "AenM"),  # another ministry's
        ("municipalities-corporation-share-30", "data"),  # computed from the CBS data
    ):
        path = broken(tmp_path / indicator, set_in("indicators", 1, "indicator", value=indicator))
        lines = refused(path)
        assert_reported(lines, path, "indicators.1.indicator", indicator, f"reported by {reporter}")
    assert stored() == NOTHING


def test_unknown_indicator_is_refused_and_not_stored(db: str, tmp_path: Path) -> None:
    path = broken(tmp_path, set_in("indicators", 0, "indicator", value="homeless-cats"))
    lines = refused(path)
    assert_reported(lines, path, "indicators.0.indicator", "unknown indicator", "homeless-cats")
    assert stored() == NOTHING


# --- the period -------------------------------------------------------------------------------


def test_malformed_period_is_refused_and_not_stored(db: str, tmp_path: Path) -> None:
    for period in ("2026Q5", "Q4-2026", "26Q4", "2026", ""):
        path = broken(tmp_path / f"period-{period}", set_in("period", value=period))
        assert_reported(refused(path), path, "period", "is not a quarter", "2026Q4")
    assert stored() == NOTHING


def test_period_after_the_current_quarter_is_refused_and_not_stored(
    db: str, tmp_path: Path
) -> None:
    for period in ("2027Q1", "2027-Q1", "2030Q2"):  # today is 2026-11-25, in 2026Q4
        path = broken(tmp_path / period, set_in("period", value=period))
        assert_reported(refused(path), path, "period", "has not started yet", "2026Q4")
    assert stored() == NOTHING


def test_period_written_with_a_dash_is_accepted_and_stored_normalised(
    db: str, tmp_path: Path
) -> None:
    path = broken(tmp_path, set_in("period", value="2026-Q4"))
    result = take_in_file(path, today=TODAY)
    assert result.period == "2026Q4"
    assert versions("VWS", "2026Q4") == [1]


# --- milestone fields -------------------------------------------------------------------------


def test_progress_outside_0_to_100_is_refused_and_not_stored(db: str, tmp_path: Path) -> None:
    for progress in (-1, 100.5, 150):
        path = broken(tmp_path / str(progress), set_in("milestones", 0, "progress", value=progress))
        assert_reported(refused(path), path, "milestones.0.progress", "0 to 100")
    assert stored() == NOTHING


def test_progress_that_is_not_a_number_is_refused_and_not_stored(db: str, tmp_path: Path) -> None:
    for name, progress in (("word", "veel"), ("percent", "50%"), ("blank", None), ("list", [50])):
        path = broken(tmp_path / name, set_in("milestones", 0, "progress", value=progress))
        assert_reported(refused(path), path, "milestones.0.progress", "number")
    assert stored() == NOTHING


def test_progress_at_the_bounds_0_and_100_is_accepted(db: str, tmp_path: Path) -> None:
    def mutate(data: dict[str, Any]) -> None:
        data["milestones"][1]["progress"] = 0
        data["milestones"][2]["progress"] = 100

    take_in_file(broken(tmp_path, mutate), today=TODAY)
    assert versions("VWS", "2026Q4") == [1]


def test_status_outside_the_list_is_refused_and_not_stored(db: str, tmp_path: Path) -> None:
    for name, status in (("word", "finished"), ("spaced", "On Track"), ("empty", ""), ("n", 3)):
        path = broken(tmp_path / name, set_in("milestones", 1, "status", value=status))
        lines = refused(path)
        assert_reported(
            lines, path, "milestones.1.status", "not_started, on_track, at_risk, delayed, done"
        )
    assert stored() == NOTHING


def test_at_risk_or_delayed_without_a_reason_is_refused_and_not_stored(
    db: str, tmp_path: Path
) -> None:
    for name, status, reason in (
        ("at_risk-without", "at_risk", None),
        ("delayed-without", "delayed", None),
        ("delayed-blank", "delayed", "   "),
        ("at_risk-empty", "at_risk", ""),
    ):

        def mutate(data: dict[str, Any], status: str = status, reason: str | None = reason) -> None:
            update = data["milestones"][1]
            update["status"] = status
            if reason is None:
                update.pop("status_reason", None)
            else:
                update["status_reason"] = reason

        path = broken(tmp_path / name, mutate)
        assert_reported(refused(path), path, "milestones.1.status_reason", "required", status)
    assert stored() == NOTHING


def test_date_that_is_not_a_date_is_refused_and_not_stored(db: str, tmp_path: Path) -> None:
    # Written unquoted into the YAML, as an officer would type it: "2027-02-30" then looks
    # like a date to the YAML parser, and must still be reported at its field.
    for name, section, field, text in (
        ("words", "milestones", "expected_completion", "30 juni 2027"),
        ("no-such-day", "milestones", "expected_completion", "2027-02-30"),
        ("dutch-order", "milestones", "expected_completion", "31-12-2027"),
        ("as_of-words", "indicators", "as_of", "gisteren"),
        ("as_of-no-such-month", "indicators", "as_of", "2026-13-01"),
    ):
        data = example("VWS")
        data[section][0][field] = "@@DATE@@"
        text_of_file = dump_yaml(data).replace("@@DATE@@", text)
        path = file_with(tmp_path / name, "VWS.yaml", text_of_file.encode("utf-8"))
        assert_reported(refused(path), path, f"{section}.0.{field}", "date like 2027-06-30")
    assert stored() == NOTHING


def test_indicator_value_dated_in_the_future_is_refused_and_not_stored(
    db: str, tmp_path: Path
) -> None:
    path = broken(tmp_path, set_in("indicators", 0, "as_of", value="2026-12-31"))
    lines = refused(path)  # today is 2026-11-25
    assert_reported(lines, path, "indicators.0.as_of", "in the future", "2026-11-25")
    assert stored() == NOTHING


# --- the submitter ----------------------------------------------------------------------------


def test_submitter_not_registered_is_refused_and_not_stored(db: str, tmp_path: Path) -> None:
    for name, email in (
        ("unknown-address", "someone@example.org"),
        ("coordinator-not-officer", "coordinator@programma-etvi.example.nl"),
    ):
        path = broken(tmp_path / name, set_in("submitted_by", value=email))
        assert_reported(refused(path), path, "submitted_by", email, "not a registered officer")
    assert stored() == NOTHING


def test_submitter_that_is_not_an_email_address_is_refused_and_not_stored(
    db: str, tmp_path: Path
) -> None:
    path = broken(tmp_path, set_in("submitted_by", value="Lotte Bakker"))
    lines = refused(path)
    assert_reported(lines, path, "submitted_by", "e-mail address")
    assert stored() == NOTHING


def test_submitter_registered_for_another_ministry_is_refused_and_not_stored(
    db: str, tmp_path: Path
) -> None:
    path = broken(tmp_path, set_in("submitted_by", value="etvi@minbzk.example.nl"))
    lines = refused(path)
    assert_reported(lines, path, "submitted_by", "officer of BZK, not of VWS")
    assert stored() == NOTHING


def test_submitter_address_is_matched_without_regard_to_case(db: str, tmp_path: Path) -> None:
    path = broken(tmp_path, set_in("submitted_by", value="L.Bakker@MinVWS.example.nl"))
    take_in_file(path, today=TODAY)
    assert versions("VWS", "2026Q4") == [1]


# --- the file itself --------------------------------------------------------------------------


def test_empty_file_is_refused_and_not_stored(db: str, tmp_path: Path) -> None:
    for folder, name, content in (
        ("zero-bytes", "VWS.yaml", b""),
        ("whitespace", "VWS.yaml", b"  \n\n\t\n"),
        ("zero-bytes", "VWS.json", b""),
        ("whitespace", "VWS.json", b"\n \n"),
    ):
        path = file_with(tmp_path / folder, name, content)
        assert_reported(refused(path), path, "(file)", "empty", "YAML", "JSON", "Excel")
    assert stored() == NOTHING


def test_yaml_without_the_fields_of_a_submission_is_refused_and_not_stored(
    db: str, tmp_path: Path
) -> None:
    for folder, content in (
        ("only-a-comment", b"# alleen commentaar\n"),
        ("empty-document", b"---\n"),
        ("a-list", b"- ministry: VWS\n"),
        ("a-sentence", b"VWS 2026Q4\n"),
    ):
        path = file_with(tmp_path / folder, "VWS.yaml", content)
        lines = refused(path)
        assert_reported(lines, path, "(file)", "not a mapping", "ministry, period, submitted_by")
    assert stored() == NOTHING


def test_file_that_is_not_yaml_json_or_xlsx_is_refused_and_not_stored(
    db: str, tmp_path: Path
) -> None:
    a_zip = tmp_path / "a.zip"
    with zipfile.ZipFile(a_zip, "w") as archive:
        archive.writestr("ministry.txt", "VWS")
    for folder, name, content, fragment in (
        ("txt", "VWS.txt", b"ministry: VWS\n", "'.txt' is not accepted"),
        ("pdf", "VWS.pdf", b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n", "'.pdf' is not accepted"),
        ("no-suffix", "VWS", b"ministry: VWS\n", "'(none)' is not accepted"),
        ("text-xlsx", "VWS.xlsx", b"ministry: VWS\nperiod: 2026Q4\n", "not an Excel workbook"),
        ("broken-zip", "VWS.xlsx", b"PK\x03\x04 truncated", "workbook cannot be read"),
        ("other-zip", "VWS.xlsx", a_zip.read_bytes(), "workbook cannot be read"),
    ):
        path = file_with(tmp_path / folder, name, content)
        assert_reported(refused(path), path, "(file)", fragment)
    assert stored() == NOTHING


def test_text_that_is_not_utf8_is_refused_and_not_stored(db: str, tmp_path: Path) -> None:
    data = example("VWS")
    data["milestones"][0]["narrative"] = "Één café in Súdwest-Fryslân"  # not plain ASCII
    for name, encoding in (("VWS.yaml", "latin-1"), ("VWS.yaml", "utf-16"), ("VWS.json", "cp1252")):
        path = write_submission(tmp_path / encoding / name, data)
        path.write_bytes(path.read_text(encoding="utf-8").encode(encoding))
        assert_reported(refused(path), path, "(file)", "not UTF-8", "saved as UTF-8")
    assert stored() == NOTHING


def test_file_above_the_size_limit_is_refused_and_not_stored(
    db: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write_submission(tmp_path / "VWS.yaml", example("VWS"))
    size = path.stat().st_size
    monkeypatch.setenv("VOORTGANG_MAX_SUBMISSION_BYTES", str(size - 1))
    reset_settings()
    lines = refused(path)
    assert_reported(lines, path, "(file)", f"{size:,} bytes", f"limit of {size - 1:,}")
    assert stored() == NOTHING
    # The same file at exactly the limit is fine: the refusal was about the size alone.
    monkeypatch.setenv("VOORTGANG_MAX_SUBMISSION_BYTES", str(size))
    reset_settings()
    take_in_file(path, today=TODAY)
    assert versions("VWS", "2026Q4") == [1]


BILLION_LAUGHS = """\
a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]
b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]
h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]
i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]
ministry: VWS
"""


def test_yaml_alias_bomb_is_refused_at_once_and_not_stored(db: str, tmp_path: Path) -> None:
    path = file_with(tmp_path, "VWS.yaml", BILLION_LAUGHS.encode())
    started = time.monotonic()
    lines = refused(path)
    assert time.monotonic() - started < 5, "the aliases were expanded"
    assert_reported(lines, path, "(file)", "unsafe YAML", "aliases")
    # Even one innocent-looking alias is refused: there is no safe size to allow.
    text = dump_yaml(example("VWS")).replace(
        "submitted_by: l.bakker@minvws.example.nl", "submitted_by: &who l.bakker@minvws.example.nl"
    )
    path = file_with(tmp_path / "one-alias", "VWS.yaml", (text + "extra: *who\n").encode())
    assert_reported(refused(path), path, "(file)", "aliases")
    assert stored() == NOTHING


def test_yaml_that_builds_python_objects_is_refused_and_runs_nothing(
    db: str, tmp_path: Path
) -> None:
    marker = tmp_path / "the-command-ran"
    for folder, tag, argument in (
        ("apply", "!!python/object/apply:os.system", f'["touch {marker}"]'),
        ("check_call", "!!python/object/apply:subprocess.check_call", f'[["touch", "{marker}"]]'),
        ("new", "!!python/object/new:os.system", f'["touch {marker}"]'),
        ("name", "!!python/name:os.system", "''"),
    ):
        text = dump_yaml(example("VWS")).replace("ministry: VWS", f"ministry: {tag} {argument}")
        assert tag in text
        path = file_with(tmp_path / folder, "VWS.yaml", text.encode())
        lines = refused(path)
        assert not marker.exists(), f"{path} ran a command"
        assert_reported(lines, path, "(file)", "unsafe YAML", "plain data")
    assert stored() == NOTHING


def test_syntax_error_is_refused_with_its_line_and_not_stored(db: str, tmp_path: Path) -> None:
    for name, content, fragment in (
        ("VWS.yaml", b"ministry: VWS\nperiod: [2026Q4\n", "not valid YAML at line"),
        ("VWS.json", b'{"ministry": "VWS",', "not valid JSON at line 1"),
    ):
        path = file_with(tmp_path, name, content)
        assert_reported(refused(path), path, "(file)", fragment)
    assert stored() == NOTHING


def test_unknown_field_is_refused_and_not_stored(db: str, tmp_path: Path) -> None:
    path = broken(tmp_path, set_in("milestones", 0, "progres", value=10))
    lines = refused(path)
    assert_reported(lines, path, "milestones.0.progres", "not a field")
    assert stored() == NOTHING


# --- all at once, and all or nothing ---------------------------------------------------------


def test_a_file_with_several_errors_lists_all_of_them_at_once(db: str, tmp_path: Path) -> None:
    def mutate(data: dict[str, Any]) -> None:
        data["period"] = "2027Q3"  # after the current quarter
        data["submitted_by"] = "etvi@minbzk.example.nl"  # officer of BZK
        data["milestones"][0]["milestone"] = "bzk-joint-steering"  # BZK's milestone
        data["milestones"][0]["progress"] = 130  # out of range
        data["milestones"][1]["status"] = "delayed"  # without a reason and a measure
        data["milestones"][1]["progress"] = "veel"  # not a number
        data["milestones"][2]["status"] = "klaar"  # not a status
        data["indicators"][0]["indicator"] = "homeless-cats"  # unknown
        data["indicators"][1]["as_of"] = "eind oktober"  # not a date

    path = broken(tmp_path, mutate)
    lines = refused(path)
    expected = {
        "period",
        "submitted_by",
        "milestones.0.milestone",
        "milestones.0.progress",
        "milestones.1.status_reason",
        "milestones.1.measure",
        "milestones.1.progress",
        "milestones.2.status",
        "indicators.0.indicator",
        "indicators.1.as_of",
    }
    reported = {line.removeprefix(f"{path}: ").split(": ", 1)[0] for line in lines}
    assert reported == expected
    assert all(line.startswith(f"{path}: ") and "(expected" in line for line in lines)
    assert stored() == NOTHING


def test_a_refused_new_version_leaves_the_stored_version_untouched(db: str, tmp_path: Path) -> None:
    good = write_submission(tmp_path / "good" / "VWS.yaml", example("VWS"))
    take_in_file(good, today=TODAY)
    before = stored()

    path = broken(tmp_path, set_in("milestones", 2, "progress", value=101))
    refused(path)
    assert stored() == before
    assert versions("VWS", "2026Q4") == [1]
