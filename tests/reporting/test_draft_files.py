"""The files of a draft in the letters folder and from ``voortgang letter``: the PDF beside the
other editions, and every chart a Markdown file links to on disk beside it (in NAME-figuren/),
with the bytes of the chart in the HTML; a PDF printed from the same HTML is not printed again.
"""

from __future__ import annotations

import base64
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support.drafts import draft_period
from tests.support.submissions import submit_examples
from voortgang.models import tables as t
from voortgang.models.db import session_scope
from voortgang.reporting.drafts import write_draft_files

PERIOD = "2026Q3"
VOORTGANG = Path(sys.executable).with_name("voortgang")
IMAGE_LINK = re.compile(r"!\[[^\]]*\]\(([^)]+)\)")


def _linked_images(markdown_path: Path) -> list[Path]:
    text = markdown_path.read_text(encoding="utf-8")
    return [markdown_path.parent / link for link in IMAGE_LINK.findall(text)]


def _html_pictures(html_path: Path) -> list[bytes]:
    html = html_path.read_text(encoding="utf-8")
    return [base64.b64decode(b) for b in re.findall(r'src="data:image/png;base64,([^"]+)"', html)]


@pytest.fixture
def drafted(db):
    submit_examples(PERIOD)
    return draft_period(PERIOD)


def test_the_letters_folder_holds_the_pdf_and_the_charts_each_markdown_links(drafted):
    files = {key: Path(path) for key, path in drafted.files.items()}
    assert files["pdf"].name == f"voortgangsbrief-{PERIOD}-v1.pdf"
    assert files["pdf"].read_bytes().startswith(b"%PDF")
    markdown_files = [p for p in files.values() if p.suffix == ".md"]
    linked = 0
    for markdown_path in markdown_files:
        images = _linked_images(markdown_path)
        html_path = markdown_path.with_suffix(".html")
        if not html_path.exists():
            assert images == []  # the coordinators' notes have no charts
            continue
        # every link resolves, to the picture the HTML edition shows at that place
        assert [p.read_bytes() for p in images] == _html_pictures(html_path)
        assert all(p.parent.name == f"{markdown_path.stem}-figuren" for p in images)
        linked += len(images)
    assert linked > 0


def test_writing_the_files_again_keeps_the_printed_pdf(drafted):
    pdf = Path(drafted.files["pdf"])
    printed = pdf.stat().st_mtime_ns
    with session_scope() as session:
        draft = session.get(t.LetterDraft, drafted.draft_id)
        assert draft is not None
        again = write_draft_files(draft, pdf.parent.parent)
    assert again["pdf"] == str(pdf) and pdf.stat().st_mtime_ns == printed
    # the Markdown written again still points at its charts
    assert all(p.is_file() for p in _linked_images(Path(again["md"])))


def _voortgang(*args: object) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(VOORTGANG), *(str(a) for a in args)],
        capture_output=True,
        text=True,
        env=dict(os.environ),
        timeout=180,
        check=False,
    )


def test_letter_command_writes_a_pdf_and_a_markdown_with_its_charts(drafted, tmp_path):
    pdf = tmp_path / "uit" / "brief.pdf"
    done = _voortgang("letter", "--period", PERIOD, "--format", "pdf", "-o", pdf)
    assert done.returncode == 0, done.stderr
    assert pdf.read_bytes() == Path(drafted.files["pdf"]).read_bytes()
    assert str(pdf.resolve()) in done.stderr.replace("\n", "")

    markdown = tmp_path / "brief.md"
    done = _voortgang("letter", "--period", PERIOD, "--format", "md", "-o", markdown)
    assert done.returncode == 0, done.stderr
    images = _linked_images(markdown)
    # the charts the letter shows (those of the annexes are in the annexes' files)
    assert [p.read_bytes() for p in images] == _html_pictures(Path(drafted.files["html"]))
    assert all(p.parent == tmp_path / "brief-figuren" for p in images)
    assert ("brief-figuren" in done.stderr) == bool(images)


def test_letter_command_names_pdf_among_the_formats(drafted, tmp_path):
    done = _voortgang("letter", "--period", PERIOD, "--format", "odt", "-o", tmp_path / "x.odt")
    assert done.returncode == 2
    assert "--format" in done.stderr and "pdf" in done.stderr
    assert not (tmp_path / "x.odt").exists()
