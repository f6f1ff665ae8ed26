"""Reading a submission file (YAML, JSON, XLSX) into plain data, refusing what is unsafe.

Nothing here knows the catalogue: it only turns bytes into a mapping, or into errors that
name the file and what is expected.
"""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import yaml

from voortgang.models.safe_yaml import (
    MAX_NESTING,
    DuplicateKeyError,
    NestingTooDeepError,
    UnsafeYamlError,
    duplicate_key_message,
    load_yaml_text,
    nesting_message,
)
from voortgang.models.validation_errors import FieldError, SubmissionRejected

ACCEPTED_SUFFIXES = {".yaml": "yaml", ".yml": "yaml", ".json": "json", ".xlsx": "xlsx"}
EXPECTED_FORMAT = "a submission in YAML (.yaml), JSON (.json) or Excel (.xlsx)"
# Excel saves a workbook with a password as an OLE compound file, as it did the old .xls.
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def _reject(path: Path, message: str) -> SubmissionRejected:
    return SubmissionRejected(str(path), [FieldError("(file)", message)])


def detect_format(path: Path, data: bytes) -> str:
    fmt = ACCEPTED_SUFFIXES.get(path.suffix.lower())
    if fmt is None:
        raise _reject(
            path,
            f"the file type {path.suffix or '(none)'!r} is not accepted (expected {EXPECTED_FORMAT})",
        )
    if fmt == "xlsx" and data.startswith(OLE_MAGIC):
        raise _reject(
            path,
            "the workbook is password-protected or an old .xls file "
            "(expected an .xlsx without a password, made from the template)",
        )
    if fmt == "xlsx" and not data.startswith(b"PK"):
        raise _reject(
            path, "this is not an Excel workbook (expected an .xlsx made from the template)"
        )
    return fmt


def _decode(path: Path, data: bytes) -> str:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise _reject(
            path,
            f"the text is not UTF-8 (byte 0x{data[exc.start]:02x} at position {exc.start}) "
            "(expected a file saved as UTF-8)",
        ) from exc
    if not text.strip():
        raise _reject(path, f"the file is empty (expected {EXPECTED_FORMAT})")
    return text


def _parse_yaml(path: Path, data: bytes) -> Any:
    text = _decode(path, data)
    try:
        return load_yaml_text(text)
    except (DuplicateKeyError, NestingTooDeepError) as exc:
        raise _reject(path, str(exc)) from exc
    except UnsafeYamlError as exc:
        raise _reject(path, f"unsafe YAML: {exc}") from exc
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problem = getattr(exc, "problem", None) or str(exc)
        raise _reject(
            path, f"not valid YAML{where}: {problem} (expected YAML as in the template)"
        ) from exc
    except ValueError as exc:  # e.g. an integer of thousands of digits
        raise _reject(
            path, f"a value cannot be read: {exc} (expected YAML as in the template)"
        ) from exc


def _refuse_repeated_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    mapping: dict[str, Any] = {}
    for key, value in pairs:
        if key in mapping:
            raise DuplicateKeyError(duplicate_key_message(key, " in one object"))
        mapping[key] = value
    return mapping


def _nesting_depth(value: Any) -> int:
    # Iterative, so that measuring the depth cannot itself run out of stack.
    deepest = 0
    stack = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        children = (
            item.values() if isinstance(item, dict) else item if isinstance(item, list) else None
        )
        if children is None:
            continue
        deepest = max(deepest, depth)
        if depth > MAX_NESTING:
            break
        stack.extend((child, depth + 1) for child in children)
    return deepest


def _parse_json(path: Path, data: bytes) -> Any:
    text = _decode(path, data)
    try:
        parsed = json.loads(text, object_pairs_hook=_refuse_repeated_keys)
    except json.JSONDecodeError as exc:
        raise _reject(
            path,
            f"not valid JSON at line {exc.lineno}, column {exc.colno}: {exc.msg} (expected JSON)",
        ) from exc
    except DuplicateKeyError as exc:
        raise _reject(path, str(exc)) from exc
    except RecursionError as exc:
        raise _reject(path, nesting_message(MAX_NESTING)) from exc
    except ValueError as exc:  # e.g. an integer of thousands of digits
        raise _reject(path, f"a value cannot be read: {exc} (expected JSON)") from exc
    if _nesting_depth(parsed) > MAX_NESTING:
        raise _reject(path, nesting_message(MAX_NESTING))
    return parsed


def _parse_xlsx(path: Path, data: bytes) -> Any:
    from voortgang.models.submission_xlsx import WorkbookRefused, read_workbook

    try:
        return read_workbook(io.BytesIO(data))
    except WorkbookRefused as exc:
        raise _reject(path, str(exc)) from exc
    except Exception as exc:
        # openpyxl meets a corrupt workbook with whatever exception its parser raises
        # (BadZipFile, KeyError, TypeError, XML syntax errors...): each means "unreadable".
        detail = str(exc).strip().splitlines()[0][:200] if str(exc).strip() else type(exc).__name__
        raise _reject(
            path,
            f"the workbook cannot be read ({detail}) (expected an .xlsx made from the template)",
        ) from exc


def read_submission_file(path: Path, *, max_bytes: int) -> tuple[dict[str, Any], str]:
    """Return the raw mapping and the format; raise SubmissionRejected with every problem."""
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise _reject(path, f"cannot be read: {exc.strerror} (expected an existing file)") from exc
    if size > max_bytes:
        raise _reject(
            path,
            f"the file is {size:,} bytes, above the limit of {max_bytes:,} "
            "(expected one ministry's quarterly update)",
        )
    if size == 0:
        raise _reject(path, f"the file is empty (expected {EXPECTED_FORMAT})")
    data = path.read_bytes()
    fmt = detect_format(path, data)
    parsed = {"yaml": _parse_yaml, "json": _parse_json, "xlsx": _parse_xlsx}[fmt](path, data)
    if not isinstance(parsed, dict):
        raise _reject(
            path,
            "the top level is not a mapping (expected the fields ministry, period, submitted_by, "
            "milestones, indicators)",
        )
    return parsed, fmt
