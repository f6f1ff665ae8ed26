"""Reading a submission file: what an officer sends is read as written, or refused by name.

Protects ``read_submission_file`` (through ``take_in_file``, as ``voortgang submit`` and the
inbox use it): a key written twice in YAML or JSON is an error naming the key (not "the last one
wins"), a file nested 100,000 levels deep is a clean rejection (not a RecursionError), a number
of thousands of digits too, and no bytes at all can make reading fail with anything but a
``SubmissionRejected`` that names the file. Nothing of a refused file is stored.
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.models.factories import (
    NOTHING,
    TODAY,
    dump_yaml,
    example,
    fill_xlsx_template,
    stored,
    write_submission,
)
from voortgang.models.catalogue import load_catalogue
from voortgang.models.safe_yaml import MAX_NESTING
from voortgang.models.submission_files import read_submission_file
from voortgang.models.submission_intake import take_in_file
from voortgang.models.submission_xlsx import write_xlsx_template
from voortgang.models.validation_errors import SubmissionRejected


def refusal(path: Path) -> str:
    with pytest.raises(SubmissionRejected) as caught:
        take_in_file(path, today=TODAY)
    assert stored() == NOTHING
    return caught.value.report()


def test_a_yaml_key_written_twice_is_an_error_naming_the_key_and_its_lines(home: Path) -> None:
    text = dump_yaml(example("VWS"))
    # The first milestone's progress, written a second time just below the first.
    first = text.index("  progress:")
    line_end = text.index("\n", first) + 1
    text = text[:line_end] + "  progress: 90\n" + text[line_end:]
    path = home / "VWS.yaml"
    path.write_text(text, encoding="utf-8")
    line = text[:first].count("\n") + 1

    report = refusal(path)

    assert report == (
        f"{path}: (file): the key 'progress' appears twice, at line {line} and at line "
        f"{line + 1} (expected each field once)"
    )


def test_a_top_level_yaml_key_written_twice_is_refused(home: Path) -> None:
    path = home / "VWS.yaml"
    path.write_text(dump_yaml(example("VWS")) + "ministry: BZK\n", encoding="utf-8")

    report = refusal(path)

    assert f"{path}: (file): the key 'ministry' appears twice, at line 1 and at line" in report
    assert "(expected each field once)" in report


def test_a_json_key_written_twice_is_an_error_naming_the_key(home: Path) -> None:
    text = json.dumps(example("VWS"), default=str)
    text = text.replace('"progress": ', '"progress": 90, "progress": ', 1)
    path = home / "VWS.json"
    path.write_text(text, encoding="utf-8")

    assert refusal(path) == (
        f"{path}: (file): the key 'progress' appears twice in one object (expected each field once)"
    )


DEEP = 100_000


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("lists.yaml", "[" * DEEP + "]" * DEEP),
        ("mappings.yaml", "{a: " * DEEP + "1" + "}" * DEEP),
        ("block.yaml", "- " * DEEP + "1\n"),
        ("lists.json", "[" * DEEP + "]" * DEEP),
        ("objects.json", '{"a": ' * DEEP + "1" + "}" * DEEP),
        ("just-over.json", '{"a": ' * (MAX_NESTING + 1) + "1" + "}" * (MAX_NESTING + 1)),
    ],
)
def test_a_deeply_nested_file_is_refused_not_a_crash(home: Path, name: str, text: str) -> None:
    path = home / name
    path.write_text(text, encoding="utf-8")

    report = refusal(path)

    assert report.startswith(f"{path}: (file): the data is nested more than {MAX_NESTING} levels")
    assert "(expected the fields of the template, a few levels deep)" in report


@pytest.mark.parametrize("suffix", [".yaml", ".json"])
def test_a_number_of_thousands_of_digits_is_refused(home: Path, suffix: str) -> None:
    data = example("VWS")
    data["indicators"][0]["value"] = "@@"
    path = write_submission(home / f"VWS{suffix}", data)
    path.write_text(
        path.read_text(encoding="utf-8").replace("'@@'", "9" * 5_000).replace('"@@"', "9" * 5_000),
        encoding="utf-8",
    )

    report = refusal(path)

    assert report.startswith(f"{path}: (file): a value cannot be read:")
    assert "digits" in report


def test_the_examples_still_read_as_before(home: Path, examples: Path) -> None:
    raw, fmt = read_submission_file(examples / "2026Q4" / "VRO.yaml", max_bytes=2_000_000)
    assert fmt == "yaml" and raw["ministry"] == "VRO" and raw["municipalities"]


VALID_YAML = dump_yaml(example("VWS")).encode("utf-8")
VALID_JSON = json.dumps(example("VWS"), default=str).encode("utf-8")


def _valid_xlsx() -> bytes:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "VWS.xlsx"
        write_xlsx_template(load_catalogue(), "VWS", "2026Q4", path)
        fill_xlsx_template(path, "VWS")
        return path.read_bytes()


VALID_XLSX = _valid_xlsx()


def _mutations(base: bytes) -> st.SearchStrategy[bytes]:
    """The valid file with a few bytes changed, cut short, or grown."""

    def mutate(data: tuple[list[tuple[int, int]], int]) -> bytes:
        edits, cut = data
        out = bytearray(base)
        for position, byte in edits:
            out[position % len(out)] = byte
        return bytes(out[: max(1, cut % (len(out) + 1))])

    return st.tuples(
        st.lists(st.tuples(st.integers(0, 10**6), st.integers(0, 255)), max_size=8),
        st.integers(0, 10**6),
    ).map(mutate)


@settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    suffix=st.sampled_from([".yaml", ".json", ".xlsx", ".yml"]),
    data=st.one_of(
        st.binary(min_size=1, max_size=300),
        _mutations(VALID_YAML),
        _mutations(VALID_JSON),
        _mutations(VALID_XLSX),
    ),
)
def test_no_bytes_make_reading_fail_with_anything_but_a_rejection_naming_the_file(
    tmp_path: Path, suffix: str, data: bytes
) -> None:
    path = tmp_path / f"sent{suffix}"
    path.write_bytes(data)
    try:
        raw, _fmt = read_submission_file(path, max_bytes=2_000_000)
    except SubmissionRejected as exc:
        assert all(line.startswith(f"{path}: ") for line in exc.lines())
        assert all("(expected" in line for line in exc.lines())
    else:
        assert isinstance(raw, dict)
