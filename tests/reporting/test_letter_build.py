"""build_letter renders the three editions from one Markdown master and one set of charts; its
content hash is stable for the same input and changes when the text or a chart changes."""

from __future__ import annotations

import hashlib

from tests.reporting.letter_factory import (
    built_annexes,
    built_letter,
    make_assessment,
    make_context,
)
from voortgang.reporting.letter import LetterFiles, build_letter, content_hash


def test_build_letter_returns_all_editions():
    files = built_letter()
    assert isinstance(files, LetterFiles)
    assert files.markdown.startswith("Retouradres")
    assert files.html.startswith("<!DOCTYPE html>")
    assert files.docx.startswith(b"PK")
    assert len(files.content_hash) == 64
    names = [c.name for c in files.charts]
    assert names[:2] == ["mijlpalen-per-ministerie", "gemeenten-corporatiebezit"]
    # The charts belong to the annexes: the letter is running text.
    assert not any(f"({c.filename})" in files.markdown for c in files.charts)
    annexes = built_annexes()
    assert all(f"({c.filename})" in annexes.markdown for c in files.charts)
    assert annexes.html.startswith("<!DOCTYPE html>") and annexes.docx.startswith(b"PK")


def test_content_hash_is_sha256_of_markdown_and_chart_bytes():
    files = built_letter()
    assert files.content_hash == content_hash(files.markdown, files.charts)
    assert files.content_hash != hashlib.sha256(files.markdown.encode()).hexdigest()


def test_same_input_gives_the_same_hash_and_a_new_draft_version_does_not_change_it():
    again = build_letter(make_context(version=2))
    assert again.content_hash == built_letter().content_hash
    assert again.markdown == built_letter().markdown
    assert "Concept, versie 2" in again.html


def test_changed_reason_changes_the_hash():
    assessment = make_assessment(
        status_reasons={"vro-regional-woonzorgvisies": "Vier regio's hebben er nog geen."}
    )
    changed = build_letter(make_context(assessment))
    assert changed.content_hash != built_letter().content_hash
